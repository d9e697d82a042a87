-- dq_check_result: the outcome of every data-quality check on every validated filing, as of its latest
-- validation (etl.quality.validate_staged replaces a filing's rows, so re-validating is idempotent).
-- Grain: one row per (accession, check_name, scope row); scope keys (class, pool, bucket, section,
-- measure) may be NULL, so the key is not declared. status: pass | fail | warn | not_applicable
-- (a failed check of severity 'warn' is stored as 'warn'; data absent for a check -> not_applicable).
CREATE TABLE IF NOT EXISTS dq_check_result (
    run_id     VARCHAR NOT NULL,
    accession  VARCHAR NOT NULL,
    check_name VARCHAR NOT NULL,
    suite      VARCHAR NOT NULL,     -- the Great Expectations suite holding the check's expectation
    severity   VARCHAR NOT NULL,     -- error | warn
    scope      VARCHAR,              -- class | pool | total | deal | bucket | report
    class      VARCHAR,
    pool       VARCHAR,
    bucket     VARCHAR,
    section    VARCHAR,
    measure    VARCHAR,
    observed   DOUBLE,
    expected   DOUBLE,
    residual   DOUBLE,
    tolerance  DOUBLE,
    status     VARCHAR NOT NULL,
    detail     VARCHAR,
    checked_at TIMESTAMP NOT NULL
);
