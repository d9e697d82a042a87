-- dq_asset_unique (issue 17, severity error): no asset number twice in a reporting period of one ABS-EE (a
-- record without an asset number counts too: it cannot be told apart).
-- Grain: one row per ABS-EE filing: observed = asset numbers filed more than once in a period (plus records
-- without one), expected 0; the detail names the first five.
-- Tolerance: 0.
-- depends_on: dq_asset_record
CREATE OR REPLACE VIEW dq_asset_unique AS
WITH keys AS (
    SELECT accession, period_end, asset_number, count(*) AS n
    FROM dq_asset_record GROUP BY accession, period_end, asset_number
),
counts AS (
    SELECT accession, sum(n) AS n_records,
           count(*) FILTER (WHERE n > 1 OR asset_number IS NULL) AS n_repeated,
           array_to_string(list(coalesce('asset ' || asset_number, 'no asset number') || ' x' || n
                                ORDER BY asset_number NULLS FIRST) FILTER (WHERE n > 1 OR asset_number IS NULL)[1:5],
                           '; ') AS examples
    FROM keys GROUP BY accession
),
checked AS (
    SELECT accession, 'asset' AS scope, NULL AS class, NULL AS pool, NULL AS bucket, NULL AS section,
           'asset_number' AS measure, n_repeated AS observed, 0 AS expected, 0 AS tolerance, true AS applicable,
           CASE WHEN n_repeated = 0 THEN n_records || ' records, every asset number once per period'
                ELSE n_repeated || ' asset numbers filed more than once in a period: ' || examples END AS detail
    FROM counts
)
SELECT * FROM check_rows(
    'checked', 'asset_unique', 'error', 'no asset records in this filing', reports := 'stg_asset_filing'
);
