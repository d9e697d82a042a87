-- dq_pool_principal_remittance (identity 6, severity error): principal remittance = scheduled
-- principal + prepayments + liquidation proceeds (+ insurance proceeds + repurchases + deleted -
-- substitute loan balance, where printed), per pool and Total (seed Pool 1: 393,401 + 3,433,488 + 0 =
-- 3,826,889; Pool 2: 1,376,164).
-- Grain: one row per (accession, pool), Total included.
-- Tolerance: half a unit for the remittance plus half per non-zero component (seed: 3 x 0.5 = 1.5).
-- depends_on: dq_report_context
CREATE OR REPLACE VIEW dq_pool_principal_remittance AS
WITH p AS (
    SELECT p.*, x.half,
           coalesce(p.scheduled_principal, 0) + coalesce(p.prepayments, 0) + coalesce(p.liquidation_proceeds, 0)
             + coalesce(p.insurance_proceeds, 0) + coalesce(p.repurchases, 0)
             + coalesce(p.deleted_loan_balance, 0) - coalesce(p.substitution_amount, 0) AS components,
           (coalesce(p.scheduled_principal, 0) <> 0)::INT + (coalesce(p.prepayments, 0) <> 0)::INT
             + (coalesce(p.liquidation_proceeds, 0) <> 0)::INT + (coalesce(p.insurance_proceeds, 0) <> 0)::INT
             + (coalesce(p.repurchases, 0) <> 0)::INT + (coalesce(p.deleted_loan_balance, 0) <> 0)::INT
             + (coalesce(p.substitution_amount, 0) <> 0)::INT AS nonzero_terms
    FROM stg_pool_period AS p
    JOIN dq_report_context AS x USING (accession)
),
checked AS (
    SELECT accession, 'pool' AS scope, NULL AS class, pool, NULL AS bucket, NULL AS section,
           'principal_remittance' AS measure, principal_remittance AS observed, components AS expected,
           half * (1 + nonzero_terms) AS tolerance,
           principal_remittance IS NOT NULL AND (scheduled_principal IS NOT NULL OR prepayments IS NOT NULL)
               AS applicable,
           CASE WHEN principal_remittance IS NULL OR (scheduled_principal IS NULL AND prepayments IS NULL)
                THEN 'the pool does not print its principal remittance and collections'
                ELSE 'scheduled ' || fmt(coalesce(scheduled_principal, 0)) || ' + prepayments '
                     || fmt(coalesce(prepayments, 0)) || ' + liquidation ' || fmt(coalesce(liquidation_proceeds, 0))
                     || ' + other ' || fmt(components - coalesce(scheduled_principal, 0) - coalesce(prepayments, 0)
                                              - coalesce(liquidation_proceeds, 0))
                     || ' = ' || fmt(components) || ' against remittance ' || fmt(principal_remittance) END AS detail
    FROM p
)
SELECT * FROM check_rows('checked', 'pool_principal_remittance', 'error', 'no pool table in this report');
