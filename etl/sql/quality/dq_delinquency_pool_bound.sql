-- dq_delinquency_pool_bound (identity 11, severity error): the delinquent loans, counted once, cannot
-- exceed the pool they belong to: loans <= the pool's loan count, stated principal balance <= the
-- pool's ending (scheduled) balance. Counted once means: when buckets carry the includes-FC/BK/REO
-- footnote, the FC/BK/REO buckets are not added again (seed Total: 131 + 29 + 13 = 173 <= 4,271
-- loans; 18,416,746 <= 499,707,209); without the footnote every bucket is separate.
-- A breach means a column was shifted (a balance read as a count) or buckets were double-counted.
-- Grain: one row per (accession, pool, quantity in loan_count, stated_principal_balance); the
-- delinquency pool 'Total' is matched to the Total pool column, others by name.
-- Observed = delinquent counted once, expected = the pool figure (a bound); residual = excess over it.
-- Tolerance: counts exact (0); balances half a unit per rounded bucket summed plus the pool balance.
-- depends_on: dq_report_context
CREATE OR REPLACE VIEW dq_delinquency_pool_bound AS
WITH d AS (
    SELECT d.*, regexp_matches(lower(d.bucket), 'foreclos|bankrupt|^reo|real estate owned') AS is_fbr,
           bool_or(coalesce(d.includes_fc_bk_reo, false)) OVER (PARTITION BY d.accession, d.pool) AS footnoted
    FROM stg_delinquency AS d
),
once AS (
    SELECT accession, pool,
           sum(loan_count) FILTER (WHERE NOT (is_fbr AND footnoted)) AS loans,
           count(loan_count) FILTER (WHERE NOT (is_fbr AND footnoted)) AS n_loans,
           sum(stated_principal_balance) FILTER (WHERE NOT (is_fbr AND footnoted)) AS spb,
           count(stated_principal_balance) FILTER (WHERE NOT (is_fbr AND footnoted)) AS n_spb,
           sum(loan_count) AS naive_loans
    FROM d GROUP BY accession, pool
),
pool AS (
    SELECT accession, pool, is_total, loan_count, ending_balance FROM stg_pool_period
),
paired AS (
    SELECT o.*, p.loan_count AS pool_loans, p.ending_balance AS pool_balance, x.half
    FROM once AS o
    JOIN dq_report_context AS x USING (accession)
    LEFT JOIN pool AS p ON o.accession = p.accession
         AND (lower(p.pool) = lower(o.pool) OR (p.is_total AND lower(o.pool) IN ('total', 'all', 'aggregate')))
),
checked AS (
    SELECT accession, 'bucket' AS scope, NULL AS class, pool, 'delinquent' AS bucket, NULL AS section,
           'loan_count' AS measure, loans AS observed, pool_loans AS expected,
           greatest(loans - pool_loans, 0) AS residual, 0 AS tolerance,
           n_loans > 0 AND pool_loans IS NOT NULL AS applicable,
           CASE WHEN pool_loans IS NULL THEN 'no loan count printed for this pool'
                ELSE 'delinquent loans counted once ' || fmt(loans) || ' (naive sum ' || fmt(naive_loans)
                     || ') within ' || fmt(pool_loans) || ' loans' END AS detail
    FROM paired
    UNION ALL
    SELECT accession, 'bucket', NULL, pool, 'delinquent', NULL, 'stated_principal_balance', spb, pool_balance,
           greatest(spb - pool_balance, 0), half * (n_spb + 1),
           n_spb > 0 AND pool_balance IS NOT NULL,
           CASE WHEN pool_balance IS NULL THEN 'no ending balance printed for this pool'
                ELSE 'delinquent stated balance ' || fmt(spb) || ' within pool balance ' || fmt(pool_balance) END
    FROM paired
)
SELECT accession, 'delinquency_pool_bound' AS check_name, 'error' AS severity, scope, class, pool, bucket, section,
       measure, CAST(observed AS DOUBLE) AS observed, CAST(expected AS DOUBLE) AS expected,
       CAST(residual AS DOUBLE) AS residual, CAST(tolerance AS DOUBLE) AS tolerance,
       CAST(abs(residual) AS DOUBLE) AS abs_residual,
       coalesce(applicable AND observed IS NOT NULL AND expected IS NOT NULL, false) AS applicable, detail
FROM checked
UNION ALL
SELECT * FROM not_applicable_rows('checked', 'delinquency_pool_bound', 'error', 'no delinquency table in this report');
