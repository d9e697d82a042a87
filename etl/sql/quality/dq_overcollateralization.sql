-- dq_overcollateralization (identity 7, severity error): pool balance - principal-bearing
-- certificates = the overcollateralization class's balance, at the beginning and at the end of the
-- period (seed: 504,910,262 - 498,553,901 = 6,356,361 = X; 499,707,209 - 493,350,848 = 6,356,361).
-- The OC class is found generically: the one class that is notional (or named X, C, CE, OC or SB),
-- not residual, and carries no coupon (rate 0 or not printed). The principal-bearing certificates
-- are the rows the report's own balance Total covers (the rule dq_class_total_rule matched for that
-- balance; without a matching printed Total: the classes neither notional nor residual), never a
-- notional class nor the OC class, nor, in a report that prints coupons, a class carrying none: a
-- prepayment-premium class P holds a nominal $100 that no loan backs, yet reports whose Totals add
-- every class but the notional ones (CTSLink style: pool + P's $100 = Total) count it in.
-- Not applicable when no single OC class exists, the pool balance is not printed, or a certificate
-- lacks the balance.
-- Grain: one row per (accession, measure in beginning_balance, ending_balance).
-- Tolerance: half a unit per rounded balance: the pool, each certificate and the OC class
-- (seed: 1 + 10 + 1 = 12 balances -> 6.0).
-- depends_on: dq_report_context, dq_class_total_rule
CREATE OR REPLACE VIEW dq_overcollateralization AS
WITH c AS (
    SELECT *, (coalesce(notional, false) OR upper(class) IN ('X', 'C', 'CE', 'OC', 'SB'))
                  AND NOT coalesce(residual, false) AND coalesce(pass_through_rate, 0) = 0 AS is_oc
    FROM stg_class_period
),
coupons AS (
    SELECT accession, bool_or(coalesce(pass_through_rate, 0) > 0) AS prints_coupons
    FROM stg_class_period GROUP BY accession
),
oc AS (
    SELECT accession, count(*) AS n_oc, any_value(class) AS oc_class,
           any_value(beginning_balance) AS oc_beginning, any_value(ending_balance) AS oc_ending
    FROM c WHERE is_oc GROUP BY accession
),
balance_rule AS (
    SELECT m.measure, r.accession, r.rule,
           row_number() OVER (PARTITION BY r.accession, r.measure ORDER BY r.matched DESC, r.n_rows DESC NULLS LAST,
                                                                          r.section ASC) AS rn
    FROM dq_class_total_rule AS r
    JOIN (VALUES ('beginning_balance'), ('ending_balance')) AS m (measure) ON r.measure = m.measure
    WHERE r.matched
),
certs AS (
    SELECT c.accession, m.measure, coalesce(b.rule, 'excl_notional_residual') AS rule,
           sum(CASE m.measure WHEN 'beginning_balance' THEN c.beginning_balance ELSE c.ending_balance END) AS balance,
           count(CASE m.measure WHEN 'beginning_balance' THEN c.beginning_balance ELSE c.ending_balance END)
               AS n_printed,
           count(*) AS n
    FROM c
    CROSS JOIN (VALUES ('beginning_balance'), ('ending_balance')) AS m (measure)
    LEFT JOIN balance_rule AS b ON c.accession = b.accession AND m.measure = b.measure AND b.rn = 1
    JOIN coupons AS k ON c.accession = k.accession
    WHERE NOT c.is_oc AND NOT coalesce(c.notional, false)
      AND NOT (k.prints_coupons AND coalesce(c.pass_through_rate, 0) = 0)
      AND rule_member(coalesce(b.rule, 'excl_notional_residual'), c.notional, c.residual, c.pass_through_rate)
    GROUP BY ALL
),
pool AS (
    SELECT accession,
           coalesce(max(beginning_balance) FILTER (WHERE is_total), sum(beginning_balance) FILTER (WHERE NOT is_total))
               AS beginning,
           coalesce(max(ending_balance) FILTER (WHERE is_total), sum(ending_balance) FILTER (WHERE NOT is_total))
               AS ending
    FROM stg_pool_period GROUP BY accession
),
both_ends AS (
    SELECT k.accession, k.measure, k.rule,
           CASE k.measure WHEN 'beginning_balance' THEN o.oc_beginning ELSE o.oc_ending END AS oc_balance,
           CASE k.measure WHEN 'beginning_balance' THEN p.beginning ELSE p.ending END AS pool_balance,
           k.balance AS cert_balance, k.n_printed = k.n AS complete, k.n, o.n_oc, o.oc_class, x.half
    FROM certs AS k
    JOIN dq_report_context AS x USING (accession)
    LEFT JOIN oc AS o USING (accession)
    LEFT JOIN pool AS p USING (accession)
),
checked AS (
    SELECT accession, 'deal' AS scope, oc_class AS class, 'Total' AS pool, NULL AS bucket, NULL AS section, measure,
           oc_balance AS observed, pool_balance - cert_balance AS expected, half * (n + 2) AS tolerance,
           coalesce(n_oc, 0) = 1 AND complete AND pool_balance IS NOT NULL AS applicable,
           CASE WHEN coalesce(n_oc, 0) <> 1 THEN coalesce(n_oc, 0) || ' candidate overcollateralization classes'
                WHEN pool_balance IS NULL THEN 'no pool balance printed'
                WHEN NOT complete THEN 'not every certificate prints this balance'
                ELSE 'pool ' || fmt(pool_balance) || ' - ' || n || ' certificates ' || fmt(cert_balance)
                     || ' = ' || fmt(pool_balance - cert_balance) || ' against ' || oc_class || ' '
                     || fmt(oc_balance) || ' (certificates: rule ' || rule || ')' END AS detail
    FROM both_ends
)
SELECT * FROM check_rows('checked', 'overcollateralization', 'error', 'no principal-bearing class rows in this report');
