-- dim_class: a class (tranche) of a deal, with its CUSIP and its nature.
-- Grain: one row per (deal, class). Key: class_key (= skey(cik | class)).
-- original_balance: as printed, else implied by the ending factor (ending / (factor/1000)).
-- depends_on:
CREATE OR REPLACE TABLE dim_class AS
WITH rows AS (
    SELECT v.cik, c.class, c.cusip, c.notional, c.residual, v.distribution_date,
           coalesce(c.original_balance,
                    CASE WHEN c.ending_balance_per_1000 > 0
                         THEN CAST(round(c.ending_balance / (c.ending_balance_per_1000 / 1000), 0) AS DECIMAL(20, 2))
                    END)
               AS original_balance
    FROM stg_class_period AS c
    JOIN int_report_version AS v USING (accession)
    WHERE v.is_current
)
SELECT
    skey(cik || '|' || class) AS class_key,
    skey(cik) AS deal_key,
    cik,
    class,
    arg_max(cusip, distribution_date) FILTER (WHERE cusip IS NOT NULL) AS cusip,
    bool_or(notional) AS notional,
    bool_or(residual) AS residual,
    max(original_balance) AS original_balance,
    regexp_extract(class, '^(\d+)-', 1) AS class_group,
    min(distribution_date) AS first_distribution_date,
    max(distribution_date) AS last_distribution_date
FROM rows
GROUP BY cik, class
ORDER BY cik, class;
