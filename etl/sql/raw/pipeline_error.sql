-- pipeline_error: a filing that failed in parse/validate/load with the error, per run.
-- Grain: one row per (accession, stage, run). Key: (accession, stage, run_id).
CREATE TABLE IF NOT EXISTS pipeline_error (
    accession  VARCHAR NOT NULL,
    cik        BIGINT,
    stage      VARCHAR NOT NULL,
    run_id     VARCHAR NOT NULL,
    error_kind VARCHAR,
    reason     VARCHAR,
    PRIMARY KEY (accession, stage, run_id)
);
