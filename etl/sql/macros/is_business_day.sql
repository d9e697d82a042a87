-- is_business_day(d): is d a US bank business day (not a weekend, not a Federal Reserve holiday)?
-- Why: trustees pay on a nominal day (often the 25th) "or the next business day", so the accrual
-- period and the cadence checks must roll dates the way the deal documents do.
-- Fixed-date holidays falling on a Sunday are observed the Monday after (Saturday ones are not
-- moved: the Fed stays open on the Friday). Juneteenth counts from 2022.
CREATE OR REPLACE MACRO is_business_day(d) AS (
    isodow(d) < 6
    AND NOT (
        strftime(d, '%m-%d') IN ('01-01', '07-04', '11-11', '12-25')
        OR (strftime(d, '%m-%d') = '06-19' AND year(d) >= 2022)
        OR (isodow(d) = 1 AND strftime(d - 1, '%m-%d') IN ('01-01', '07-04', '11-11', '12-25'))
        OR (isodow(d) = 1 AND strftime(d - 1, '%m-%d') = '06-19' AND year(d) >= 2022)
        OR (isodow(d) = 1 AND month(d) = 1 AND day(d) BETWEEN 15 AND 21)    -- Martin Luther King Jr. Day
        OR (isodow(d) = 1 AND month(d) = 2 AND day(d) BETWEEN 15 AND 21)    -- Presidents Day
        OR (isodow(d) = 1 AND month(d) = 5 AND day(d) >= 25)                -- Memorial Day
        OR (isodow(d) = 1 AND month(d) = 9 AND day(d) <= 7)                 -- Labor Day
        OR (isodow(d) = 1 AND month(d) = 10 AND day(d) BETWEEN 8 AND 14)    -- Columbus Day
        OR (isodow(d) = 4 AND month(d) = 11 AND day(d) BETWEEN 22 AND 28)   -- Thanksgiving
    )
);
