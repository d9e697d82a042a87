-- v_pool_period: the stable analyst view of pool activity (columns are a contract).
-- Grain: one row per (deal, pool, distribution date); pool 'Total' is the printed aggregate.
CREATE OR REPLACE VIEW v_pool_period AS
SELECT
    f.cik,
    d.deal_name,
    f.pool,
    f.distribution_date,
    f.beginning_balance,
    f.scheduled_principal,
    f.prepayments,
    f.liquidation_proceeds,
    f.ending_balance,
    f.loan_count,
    f.principal_remittance,
    f.current_realized_loss,
    f.cumulative_realized_loss,
    f.gross_interest,
    f.servicing_fee,
    f.net_interest_available,
    f.is_total,
    f.accession,
    f.form_type,
    f.dq_warning
FROM fct_pool_period AS f
LEFT JOIN dim_deal AS d ON f.deal_key = d.deal_key;
