-- dq_class_rollforward (identity 1, severity error): beginning - principal - realized loss = ending,
-- for every principal-bearing and residual class (seed 1-A1: 239,771,286 - 3,826,889 - 0 = 235,944,397).
-- A notional class (A-IO*, X*) has no principal to roll: its balance is a reference amount that
-- steps down by schedule or with the pool, so what must hold is that it is paid no principal
-- (observed = principal, expected = 0, tolerance 0).
-- Grain: one row per (accession, class); one not-applicable row for a report without class rows.
-- Tolerance: half a unit of the report's precision per independently rounded term: beginning,
-- principal and ending are each printed rounded, so they can disagree by 3 x 0.5 = 1.5 dollars
-- (0.015 for a report in cents); a non-zero realized loss is a fourth rounded term (+0.5). A zero loss
-- is exact (no loan liquidated), so it adds nothing. Realized loss not printed counts as zero.
-- depends_on: dq_report_context
CREATE OR REPLACE VIEW dq_class_rollforward AS
WITH checked AS (
    SELECT c.accession, 'class' AS scope, c.class, NULL AS pool, NULL AS bucket, NULL AS section,
           CASE WHEN c.notional THEN 'principal' ELSE 'ending_balance' END AS measure,
           CASE WHEN c.notional THEN c.principal ELSE c.ending_balance END AS observed,
           CASE WHEN c.notional THEN 0
                ELSE c.beginning_balance - c.principal - coalesce(c.realized_loss, 0) END AS expected,
           CASE WHEN c.notional THEN 0
                ELSE x.half * (3 + CASE WHEN coalesce(c.realized_loss, 0) <> 0 THEN 1 ELSE 0 END) END AS tolerance,
           CASE WHEN c.notional THEN c.principal IS NOT NULL
                ELSE c.beginning_balance IS NOT NULL AND c.principal IS NOT NULL AND c.ending_balance IS NOT NULL
           END AS applicable,
           CASE
               WHEN c.notional AND c.principal IS NULL THEN 'notional class without a principal figure'
               WHEN c.notional THEN 'notional class: its balance is a reference amount, so it is paid no principal'
               WHEN c.beginning_balance IS NULL OR c.principal IS NULL OR c.ending_balance IS NULL
                   THEN 'not all of beginning, principal and ending balance are printed for this class'
               ELSE fmt(c.beginning_balance) || ' - ' || fmt(c.principal) || ' - '
                    || fmt(coalesce(c.realized_loss, 0)) || ' = ' || fmt(c.beginning_balance - c.principal
                    - coalesce(c.realized_loss, 0)) || ' against ending ' || fmt(c.ending_balance)
           END AS detail
    FROM stg_class_period AS c
    JOIN dq_report_context AS x USING (accession)
)
SELECT * FROM check_rows('checked', 'class_rollforward', 'error', 'no class rows in this report');
