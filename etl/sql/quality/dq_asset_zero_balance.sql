-- dq_asset_zero_balance (issue 17, severity error): zero-balance codes agree with zero balances: an asset that
-- carries a zero-balance code (CMBS: a liquidation or prepayment code) ends the period at 0, and an asset that
-- ends at 0 carries one. Records without an ending balance are not judged, nor debt securities: Schedule AL
-- gives them no zero-balance item (etl/absee/fields.yaml), so a repaid security just ends at 0.
-- Grain: one row per ABS-EE filing: observed = the records that disagree, expected 0; the detail names the
-- first five.
-- Tolerance: 0.
-- depends_on: dq_asset_record
CREATE OR REPLACE VIEW dq_asset_zero_balance AS
WITH judged AS (
    SELECT accession, asset_number, zb_code, end_balance,
           (zb_code IS NOT NULL AND end_balance <> 0) OR (zb_code IS NULL AND end_balance = 0) AS disagrees
    FROM dq_asset_record
    WHERE end_balance IS NOT NULL AND asset_class <> 'debtsec'
),
counts AS (
    SELECT accession, count(*) AS n_records, count(*) FILTER (WHERE disagrees) AS n_disagree,
           count(*) FILTER (WHERE zb_code IS NOT NULL) AS n_coded,
           array_to_string(list('asset ' || coalesce(asset_number, '?')
                                || CASE WHEN zb_code IS NULL THEN ' ends at 0 without a zero-balance code'
                                        ELSE ' has zero-balance code ' || zb_code || ' but ends at '
                                             || fmt(end_balance) END
                                ORDER BY asset_number) FILTER (WHERE disagrees)[1:5], '; ') AS examples
    FROM judged GROUP BY accession
),
checked AS (
    SELECT accession, 'asset' AS scope, NULL AS class, NULL AS pool, NULL AS bucket, NULL AS section,
           'zero_balance_code' AS measure, n_disagree AS observed, 0 AS expected, 0 AS tolerance, true AS applicable,
           CASE WHEN n_disagree = 0 THEN n_coded || ' of ' || n_records || ' assets with a zero-balance code, each at 0'
                ELSE n_disagree || ' of ' || n_records || ' assets: ' || examples END AS detail
    FROM counts
)
SELECT * FROM check_rows(
    'checked', 'asset_zero_balance', 'error', 'no asset records with an ending balance in this filing',
    reports := 'stg_asset_filing'
);
