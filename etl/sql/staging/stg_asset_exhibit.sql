-- stg_asset_exhibit: the EX-103 exhibits (asset-related documents) of a Form ABS-EE, kept raw: the
-- text as filed, not parsed.
-- Grain: one row per (accession, exhibit). Key: (accession, seq). truncated: text cut at 1,000,000
-- characters (the raw filing in the raw store keeps all of it).
CREATE TABLE IF NOT EXISTS stg_asset_exhibit (
    accession     VARCHAR NOT NULL,
    seq           INTEGER NOT NULL,
    document_type VARCHAR,
    filename      VARCHAR,
    description   VARCHAR,
    text          VARCHAR,
    truncated     BOOLEAN,
    PRIMARY KEY (accession, seq)
);
