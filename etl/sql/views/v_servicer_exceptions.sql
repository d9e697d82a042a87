-- v_servicer_exceptions: servicers with material noncompliance, on which criteria, in which deals.
-- Grain: one row per (deal, party, fiscal year, criterion) with status 'exception'.
CREATE OR REPLACE VIEW v_servicer_exceptions AS
SELECT
    d.deal_name,
    f.cik,
    f.fiscal_year,
    f.party,
    f.framework,
    f.criterion,
    c.description AS criterion_description,
    f.detail,
    f.sample_exceptions,
    f.sample_size,
    f.accession
FROM fct_servicer_compliance AS f
LEFT JOIN dim_deal AS d ON f.deal_key = d.deal_key
LEFT JOIN dim_servicing_criterion AS c ON f.criterion_key = c.criterion_key
WHERE f.is_exception;
