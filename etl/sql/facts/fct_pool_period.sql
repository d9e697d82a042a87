-- fct_pool_period: a pool's collateral activity in one distribution period.
-- Grain: one row per (deal, pool, distribution date), current non-quarantined reports only.
-- Key: (deal_key, pool_key, date_key).
-- depends_on:
CREATE OR REPLACE TABLE fct_pool_period AS
SELECT
    skey(v.cik) AS deal_key,
    skey(v.cik || '|' || p.pool) AS pool_key,
    CAST(strftime(v.distribution_date, '%Y%m%d') AS INTEGER) AS date_key,
    skey(p.accession) AS filing_key,
    v.cik,
    p.pool,
    p.is_total,
    v.distribution_date,
    p.accession,
    v.form_type,
    p.beginning_balance,
    p.scheduled_principal,
    p.prepayments,
    p.liquidation_proceeds,
    p.insurance_proceeds,
    p.repurchases,
    p.substitution_amount,
    p.principal_remittance,
    p.ending_balance,
    p.loan_count,
    p.current_realized_loss,
    p.cumulative_realized_loss,
    p.gross_interest,
    p.servicing_fee,
    p.interest_remittance,
    p.trustee_fee,
    p.credit_risk_manager_fee,
    p.net_interest_available,
    v.dq_status = 'warn' AS dq_warning
FROM stg_pool_period AS p
JOIN int_report_version AS v USING (accession)
WHERE v.is_current
ORDER BY v.cik, p.pool, v.distribution_date;
