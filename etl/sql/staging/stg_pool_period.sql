-- stg_pool_period: every pool measure of one report, the printed Total pool included.
-- Grain: one row per (accession, pool). Key: (accession, pool).
CREATE TABLE IF NOT EXISTS stg_pool_period (
    accession                VARCHAR NOT NULL,
    pool                     VARCHAR NOT NULL,
    is_total                 BOOLEAN NOT NULL,
    beginning_balance        DECIMAL(20, 2),
    scheduled_principal      DECIMAL(20, 2),
    prepayments              DECIMAL(20, 2),
    liquidation_proceeds     DECIMAL(20, 2),
    insurance_proceeds       DECIMAL(20, 2),
    repurchases              DECIMAL(20, 2),
    substitution_amount      DECIMAL(20, 2),
    deleted_loan_balance     DECIMAL(20, 2),
    principal_remittance     DECIMAL(20, 2),
    ending_balance           DECIMAL(20, 2),
    loan_count               INTEGER,
    current_realized_loss    DECIMAL(20, 2),
    cumulative_realized_loss DECIMAL(20, 2),
    gross_interest           DECIMAL(20, 2),
    servicing_fee            DECIMAL(20, 2),
    interest_remittance      DECIMAL(20, 2),
    trustee_fee              DECIMAL(20, 2),
    credit_risk_manager_fee  DECIMAL(20, 2),
    net_interest_available   DECIMAL(20, 2),
    PRIMARY KEY (accession, pool)
);
