-- dq_interest_accrual (identity 8, severity error): interest = beginning balance x pass-through rate x
-- day-count fraction, with the day count inferred from the report rather than assumed.
-- Seed: 1-A1 239,771,286 x 1.30875% x 31/360 = 270,217.2 -> 270,217 (actual/360, 11/25 -> 12/26);
-- A-IO 122,072,000 x 6% x 30/360 = 610,360 (30/360).
-- Candidate conventions, tried per class; the matching one is reported in detail (ties go to the
-- first listed):
--   actual/360 over the stated accrual period (end exclusive, then end inclusive);
--   actual/360 since the previous report of the deal in the staged history (when it is last month's);
--   actual/360 since the previous distribution date the calendar implies (previous month's nominal
--     day rolled to a business day; see dq_report_context);
--   30/360: a month of 30 days, or the stated period counted 30/360 (a report stating one accrual
--     period, its floating classes' actual/360 one, still pays its fixed classes 30/360 on the month);
--   actual/360 over a day count the report itself implies: an integer number of days that makes at
--     least two classes accrue to the cent of their rounding (the first period of a deal runs from
--     the closing date, which the report does not print).
-- Observed is the interest paid plus the prepayment-interest and other interest shortfalls printed
-- for the class (what was accrued before the shortfalls).
-- Not applicable (detected generically, no class names): interest or rate not printed; beginning
-- balance 0 or not printed (a notional class printing no notional amount); rate 0 with interest > 0
-- (a class paid the excess interest, the seed's X); interest equal to the deal's prepayment premium
-- (a class paid prepayment premiums, the seed's P).
-- Expected is carried to a millionth of a unit (DECIMAL) and the residual taken in decimals: an accrual
-- landing on a half cent (10,195,000 x 3.78% x 31/360 = 33,184.725, printed 33,184.73) is half a unit
-- off, not half a unit plus the binary floating-point error of 33,184.725.
-- Grain: one row per (accession, class).
-- Tolerance: half a unit (0.5 or 0.005) for the rounded interest, plus half a unit per non-zero
-- shortfall added to it (each is printed rounded too), plus the rate's own rounding when the rate is
-- printed to five or more significant decimals: such a rate is a computed one (a net WAC, an index
-- plus margin) rounded for print, and the interest was accrued on the unrounded rate, so it may
-- differ by the interest on half a unit of the last printed decimal: balance x 0.5 x 10^-d % x days/360
-- (dev corpus 001, B-6: 3,690,645.34 x 3.02372% / 12 = 9,299.565 against a printed 9,299.56, which is
-- right at 3.0237183%). A rate that stops earlier (2.35%, 6.00000%) is a contractual coupon printed
-- exactly and gets no allowance. Seed 1-A1 (1.30875%): 0.5 + 239,771,286 x 0.000005% x 31/360 = 1.532.
-- depends_on: dq_report_context
CREATE OR REPLACE VIEW dq_interest_accrual AS
WITH c AS (
    SELECT c.accession, c.class, c.beginning_balance AS bal, c.pass_through_rate AS rate, c.interest,
           c.interest + coalesce(c.prepayment_interest_shortfall, 0) + coalesce(c.interest_shortfall, 0) AS accrued,
           x.half * (1 + CAST(coalesce(c.prepayment_interest_shortfall, 0) <> 0 AS INT)
                       + CAST(coalesce(c.interest_shortfall, 0) <> 0 AS INT)) AS tol_amount,
           length(regexp_extract(rtrim(CAST(c.pass_through_rate AS VARCHAR), '0'), '\.([0-9]+)$', 1)) AS rate_decimals,
           CASE
               WHEN c.interest IS NULL THEN 'no interest printed'
               WHEN c.interest > 0 AND c.interest = x.prepayment_premium
                   THEN 'interest equals the deal''s prepayment premium: a premium class, not an accrual'
               WHEN c.pass_through_rate = 0 AND c.interest > 0
                   THEN 'rate 0% with interest paid: takes the excess interest, not an accrual'
               WHEN c.pass_through_rate IS NULL THEN 'no pass-through rate printed'
               WHEN c.beginning_balance IS NULL OR c.beginning_balance = 0
                   THEN 'no (notional) beginning balance printed to accrue on'
           END AS not_applicable_reason
    FROM stg_class_period AS c
    JOIN dq_report_context AS x USING (accession)
),
r AS (
    SELECT *,
           CASE WHEN rate_decimals >= 5 THEN CAST(bal AS DOUBLE) * 0.5 / pow(10, rate_decimals) / 100 / 360
                ELSE 0 END AS rate_allowance_per_day
    FROM c
),
implied AS (
    SELECT accession, CAST(k AS INTEGER) AS days, count(*) AS support
    FROM (
        SELECT accession, bal, rate, accrued,
               tol_amount + rate_allowance_per_day * round(accrued * 36000 / (bal * rate)) AS tol,
               round(accrued * 36000 / (bal * rate)) AS k
        FROM r WHERE not_applicable_reason IS NULL AND rate > 0 AND accrued > 0
    ) AS a
    WHERE k BETWEEN 1 AND 92 AND abs(accrued - CAST(bal * rate / 100 * k / 360 AS DECIMAL(38, 6))) <= tol
    GROUP BY accession, k
    HAVING count(*) >= 2
),
cand AS (
    SELECT x.accession, 'actual/360 over the stated accrual period' AS convention, x.stated_days AS days,
           1 AS pref FROM dq_report_context AS x WHERE x.stated_days > 0
    UNION ALL
    SELECT x.accession, 'actual/360 over the stated accrual period, end day included', x.stated_days + 1, 2
    FROM dq_report_context AS x WHERE x.stated_days > 0
    UNION ALL
    SELECT x.accession, 'actual/360 since the previous report ' || strftime(x.prev_distribution_date, '%Y-%m-%d'),
           x.history_days, 3
    FROM dq_report_context AS x WHERE x.month_gap = 1
    UNION ALL
    SELECT x.accession, 'actual/360 since the previous distribution date ' || strftime(x.calendar_prev_date, '%Y-%m-%d')
           || ' (calendar)', x.calendar_days, 4
    FROM dq_report_context AS x WHERE x.calendar_days > 0
    UNION ALL
    SELECT x.accession, '30/360', 30, 5 FROM dq_report_context AS x
    UNION ALL
    SELECT x.accession, '30/360 over the stated accrual period', x.stated_days_30_360, 5
    FROM dq_report_context AS x WHERE x.stated_days_30_360 > 0 AND x.stated_days_30_360 <> 30
    UNION ALL
    SELECT i.accession, 'actual/360 over ' || i.days || ' days implied by ' || i.support || ' classes', i.days, 6
    FROM implied AS i
),
expect AS (
    SELECT r.*, k.convention, k.days, k.pref,
           CAST(r.bal * r.rate / 100 * k.days / 360 AS DECIMAL(38, 6)) AS expected,
           r.tol_amount + r.rate_allowance_per_day * k.days AS tol
    FROM r
    JOIN cand AS k USING (accession)
    WHERE r.not_applicable_reason IS NULL
),
scored AS (
    SELECT *,
           row_number() OVER (PARTITION BY accession, class
                              ORDER BY abs(accrued - expected) <= tol DESC, pref, abs(accrued - expected)) AS rn
    FROM expect
),
checked AS (
    SELECT accession, 'class' AS scope, class, NULL AS pool, NULL AS bucket, NULL AS section, 'interest' AS measure,
           CAST(accrued AS DOUBLE) AS observed, CAST(expected AS DOUBLE) AS expected,
           CAST(accrued - expected AS DOUBLE) AS residual, tol AS tolerance, true AS applicable,
           CASE WHEN abs(accrued - expected) <= tol THEN convention
                ELSE 'no day count matches; closest ' || convention END
           || ': ' || fmt(bal) || ' x ' || rtrim(rtrim(CAST(rate AS VARCHAR), '0'), '.') || '% x ' || days || '/360 = '
           || format('{:,.4f}', CAST(expected AS DOUBLE)) || ' against ' || fmt(accrued) AS detail
    FROM scored WHERE rn = 1
    UNION ALL
    SELECT accession, 'class', class, NULL, NULL, NULL, 'interest', CAST(accrued AS DOUBLE), NULL, NULL, tol_amount,
           false, not_applicable_reason
    FROM c WHERE not_applicable_reason IS NOT NULL
)
SELECT accession, 'interest_accrual' AS check_name, 'error' AS severity, scope, class, pool, bucket, section,
       measure, observed, expected, residual, CAST(tolerance AS DOUBLE) AS tolerance, abs(residual) AS abs_residual,
       coalesce(applicable AND observed IS NOT NULL AND expected IS NOT NULL, false) AS applicable, detail
FROM checked
UNION ALL
SELECT * FROM not_applicable_rows('checked', 'interest_accrual', 'error', 'no class rows in this report');
