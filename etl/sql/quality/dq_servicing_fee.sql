-- dq_servicing_fee (identity 9, severity error): gross interest - servicing fee = interest remittance,
-- per pool and Total (seed Pool 1: 2,803,797 - 181,323 = 2,622,474; Pool 2: 453,442 - 30,739 =
-- 422,703 against a printed 422,704: rounding).
-- Grain: one row per (accession, pool), Total included.
-- Tolerance: 3 rounded figures x half a unit = 1.5 (0.015 in cents).
-- depends_on: dq_report_context
CREATE OR REPLACE VIEW dq_servicing_fee AS
WITH checked AS (
    SELECT p.accession, 'pool' AS scope, NULL AS class, p.pool, NULL AS bucket, NULL AS section,
           'interest_remittance' AS measure, p.interest_remittance AS observed,
           p.gross_interest - p.servicing_fee AS expected, 3 * x.half AS tolerance,
           p.gross_interest IS NOT NULL AND p.servicing_fee IS NOT NULL AND p.interest_remittance IS NOT NULL
               AS applicable,
           CASE WHEN p.gross_interest IS NULL OR p.servicing_fee IS NULL OR p.interest_remittance IS NULL
                THEN 'the pool does not print gross interest, servicing fee and interest remittance'
                ELSE fmt(p.gross_interest) || ' - ' || fmt(p.servicing_fee) || ' = '
                     || fmt(p.gross_interest - p.servicing_fee) || ' against remittance '
                     || fmt(p.interest_remittance) END AS detail
    FROM stg_pool_period AS p
    JOIN dq_report_context AS x USING (accession)
)
SELECT * FROM check_rows('checked', 'servicing_fee', 'error', 'no pool table in this report');
