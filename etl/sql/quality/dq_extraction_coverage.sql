-- dq_extraction_coverage (issue 12): how much of each filing's class and pool tables the parser read.
-- Not a check (dq_extraction_completeness and dq_extraction_unmapped_label judge the parts); the
-- figure analysts and the deal report (edgar-etl report) read to see how whole a month's reading is.
-- Grain: one row per stg_report row (filing). Key: accession.
--   figures_printed   figures printed in the report's class and pool tables (dq_extraction_table.figures)
--   figures_read      those a measure claimed
--   figures_unread    under no header (columns the parser could not attach; row numbers and class
--                     factors, dq_extraction_table's derived_columns, not counted)
--   figures_unmapped  under a header or label no measure claims
--   share_read        figures_read / figures_printed; NULL when the report has no class or pool table
-- depends_on: dq_extraction_table
CREATE OR REPLACE VIEW dq_extraction_coverage AS
SELECT r.accession, r.document, r.kind, r.distribution_date,
       count(t.table_no) FILTER (WHERE t.kind = 'class') AS class_tables,
       count(t.table_no) FILTER (WHERE t.kind = 'pool') AS pool_tables,
       CAST(coalesce(sum(t.figures), 0) AS BIGINT) AS figures_printed,
       CAST(coalesce(sum(t.figures_read), 0) AS BIGINT) AS figures_read,
       CAST(coalesce(sum(t.unread_figures), 0) AS BIGINT) AS figures_unread,
       CAST(coalesce(sum(t.unmapped_figures), 0) AS BIGINT) AS figures_unmapped,
       CASE WHEN coalesce(sum(t.figures), 0) > 0
            THEN CAST(sum(t.figures_read) AS DOUBLE) / sum(t.figures) END AS share_read
FROM stg_report AS r
LEFT JOIN dq_extraction_table AS t USING (accession)
GROUP BY r.accession, r.document, r.kind, r.distribution_date;
