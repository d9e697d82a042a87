-- fct_servicer_compliance: each servicing criterion assessed for a party in a 10-K.
-- Grain: one row per (deal, party, fiscal year, criterion). Key: (deal_key, party_key, fiscal_year, criterion).
-- depends_on:
CREATE OR REPLACE TABLE fct_servicer_compliance AS
WITH latest AS (  -- a 10-K/A for the same deal and fiscal year supersedes the 10-K
    SELECT a.*, h.form_type, h.filed_date,
           row_number() OVER (PARTITION BY a.cik, a.fiscal_year_end
                              ORDER BY h.filed_date DESC NULLS LAST, a.accession DESC) AS rn
    FROM stg_annual_report AS a LEFT JOIN filing_header AS h USING (accession)
)
SELECT
    skey(l.cik) AS deal_key,
    skey(trim(upper(regexp_replace(trim(s.party), '[^A-Za-z0-9&]+', ' ', 'g')))) AS party_key,
    year(l.fiscal_year_end) AS fiscal_year,
    s.criterion,
    skey(coalesce(s.framework, '') || '|' || s.criterion) AS criterion_key,
    l.cik,
    s.party,
    s.framework,
    s.status,
    s.status = 'exception' AS is_exception,
    s.detail,
    s.sample_size,
    s.sample_exceptions,
    l.accession,
    l.fiscal_year_end
FROM stg_servicing_assessment AS s
JOIN latest AS l USING (accession)
WHERE l.rn = 1
ORDER BY l.cik, s.party, fiscal_year, s.criterion;
