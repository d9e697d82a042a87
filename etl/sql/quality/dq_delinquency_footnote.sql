-- dq_delinquency_footnote (identity 11, severity error): what "* Includes all Foreclosure, Bankruptcy,
-- and REO loans" means, verified. When a report flags delinquency buckets as including the
-- foreclosure (FC), bankruptcy (BK) and REO loans (stg_delinquency.includes_fc_bk_reo), those loans are
-- counted inside the flagged buckets, so:
--   FC + BK + REO  <=  sum of the flagged buckets
-- for the loan count and for each balance column (seed: 0 + 1 + 0 = 1 loan <= 131 + 29 = 160;
-- 29,972 <= 17,884,742 unpaid principal). A breach means the footnote was attached to the wrong rows
-- or the columns were misread. The check also records, in detail, the delinquent total counted once
-- (flagged + unflagged delinquency buckets, FC/BK/REO not added again) next to the naive sum of every
-- bucket, which double-counts (seed: 173 loans, not 174): facts must never add all buckets.
-- Grain: one row per (accession, pool, quantity in loan_count, unpaid_principal_balance,
-- stated_principal_balance). Observed = FC + BK + REO, expected = the flagged buckets' sum (a bound);
-- residual = the excess over the bound (0 when within).
-- Tolerance: counts exact (0); balances half a unit per rounded bucket summed.
-- Not applicable when no bucket is flagged or no FC/BK/REO bucket is printed.
-- depends_on: dq_report_context
CREATE OR REPLACE VIEW dq_delinquency_footnote AS
WITH d AS (
    SELECT d.*, regexp_matches(lower(d.bucket), 'foreclos|bankrupt|^reo|real estate owned') AS is_fbr,
           coalesce(d.includes_fc_bk_reo, false) AS flagged
    FROM stg_delinquency AS d
),
q AS (
    UNPIVOT (
        SELECT accession, pool, bucket, is_fbr, flagged, CAST(loan_count AS DECIMAL(20, 2)) AS loan_count,
               unpaid_principal_balance, stated_principal_balance
        FROM d
    )
    ON loan_count, unpaid_principal_balance, stated_principal_balance
    INTO NAME quantity VALUE value
),
agg AS (
    SELECT accession, pool, quantity,
           sum(value) FILTER (WHERE is_fbr) AS fbr, count(value) FILTER (WHERE is_fbr) AS n_fbr,
           sum(value) FILTER (WHERE flagged) AS flagged_sum, count(value) FILTER (WHERE flagged) AS n_flagged,
           sum(value) FILTER (WHERE NOT is_fbr) AS once, sum(value) AS naive,
           string_agg(bucket, ', ') FILTER (WHERE flagged) AS flagged_buckets
    FROM q GROUP BY accession, pool, quantity
),
checked AS (
    SELECT a.accession, 'bucket' AS scope, NULL AS class, a.pool, 'fc_bk_reo' AS bucket, NULL AS section,
           a.quantity AS measure, a.fbr AS observed, a.flagged_sum AS expected,
           greatest(a.fbr - a.flagged_sum, 0) AS residual,
           CASE WHEN a.quantity = 'loan_count' THEN 0 ELSE x.half * (a.n_fbr + a.n_flagged) END AS tolerance,
           a.n_flagged > 0 AND a.n_fbr > 0 AS applicable,
           CASE WHEN coalesce(a.n_flagged, 0) = 0 THEN 'no bucket carries the includes-FC/BK/REO footnote'
                WHEN coalesce(a.n_fbr, 0) = 0 THEN 'no foreclosure, bankruptcy or REO bucket printed'
                ELSE 'FC+BK+REO ' || fmt(a.fbr) || ' within flagged buckets (' || a.flagged_buckets || ') '
                     || fmt(a.flagged_sum) || '; delinquent counted once ' || fmt(a.once)
                     || ', naive sum of all buckets ' || fmt(a.naive) || ' double-counts' END AS detail
    FROM agg AS a
    JOIN dq_report_context AS x USING (accession)
)
SELECT accession, 'delinquency_footnote' AS check_name, 'error' AS severity, scope, class, pool, bucket, section,
       measure, CAST(observed AS DOUBLE) AS observed, CAST(expected AS DOUBLE) AS expected,
       CAST(residual AS DOUBLE) AS residual, CAST(tolerance AS DOUBLE) AS tolerance,
       CAST(abs(residual) AS DOUBLE) AS abs_residual,
       coalesce(applicable AND observed IS NOT NULL AND expected IS NOT NULL, false) AS applicable, detail
FROM checked
UNION ALL
SELECT * FROM not_applicable_rows('checked', 'delinquency_footnote', 'error', 'no delinquency table in this report');
