-- fct_delinquency: delinquent loans by bucket as the report states them.
-- Grain: one row per (deal, pool, bucket, distribution date). Key: (deal_key, pool_key, bucket, date_key).
-- includes_fc_bk_reo carries the report's own footnote: such a bucket already contains the
-- foreclosure/bankruptcy/REO loans, so buckets must not simply be summed.
-- depends_on:
CREATE OR REPLACE TABLE fct_delinquency AS
SELECT
    skey(v.cik) AS deal_key,
    skey(v.cik || '|' || d.pool) AS pool_key,
    d.bucket,
    CAST(strftime(v.distribution_date, '%Y%m%d') AS INTEGER) AS date_key,
    skey(d.accession) AS filing_key,
    v.cik,
    d.pool,
    v.distribution_date,
    d.accession,
    d.loan_count,
    d.unpaid_principal_balance,
    d.stated_principal_balance,
    coalesce(d.includes_fc_bk_reo, false) AS includes_fc_bk_reo,
    CASE
        WHEN d.bucket IN ('30-59') THEN 30
        WHEN d.bucket IN ('60-89') THEN 60
        WHEN d.bucket IN ('90+', '90-119', '120+', '90-179', '180+') THEN 90
    END AS days_past_due_min,
    d.bucket IN ('foreclosure', 'bankruptcy', 'reo') AS is_status_bucket
FROM stg_delinquency AS d
JOIN int_report_version AS v USING (accession)
WHERE v.is_current
ORDER BY v.cik, d.pool, d.bucket, v.distribution_date;
