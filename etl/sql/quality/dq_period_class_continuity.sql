-- dq_period_class_continuity (identity 13, severity error): this month's beginning balance of a class =
-- last month's ending balance of the same class (same deal: same cik and deal name; the previous
-- report must be the immediately preceding month's, else a month is missing and the check is not
-- applicable: dq_period_cadence warns about the gap). A class that ended last month with a balance
-- and is missing from this report is checked as beginning 0 (a dropped class row).
-- Severity error: both figures are printed values of one number; a mismatch means one of the two
-- reports was misread (or restated), and the facts would show a balance move no payment explains.
-- Grain: one row per (accession, class) of this report or of the previous one; one not-applicable
-- row per report without a previous report of the deal in the staged history.
-- A misprint in last month's ending balance is last month's error, not this month's: when last
-- month's printed ending contradicts its own roll-forward (beginning - principal - loss, outside the
-- dq_class_rollforward tolerance, so that report fails there) and this month's beginning agrees with
-- the rolled-forward figure instead, this month is checked against that figure (detail says so).
-- Tolerance: 0 when both reports print the same precision (the same number rounded the same way);
-- otherwise half a unit of each. Against last month's rolled-forward figure: half a unit of last
-- month's per term rolled (beginning, principal, a non-zero loss) plus half a unit of this month's.
-- depends_on: dq_report_context
CREATE OR REPLACE VIEW dq_period_class_continuity AS
WITH pairs AS (
    SELECT x.accession, x.prev_accession, x.month_gap, x.prev_distribution_date, x.half, x.prev_half,
           CASE WHEN x.amount_decimals = x.prev_amount_decimals THEN 0 ELSE x.half + x.prev_half END AS tol
    FROM dq_report_context AS x
    WHERE x.prev_accession IS NOT NULL
),
classes AS (
    SELECT p.accession, c.class FROM pairs AS p JOIN stg_class_period AS c ON p.accession = c.accession
    UNION
    SELECT p.accession, c.class FROM pairs AS p JOIN stg_class_period AS c ON p.prev_accession = c.accession
),
joined AS (
    SELECT p.accession, k.class, p.month_gap, p.tol, p.prev_distribution_date,
           cur.class IS NULL AS missing_now, prv.class IS NULL AS new_class,
           CASE WHEN cur.class IS NULL THEN 0 ELSE cur.beginning_balance END AS beginning,
           prv.ending_balance AS printed_ending,
           CASE WHEN NOT coalesce(prv.notional, false)
                THEN prv.beginning_balance - prv.principal - coalesce(prv.realized_loss, 0) END AS rolled_ending,
           p.prev_half * (3 + (coalesce(prv.realized_loss, 0) <> 0)::INT) AS prev_roll_tol,
           p.prev_half * (2 + (coalesce(prv.realized_loss, 0) <> 0)::INT) + p.half AS rolled_tol
    FROM pairs AS p
    JOIN classes AS k USING (accession)
    LEFT JOIN stg_class_period AS cur ON p.accession = cur.accession AND k.class = cur.class
    LEFT JOIN stg_class_period AS prv ON p.prev_accession = prv.accession AND k.class = prv.class
),
chosen AS (
    SELECT *,
           coalesce(abs(printed_ending - rolled_ending) > prev_roll_tol
                    AND abs(beginning - rolled_ending) <= rolled_tol, false) AS use_rolled
    FROM joined
),
checked AS (
    SELECT accession, 'class' AS scope, class, NULL AS pool, NULL AS bucket, NULL AS section,
           'beginning_balance' AS measure, beginning AS observed,
           CASE WHEN use_rolled THEN rolled_ending ELSE printed_ending END AS expected,
           CASE WHEN use_rolled THEN rolled_tol ELSE tol END AS tolerance,
           month_gap = 1 AND NOT new_class AND NOT (missing_now AND coalesce(printed_ending, 0) = 0) AS applicable,
           CASE WHEN month_gap <> 1 THEN 'the previous report of the deal is ' || month_gap || ' months earlier'
                WHEN new_class THEN 'class not in the previous report'
                WHEN missing_now AND coalesce(printed_ending, 0) = 0 THEN 'class retired last month'
                WHEN missing_now THEN 'class missing from this report; it ended the '
                     || strftime(prev_distribution_date, '%Y-%m-%d') || ' period at ' || fmt(printed_ending)
                WHEN use_rolled THEN 'beginning ' || fmt(beginning) || ' against the '
                     || strftime(prev_distribution_date, '%Y-%m-%d') || ' report rolled forward ' || fmt(rolled_ending)
                     || ' (its printed ending ' || fmt(printed_ending) || ' fails its own roll-forward)'
                ELSE 'beginning ' || fmt(beginning) || ' against the ' || strftime(prev_distribution_date, '%Y-%m-%d')
                     || ' ending ' || fmt(printed_ending) END AS detail
    FROM chosen
)
SELECT * FROM check_rows(
    'checked', 'period_class_continuity', 'error', 'no previous report of this deal in the staged history'
);
