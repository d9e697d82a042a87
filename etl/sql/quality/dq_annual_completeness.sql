-- dq_annual_completeness (issue 6, severity warn): every distribution date a 10-K lists (the 8-Ks or
-- 10-Ds "filed in the period") must have its distribution report in the warehouse, for the same deal
-- (cik). A gap in the monthly history is made visible, not fatal: the 10-K's own facts are right.
-- Grain: one row per (10-K accession, listed date); section = the listed date (YYYY-MM-DD).
-- Observed = 1 when a distribution report of that deal and date is staged (any version), else 0;
-- expected 1, tolerance 0. Not applicable: the 10-K lists no dates.
CREATE OR REPLACE VIEW dq_annual_completeness AS
WITH listed AS (
    SELECT a.accession, a.cik, unnest(a.distribution_report_dates) AS listed_date
    FROM stg_annual_report AS a
),
found AS (
    SELECT l.accession, l.cik, l.listed_date,
           (SELECT string_agg(r.accession, ', ' ORDER BY r.accession) FROM stg_report AS r
             WHERE r.cik = l.cik AND r.kind = 'distribution_report'
               AND r.distribution_date = l.listed_date) AS reports
    FROM listed AS l
)
SELECT accession, 'annual_completeness' AS check_name, 'warn' AS severity, 'report' AS scope,
       NULL AS class, NULL AS pool, NULL AS bucket, CAST(listed_date AS VARCHAR) AS section,
       'distribution_report' AS measure,
       CAST(CASE WHEN reports IS NOT NULL THEN 1 ELSE 0 END AS DOUBLE) AS observed, 1.0 AS expected,
       CAST(CASE WHEN reports IS NOT NULL THEN 0 ELSE -1 END AS DOUBLE) AS residual, 0.0 AS tolerance,
       CAST(CASE WHEN reports IS NOT NULL THEN 0 ELSE 1 END AS DOUBLE) AS abs_residual,
       true AS applicable,
       CASE WHEN reports IS NOT NULL THEN 'present: distribution report of ' || listed_date || ' (' || reports || ')'
            ELSE 'missing: the 10-K lists a distribution report of ' || listed_date
                 || ' that is not in the warehouse' END AS detail
FROM found
UNION ALL
SELECT a.accession, 'annual_completeness', 'warn', 'report', NULL, NULL, NULL, NULL, 'distribution_report',
       NULL, NULL, NULL, NULL, NULL, false, 'the 10-K lists no distribution-report dates'
FROM stg_annual_report AS a
WHERE len(coalesce(a.distribution_report_dates, [])) = 0;
