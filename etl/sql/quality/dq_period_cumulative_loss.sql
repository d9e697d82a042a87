-- dq_period_cumulative_loss (identity 13, severity error): cumulative realized losses grow by exactly
-- this month's loss: cumulative = last month's cumulative + current realized loss, per pool and Total
-- (seed Pool 2 cumulative 13,573). Severity error: cumulative losses feed loss-severity marts, and a
-- jump no current loss explains is a misread figure (or a restatement worth an operator's look).
-- Grain: one row per (accession, pool) present in both reports (immediately preceding month).
-- Tolerance: three independently rounded figures x half a unit (1.5 / 0.015); with different
-- precisions in the two reports, half a unit of each report per figure.
-- depends_on: dq_report_context
CREATE OR REPLACE VIEW dq_period_cumulative_loss AS
WITH pairs AS (
    SELECT x.accession, x.prev_accession, x.month_gap, x.prev_distribution_date, 2 * x.half + x.prev_half AS tol
    FROM dq_report_context AS x
    WHERE x.prev_accession IS NOT NULL
),
checked AS (
    SELECT p.accession, 'pool' AS scope, NULL AS class, cur.pool, NULL AS bucket, NULL AS section,
           'cumulative_realized_loss' AS measure, cur.cumulative_realized_loss AS observed,
           prv.cumulative_realized_loss + cur.current_realized_loss AS expected, p.tol AS tolerance,
           p.month_gap = 1 AND prv.pool IS NOT NULL AS applicable,
           CASE WHEN p.month_gap <> 1 THEN 'the previous report of the deal is ' || p.month_gap || ' months earlier'
                WHEN prv.pool IS NULL THEN 'pool not in the previous report'
                WHEN cur.cumulative_realized_loss IS NULL OR cur.current_realized_loss IS NULL
                     OR prv.cumulative_realized_loss IS NULL THEN 'cumulative or current realized loss not printed'
                ELSE 'previous cumulative ' || fmt(prv.cumulative_realized_loss) || ' + current '
                     || fmt(cur.current_realized_loss) || ' = '
                     || fmt(prv.cumulative_realized_loss + cur.current_realized_loss) || ' against '
                     || fmt(cur.cumulative_realized_loss) END AS detail
    FROM pairs AS p
    JOIN stg_pool_period AS cur ON p.accession = cur.accession
    LEFT JOIN stg_pool_period AS prv ON p.prev_accession = prv.accession AND cur.pool = prv.pool
)
SELECT * FROM check_rows(
    'checked', 'period_cumulative_loss', 'error',
    'no previous report of this deal in the staged history, or no pool table'
);
