-- fct_asset_period: one asset (loan, lease or security) of a deal in one monthly reporting period, as the
-- deal's current Form ABS-EE for the period reports it (EX-102, all five asset classes in one shape).
-- Grain: one row per (deal, asset number, reporting period), current non-quarantined ABS-EE filings only.
-- Key: (deal_key, asset_number, period_end).
--   current filing  per deal and reporting period, the latest filed ABS-EE(/A) whose checks did not fail
--                   (dq_filing_status pass or warn; an operator's release counts as warn), as
--                   int_report_version chooses reports; report_accession the 10-D it was checked against
--   dq_days         days past due at the period end (dq_asset_record: a day count, or a status code)
--   dq_bucket       current (under 30 days), 30-59, 60-89, 90+, unknown; in the period an asset leaves (a
--                   zero-balance code, or a balance run down to 0: debt securities have no code): charged_off
--                   when it has a charge-off amount, else paid_off
--   prepayment      principal paid ahead of schedule by an asset not charged off: the unscheduled principal
--                   as filed, else actual less scheduled principal (never below 0)
--   defaulted_balance  the beginning balance of an asset charged off this period (for CDR)
--   ltv             original balance / the collateral's value (vehicle value; a CMBS loan's property
--                   valuations); RMBS: the original LTV as filed, in percent, / 100
-- depends_on:
CREATE OR REPLACE TABLE fct_asset_period AS
WITH versions AS (
    SELECT x.accession, x.cik, x.period_end, x.form_type, x.report_accession, s.status AS dq_status,
           row_number() OVER (PARTITION BY x.cik, x.period_end
                              ORDER BY x.filed_date DESC NULLS LAST, x.form_type LIKE '%/A' DESC, x.accession DESC)
               AS version_rank
    FROM dq_asset_context AS x
    JOIN dq_filing_status AS s USING (accession)
    WHERE s.status IN ('pass', 'warn')
),
assets AS (
    SELECT v.cik, v.form_type, v.report_accession, v.dq_status, r.*,
           coalesce(r.period_end, v.period_end) AS reporting_period,
           coalesce(r.zb_code IS NOT NULL OR (r.end_balance = 0 AND r.begin_balance > 0), false) AS leaves
    FROM versions AS v
    JOIN dq_asset_record AS r USING (accession)
    WHERE v.version_rank = 1
    QUALIFY row_number() OVER (PARTITION BY v.cik, r.asset_number, reporting_period ORDER BY r.source_line) = 1
),
flagged AS (
    SELECT *, leaves AND coalesce(charge_off, 0) > 0 AS charged_off, leaves AND coalesce(charge_off, 0) <= 0 AS paid_off
    FROM assets
)
SELECT
    skey(cik) AS deal_key,
    skey(accession) AS filing_key,
    CAST(strftime(reporting_period, '%Y%m%d') AS INTEGER) AS date_key,
    cik,
    asset_class,
    asset_number,
    period_begin,
    reporting_period AS period_end,
    accession,
    form_type,
    report_accession,
    original_balance,
    original_term,
    original_rate,
    current_rate,
    credit_score,
    CAST(CASE WHEN asset_class = 'rmbs' THEN ltv_percent / 100
              ELSE original_balance / nullif(ltv_value, 0) END AS DECIMAL(18, 6)) AS ltv,
    geographic_location AS state,
    remaining_term,
    begin_balance,
    end_balance,
    scheduled_principal,
    actual_principal,
    unscheduled_principal,
    CASE WHEN charged_off THEN 0
         ELSE coalesce(unscheduled_principal,
                       greatest(coalesce(actual_principal, 0) - coalesce(scheduled_principal, 0), 0)) END
        AS prepayment,
    scheduled_interest,
    actual_interest,
    charge_off,
    recovery,
    CASE WHEN charged_off THEN begin_balance ELSE 0 END AS defaulted_balance,
    delinquency_status,
    dq_days,
    CASE WHEN charged_off THEN 'charged_off'
         WHEN paid_off THEN 'paid_off'
         WHEN dq_days IS NULL THEN 'unknown'
         WHEN dq_days < 30 THEN 'current'
         WHEN dq_days < 60 THEN '30-59'
         WHEN dq_days < 90 THEN '60-89'
         ELSE '90+' END AS dq_bucket,
    zero_balance_code,
    zero_balance_date,
    modified,
    dq_status = 'warn' AS dq_warning
FROM flagged
ORDER BY cik, reporting_period, asset_number;
