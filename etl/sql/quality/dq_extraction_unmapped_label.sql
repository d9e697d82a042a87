-- dq_extraction_unmapped_label (issue 12, severity warn): a class or pool table prints figures under a
-- header or row label the parser read but no measure claims ("Days in Accrual Period", "Number of
-- Borrowers"): read as printed, not attached. A warning, not an error, because the label says what
-- the figures are and an analyst (or an entry in etl/parse/measures.yaml) can decide whether they
-- matter; figures under no header at all are dq_extraction_completeness's error.
-- Grain: one row per (accession, table, label) with such figures, measure = the label as read; one
-- pass row (measure NULL) per class or pool table without any; one not-applicable row for a filing
-- with no class or pool table. Observed = figures under the label, expected 0, tolerance 0.
-- depends_on: dq_extraction_table
CREATE OR REPLACE VIEW dq_extraction_unmapped_label AS
WITH labelled AS (
    SELECT u.accession, u.table_no, u.header, count(*) AS n,
           string_agg(u.raw, ', ' ORDER BY u.line, u.seq) AS figures
    FROM stg_unread_figure AS u
    WHERE u.header IS NOT NULL
    GROUP BY u.accession, u.table_no, u.header
),
checked AS (
    SELECT t.accession, 'table' AS scope, t.table_key AS section,
           l.header AS measure, l.n AS observed, true AS applicable,
           t.place || ': ' || l.n || ' figure'
               || CASE WHEN l.n = 1 THEN '' ELSE 's' END || ' under ''' || l.header || ''' no measure claims ('
               || CASE WHEN length(l.figures) > 80 THEN left(l.figures, 77) || '...' ELSE l.figures END || ')'
               AS detail
    FROM dq_extraction_table AS t
    JOIN labelled AS l USING (accession, table_no)
    UNION ALL
    SELECT t.accession, 'table', t.table_key, NULL, 0, true, t.place || ': every labelled figure is read'
    FROM dq_extraction_table AS t
    WHERE NOT EXISTS (SELECT 1 FROM labelled AS l WHERE l.accession = t.accession AND l.table_no = t.table_no)
    UNION ALL
    SELECT r.accession, 'report', NULL, NULL, NULL, false, 'no class or pool table in this report'
    FROM stg_report AS r
    WHERE NOT EXISTS (SELECT 1 FROM dq_extraction_table AS t WHERE t.accession = r.accession)
)
SELECT accession, 'extraction_unmapped_label' AS check_name, 'warn' AS severity, scope, NULL AS class, NULL AS pool,
       NULL AS bucket, section, measure, CAST(observed AS DOUBLE) AS observed,
       CASE WHEN applicable THEN 0.0 END AS expected, CAST(observed AS DOUBLE) AS residual,
       CASE WHEN applicable THEN 0.0 END AS tolerance, CAST(abs(observed) AS DOUBLE) AS abs_residual,
       applicable, detail
FROM checked;
