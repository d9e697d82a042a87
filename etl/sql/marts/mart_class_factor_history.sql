-- mart_class_factor_history: how each class pays down, month by month.
-- Grain: one row per (deal, class, distribution date). Key: (class_key, distribution_date).
-- factor = ending balance / original face (from dim_class); reported_factor is the report's own
-- ending amount per $1,000 / 1000, where printed.
-- depends_on:
CREATE OR REPLACE TABLE mart_class_factor_history AS
SELECT
    f.class_key,
    f.deal_key,
    f.cik,
    d.deal_name,
    f.class,
    f.distribution_date,
    c.original_balance,
    f.beginning_balance,
    f.principal,
    f.realized_loss,
    f.ending_balance,
    f.ending_balance / nullif(c.original_balance, 0) AS factor,
    f.ending_balance_per_1000 / 1000 AS reported_factor,
    sum(coalesce(f.realized_loss, 0)) OVER (PARTITION BY f.class_key ORDER BY f.distribution_date)
        AS cumulative_realized_loss,
    f.notional
FROM fct_class_distribution AS f
JOIN dim_class AS c USING (class_key)
LEFT JOIN dim_deal AS d ON f.deal_key = d.deal_key
ORDER BY f.cik, f.class, f.distribution_date;
