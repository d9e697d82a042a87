-- stg_servicing_assessment: each servicing criterion assessed for a party in a 10-K.
-- Grain: one row per (accession, party, criterion). Key: (accession, party, criterion).
CREATE TABLE IF NOT EXISTS stg_servicing_assessment (
    accession         VARCHAR NOT NULL,
    party             VARCHAR NOT NULL,
    criterion         VARCHAR NOT NULL,
    framework         VARCHAR,        -- USAP | REG_AB_1122
    status            VARCHAR,        -- compliant | exception | not_applicable
    detail            VARCHAR,
    sample_size       INTEGER,
    sample_exceptions INTEGER,
    PRIMARY KEY (accession, party, criterion)
);
