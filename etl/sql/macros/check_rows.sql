-- check_rows(checked, name, level, reason): the rows of a check view, in the columns every dq_ view
-- returns (etl/quality/runner.py VIEW_COLUMNS): the rows of the view's CTE, then one not-applicable
-- row for each report the CTE has none for (not_applicable_rows).
--   checked  the name of the view's CTE, read with query_table; it has accession, scope, class, pool,
--            bucket, section, measure, observed, expected, tolerance, applicable and detail
--   name     the check's name (check_name); level its severity, 'error' or 'warn'
--   reason   the detail of a report's not-applicable row ('no pool table in this report')
-- residual = observed - expected, figures as DOUBLE; a row is applicable when it says so and has
-- both figures. A view whose residual is another expression (a bound, a share) writes its own
-- projection and takes only the tail from not_applicable_rows.
-- Grain: one row per row of the CTE, plus one per report without any.
-- depends_on: not_applicable_rows
CREATE OR REPLACE MACRO check_rows(checked, name, level, reason, reports := 'stg_report') AS TABLE
SELECT
    accession, name AS check_name, level AS severity, scope, class, pool, bucket, section, measure,
    CAST(observed AS DOUBLE) AS observed, CAST(expected AS DOUBLE) AS expected,
    CAST(observed - expected AS DOUBLE) AS residual, CAST(tolerance AS DOUBLE) AS tolerance,
    CAST(abs(observed - expected) AS DOUBLE) AS abs_residual,
    coalesce(applicable AND observed IS NOT NULL AND expected IS NOT NULL, false) AS applicable, detail
FROM query_table(checked)
UNION ALL
SELECT * FROM not_applicable_rows(checked, name, level, reason, reports := reports);
