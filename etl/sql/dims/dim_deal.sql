-- dim_deal: one ABS trust (deal), identified by the filer's CIK.
-- Grain: one row per deal. Key: deal_key (= skey(cik)); natural key cik.
-- depends_on: dim_filing
CREATE OR REPLACE TABLE dim_deal AS
WITH names AS (
    SELECT
        cik,
        arg_max(coalesce(nullif(company_name, ''), 'CIK ' || cik), filed_date) AS deal_name,
        arg_max(sic, filed_date) AS sic,
        arg_max(file_number, filed_date) AS file_number
    FROM dim_filing
    GROUP BY cik
),
reports AS (
    SELECT cik, min(distribution_date) AS first_distribution_date,
           max(distribution_date) AS last_distribution_date,
           count(DISTINCT distribution_date) AS distribution_months
    FROM int_report_version WHERE is_current GROUP BY cik
),
annual AS (
    SELECT cik, max(closing_date) AS closing_date, arg_max(depositor, fiscal_year_end) AS depositor,
           arg_max(commission_file_number, fiscal_year_end) AS commission_file_number
    FROM stg_annual_report GROUP BY cik
)
SELECT
    skey(n.cik) AS deal_key,
    n.cik,
    n.deal_name,
    n.sic,
    coalesce(a.commission_file_number, n.file_number) AS file_number,
    a.depositor,
    a.closing_date,
    r.first_distribution_date,
    r.last_distribution_date,
    coalesce(r.distribution_months, 0) AS distribution_months
FROM names AS n
LEFT JOIN reports AS r USING (cik)
LEFT JOIN annual AS a USING (cik)
ORDER BY n.cik;
