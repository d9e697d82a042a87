-- mart_deal_performance: deal-level collateral performance per distribution date.
-- Grain: one row per (deal, distribution date). Key: (deal_key, distribution_date).
-- Pool figures come from the printed Total pool when there is one, else the sum of the pools.
--   pool_factor        = ending balance / original pool balance
--   smm                = prepayments / (beginning balance - scheduled principal); cpr = 1-(1-smm)^12
--   mdr                = (liquidation proceeds + realized loss) / (beginning - scheduled); cdr = 1-(1-mdr)^12
--   delinq_60p_pct     = 60+ day delinquent balance / ending balance; FC/BK/REO loans are added
--                        only when the report's footnote does not already include them in a bucket
--   cum_loss_pct       = cumulative realized loss / original pool balance
--   loss_severity      = realized loss / (liquidation proceeds + realized loss), where liquidated
-- original_pool_balance is the earliest beginning pool balance the warehouse holds for the deal
-- (original_balance_basis says so); the 8-Ks do not print the cut-off balance.
-- depends_on:
CREATE OR REPLACE TABLE mart_deal_performance AS
WITH p AS (
    SELECT
        cik,
        distribution_date,
        any_value(accession) AS accession,
        coalesce(max(beginning_balance) FILTER (WHERE is_total),
                 sum(beginning_balance) FILTER (WHERE NOT is_total)) AS beginning_balance,
        coalesce(max(scheduled_principal) FILTER (WHERE is_total),
                 sum(scheduled_principal) FILTER (WHERE NOT is_total)) AS scheduled_principal,
        coalesce(max(prepayments) FILTER (WHERE is_total),
                 sum(prepayments) FILTER (WHERE NOT is_total)) AS prepayments,
        coalesce(max(liquidation_proceeds) FILTER (WHERE is_total),
                 sum(liquidation_proceeds) FILTER (WHERE NOT is_total)) AS liquidation_proceeds,
        coalesce(max(ending_balance) FILTER (WHERE is_total),
                 sum(ending_balance) FILTER (WHERE NOT is_total)) AS ending_balance,
        coalesce(max(loan_count) FILTER (WHERE is_total),
                 sum(loan_count) FILTER (WHERE NOT is_total)) AS loan_count,
        coalesce(max(current_realized_loss) FILTER (WHERE is_total),
                 sum(current_realized_loss) FILTER (WHERE NOT is_total)) AS realized_loss,
        coalesce(max(cumulative_realized_loss) FILTER (WHERE is_total),
                 sum(cumulative_realized_loss) FILTER (WHERE NOT is_total)) AS cumulative_realized_loss
    FROM fct_pool_period
    GROUP BY cik, distribution_date
),
orig AS (
    SELECT cik, arg_min(beginning_balance, distribution_date) AS original_pool_balance FROM p GROUP BY cik
),
dq AS (
    SELECT
        cik,
        distribution_date,
        -- prefer the Total pool's buckets; else every pool's
        CASE WHEN bool_or(pool = 'Total') THEN 'Total' END AS scope,
        sum(coalesce(stated_principal_balance, unpaid_principal_balance))
            FILTER (WHERE days_past_due_min >= 60 AND (pool = 'Total' OR NOT has_total)) AS bal_60p,
        sum(coalesce(stated_principal_balance, unpaid_principal_balance))
            FILTER (WHERE days_past_due_min >= 30 AND (pool = 'Total' OR NOT has_total)) AS bal_30p,
        sum(coalesce(stated_principal_balance, unpaid_principal_balance))
            FILTER (WHERE days_past_due_min >= 90 AND (pool = 'Total' OR NOT has_total)) AS bal_90p,
        sum(coalesce(stated_principal_balance, unpaid_principal_balance))
            FILTER (WHERE is_status_bucket AND (pool = 'Total' OR NOT has_total)) AS bal_fc_bk_reo,
        bool_or(includes_fc_bk_reo) AS buckets_include_fc_bk_reo
    FROM (
        SELECT *, bool_or(pool = 'Total') OVER (PARTITION BY cik, distribution_date) AS has_total FROM fct_delinquency
    ) AS d
    GROUP BY cik, distribution_date
)
SELECT
    skey(p.cik) AS deal_key,
    p.cik,
    d.deal_name,
    p.distribution_date,
    p.accession,
    p.beginning_balance,
    p.scheduled_principal,
    p.prepayments,
    p.liquidation_proceeds,
    p.ending_balance,
    p.loan_count,
    p.realized_loss,
    p.cumulative_realized_loss,
    o.original_pool_balance,
    'earliest_report' AS original_balance_basis,
    p.ending_balance / nullif(o.original_pool_balance, 0) AS pool_factor,
    p.prepayments / nullif(p.beginning_balance - coalesce(p.scheduled_principal, 0), 0) AS smm,
    1 - pow(1 - p.prepayments / nullif(p.beginning_balance - coalesce(p.scheduled_principal, 0), 0), 12) AS cpr,
    -- NULL, not 0, when the report states neither liquidations nor losses
    CASE WHEN p.liquidation_proceeds IS NOT NULL OR p.realized_loss IS NOT NULL THEN
        (coalesce(p.liquidation_proceeds, 0) + coalesce(p.realized_loss, 0))
        / nullif(p.beginning_balance - coalesce(p.scheduled_principal, 0), 0) END AS mdr,
    CASE WHEN p.liquidation_proceeds IS NOT NULL OR p.realized_loss IS NOT NULL THEN
        1 - pow(1 - (coalesce(p.liquidation_proceeds, 0) + coalesce(p.realized_loss, 0))
        / nullif(p.beginning_balance - coalesce(p.scheduled_principal, 0), 0), 12) END AS cdr,
    q.bal_30p / nullif(p.ending_balance, 0) AS delinq_30p_pct,
    CASE WHEN q.cik IS NOT NULL THEN  -- NULL when the report has no delinquency table
        (coalesce(q.bal_60p, 0) + CASE WHEN coalesce(q.buckets_include_fc_bk_reo, false) THEN 0
                                       ELSE coalesce(q.bal_fc_bk_reo, 0) END)
        / nullif(p.ending_balance, 0) END AS delinq_60p_pct,
    q.bal_90p / nullif(p.ending_balance, 0) AS delinq_90p_pct,
    p.cumulative_realized_loss / nullif(o.original_pool_balance, 0) AS cum_loss_pct,
    CASE WHEN coalesce(p.liquidation_proceeds, 0) + coalesce(p.realized_loss, 0) > 0
         THEN p.realized_loss / (coalesce(p.liquidation_proceeds, 0) + p.realized_loss) END AS loss_severity
FROM p
JOIN orig AS o USING (cik)
LEFT JOIN dq AS q USING (cik, distribution_date)
LEFT JOIN dim_deal AS d USING (cik)
ORDER BY p.cik, p.distribution_date;
