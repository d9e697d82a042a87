-- dq_interest_waterfall (identity 9, severity error): net interest available + cap payments = interest
-- paid to every class except the prepayment-premium class (seed: 3,036,342 + 8,829 + 44 = 3,045,215
-- against 3,045,212 paid: the eleven coupon classes 1,335,891 + X 1,709,321; the report's own
-- Section 4.02 Total says 1,335,893, hence DOMAIN.md's 3,045,214).
-- The premium class is found generically: interest > 0 equal to the deal's prepayment premium.
-- Net interest available is the Total pool column's, or the sum of the pools without a Total.
-- Grain: one row per report (scope 'deal').
-- Tolerance: half a unit per non-zero rounded term on either side: net interest, each cap payment,
-- each class interest (seed: 1 + 2 + 12 = 15 terms -> 7.5).
-- depends_on: dq_report_context
CREATE OR REPLACE VIEW dq_interest_waterfall AS
WITH nia AS (
    SELECT accession,
           coalesce(max(net_interest_available) FILTER (WHERE is_total),
                    sum(net_interest_available) FILTER (WHERE NOT is_total)) AS nia
    FROM stg_pool_period GROUP BY accession
),
caps AS (
    SELECT accession, sum(value) AS caps, count(*) FILTER (WHERE value <> 0) AS nonzero
    FROM stg_deal_measure
    WHERE measure IN ('cap_payment_basis_risk', 'cap_payment_class_x')
    GROUP BY accession
),
premium AS (
    SELECT c.accession, string_agg(c.class, ', ' ORDER BY c.seq) AS premium_classes
    FROM stg_class_period AS c
    JOIN dq_report_context AS x USING (accession)
    WHERE c.interest > 0 AND c.interest = x.prepayment_premium
    GROUP BY c.accession
),
paid AS (
    SELECT c.accession, sum(c.interest) AS interest, count(*) FILTER (WHERE c.interest <> 0) AS nonzero,
           count(*) AS n
    FROM stg_class_period AS c
    JOIN dq_report_context AS x USING (accession)
    WHERE c.interest IS NOT NULL
      AND NOT (c.interest > 0 AND c.interest IS NOT DISTINCT FROM x.prepayment_premium)
    GROUP BY c.accession
),
checked AS (
    SELECT p.accession, 'deal' AS scope, NULL AS class, 'Total' AS pool, NULL AS bucket, NULL AS section,
           'interest' AS measure, p.interest AS observed, n.nia + coalesce(k.caps, 0) AS expected,
           x.half * (p.nonzero + (n.nia <> 0)::INT + coalesce(k.nonzero, 0)) AS tolerance,
           n.nia IS NOT NULL AS applicable,
           CASE WHEN n.nia IS NULL THEN 'no net interest available printed'
                ELSE 'net interest available ' || fmt(n.nia) || ' + cap payments ' || fmt(coalesce(k.caps, 0))
                     || ' = ' || fmt(n.nia + coalesce(k.caps, 0)) || ' against ' || fmt(p.interest)
                     || ' paid to ' || p.n || ' classes (premium class left out: '
                     || coalesce(m.premium_classes, 'none') || ')' END AS detail
    FROM paid AS p
    JOIN dq_report_context AS x USING (accession)
    LEFT JOIN premium AS m USING (accession)
    LEFT JOIN nia AS n USING (accession)
    LEFT JOIN caps AS k USING (accession)
)
SELECT * FROM check_rows('checked', 'interest_waterfall', 'error', 'no class interest in this report');
