-- filing_header: the SGML envelope's header facts of each raw filing.
-- Grain: one row per filing. Key: accession.
CREATE TABLE IF NOT EXISTS filing_header (
    accession        VARCHAR PRIMARY KEY,
    cik              BIGINT NOT NULL,
    form_type        VARCHAR,
    period_of_report DATE,
    filed_date       DATE,
    company_name     VARCHAR,
    sic              INTEGER,
    file_number      VARCHAR,
    document_count   INTEGER,
    documents_json   VARCHAR   -- [{type, sequence, filename, description, binary}]
);
