-- fetch_log: every discovered filing that could not be fetched, with the reason.
-- Grain: one row per (accession, run). Key: (accession, run_id).
CREATE TABLE IF NOT EXISTS fetch_log (
    accession  VARCHAR NOT NULL,
    cik        BIGINT,
    url        VARCHAR,
    run_id     VARCHAR NOT NULL,
    error_kind VARCHAR,
    reason     VARCHAR,
    PRIMARY KEY (accession, run_id)
);
