-- mart_amendment_changes: what an amendment (10-D/A, 8-K/A) changed against the version it superseded.
-- Grain: one row per (superseded accession, class, measure) whose value differs.
-- Key: (superseded_accession, class, measure).
-- depends_on:
CREATE OR REPLACE TABLE mart_amendment_changes AS
WITH pairs AS (
    SELECT accession AS superseded_accession, superseded_by AS current_accession, cik, distribution_date
    FROM int_report_version WHERE superseded_by IS NOT NULL
),
longc AS (
    SELECT * FROM (
        SELECT accession, class, beginning_balance, principal, interest, total_distribution,
               realized_loss, ending_balance, pass_through_rate
        FROM stg_class_period
    ) AS c UNPIVOT INCLUDE NULLS (value FOR measure IN (
        beginning_balance, principal, interest, total_distribution, realized_loss, ending_balance, pass_through_rate))
),
old AS (
    SELECT p.*, l.class, l.measure, l.value FROM pairs AS p JOIN longc AS l ON p.superseded_accession = l.accession
),
new AS (
    SELECT p.*, l.class, l.measure, l.value FROM pairs AS p JOIN longc AS l ON p.current_accession = l.accession
)
SELECT
    cik,
    distribution_date,
    superseded_accession,
    current_accession,
    class,
    measure,
    o.value AS old_value,
    n.value AS new_value,
    n.value - o.value AS change
FROM old AS o
FULL JOIN new AS n USING (superseded_accession, current_accession, cik, distribution_date, class, measure)
WHERE o.value IS DISTINCT FROM n.value
ORDER BY cik, distribution_date, class, measure;
