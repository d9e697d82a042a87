-- dim_date: the calendar, spanning every date the facts use.
-- Grain: one row per calendar day. Key: date_key (yyyymmdd integer).
-- depends_on:
CREATE OR REPLACE TABLE dim_date AS
WITH bounds AS (
    SELECT
        coalesce(least(min(distribution_date), (SELECT min(a.fiscal_year_end) FROM stg_annual_report AS a))
                 - INTERVAL 400 DAY, DATE '2000-01-01') AS lo,
        coalesce(greatest(max(distribution_date), (SELECT max(a.fiscal_year_end) FROM stg_annual_report AS a))
                 + INTERVAL 400 DAY, DATE '2030-12-31') AS hi
    FROM stg_report
)
SELECT
    CAST(strftime(d, '%Y%m%d') AS INTEGER) AS date_key,
    CAST(d AS DATE) AS date,
    year(d) AS year,
    quarter(d) AS quarter,
    month(d) AS month,
    day(d) AS day,
    dayname(d) AS day_name,
    isodow(d) >= 6 AS is_weekend,
    CAST(date_trunc('month', d) AS DATE) AS month_start
FROM bounds, generate_series(CAST(lo AS TIMESTAMP), CAST(hi AS TIMESTAMP), INTERVAL 1 DAY) AS g (d)
ORDER BY date_key;
