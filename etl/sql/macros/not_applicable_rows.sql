-- not_applicable_rows(checked, name, level, reason): the tail of a check view, so that every check
-- has a row for every report: one row, not applicable, for each report without a row in the CTE
-- named `checked`. Arguments and columns as check_rows; scope 'report', detail = reason.
-- Grain: one row per report (stg_report) without a checked row. Key: accession.
-- The reports table is a parameter with a default because DuckDB binds a macro's body when the
-- macro is created, and etl/sql/macros is applied before the staging tables exist.
CREATE OR REPLACE MACRO not_applicable_rows(checked, name, level, reason, reports := 'stg_report') AS TABLE
SELECT
    accession, name AS check_name, level AS severity, 'report' AS scope, NULL AS class, NULL AS pool,
    NULL AS bucket, NULL AS section, NULL AS measure, NULL AS observed, NULL AS expected, NULL AS residual,
    NULL AS tolerance, NULL AS abs_residual, false AS applicable, reason AS detail
FROM query_table(reports) AS r
-- the linter reads the parameter `checked` as a column, unqualified beside k. and r.
WHERE NOT EXISTS (SELECT 1 FROM query_table(checked) AS k WHERE k.accession = r.accession);  -- noqa: RF03
