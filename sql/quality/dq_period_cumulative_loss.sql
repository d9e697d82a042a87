-- dq_period_cumulative_loss (identity 13, severity error): cumulative realized losses grow by exactly
-- this month's loss: cumulative = last month's cumulative + current realized loss, per pool and Total
-- (seed Pool 2 cumulative 13,573). Severity error: cumulative losses feed loss-severity marts, and a
-- jump no current loss explains is a misread figure (or a restatement worth an operator's look).
-- Grain: one row per (accession, pool) present in both reports (immediately preceding month).
-- Tolerance: three independently rounded figures x half a unit (1.5 / 0.015); with different
-- precisions in the two reports, half a unit of each report per figure.
-- depends_on: dq_report_context, dq_fmt
CREATE OR REPLACE VIEW dq_period_cumulative_loss AS
WITH pairs AS (
    SELECT x.accession, x.prev_accession, x.month_gap, x.prev_distribution_date, 2 * x.half + x.prev_half AS tol
    FROM dq_report_context x
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
                ELSE 'previous cumulative ' || dq_fmt(prv.cumulative_realized_loss) || ' + current '
                     || dq_fmt(cur.current_realized_loss) || ' = '
                     || dq_fmt(prv.cumulative_realized_loss + cur.current_realized_loss) || ' against '
                     || dq_fmt(cur.cumulative_realized_loss) END AS detail
    FROM pairs p
    JOIN stg_pool_period cur ON cur.accession = p.accession
    LEFT JOIN stg_pool_period prv ON prv.accession = p.prev_accession AND prv.pool = cur.pool
)
SELECT accession, 'period_cumulative_loss' AS check_name, 'error' AS severity, scope, class, pool, bucket, section,
       measure, CAST(observed AS DOUBLE) AS observed, CAST(expected AS DOUBLE) AS expected,
       CAST(observed - expected AS DOUBLE) AS residual, CAST(tolerance AS DOUBLE) AS tolerance,
       CAST(abs(observed - expected) AS DOUBLE) AS abs_residual,
       coalesce(applicable AND observed IS NOT NULL AND expected IS NOT NULL, false) AS applicable, detail
FROM checked
UNION ALL
SELECT r.accession, 'period_cumulative_loss', 'error', 'report', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, false, 'no previous report of this deal in the staged history, or no pool table'
FROM stg_report r
WHERE NOT EXISTS (SELECT 1 FROM checked k WHERE k.accession = r.accession);
