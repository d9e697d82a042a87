-- dq_class_total_inclusion (identity 4, severity error): some inclusion rule explains each printed
-- Total (rules, order and tolerance: dq_class_total_rule). The seed's balance Totals match
-- excl_notional_residual (or coupon_certificates when P is not flagged residual); its flow Totals
-- match all; its Section 4.02 interest Total matches coupon_bearing. Detail reports the rule.
-- It fails only when no rule matches; expected/residual are then those of the conventional rule
-- and detail lists every rule's residual.
-- Grain: one row per printed Total (accession, section, measure).
-- Tolerance: n x half a unit, n = rows the rule sums (10 balance rows in the seed -> 5.0).
-- depends_on: dq_class_total_rule
CREATE OR REPLACE VIEW dq_class_total_inclusion AS
WITH checked AS (
    SELECT accession, 'total' AS scope, 'Total' AS class, NULL AS pool, NULL AS bucket, section, measure,
           value AS observed, total AS expected, tolerance, true AS applicable,
           CASE WHEN matched THEN 'matched rule ' || rule || ' (' || n || ' rows)'
                ELSE 'no inclusion rule matches; tried ' || tried END AS detail
    FROM dq_class_total_rule
    UNION ALL
    SELECT t.accession, 'total', 'Total', NULL, NULL, t.section, t.measure, t.value, NULL, NULL, false,
           CASE WHEN t.value IS NULL THEN 'the Total is not printed as a number'
                ELSE 'no class row carries this measure' END
    FROM stg_class_total AS t
    WHERE NOT EXISTS (SELECT 1 FROM dq_class_total_rule AS r WHERE r.accession = t.accession
                                                             AND r.section = t.section AND r.measure = t.measure)
)
SELECT * FROM check_rows(
    'checked', 'class_total_inclusion', 'error', 'the report prints no Total row under its class tables'
);
