-- dq_period_pool_continuity (identity 13, severity error): this month's beginning pool balance = last
-- month's ending, per pool and Total (previous report of the same deal, immediately preceding month;
-- otherwise not applicable and dq_period_cadence warns). Severity error for the reason given in
-- dq_period_class_continuity: one number printed twice must read the same.
-- Grain: one row per (accession, pool) in either report; pools matched by name.
-- Tolerance: 0 with the same precision in both reports, else half a unit of each.
-- depends_on: dq_report_context, dq_fmt
CREATE OR REPLACE VIEW dq_period_pool_continuity AS
WITH pairs AS (
    SELECT x.accession, x.prev_accession, x.month_gap, x.prev_distribution_date,
           CASE WHEN x.amount_decimals = x.prev_amount_decimals THEN 0 ELSE x.half + x.prev_half END AS tol
    FROM dq_report_context x
    WHERE x.prev_accession IS NOT NULL
),
pools AS (
    SELECT p.accession, s.pool FROM pairs p JOIN stg_pool_period s ON s.accession = p.accession
    UNION
    SELECT p.accession, s.pool FROM pairs p JOIN stg_pool_period s ON s.accession = p.prev_accession
),
checked AS (
    SELECT p.accession, 'pool' AS scope, NULL AS class, k.pool, NULL AS bucket, NULL AS section,
           'beginning_balance' AS measure, cur.beginning_balance AS observed, prv.ending_balance AS expected,
           p.tol AS tolerance,
           p.month_gap = 1 AND cur.pool IS NOT NULL AND prv.pool IS NOT NULL AS applicable,
           CASE WHEN p.month_gap <> 1 THEN 'the previous report of the deal is ' || p.month_gap || ' months earlier'
                WHEN cur.pool IS NULL THEN 'pool not in this report'
                WHEN prv.pool IS NULL THEN 'pool not in the previous report'
                ELSE 'beginning ' || dq_fmt(cur.beginning_balance) || ' against the '
                     || strftime(p.prev_distribution_date, '%Y-%m-%d') || ' ending ' || dq_fmt(prv.ending_balance)
           END AS detail
    FROM pairs p
    JOIN pools k USING (accession)
    LEFT JOIN stg_pool_period cur ON cur.accession = p.accession AND cur.pool = k.pool
    LEFT JOIN stg_pool_period prv ON prv.accession = p.prev_accession AND prv.pool = k.pool
)
SELECT accession, 'period_pool_continuity' AS check_name, 'error' AS severity, scope, class, pool, bucket, section,
       measure, CAST(observed AS DOUBLE) AS observed, CAST(expected AS DOUBLE) AS expected,
       CAST(observed - expected AS DOUBLE) AS residual, CAST(tolerance AS DOUBLE) AS tolerance,
       CAST(abs(observed - expected) AS DOUBLE) AS abs_residual,
       coalesce(applicable AND observed IS NOT NULL AND expected IS NOT NULL, false) AS applicable, detail
FROM checked
UNION ALL
SELECT r.accession, 'period_pool_continuity', 'error', 'report', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, false, 'no previous report of this deal in the staged history, or no pool table'
FROM stg_report r
WHERE NOT EXISTS (SELECT 1 FROM checked k WHERE k.accession = r.accession);
