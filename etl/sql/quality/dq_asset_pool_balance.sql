-- dq_asset_pool_balance (issue 17, severity error): the asset data adds up to the pool: the sum of an ABS-EE's
-- asset ending balances = the Total pool ending balance the deal's 10-D of the same reporting period prints
-- (dq_asset_context.report_accession; a 10-D/A when one is staged).
-- Grain: one row per ABS-EE filing (scope pool, pool Total, measure ending_balance).
-- Tolerance: half a unit of the 10-D's precision (0.50 for a report in whole dollars, 0.005 in cents): the
-- assets are filed to the cent and add up exactly; the 10-D rounds its total once. Not applicable without a
-- staged 10-D of the period, or one that prints no pool ending balance.
-- depends_on: dq_asset_context
CREATE OR REPLACE VIEW dq_asset_pool_balance AS
WITH checked AS (
    SELECT accession, 'pool' AS scope, NULL AS class, 'Total' AS pool, NULL AS bucket, NULL AS section,
           'ending_balance' AS measure, asset_ending_balance AS observed, pool_ending_balance AS expected,
           half AS tolerance, report_accession IS NOT NULL AND asset_count > 0 AS applicable,
           CASE WHEN report_accession IS NULL
                     THEN 'no distribution report of the deal for the period ending '
                          || coalesce(strftime(period_end, '%Y-%m-%d'), '?') || ' is staged'
                WHEN pool_ending_balance IS NULL
                     THEN 'the 10-D ' || report_accession || ' prints no pool ending balance'
                ELSE asset_count || ' assets end at ' || fmt(asset_ending_balance)
                     || ' against the pool ending balance ' || fmt(pool_ending_balance) || ' of ' || report_accession
                     || ' (distribution ' || strftime(distribution_date, '%Y-%m-%d') || ')' END AS detail
    FROM dq_asset_context
)
SELECT * FROM check_rows(
    'checked', 'asset_pool_balance', 'error', 'no asset records in this filing', reports := 'stg_asset_filing'
);
