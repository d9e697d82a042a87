-- dq_extraction_table: the class and pool tables of each report and how much of each the parser read
-- (issue 12). A helper of the extraction checks and of dq_extraction_coverage, not a check.
-- Grain: one row per (accession, table_no) of a class or pool table. Key: (accession, table_no).
-- A table is a class (pool) table when the parser's `tables` says so (stg_report_table.kind), else
-- when its fields are class- or class_total- (pool-) scoped; the same rule stages stg_unread_figure.
--   line              the table's first line: the parser's own when it reported it, else the first
--                     line a figure of it was printed on
--   table_key, place  'table 2, line 10' (the extraction checks' section) and 'class table at line 10
--                     (table 2)' (their details)
--   figures           numeric fields of the table, read or not, plus the unread figures the parser
--                     listed without making a field of them (stg_unread_figure.source = 'table')
--   figures_read      fields a measure claimed
--   unread_figures    figures under no header (a column the parser could not attach): an error.
--                     Two kinds of unheaded column carry nothing to read and are not counted: a
--                     numbering (whole numbers rising by one from row to row, the rows' item numbers),
--                     and a factor (every figure equals its class row's ending balance divided by its
--                     original balance, to the decimals printed): derived_columns names them
--   unread_columns    how many columns those are; unread_list names them with their first figures
--   unmapped_figures  figures under a header or row label no measure claims: a warning, per label
--   confirmed, confidence, identities: the parser's verdict on its reading (NULL: not reported)
CREATE OR REPLACE VIEW dq_extraction_table AS
WITH f AS (
    SELECT accession, table_no, min(line) AS first_line, arg_min(section, line) AS section,
           bool_or(scope IN ('class', 'class_total')) AS has_class, bool_or(scope = 'pool') AS has_pool,
           count(*) FILTER (WHERE value IS NOT NULL) AS field_figures,
           count(*) FILTER (WHERE value IS NOT NULL AND measure IS NOT NULL) AS figures_read
    FROM stg_report_field
    WHERE table_no IS NOT NULL
    GROUP BY accession, table_no
),
tables AS (
    SELECT coalesce(f.accession, t.accession) AS accession, coalesce(f.table_no, t.table_no) AS table_no,
           coalesce(t.line, f.first_line) AS line, f.section,
           CASE WHEN t.kind IN ('class', 'pool') THEN t.kind
                WHEN f.has_class THEN 'class'
                WHEN f.has_pool THEN 'pool' END AS kind,
           coalesce(f.field_figures, 0) AS field_figures, coalesce(f.figures_read, 0) AS figures_read,
           t.confirmed, t.confidence, t.identities, t.orientation
    FROM f
    FULL OUTER JOIN stg_report_table AS t ON f.accession = t.accession AND f.table_no = t.table_no
),
unread_cell AS (
    SELECT u.*, row_number() OVER (PARTITION BY u.accession, u.table_no, u.column_no ORDER BY u.line, u.seq) AS rn,
           length(regexp_extract(u.raw, '\.([0-9]+)', 1)) AS decimals,
           CASE WHEN c.original_balance > 0 THEN c.ending_balance / c.original_balance END AS factor
    FROM stg_unread_figure AS u
    LEFT JOIN stg_class_period AS c ON u.scope = 'class' AND u.accession = c.accession AND u.entity = c.class
    WHERE u.header IS NULL
),
-- whole numbers printed in a column, whatever row label the parser gave them (a Total row's own)
numbered AS (
    SELECT accession, table_no, column_no,
           count(*) >= 3 AND count(DISTINCT value) = count(*) AND max(value) - min(value) = count(*) - 1 AS consecutive
    FROM stg_unread_figure
    WHERE column_no IS NOT NULL AND regexp_matches(trim(raw), '^[0-9]+$')
    GROUP BY accession, table_no, column_no
),
unread_column AS (
    SELECT accession, table_no, column_no, count(*) AS n,
           string_agg(uc.raw, ', ' ORDER BY uc.line, uc.seq) FILTER (WHERE uc.rn <= 3)
               || CASE WHEN count(*) > 3 THEN ', ...' ELSE '' END AS sample,
           -- item numbers of the rows (5, 6, 7, ...): no figure of any row
           coalesce(bool_and(regexp_matches(trim(uc.raw), '^[0-9]+$')) AND bool_and(nb.consecutive), false)
               AS numbering,
           -- each class row's factor, ending / original balance as printed: derived from figures read
           column_no IS NOT NULL
               AND bool_and(uc.value IS NOT NULL AND uc.decimals >= 3 AND uc.factor IS NOT NULL
                            AND abs(uc.value - uc.factor) <= 0.5 * pow(10, -uc.decimals) + 1e-9) AS derived_factor
    FROM unread_cell AS uc
    LEFT JOIN numbered AS nb USING (accession, table_no, column_no)
    GROUP BY accession, table_no, column_no
),
unread AS (
    SELECT accession, table_no,
           sum(n) FILTER (WHERE NOT (numbering OR derived_factor)) AS unread_figures,
           count(*) FILTER (WHERE NOT (numbering OR derived_factor)) AS unread_columns,
           string_agg(coalesce('column ' || column_no, 'a column') || ' (' || n || ' figure'
                      || CASE WHEN n = 1 THEN '' ELSE 's' END || ': ' || sample || ')', '; '
                      ORDER BY column_no NULLS LAST) FILTER (WHERE NOT (numbering OR derived_factor)) AS unread_list,
           string_agg('column ' || column_no || CASE WHEN numbering THEN ' (row numbers: ' ELSE ' (class factors: ' END
                      || sample || ')', '; ' ORDER BY column_no) FILTER (WHERE numbering OR derived_factor)
               AS derived_columns
    FROM unread_column
    GROUP BY accession, table_no
),
extra AS (
    SELECT accession, table_no,
           count(*) FILTER (WHERE source = 'table') AS listed_figures,
           count(*) FILTER (WHERE header IS NOT NULL) AS unmapped_figures
    FROM stg_unread_figure
    GROUP BY accession, table_no
)
SELECT t.accession, t.table_no, t.line, t.section, t.kind, t.orientation,
       'table ' || t.table_no || coalesce(', line ' || t.line, '') AS table_key,
       t.kind || ' table' || coalesce(' at line ' || t.line, '') || ' (table ' || t.table_no || ')' AS place,
       t.field_figures + coalesce(e.listed_figures, 0) AS figures, t.figures_read,
       coalesce(u.unread_figures, 0) AS unread_figures, coalesce(u.unread_columns, 0) AS unread_columns,
       u.unread_list, u.derived_columns, coalesce(e.unmapped_figures, 0) AS unmapped_figures,
       t.confirmed, t.confidence, t.identities
FROM tables AS t
LEFT JOIN unread AS u USING (accession, table_no)
LEFT JOIN extra AS e USING (accession, table_no)
WHERE t.kind IS NOT NULL;
