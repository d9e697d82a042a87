-- dq_period_pool_continuity (identity 13, severity error): this month's beginning pool balance = last
-- month's ending, per pool and Total (previous report of the same deal, immediately preceding month;
-- otherwise not applicable and dq_period_cadence warns). Severity error for the reason given in
-- dq_period_class_continuity: one number printed twice must read the same.
-- As for classes, a misprint in last month's ending is last month's error: when last month's printed
-- ending contradicts its own roll-forward (dq_pool_rollforward's terms, outside its tolerance) and
-- this month's beginning agrees with the rolled-forward figure, this month is checked against that.
-- Grain: one row per (accession, pool) in either report; pools matched by name.
-- Tolerance: 0 with the same precision in both reports, else half a unit of each. Against last
-- month's rolled-forward figure: half a unit of last month's per term rolled (beginning and each
-- non-zero component) plus half a unit of this month's.
-- depends_on: dq_report_context
CREATE OR REPLACE VIEW dq_period_pool_continuity AS
WITH pairs AS (
    SELECT x.accession, x.prev_accession, x.month_gap, x.prev_distribution_date, x.half, x.prev_half,
           CASE WHEN x.amount_decimals = x.prev_amount_decimals THEN 0 ELSE x.half + x.prev_half END AS tol
    FROM dq_report_context AS x
    WHERE x.prev_accession IS NOT NULL
),
rolled AS (
    SELECT accession, pool, ending_balance,
           beginning_balance - coalesce(scheduled_principal, 0) - coalesce(prepayments, 0)
             - coalesce(liquidation_proceeds, 0) - coalesce(insurance_proceeds, 0) - coalesce(repurchases, 0)
             - coalesce(deleted_loan_balance, 0) + coalesce(substitution_amount, 0)
             - coalesce(current_realized_loss, 0) AS rolled_ending,
           (coalesce(scheduled_principal, 0) <> 0)::INT + (coalesce(prepayments, 0) <> 0)::INT
             + (coalesce(liquidation_proceeds, 0) <> 0)::INT + (coalesce(insurance_proceeds, 0) <> 0)::INT
             + (coalesce(repurchases, 0) <> 0)::INT + (coalesce(deleted_loan_balance, 0) <> 0)::INT
             + (coalesce(substitution_amount, 0) <> 0)::INT + (coalesce(current_realized_loss, 0) <> 0)::INT
             AS nonzero_terms,
           scheduled_principal IS NOT NULL OR prepayments IS NOT NULL AS rolls
    FROM stg_pool_period
),
pools AS (
    SELECT p.accession, s.pool FROM pairs AS p JOIN stg_pool_period AS s ON p.accession = s.accession
    UNION
    SELECT p.accession, s.pool FROM pairs AS p JOIN stg_pool_period AS s ON p.prev_accession = s.accession
),
joined AS (
    SELECT p.accession, k.pool, p.month_gap, p.tol, p.prev_distribution_date,
           cur.pool IS NOT NULL AS in_cur, prv.pool IS NOT NULL AS in_prev, cur.beginning_balance AS beginning,
           prv.ending_balance AS printed_ending, CASE WHEN prv.rolls THEN prv.rolled_ending END AS rolled_ending,
           p.prev_half * (2 + prv.nonzero_terms) AS prev_roll_tol,
           p.prev_half * (1 + prv.nonzero_terms) + p.half AS rolled_tol
    FROM pairs AS p
    JOIN pools AS k USING (accession)
    LEFT JOIN stg_pool_period AS cur ON p.accession = cur.accession AND k.pool = cur.pool
    LEFT JOIN rolled AS prv ON p.prev_accession = prv.accession AND k.pool = prv.pool
),
chosen AS (
    SELECT *,
           coalesce(abs(printed_ending - rolled_ending) > prev_roll_tol
                    AND abs(beginning - rolled_ending) <= rolled_tol, false) AS use_rolled
    FROM joined
),
checked AS (
    SELECT accession, 'pool' AS scope, NULL AS class, pool, NULL AS bucket, NULL AS section,
           'beginning_balance' AS measure, beginning AS observed,
           CASE WHEN use_rolled THEN rolled_ending ELSE printed_ending END AS expected,
           CASE WHEN use_rolled THEN rolled_tol ELSE tol END AS tolerance,
           month_gap = 1 AND in_cur AND in_prev AS applicable,
           CASE WHEN month_gap <> 1 THEN 'the previous report of the deal is ' || month_gap || ' months earlier'
                WHEN NOT in_cur THEN 'pool not in this report'
                WHEN NOT in_prev THEN 'pool not in the previous report'
                WHEN use_rolled THEN 'beginning ' || fmt(beginning) || ' against the '
                     || strftime(prev_distribution_date, '%Y-%m-%d') || ' report rolled forward ' || fmt(rolled_ending)
                     || ' (its printed ending ' || fmt(printed_ending) || ' fails its own roll-forward)'
                ELSE 'beginning ' || fmt(beginning) || ' against the '
                     || strftime(prev_distribution_date, '%Y-%m-%d') || ' ending ' || fmt(printed_ending)
           END AS detail
    FROM chosen
)
SELECT * FROM check_rows(
    'checked', 'period_pool_continuity', 'error',
    'no previous report of this deal in the staged history, or no pool table'
);
