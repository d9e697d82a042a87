-- dq_period_cadence (identity 13, severity warn): distribution dates follow the deal's monthly
-- calendar: this report's date is the previous report's nominal day one month later, rolled to a
-- business day (12/26/2003, the 25th rolled past Christmas -> 1/26/2004, the 25th a Sunday).
-- Severity warn: a gap means a report is missing from the staged history (completeness, which
-- warns) or the trustee paid off-calendar; the amounts are not wrong for it. The continuity checks
-- are not applicable across a gap, so they cannot fail because of it.
-- Grain: one row per report with a previous report of the same deal. Observed = days since the
-- previous distribution date, expected = days to the calendar date; tolerance 0.
-- depends_on: dq_report_context
CREATE OR REPLACE VIEW dq_period_cadence AS
WITH checked AS (
    SELECT accession, 'report' AS scope, NULL AS class, NULL AS pool, NULL AS bucket, NULL AS section,
           'distribution_date' AS measure, history_days AS observed,
           date_diff('day', prev_distribution_date, expected_date) AS expected, 0 AS tolerance,
           true AS applicable,
           'distribution date ' || strftime(distribution_date, '%Y-%m-%d') || ', previous '
           || strftime(prev_distribution_date, '%Y-%m-%d') || ', calendar expects '
           || strftime(expected_date, '%Y-%m-%d') || ' (' || month_gap || ' month gap)' AS detail
    FROM dq_report_context
    WHERE prev_accession IS NOT NULL
)
SELECT * FROM check_rows('checked', 'period_cadence', 'warn', 'no previous report of this deal in the staged history');
