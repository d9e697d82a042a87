-- dim_pool: a loan pool (or loan group) of a deal; "Total" is the deal-level aggregate.
-- Grain: one row per (deal, pool). Key: pool_key (= skey(cik | pool)).
-- depends_on:
CREATE OR REPLACE TABLE dim_pool AS
SELECT
    skey(v.cik || '|' || p.pool) AS pool_key,
    skey(v.cik) AS deal_key,
    v.cik,
    p.pool,
    bool_or(p.is_total) AS is_total,
    min(v.distribution_date) AS first_distribution_date
FROM stg_pool_period AS p
JOIN int_report_version AS v USING (accession)
WHERE v.is_current
GROUP BY v.cik, p.pool
ORDER BY v.cik, p.pool;
