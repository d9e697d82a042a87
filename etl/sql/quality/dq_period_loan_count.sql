-- dq_period_loan_count (identity 13, severity warn): a pool's loan count does not rise from one month
-- to the next unless loans were substituted in (substitute loan balance > 0, then not applicable).
-- Severity warn, not error: prefunding deals legitimately add loans in their first months and the
-- staged tables carry no prefunding measure, so a rise is a question for an operator, not proof that
-- a figure was misread; the amounts the facts rely on are checked by the error checks.
-- Grain: one row per (accession, pool) present in both reports (immediately preceding month).
-- Observed = this month's count, expected = last month's (a bound); residual = the rise (0 if none).
-- Tolerance 0 (counts are exact).
-- depends_on: dq_report_context
CREATE OR REPLACE VIEW dq_period_loan_count AS
WITH pairs AS (
    SELECT x.accession, x.prev_accession, x.month_gap, x.prev_distribution_date
    FROM dq_report_context AS x
    WHERE x.prev_accession IS NOT NULL
),
checked AS (
    SELECT p.accession, 'pool' AS scope, NULL AS class, cur.pool, NULL AS bucket, NULL AS section,
           'loan_count' AS measure, cur.loan_count AS observed, prv.loan_count AS expected,
           greatest(cur.loan_count - prv.loan_count, 0) AS residual, 0 AS tolerance,
           p.month_gap = 1 AND prv.pool IS NOT NULL AND coalesce(cur.substitution_amount, 0) = 0 AS applicable,
           CASE WHEN p.month_gap <> 1 THEN 'the previous report of the deal is ' || p.month_gap || ' months earlier'
                WHEN prv.pool IS NULL THEN 'pool not in the previous report'
                WHEN coalesce(cur.substitution_amount, 0) <> 0 THEN 'loans were substituted this month'
                ELSE cur.loan_count || ' loans against ' || prv.loan_count || ' on '
                     || strftime(p.prev_distribution_date, '%Y-%m-%d') END AS detail
    FROM pairs AS p
    JOIN stg_pool_period AS cur ON p.accession = cur.accession
    LEFT JOIN stg_pool_period AS prv ON p.prev_accession = prv.accession AND cur.pool = prv.pool
)
SELECT accession, 'period_loan_count' AS check_name, 'warn' AS severity, scope, class, pool, bucket, section,
       measure, CAST(observed AS DOUBLE) AS observed, CAST(expected AS DOUBLE) AS expected,
       CAST(residual AS DOUBLE) AS residual, CAST(tolerance AS DOUBLE) AS tolerance,
       CAST(abs(residual) AS DOUBLE) AS abs_residual,
       coalesce(applicable AND observed IS NOT NULL AND expected IS NOT NULL, false) AS applicable, detail
FROM checked
UNION ALL
SELECT * FROM not_applicable_rows(
    'checked', 'period_loan_count', 'warn', 'no previous report of this deal in the staged history, or no pool table'
);
