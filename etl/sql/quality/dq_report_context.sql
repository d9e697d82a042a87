-- dq_report_context: what the checks need to know about a report beyond its tables: its rounding
-- unit, its accrual calendar and the previous report of the same deal in the staged history.
-- Grain: one row per stg_report row. Key: accession. A helper of the dq_ views, not a check.
--   amount_decimals  the report's own precision (stg_report.amount_decimals; when the parser left it
--                    NULL: 2 if any class amount has cents, else 0). half = half a unit of it, the
--                    most a printed figure can differ from the exact one: 0.5 or 0.005.
--   nominal_day      the day of month the deal pays on before business-day rolling: 25 when the date
--                    is the 25th rolled forward (12/26/2003 = Christmas rolled), else the printed day.
--   calendar_*       the previous distribution date the calendar implies (previous month's nominal
--                    day, rolled), and the actual/360 day count from it (seed: 11/25 -> 12/26 = 31).
--   stated_*         the accrual period the report states, actual and 30/360 day counts.
--   prev_*           the latest earlier report of the same deal (same cik and deal name).
CREATE OR REPLACE VIEW dq_report_context AS
WITH cents AS (
    SELECT accession,
           bool_or(beginning_balance % 1 <> 0 OR principal % 1 <> 0 OR interest % 1 <> 0
                   OR ending_balance % 1 <> 0 OR total_distribution % 1 <> 0) AS has_cents
    FROM stg_class_period
    GROUP BY accession
),
base AS (
    SELECT r.accession, r.cik, r.kind, r.filed_date, r.distribution_date, r.accrual_start, r.accrual_end,
           upper(trim(coalesce(r.deal_name, ''))) AS deal_key,
           coalesce(r.amount_decimals, CASE WHEN c.has_cents THEN 2 ELSE 0 END) AS amount_decimals,
           r.amount_decimals IS NULL AS decimals_inferred,
           CASE
               WHEN r.distribution_date IS NULL THEN NULL
               WHEN day(r.distribution_date) BETWEEN 25 AND 28
                    AND roll_business_day(make_date(year(r.distribution_date), month(r.distribution_date), 25))
                        = r.distribution_date THEN 25
               ELSE day(r.distribution_date)
           END AS nominal_day
    FROM stg_report AS r
    LEFT JOIN cents AS c USING (accession)
),
cal AS (
    SELECT b.*,
           CAST(date_trunc('month', b.distribution_date) - INTERVAL 1 MONTH AS DATE) AS prev_month,
           CAST(0.5 / pow(10, b.amount_decimals) AS DECIMAL(18, 6)) AS half
    FROM base AS b
),
prev AS (
    SELECT c.accession, p.accession AS prev_accession, p.distribution_date AS prev_distribution_date,
           p.nominal_day AS prev_nominal_day, p.half AS prev_half, p.amount_decimals AS prev_amount_decimals,
           row_number() OVER (PARTITION BY c.accession
                              ORDER BY p.distribution_date DESC, p.filed_date DESC NULLS LAST, p.accession DESC) AS rn
    FROM cal AS c
    JOIN cal AS p
      ON c.cik = p.cik AND c.deal_key = p.deal_key
     AND c.distribution_date > p.distribution_date
     AND p.kind = 'distribution_report' AND c.kind = 'distribution_report'
),
premium AS (
    SELECT accession, value AS prepayment_premium
    FROM stg_deal_measure
    WHERE measure = 'prepayment_premium'
)
SELECT c.accession, c.cik, c.deal_key, c.kind, c.distribution_date, c.amount_decimals, c.decimals_inferred,
       c.half, c.nominal_day,
       roll_business_day(make_date(year(c.prev_month), month(c.prev_month),
                                      least(c.nominal_day, day(last_day(c.prev_month))))) AS calendar_prev_date,
       date_diff('day',
                 roll_business_day(make_date(year(c.prev_month), month(c.prev_month),
                                                least(c.nominal_day, day(last_day(c.prev_month))))),
                 c.distribution_date) AS calendar_days,
       date_diff('day', c.accrual_start, c.accrual_end) AS stated_days,
       360 * (year(c.accrual_end) - year(c.accrual_start)) + 30 * (month(c.accrual_end) - month(c.accrual_start))
           + least(day(c.accrual_end), 30) - least(day(c.accrual_start), 30) AS stated_days_30_360,
       p.prev_accession, p.prev_distribution_date, p.prev_half, p.prev_amount_decimals,
       date_diff('day', p.prev_distribution_date, c.distribution_date) AS history_days,
       (year(c.distribution_date) * 12 + month(c.distribution_date))
           - (year(p.prev_distribution_date) * 12 + month(p.prev_distribution_date)) AS month_gap,
       roll_business_day(make_date(
           year(p.prev_distribution_date + INTERVAL 1 MONTH), month(p.prev_distribution_date + INTERVAL 1 MONTH),
           least(p.prev_nominal_day, day(last_day(p.prev_distribution_date + INTERVAL 1 MONTH))))) AS expected_date,
       pr.prepayment_premium
FROM cal AS c
LEFT JOIN prev AS p ON c.accession = p.accession AND p.rn = 1
LEFT JOIN premium AS pr ON c.accession = pr.accession;
