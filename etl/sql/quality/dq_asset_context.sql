-- dq_asset_context: what the asset checks need to know about an ABS-EE beyond its records: the deal's 10-D
-- of the same reporting period (the pool balance the assets must add up to) and the deal's asset filing of
-- the period before.
-- Grain: one row per stg_asset_filing row. Key: accession. A helper of the dq_asset_ views, not a check.
--   period_end            the reporting period the records report (their latest period_end; the envelope's
--                         period of report when they state none)
--   report_accession      the distribution report of the same deal (cik) whose envelope period of report is
--                         the ABS-EE's, else the one distributed in the month after period_end; of several
--                         (a 10-D and its 10-D/A), the latest filed
--   pool_ending_balance   that report's Total pool ending balance (the sum of its pools when it prints no
--                         Total); half = half a unit of its precision (dq_report_context)
--   asset_ending_balance  the sum of the records' ending balances (beginning likewise); asset_count records
--   prev_accession        the deal's latest asset filing for an earlier reporting period (the latest filed
--                         version of it); prev_month_gap the months between the two periods
-- depends_on: dq_asset_record, dq_report_context
CREATE OR REPLACE VIEW dq_asset_context AS
WITH sums AS (
    SELECT accession, max(period_end) AS period_end, count(*) AS asset_count,
           sum(end_balance) AS asset_ending_balance, sum(begin_balance) AS asset_beginning_balance
    FROM dq_asset_record GROUP BY accession
),
filings AS (
    SELECT f.accession, f.cik, f.form_type, f.filed_date, f.period_of_report, f.asset_class,
           coalesce(s.period_end, f.period_of_report) AS period_end, coalesce(s.asset_count, 0) AS asset_count,
           s.asset_ending_balance, s.asset_beginning_balance
    FROM stg_asset_filing AS f
    LEFT JOIN sums AS s USING (accession)
),
pools AS (
    SELECT accession,
           coalesce(max(ending_balance) FILTER (WHERE is_total), sum(ending_balance) FILTER (WHERE NOT is_total))
               AS pool_ending_balance
    FROM stg_pool_period GROUP BY accession
),
reports AS (
    SELECT r.accession, r.cik, r.filed_date, r.distribution_date, h.period_of_report, x.half
    FROM stg_report AS r
    JOIN dq_report_context AS x USING (accession)
    LEFT JOIN filing_header AS h USING (accession)
    WHERE r.kind = 'distribution_report'
),
linked AS (
    SELECT f.accession, r.accession AS report_accession, r.distribution_date, r.half,
           row_number() OVER (PARTITION BY f.accession
                              ORDER BY coalesce(r.period_of_report = f.period_of_report, false) DESC,
                                       r.filed_date DESC NULLS LAST, r.accession DESC) AS rn
    FROM filings AS f
    JOIN reports AS r
      ON f.cik = r.cik
     AND (f.period_of_report = r.period_of_report
          OR (f.period_end < r.distribution_date AND f.period_end + INTERVAL 1 MONTH >= r.distribution_date))
),
prev AS (
    SELECT c.accession, p.accession AS prev_accession, p.period_end AS prev_period_end,
           row_number() OVER (PARTITION BY c.accession
                              ORDER BY p.period_end DESC, p.filed_date DESC NULLS LAST, p.accession DESC) AS rn
    FROM filings AS c
    JOIN filings AS p ON c.cik = p.cik AND c.period_end > p.period_end
)
SELECT f.accession, f.cik, f.form_type, f.filed_date, f.period_of_report, f.asset_class, f.period_end,
       f.asset_count, f.asset_beginning_balance, f.asset_ending_balance,
       l.report_accession, l.distribution_date, l.half, o.pool_ending_balance,
       p.prev_accession, p.prev_period_end,
       (year(f.period_end) * 12 + month(f.period_end)) - (year(p.prev_period_end) * 12 + month(p.prev_period_end))
           AS prev_month_gap
FROM filings AS f
LEFT JOIN linked AS l ON f.accession = l.accession AND l.rn = 1
LEFT JOIN pools AS o ON l.report_accession = o.accession
LEFT JOIN prev AS p ON f.accession = p.accession AND p.rn = 1;
