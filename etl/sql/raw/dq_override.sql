-- dq_override: an operator's release of a quarantined filing, with the reason, kept for audit.
-- Grain: one row per release. check_name NULL releases every failed check of the filing; a name
-- releases that check only (preferred: a later failure of another check still quarantines).
-- A release is never deleted by etl.quality: revoking it sets revoked_at. released_by may be NULL
-- for releases recorded by the pipeline's run-level release (which records its run_id instead).
CREATE TABLE IF NOT EXISTS dq_override (
    accession   VARCHAR NOT NULL,
    check_name  VARCHAR,
    reason      VARCHAR NOT NULL,
    released_by VARCHAR,
    released_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    revoked_at  TIMESTAMP,
    run_id      VARCHAR
);
