-- dq_net_interest (identity 9, severity error): interest remittance - trustee fee - credit-risk-manager
-- fee = net interest available, per pool and Total (seed Pool 1: 2,622,474 - 2,156 - 5,389 =
-- 2,614,929). A fee not printed counts as zero; at least one fee must be printed.
-- Grain: one row per (accession, pool), Total included.
-- Tolerance: half a unit for the remittance, the net interest and each non-zero fee
-- (seed: 4 x 0.5 = 2.0).
-- depends_on: dq_report_context
CREATE OR REPLACE VIEW dq_net_interest AS
WITH checked AS (
    SELECT p.accession, 'pool' AS scope, NULL AS class, p.pool, NULL AS bucket, NULL AS section,
           'net_interest_available' AS measure, p.net_interest_available AS observed,
           p.interest_remittance - coalesce(p.trustee_fee, 0) - coalesce(p.credit_risk_manager_fee, 0) AS expected,
           x.half * (2 + (coalesce(p.trustee_fee, 0) <> 0)::INT + (coalesce(p.credit_risk_manager_fee, 0) <> 0)::INT)
               AS tolerance,
           p.interest_remittance IS NOT NULL AND p.net_interest_available IS NOT NULL
               AND (p.trustee_fee IS NOT NULL OR p.credit_risk_manager_fee IS NOT NULL) AS applicable,
           CASE WHEN p.interest_remittance IS NULL OR p.net_interest_available IS NULL
                     OR (p.trustee_fee IS NULL AND p.credit_risk_manager_fee IS NULL)
                THEN 'the pool does not print interest remittance, its fees and net interest available'
                ELSE fmt(p.interest_remittance) || ' - trustee ' || fmt(coalesce(p.trustee_fee, 0))
                     || ' - credit risk manager ' || fmt(coalesce(p.credit_risk_manager_fee, 0)) || ' = '
                     || fmt(p.interest_remittance - coalesce(p.trustee_fee, 0)
                               - coalesce(p.credit_risk_manager_fee, 0))
                     || ' against net interest available ' || fmt(p.net_interest_available) END AS detail
    FROM stg_pool_period AS p
    JOIN dq_report_context AS x USING (accession)
)
SELECT * FROM check_rows('checked', 'net_interest', 'error', 'no pool table in this report');
