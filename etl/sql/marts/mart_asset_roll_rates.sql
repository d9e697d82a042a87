-- mart_asset_roll_rates: delinquency roll rates month to month, from the asset data: of the assets in a
-- delinquency bucket at the end of one reporting period, how many (and how much of their balance) are in each
-- bucket at the end of the next.
-- Grain: one row per (deal, reporting period, from bucket, to bucket). Key: (deal_key, period_end, from_bucket,
-- to_bucket). period_end is the later period; prev_period_end the month before it.
--   from_bucket  current, 30-59, 60-89, 90+ or unknown (fct_asset_period.dq_bucket) of an asset outstanding at
--                the end of the month before; to_bucket its bucket this month, paid_off / charged_off when it
--                left this month, not_reported when this month's asset data has no record of it
--   roll_rate    = assets rolled / assets in from_bucket; balance_roll_rate the same by the from-month's
--                ending balance. Only consecutive months: a deal missing a month has no row for that pair.
-- depends_on:
CREATE OR REPLACE TABLE mart_asset_roll_rates AS
WITH periods AS (
    SELECT DISTINCT deal_key, period_end FROM fct_asset_period
),
pairs AS (
    SELECT p.deal_key, p.period_end AS prev_period_end, n.period_end
    FROM periods AS p
    JOIN periods AS n
      ON p.deal_key = n.deal_key
     AND (year(n.period_end) * 12 + month(n.period_end)) - (year(p.period_end) * 12 + month(p.period_end)) = 1
),
moves AS (
    SELECT k.deal_key, f.cik, k.period_end, k.prev_period_end, f.dq_bucket AS from_bucket,
           coalesce(t.dq_bucket, 'not_reported') AS to_bucket, f.end_balance AS from_balance
    FROM pairs AS k
    JOIN fct_asset_period AS f ON k.deal_key = f.deal_key AND k.prev_period_end = f.period_end
    LEFT JOIN fct_asset_period AS t
      ON k.deal_key = t.deal_key AND k.period_end = t.period_end AND f.asset_number = t.asset_number
    WHERE f.end_balance > 0 AND f.dq_bucket NOT IN ('paid_off', 'charged_off')
)
SELECT
    deal_key,
    cik,
    period_end,
    prev_period_end,
    from_bucket,
    to_bucket,
    count(*) AS asset_count,
    CAST(sum(from_balance) AS DECIMAL(20, 2)) AS from_balance,
    CAST(count(*) / sum(count(*)) OVER (PARTITION BY deal_key, period_end, from_bucket) AS DOUBLE) AS roll_rate,
    CAST(sum(from_balance) / nullif(sum(sum(from_balance)) OVER (PARTITION BY deal_key, period_end, from_bucket), 0)
         AS DOUBLE) AS balance_roll_rate
FROM moves
GROUP BY deal_key, cik, period_end, prev_period_end, from_bucket, to_bucket
ORDER BY cik, period_end, from_bucket, to_bucket;
