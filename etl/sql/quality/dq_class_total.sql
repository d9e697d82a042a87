-- dq_class_total (identity 3, severity error): a printed Total of a flow column (principal,
-- interest, total distribution, losses, shortfalls, remittance...) equals the sum of the class rows,
-- within rounding (seed interest: rows sum to 3,104,895 against a printed 3,104,897: residual 2).
-- Grain: one row per printed Total (accession, section, measure).
-- Tolerance: n x half a unit for a Total of n rows (each row is rounded on its own before the
-- trustee adds the exact figures): 14 rows of whole dollars -> 7.0.
-- Not applicable here, and left to dq_class_total_inclusion, which derives the rows a Total covers:
--   * balance Totals (original, beginning, ending), whose rows depend on the deal's convention;
--   * a Total printed under a table listing fewer rows than the report has classes with that
--     measure (stg_class_total.n_rows < classes carrying it): it covers a sub-table.
-- depends_on: dq_report_context, dq_class_value
CREATE OR REPLACE VIEW dq_class_total AS
WITH sums AS (
    SELECT accession, measure, count(*) AS n, sum(value) AS total
    FROM dq_class_value GROUP BY accession, measure
),
checked AS (
    SELECT t.accession, 'total' AS scope, 'Total' AS class, NULL AS pool, NULL AS bucket, t.section, t.measure,
           t.value AS observed, s.total AS expected, s.n * x.half AS tolerance,
           t.measure NOT IN ('original_balance', 'beginning_balance', 'ending_balance')
               AND s.n > 0 AND (t.n_rows IS NULL OR t.n_rows = s.n) AS applicable,
           CASE
               WHEN t.measure IN ('original_balance', 'beginning_balance', 'ending_balance')
                   THEN 'balance Total: the rows it covers are derived by class_total_inclusion'
               WHEN s.n IS NULL THEN 'no class row carries this measure'
               WHEN t.n_rows IS NOT NULL AND t.n_rows <> s.n
                   THEN 'the Total sits under a table of ' || t.n_rows || ' rows while ' || s.n
                        || ' classes carry the measure: a sub-table, see class_total_inclusion'
               ELSE 'sum of ' || s.n || ' class rows ' || fmt(s.total) || ' against printed Total '
                    || fmt(t.value)
           END AS detail
    FROM stg_class_total AS t
    JOIN dq_report_context AS x USING (accession)
    LEFT JOIN sums AS s ON t.accession = s.accession AND t.measure = s.measure
)
SELECT * FROM check_rows('checked', 'class_total', 'error', 'the report prints no Total row under its class tables');
