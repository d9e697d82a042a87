-- fct_class_distribution: what each class received and owed on a distribution date.
-- Grain: one row per (deal, class, distribution date), from the current, non-quarantined
-- version of the report. Key: (deal_key, class_key, date_key).
-- depends_on:
CREATE OR REPLACE TABLE fct_class_distribution AS
SELECT
    skey(v.cik) AS deal_key,
    skey(v.cik || '|' || c.class) AS class_key,
    CAST(strftime(v.distribution_date, '%Y%m%d') AS INTEGER) AS date_key,
    skey(c.accession) AS filing_key,
    v.cik,
    c.class,
    v.distribution_date,
    c.accession,
    v.form_type,
    c.cusip,
    c.notional,
    c.residual,
    c.original_balance,
    c.beginning_balance,
    c.principal,
    c.interest,
    c.total_distribution,
    c.realized_loss,
    c.ending_balance,
    c.pass_through_rate,
    c.next_pass_through_rate,
    c.principal_per_1000,
    c.interest_per_1000,
    c.total_per_1000,
    c.ending_balance_per_1000,
    c.carryforward_interest,
    c.basis_risk_shortfall,
    c.prepayment_interest_shortfall,
    c.interest_shortfall,
    c.cumulative_realized_loss,
    v.dq_status = 'warn' AS dq_warning
FROM stg_class_period AS c
JOIN int_report_version AS v USING (accession)
WHERE v.is_current
ORDER BY v.cik, c.class, v.distribution_date;
