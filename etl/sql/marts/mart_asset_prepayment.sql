-- mart_asset_prepayment: each deal's prepayment and default speeds per reporting period, from the asset data
-- (the loan-level counterpart of mart_deal_performance's smm/cpr/cdr from the 10-D's pool figures).
-- Grain: one row per (deal, reporting period). Key: (deal_key, period_end).
--   smm      = prepayments / (beginning balance - scheduled principal); cpr = 1 - (1 - smm)^12
--   mdr      = defaulted balance / (beginning balance - scheduled principal); cdr = 1 - (1 - mdr)^12
--   prepayments       full payoffs and curtailments of assets not charged off (fct_asset_period.prepayment)
--   defaulted_balance the beginning balance of the assets charged off in the period
--   loss_severity     = charge-offs / defaulted balance; amounts to the cent, as the asset data files them
-- depends_on:
CREATE OR REPLACE TABLE mart_asset_prepayment AS
WITH p AS (
    SELECT
        deal_key,
        cik,
        period_end,
        any_value(asset_class) AS asset_class,
        any_value(accession) AS accession,
        count(*) AS asset_count,
        count(*) FILTER (WHERE dq_bucket = 'paid_off') AS paid_off_count,
        count(*) FILTER (WHERE dq_bucket = 'charged_off') AS charged_off_count,
        CAST(sum(begin_balance) AS DECIMAL(20, 2)) AS beginning_balance,
        CAST(sum(coalesce(scheduled_principal, 0)) AS DECIMAL(20, 2)) AS scheduled_principal,
        CAST(sum(prepayment) AS DECIMAL(20, 2)) AS prepayments,
        CAST(sum(defaulted_balance) AS DECIMAL(20, 2)) AS defaulted_balance,
        CAST(sum(coalesce(charge_off, 0)) AS DECIMAL(20, 2)) AS charge_off,
        CAST(sum(coalesce(recovery, 0)) AS DECIMAL(20, 2)) AS recovery,
        CAST(sum(end_balance) AS DECIMAL(20, 2)) AS ending_balance
    FROM fct_asset_period
    GROUP BY deal_key, cik, period_end
),
r AS (
    SELECT *,
           CAST(prepayments / nullif(beginning_balance - scheduled_principal, 0) AS DOUBLE) AS smm,
           CAST(defaulted_balance / nullif(beginning_balance - scheduled_principal, 0) AS DOUBLE) AS mdr
    FROM p
)
SELECT
    deal_key, cik, period_end, asset_class, accession, asset_count, paid_off_count, charged_off_count,
    beginning_balance, scheduled_principal, prepayments, defaulted_balance, charge_off, recovery, ending_balance,
    smm,
    1 - pow(1 - smm, 12) AS cpr,
    mdr,
    1 - pow(1 - mdr, 12) AS cdr,
    CAST(charge_off / nullif(defaulted_balance, 0) AS DOUBLE) AS loss_severity
FROM r
ORDER BY cik, period_end;
