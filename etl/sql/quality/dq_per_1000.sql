-- dq_per_1000 (identity 10, severity error): an amount per $1,000 of original face = amount / original
-- face x 1,000, for principal, interest, total distribution, realized loss and ending balance (factor).
-- The original face is the class's original balance when printed; otherwise it is derived from the
-- ending factor: ending balance / (ending balance per 1,000 / 1,000) (seed 1-A1: 235,944,397 /
-- 0.969368928 = 243,400,000; principal per 1,000 3,826,889 / 243,400 = 15.722634, as printed).
-- The factor row is then not applicable (the face was derived from it).
-- Grain: one row per (accession, class, per-1000 measure) printed.
-- Tolerance, from the printed decimals (read from the raw text in stg_report_field; without it, the
-- decimals the stored value shows, which can only be fewer and so looser):
--   half a unit of the printed per-1,000 figure (6 decimals -> 0.0000005)
--   + the amount's own rounding carried through: half a unit x 1,000 / face (0 for a zero amount)
--   + the derived face's uncertainty: |expected| x (half a unit of the factor / factor + half a unit
--     / ending balance). Seed 1-A1 interest: 0.0000005 + 0.5 x 1,000 / 243,400,000 = 0.0000025544.
-- depends_on: dq_report_context
CREATE OR REPLACE VIEW dq_per_1000 AS
WITH pairs (per_measure, amount_measure) AS (
    VALUES ('principal_per_1000', 'principal'), ('interest_per_1000', 'interest'),
           ('total_per_1000', 'total_distribution'), ('realized_loss_per_1000', 'realized_loss'),
           ('ending_balance_per_1000', 'ending_balance')
),
raw_decimals AS (
    SELECT accession, entity AS class, measure,
           length(regexp_extract(arg_min(raw, seq), '\.([0-9]+)', 1)) AS decimals
    FROM stg_report_field
    WHERE scope = 'class' AND measure LIKE '%\_per\_1000' ESCAPE '\' AND raw IS NOT NULL
    GROUP BY accession, entity, measure
),
c AS (
    SELECT c.*, x.half,
           CASE WHEN c.original_balance IS NOT NULL THEN CAST(c.original_balance AS DOUBLE)
                WHEN c.ending_balance_per_1000 > 0 AND c.ending_balance IS NOT NULL
                    THEN CAST(c.ending_balance AS DOUBLE) / (CAST(c.ending_balance_per_1000 AS DOUBLE) / 1000)
           END AS face,
           c.original_balance IS NULL AS face_derived
    FROM stg_class_period AS c
    JOIN dq_report_context AS x USING (accession)
),
v AS (
    SELECT c.accession, c.class, c.face, c.face_derived, CAST(c.half AS DOUBLE) AS half, p.per_measure,
           p.amount_measure,
           CAST(CASE p.per_measure WHEN 'principal_per_1000' THEN c.principal_per_1000
                                   WHEN 'interest_per_1000' THEN c.interest_per_1000
                                   WHEN 'total_per_1000' THEN c.total_per_1000
                                   WHEN 'realized_loss_per_1000' THEN c.realized_loss_per_1000
                                   ELSE c.ending_balance_per_1000 END AS DOUBLE) AS printed,
           CAST(CASE p.amount_measure WHEN 'principal' THEN c.principal WHEN 'interest' THEN c.interest
                                      WHEN 'total_distribution' THEN c.total_distribution
                                      WHEN 'realized_loss' THEN c.realized_loss
                                      ELSE c.ending_balance END AS DOUBLE) AS amount,
           CAST(c.ending_balance AS DOUBLE) AS ending_balance,
           CAST(c.ending_balance_per_1000 AS DOUBLE) AS factor,
           coalesce(d.decimals,
                    length(regexp_extract(rtrim(CAST(CASE p.per_measure
                        WHEN 'principal_per_1000' THEN c.principal_per_1000
                        WHEN 'interest_per_1000' THEN c.interest_per_1000
                        WHEN 'total_per_1000' THEN c.total_per_1000
                        WHEN 'realized_loss_per_1000' THEN c.realized_loss_per_1000
                        ELSE c.ending_balance_per_1000 END AS VARCHAR), '0'), '\.([0-9]+)', 1))) AS decimals,
           d.decimals IS NOT NULL AS decimals_from_raw,
           coalesce(fd.decimals, 6) AS factor_decimals
    FROM c
    CROSS JOIN pairs AS p
    LEFT JOIN raw_decimals AS d ON c.accession = d.accession AND c.class = d.class AND p.per_measure = d.measure
    LEFT JOIN raw_decimals AS fd ON c.accession = fd.accession AND c.class = fd.class
                             AND fd.measure = 'ending_balance_per_1000'
),
checked AS (
    SELECT accession, 'class' AS scope, class, NULL AS pool, NULL AS bucket, NULL AS section,
           per_measure AS measure, printed AS observed, amount / face * 1000 AS expected,
           0.5 / pow(10, decimals)
             + CASE WHEN amount <> 0 THEN half * 1000 / face ELSE 0 END
             + CASE WHEN face_derived
                    THEN abs(amount / face * 1000) * (0.5 / pow(10, factor_decimals) / factor + half / ending_balance)
                    ELSE 0 END AS tolerance,
           face > 0 AND amount IS NOT NULL AND NOT (face_derived AND per_measure = 'ending_balance_per_1000')
               AS applicable,
           CASE WHEN face IS NULL OR face <= 0
                    THEN 'no original face: neither original balance nor ending factor printed'
                WHEN amount IS NULL THEN 'the amount (' || amount_measure || ') is not printed'
                WHEN face_derived AND per_measure = 'ending_balance_per_1000'
                    THEN 'original face derived from this factor: ' || format('{:,.0f}', face)
                ELSE amount_measure || ' ' || format('{:,.2f}', amount) || ' / face ' || format('{:,.0f}', face)
                     || CASE WHEN face_derived THEN ' (from the ending factor)' ELSE '' END || ' x 1,000 = '
                     || format('{:.8f}', amount / face * 1000) || ' against printed ' || CAST(printed AS VARCHAR)
                     || ' (' || decimals || ' decimals'
                     || CASE WHEN decimals_from_raw THEN ')' ELSE ', from the value)' END
           END AS detail
    FROM v
    WHERE printed IS NOT NULL
)
SELECT accession, 'per_1000' AS check_name, 'error' AS severity, scope, class, pool, bucket, section, measure,
       observed, expected, observed - expected AS residual, tolerance, abs(observed - expected) AS abs_residual,
       coalesce(applicable AND observed IS NOT NULL AND expected IS NOT NULL, false) AS applicable, detail
FROM checked
UNION ALL
SELECT * FROM not_applicable_rows('checked', 'per_1000', 'error', 'no amounts per $1,000 printed in this report');
