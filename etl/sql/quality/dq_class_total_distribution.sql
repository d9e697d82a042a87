-- dq_class_total_distribution (identity 2, severity error): total distribution = interest + principal,
-- per class and for the printed Total row (seed Total: 3,104,897 + 5,203,053 = 8,307,950).
-- Grain: one row per (accession, class) plus one 'total' row per report that prints the three Totals.
-- Tolerance: 3 independently rounded figures x half a unit = 1.5 (0.015 in cents).
-- For the Total row, each measure's Total is taken from the section that prints the total
-- distribution Total when it prints one there (same table), else from the table with most rows.
-- depends_on: dq_report_context
CREATE OR REPLACE VIEW dq_class_total_distribution AS
WITH td_section AS (
    SELECT accession, min(section) AS section FROM stg_class_total
    WHERE measure = 'total_distribution' GROUP BY accession
),
totals AS (
    SELECT t.accession, t.measure, t.value, t.section,
           row_number() OVER (PARTITION BY t.accession, t.measure
                              ORDER BY (t.section = s.section) DESC NULLS LAST, t.n_rows DESC NULLS LAST,
                                       t.line ASC NULLS LAST, t.section ASC) AS rn
    FROM stg_class_total AS t
    LEFT JOIN td_section AS s USING (accession)
    WHERE t.measure IN ('interest', 'principal', 'total_distribution')
),
total_row AS (
    SELECT accession,
           max(value) FILTER (WHERE measure = 'interest') AS interest,
           max(value) FILTER (WHERE measure = 'principal') AS principal,
           max(value) FILTER (WHERE measure = 'total_distribution') AS total_distribution
    FROM totals WHERE rn = 1 GROUP BY accession
),
checked AS (
    SELECT c.accession, 'class' AS scope, c.class, NULL AS pool, NULL AS bucket, NULL AS section,
           'total_distribution' AS measure, c.total_distribution AS observed, c.interest + c.principal AS expected,
           3 * x.half AS tolerance,
           c.total_distribution IS NOT NULL AND c.interest IS NOT NULL AND c.principal IS NOT NULL AS applicable,
           CASE WHEN c.total_distribution IS NULL OR c.interest IS NULL OR c.principal IS NULL
                THEN 'not all of interest, principal and total distribution are printed for this class'
                ELSE fmt(c.interest) || ' + ' || fmt(c.principal) || ' = ' || fmt(c.interest + c.principal)
                     || ' against ' || fmt(c.total_distribution) END AS detail
    FROM stg_class_period AS c
    JOIN dq_report_context AS x USING (accession)
    UNION ALL
    SELECT t.accession, 'total', 'Total', NULL, NULL, NULL, 'total_distribution', t.total_distribution,
           t.interest + t.principal, 3 * x.half,
           t.total_distribution IS NOT NULL AND t.interest IS NOT NULL AND t.principal IS NOT NULL,
           CASE WHEN t.total_distribution IS NULL OR t.interest IS NULL OR t.principal IS NULL
                THEN 'the report does not print all three Totals (interest, principal, total distribution)'
                ELSE 'Totals: ' || fmt(t.interest) || ' + ' || fmt(t.principal) || ' = '
                     || fmt(t.interest + t.principal) || ' against ' || fmt(t.total_distribution) END
    FROM total_row AS t
    JOIN dq_report_context AS x USING (accession)
)
SELECT * FROM check_rows('checked', 'class_total_distribution', 'error', 'no class rows in this report');
