-- etl_status: where each filing stands in the pipeline and why (nothing is lost silently).
-- Grain: one row per filing. Key: accession. status: fetched | parsed | loaded | quarantined | failed | skipped.
CREATE TABLE IF NOT EXISTS etl_status (
    accession VARCHAR PRIMARY KEY,
    cik       BIGINT,
    stage     VARCHAR NOT NULL,      -- fetch | parse | validate | load
    status    VARCHAR NOT NULL,
    reason    VARCHAR,
    run_id    VARCHAR
);
