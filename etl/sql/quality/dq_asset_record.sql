-- dq_asset_record: the asset records of every staged ABS-EE, the five asset classes in one shape: the
-- columns the asset checks and fct_asset_period read, plus each class's inputs to a loan-to-value ratio.
-- Grain: one row per (accession, record). Key: (accession, source_line). A helper of the dq_asset_ views
-- and the facts, not a check.
--   dq_days    days past due as of the period end: days_past_due where the class files a day count (auto
--              loans and leases), else the delinquency status when it is a number of days (RMBS), else the
--              payment status code (CMBS, debt securities: 0 and A/B grace current, 1 = 30-59, 2 = 60-89,
--              3 and over 90+)
--   ltv_value  what original_balance is divided by for the LTV: the vehicle value (auto loans, leases),
--              the CMBS loan's properties' valuations; ltv_percent the RMBS original LTV as filed
CREATE OR REPLACE VIEW dq_asset_record AS
WITH valuations AS (
    SELECT accession, asset_number, sum(valuation_amount) AS valuation
    FROM stg_asset_cmbs_property GROUP BY accession, asset_number
),
records AS (
    SELECT 'autoloan' AS asset_class, *, CAST(json_extract_string(extra, '$.vehicleValueAmount') AS DECIMAL(28, 10))
           AS ltv_value, CAST(NULL AS DECIMAL(28, 10)) AS ltv_percent
    FROM stg_asset_autoloan
    UNION ALL BY NAME
    SELECT 'autolease' AS asset_class, *, CAST(json_extract_string(extra, '$.vehicleValueAmount') AS DECIMAL(28, 10))
           AS ltv_value, CAST(NULL AS DECIMAL(28, 10)) AS ltv_percent
    FROM stg_asset_autolease
    UNION ALL BY NAME
    SELECT 'rmbs' AS asset_class, *, CAST(NULL AS DECIMAL(28, 10)) AS ltv_value,
           CAST(json_extract_string(extra, '$.originalLoanToValuePercentage') AS DECIMAL(28, 10)) AS ltv_percent
    FROM stg_asset_rmbs
    UNION ALL BY NAME
    SELECT 'cmbs' AS asset_class, a.*, v.valuation AS ltv_value, CAST(NULL AS DECIMAL(28, 10)) AS ltv_percent
    FROM stg_asset_cmbs AS a
    LEFT JOIN valuations AS v ON a.accession = v.accession AND a.asset_number = v.asset_number
    UNION ALL BY NAME
    SELECT 'debtsec' AS asset_class, *, CAST(NULL AS DECIMAL(28, 10)) AS ltv_value,
           CAST(NULL AS DECIMAL(28, 10)) AS ltv_percent
    FROM stg_asset_debtsec
)
SELECT accession, asset_class, source_line, asset_number, period_begin, period_end, original_balance, original_term,
       original_rate, current_rate, credit_score, geographic_location, remaining_term, begin_balance, end_balance,
       scheduled_principal, actual_principal, unscheduled_principal, scheduled_interest, actual_interest,
       charge_off, recovery, delinquency_status, days_past_due, zero_balance_code, zero_balance_date, modified,
       ltv_value, ltv_percent,
       CASE
           WHEN days_past_due IS NOT NULL THEN days_past_due
           WHEN asset_class IN ('cmbs', 'debtsec') THEN
               CASE WHEN upper(trim(delinquency_status)) IN ('0', 'A', 'B') THEN 0
                    WHEN trim(delinquency_status) = '1' THEN 30
                    WHEN trim(delinquency_status) = '2' THEN 60
                    WHEN regexp_full_match(trim(delinquency_status), '[3-9]') THEN 90 END
           ELSE try_cast(trim(delinquency_status) AS INTEGER)
       END AS dq_days,
       nullif(trim(coalesce(zero_balance_code, '')), '') AS zb_code
FROM records;
