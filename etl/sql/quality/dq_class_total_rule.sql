-- dq_class_total_rule: for each printed Total under a class table, which class rows it covers.
-- Helper of dq_class_total_inclusion (the check) and dq_overcollateralization (which takes the
-- certificates to be the rows the report's own balance Total covers).
-- The seed's balance Total (498,553,901 beginning) is the sum of the ten principal-bearing
-- certificates: it leaves out the notional A-IO* and X* and the residual P and R. Rather than assume
-- a convention, each inclusion rule is tried (membership: rule_member):
--   excl_notional_residual  without notional and residual classes
--   coupon_certificates     also without classes carrying no coupon (a prepayment-premium class P
--                           of $100 that the parser did not flag residual)
--   all                     every class printing the measure
--   excl_notional           without notional classes
--   excl_residual           without residual classes
--   coupon_bearing          classes with a pass-through rate above 0 (the seed's Section 4.02
--                           interest Total 1,335,893 covers the eleven coupon classes, not X, P, R)
-- in the conventional order for the measure (balances: excl_notional_residual first; flows: all
-- first); the first rule within tolerance (n x half a unit for n rows summed) is the rule.
-- Grain: one row per printed Total with class rows (accession, section, measure). Key: same.
--   rule/n/total/tolerance  the matched rule, or the conventional one when none matched
--   matched                 whether any rule matched; tried: every rule's row count and residual
-- depends_on: dq_report_context, dq_class_value
CREATE OR REPLACE VIEW dq_class_total_rule AS
WITH rules (rule, pref_balance, pref_flow) AS (
    VALUES ('excl_notional_residual', 1, 4), ('coupon_certificates', 2, 5), ('all', 3, 1), ('excl_notional', 4, 3),
           ('excl_residual', 5, 2), ('coupon_bearing', 6, 6)
),
sums AS (
    SELECT v.accession, v.measure, r.rule, r.pref_balance, r.pref_flow, count(*) AS n, sum(v.value) AS total
    FROM dq_class_value AS v
    CROSS JOIN rules AS r
    WHERE rule_member(r.rule, v.notional, v.residual, v.pass_through_rate)
    GROUP BY ALL
),
cand AS (
    SELECT t.accession, t.section, t.measure, t.value, t.n_rows, s.rule, s.n, s.total, s.n * x.half AS tolerance,
           abs(t.value - s.total) <= s.n * x.half AS ok,
           CASE WHEN t.measure IN ('original_balance', 'beginning_balance', 'ending_balance')
                THEN s.pref_balance ELSE s.pref_flow END AS pref
    FROM stg_class_total AS t
    JOIN dq_report_context AS x USING (accession)
    JOIN sums AS s ON t.accession = s.accession AND t.measure = s.measure
    WHERE t.value IS NOT NULL
),
ranked AS (
    SELECT *,
           row_number() OVER (PARTITION BY accession, section, measure ORDER BY ok DESC, pref ASC) AS rn,
           bool_or(ok) OVER (PARTITION BY accession, section, measure) AS matched,
           string_agg(rule || ' (' || n || ' rows, residual ' || fmt(value - total) || ')', '; ')
               OVER (PARTITION BY accession, section, measure ORDER BY pref
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS tried
    FROM cand
)
SELECT accession, section, measure, value, n_rows, rule, n, total, tolerance, matched, tried
FROM ranked
WHERE rn = 1;
