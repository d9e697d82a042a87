-- dq_asset_continuity (issue 17, severity error): each asset's beginning balance = its ending balance in the
-- deal's asset filing of the month before (dq_asset_context.prev_accession), assets matched by asset number.
-- Grain: one row per ABS-EE filing: observed = the assets whose beginning differs, expected 0; the detail
-- names the first five. Assets new this period (no previous record) are not judged.
-- Tolerance: 0: both balances are filed to the cent. Not applicable without the previous month's asset filing
-- (a gap, or the deal's first) or without an asset in both.
-- depends_on: dq_asset_context, dq_asset_record
CREATE OR REPLACE VIEW dq_asset_continuity AS
WITH matched AS (
    SELECT x.accession, c.asset_number, c.begin_balance, p.end_balance AS prev_end,
           coalesce(c.begin_balance <> p.end_balance, c.begin_balance IS NULL <> p.end_balance IS NULL) AS differs
    FROM dq_asset_context AS x
    JOIN dq_asset_record AS c ON x.accession = c.accession
    JOIN dq_asset_record AS p ON x.prev_accession = p.accession AND c.asset_number = p.asset_number
    WHERE x.prev_month_gap = 1
),
counts AS (
    SELECT accession, count(*) AS n_matched, count(*) FILTER (WHERE differs) AS n_differ,
           array_to_string(list('asset ' || asset_number || ' begins at ' || fmt(begin_balance) || ', ended at '
                                || fmt(prev_end) ORDER BY asset_number) FILTER (WHERE differs)[1:5], '; ')
               AS examples
    FROM matched GROUP BY accession
),
checked AS (
    SELECT x.accession, 'asset' AS scope, NULL AS class, NULL AS pool, NULL AS bucket, NULL AS section,
           'beginning_balance' AS measure, coalesce(k.n_differ, 0) AS observed, 0 AS expected, 0 AS tolerance,
           coalesce(x.prev_month_gap = 1 AND k.n_matched > 0, false) AS applicable,
           CASE WHEN x.prev_accession IS NULL THEN 'no earlier asset filing of the deal is staged'
                WHEN x.prev_month_gap <> 1
                     THEN 'the previous asset filing of the deal is ' || x.prev_month_gap || ' months earlier'
                WHEN coalesce(k.n_matched, 0) = 0 THEN 'no asset number in both this and the previous filing'
                WHEN k.n_differ = 0
                     THEN k.n_matched || ' assets begin at their ' || strftime(x.prev_period_end, '%Y-%m-%d')
                          || ' ending balance (' || x.prev_accession || ')'
                ELSE k.n_differ || ' of ' || k.n_matched || ' assets do not begin at their '
                     || strftime(x.prev_period_end, '%Y-%m-%d') || ' ending balance (' || x.prev_accession || '): '
                     || k.examples END AS detail
    FROM dq_asset_context AS x
    LEFT JOIN counts AS k USING (accession)
)
SELECT * FROM check_rows(
    'checked', 'asset_continuity', 'error', 'no asset records in this filing', reports := 'stg_asset_filing'
);
