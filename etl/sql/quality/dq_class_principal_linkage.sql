-- dq_class_principal_linkage (identity 6, severity error): the certificates are paid the principal the
-- pools remit. Rows:
--   scope 'deal': principal paid to all classes = the pools' principal remittance (the Total pool
--     column, or the sum of the pools when no Total is printed) (seed 5,203,053 = 5,203,053);
--   scope 'pool': classes named by group ('1-A1', '1-A2' -> group 1) are paid from the pool of that
--     number (seed: 1-A1 + 1-A2 = 3,826,889 = Pool 1; 2-A = 1,376,164 = Pool 2). Applicable only when
--     every class that received principal is named by a group with a pool of that number: once the
--     subordinate classes (M-*, B) are paid, the split between groups is no longer printed.
-- Grain: one 'deal' row per report with class principal and pool remittance, one row per pool.
-- Tolerance: half a unit per non-zero rounded term (the class principals and the remittance).
-- depends_on: dq_report_context
CREATE OR REPLACE VIEW dq_class_principal_linkage AS
WITH cls AS (
    SELECT accession, class, principal, nullif(regexp_extract(class, '^([0-9]+)-', 1), '') AS grp
    FROM stg_class_period
    WHERE principal IS NOT NULL
),
pool_grp AS (
    SELECT accession, pool, principal_remittance, nullif(regexp_extract(pool, '([0-9]+)\s*$', 1), '') AS grp
    FROM stg_pool_period
    WHERE NOT is_total
),
remit AS (
    SELECT accession,
           coalesce(max(principal_remittance) FILTER (WHERE is_total),
                    sum(principal_remittance) FILTER (WHERE NOT is_total)) AS remittance
    FROM stg_pool_period GROUP BY accession
),
deal AS (
    SELECT c.accession, sum(c.principal) AS principal, count(*) FILTER (WHERE c.principal <> 0) AS nonzero,
           bool_and(c.principal = 0 OR (c.grp IS NOT NULL
                    AND EXISTS (SELECT 1 FROM pool_grp AS g WHERE g.accession = c.accession AND g.grp = c.grp)))
               AS grouped
    FROM cls AS c GROUP BY c.accession
),
by_group AS (
    SELECT g.accession, g.pool, g.principal_remittance, sum(c.principal) AS principal,
           count(c.class) AS n_classes, count(*) FILTER (WHERE c.principal <> 0) AS nonzero
    FROM pool_grp AS g
    LEFT JOIN cls AS c ON g.accession = c.accession AND g.grp = c.grp
    GROUP BY ALL
),
checked AS (
    SELECT d.accession, 'deal' AS scope, NULL AS class, 'Total' AS pool, NULL AS bucket, NULL AS section,
           'principal' AS measure, d.principal AS observed, r.remittance AS expected,
           x.half * (d.nonzero + CASE WHEN r.remittance <> 0 THEN 1 ELSE 0 END) AS tolerance,
           r.remittance IS NOT NULL AS applicable,
           CASE WHEN r.remittance IS NULL THEN 'no pool principal remittance printed'
                ELSE 'principal paid to classes ' || fmt(d.principal) || ' against pools'' remittance '
                     || fmt(r.remittance) END AS detail
    FROM deal AS d
    JOIN dq_report_context AS x USING (accession)
    LEFT JOIN remit AS r USING (accession)
    UNION ALL
    SELECT b.accession, 'pool', NULL, b.pool, NULL, NULL, 'principal', b.principal, b.principal_remittance,
           x.half * (b.nonzero + CASE WHEN b.principal_remittance <> 0 THEN 1 ELSE 0 END),
           coalesce(d.grouped, false) AND b.n_classes > 0 AND b.principal_remittance IS NOT NULL,
           CASE WHEN b.n_classes = 0 THEN 'no class is named after this pool''s group'
                WHEN NOT coalesce(d.grouped, false)
                    THEN 'classes not named by group received principal: the split by group is not printed'
                ELSE 'principal to group ' || b.pool || ' classes ' || fmt(b.principal) || ' against pool '
                     || b.pool || ' remittance ' || fmt(b.principal_remittance) END
    FROM by_group AS b
    JOIN dq_report_context AS x USING (accession)
    LEFT JOIN deal AS d USING (accession)
)
SELECT * FROM check_rows(
    'checked', 'class_principal_linkage', 'error', 'no class principal or no pool table in this report'
);
