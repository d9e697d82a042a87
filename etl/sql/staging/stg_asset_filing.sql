-- stg_asset_filing: one Form ABS-EE (or ABS-EE/A) whose EX-102 asset data was read and staged in
-- stg_asset_<asset_class>; the check views' list of asset filings (what stg_report is for reports).
-- Grain: one row per filing. Key: accession.
--   cik               the filer the filing was fetched under: the issuing entity, the deal
--   period_of_report  the envelope's CONFORMED PERIOD OF REPORT, the 10-D's of the same period
--   asset_count       records read; property_count CMBS properties; problem_count records with a
--                     value that could not be typed or an element repeated (etl.absee.reader)
CREATE TABLE IF NOT EXISTS stg_asset_filing (
    accession        VARCHAR PRIMARY KEY,
    cik              BIGINT,
    form_type        VARCHAR,
    filed_date       DATE,
    period_of_report DATE,
    deal_name        VARCHAR,
    asset_class      VARCHAR NOT NULL,
    document         VARCHAR,
    asset_count      BIGINT,
    property_count   BIGINT,
    problem_count    BIGINT,
    warnings         VARCHAR[]
);
