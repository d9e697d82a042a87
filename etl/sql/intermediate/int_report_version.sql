-- int_report_version: which filing is the current version of each deal's monthly report.
-- Grain: one row per distribution-report filing (accession). Key: accession.
-- A 10-D/A or 8-K/A for the same deal (cik) and distribution date supersedes the earlier
-- filing; quarantined filings (dq status 'fail') never become current, so an amendment that
-- fails its checks leaves the original in place. Both versions stay in the warehouse.
-- depends_on:
CREATE OR REPLACE VIEW int_report_version AS
WITH reports AS (
    SELECT
        r.accession,
        coalesce(h.cik, r.cik) AS cik,
        coalesce(h.form_type, r.form_type) AS form_type,
        coalesce(h.filed_date, r.filed_date) AS filed_date,
        r.distribution_date,
        coalesce(s.status, 'unvalidated') AS dq_status,
        coalesce(s.released_count, 0) > 0 AS released
    FROM stg_report AS r
    LEFT JOIN filing_header AS h USING (accession)
    LEFT JOIN dq_filing_status AS s USING (accession)
    WHERE r.kind = 'distribution_report' AND r.distribution_date IS NOT NULL
),
eligible AS (
    -- dq_filing_status already counts an operator's active release (dq_override) as 'warn'
    SELECT *, dq_status IN ('pass', 'warn') AS loadable FROM reports
),
ranked AS (
    SELECT
        *,
        CASE WHEN loadable THEN row_number() OVER (
            PARTITION BY cik, distribution_date, loadable
            ORDER BY filed_date DESC NULLS LAST, form_type LIKE '%/A' DESC, accession DESC
        ) END AS version_rank
    FROM eligible
)
SELECT
    r.accession,
    r.cik,
    r.form_type,
    r.form_type LIKE '%/A' AS is_amendment,
    r.filed_date,
    r.distribution_date,
    r.dq_status,
    r.released,
    r.loadable,
    coalesce(r.version_rank = 1, false) AS is_current,
    CASE WHEN coalesce(r.version_rank, 0) <> 1 THEN cur.accession END AS superseded_by
FROM ranked AS r
LEFT JOIN ranked AS cur
    ON r.cik = cur.cik AND r.distribution_date = cur.distribution_date AND cur.version_rank = 1;
