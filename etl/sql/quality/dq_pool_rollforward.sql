-- dq_pool_rollforward (identity 5, severity error): beginning - scheduled principal - prepayments
-- - liquidation proceeds - insurance proceeds - repurchases - (deleted - substitute loan balance)
-- - current realized loss = ending, per pool and for the Total column
-- (seed Pool 1: 431,137,245 - 393,401 - 3,433,488 = 427,310,356).
-- Terms not printed count as zero; a liquidated loan leaves the pool as proceeds plus realized loss.
-- Grain: one row per (accession, pool), Total included.
-- Tolerance: half a unit per rounded term actually in play: beginning and ending always, plus each
-- non-zero component (zero components are exact): seed Pool 1 -> 4 x 0.5 = 2.0.
-- depends_on: dq_report_context
CREATE OR REPLACE VIEW dq_pool_rollforward AS
WITH p AS (
    SELECT p.*, x.half,
           coalesce(p.scheduled_principal, 0) + coalesce(p.prepayments, 0) + coalesce(p.liquidation_proceeds, 0)
             + coalesce(p.insurance_proceeds, 0) + coalesce(p.repurchases, 0)
             + coalesce(p.deleted_loan_balance, 0) - coalesce(p.substitution_amount, 0) AS principal_collected,
           (coalesce(p.scheduled_principal, 0) <> 0)::INT + (coalesce(p.prepayments, 0) <> 0)::INT
             + (coalesce(p.liquidation_proceeds, 0) <> 0)::INT + (coalesce(p.insurance_proceeds, 0) <> 0)::INT
             + (coalesce(p.repurchases, 0) <> 0)::INT + (coalesce(p.deleted_loan_balance, 0) <> 0)::INT
             + (coalesce(p.substitution_amount, 0) <> 0)::INT
             + (coalesce(p.current_realized_loss, 0) <> 0)::INT AS nonzero_terms
    FROM stg_pool_period AS p
    JOIN dq_report_context AS x USING (accession)
),
checked AS (
    SELECT accession, 'pool' AS scope, NULL AS class, pool, NULL AS bucket, NULL AS section,
           'ending_balance' AS measure, ending_balance AS observed,
           beginning_balance - principal_collected - coalesce(current_realized_loss, 0) AS expected,
           half * (2 + nonzero_terms) AS tolerance,
           beginning_balance IS NOT NULL AND ending_balance IS NOT NULL
               AND (scheduled_principal IS NOT NULL OR prepayments IS NOT NULL) AS applicable,
           CASE WHEN beginning_balance IS NULL OR ending_balance IS NULL
                     OR (scheduled_principal IS NULL AND prepayments IS NULL)
                THEN 'the pool does not print beginning, ending and its principal collections'
                ELSE fmt(beginning_balance) || ' - principal ' || fmt(principal_collected) || ' - loss '
                     || fmt(coalesce(current_realized_loss, 0)) || ' = '
                     || fmt(beginning_balance - principal_collected - coalesce(current_realized_loss, 0))
                     || ' against ending ' || fmt(ending_balance) END AS detail
    FROM p
)
SELECT * FROM check_rows('checked', 'pool_rollforward', 'error', 'no pool table in this report');
