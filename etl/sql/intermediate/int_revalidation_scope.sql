-- int_revalidation_scope: which filings' checks depend on a filing, so that validating it
-- re-validates them too and every verdict stays current: a month arriving late changes the
-- continuity checks of the deal's following report, and any month changes the completeness
-- check of the deal's 10-Ks. An ABS-EE's checks read the deal's 10-D of the same reporting period and the
-- deal's previous ABS-EE (dq_asset_context): a 10-D (or 10-D/A) staged after its ABS-EE, or an ABS-EE
-- before the next one, re-validates that one. A staged filing always depends on itself.
-- Grain: one row per (accession, dependent_accession). Key: (accession, dependent_accession).
-- depends_on:
CREATE OR REPLACE VIEW int_revalidation_scope AS
WITH following AS (  -- the next reported month of the same deal
    SELECT DISTINCT b.accession, n.accession AS dependent_accession
    FROM stg_report AS b
    JOIN stg_report AS n ON b.cik = n.cik AND n.kind = 'distribution_report'
     AND n.distribution_date = (SELECT min(x.distribution_date) FROM stg_report AS x
                                WHERE x.cik = b.cik AND x.kind = 'distribution_report'
                                  AND x.distribution_date > b.distribution_date)
),
annual AS (  -- the deal's 10-Ks
    SELECT DISTINCT b.accession, a.accession AS dependent_accession
    FROM stg_report AS b
    JOIN stg_annual_report AS a ON b.cik = a.cik
)
SELECT accession, accession AS dependent_accession FROM stg_report
UNION
SELECT accession, dependent_accession FROM following
UNION
SELECT accession, dependent_accession FROM annual
UNION
SELECT accession, accession AS dependent_accession FROM stg_asset_filing
UNION
SELECT report_accession AS accession, accession AS dependent_accession
FROM dq_asset_context WHERE report_accession IS NOT NULL
UNION
SELECT prev_accession AS accession, accession AS dependent_accession
FROM dq_asset_context WHERE prev_accession IS NOT NULL;
