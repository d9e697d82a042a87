-- dq_interest_waterfall (identity 9, severity error): net interest available + cap payments = interest
-- paid to every class except the prepayment-premium class (seed: 3,036,342 + 8,829 + 44 = 3,045,215
-- against 3,045,212 paid: the eleven coupon classes 1,335,891 + X 1,709,321; the report's own
-- Section 4.02 Total says 1,335,893, hence DOMAIN.md's 3,045,214).
-- The premium class is found generically: interest > 0 equal to the deal's prepayment premium.
-- Net interest available is the Total pool column's, or the sum of the pools without a Total.
-- Grain: one row per report (scope 'deal').
-- Tolerance: half a unit per non-zero rounded term on either side: net interest, each cap payment,
-- each class interest (seed: 1 + 2 + 12 = 15 terms -> 7.5).
-- depends_on: dq_report_context, dq_fmt
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
    FROM stg_class_period c
    JOIN dq_report_context x USING (accession)
    WHERE c.interest > 0 AND c.interest = x.prepayment_premium
    GROUP BY c.accession
),
paid AS (
    SELECT c.accession, sum(c.interest) AS interest, count(*) FILTER (WHERE c.interest <> 0) AS nonzero,
           count(*) AS n
    FROM stg_class_period c
    JOIN dq_report_context x USING (accession)
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
                ELSE 'net interest available ' || dq_fmt(n.nia) || ' + cap payments ' || dq_fmt(coalesce(k.caps, 0))
                     || ' = ' || dq_fmt(n.nia + coalesce(k.caps, 0)) || ' against ' || dq_fmt(p.interest)
                     || ' paid to ' || p.n || ' classes (premium class left out: '
                     || coalesce(m.premium_classes, 'none') || ')' END AS detail
    FROM paid p
    JOIN dq_report_context x USING (accession)
    LEFT JOIN premium m USING (accession)
    LEFT JOIN nia n USING (accession)
    LEFT JOIN caps k USING (accession)
)
SELECT accession, 'interest_waterfall' AS check_name, 'error' AS severity, scope, class, pool, bucket, section,
       measure, CAST(observed AS DOUBLE) AS observed, CAST(expected AS DOUBLE) AS expected,
       CAST(observed - expected AS DOUBLE) AS residual, CAST(tolerance AS DOUBLE) AS tolerance,
       CAST(abs(observed - expected) AS DOUBLE) AS abs_residual,
       coalesce(applicable AND observed IS NOT NULL AND expected IS NOT NULL, false) AS applicable, detail
FROM checked
UNION ALL
SELECT r.accession, 'interest_waterfall', 'error', 'report', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, false, 'no class interest in this report'
FROM stg_report r
WHERE NOT EXISTS (SELECT 1 FROM checked k WHERE k.accession = r.accession);
