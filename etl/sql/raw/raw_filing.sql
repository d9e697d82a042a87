-- raw_filing: the manifest of the raw landing zone.
-- Grain: one row per filing (accession) held in data/raw/{cik}/{accession}.txt. Key: accession.
CREATE TABLE IF NOT EXISTS raw_filing (
    accession    VARCHAR PRIMARY KEY,
    cik          BIGINT NOT NULL,
    form_type    VARCHAR,
    company_name VARCHAR,
    date_filed   DATE,
    source_url   VARCHAR,
    raw_path     VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,
    size_bytes   BIGINT NOT NULL
);
