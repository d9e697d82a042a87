-- stg_report: one parsed document per filing, as the parser read it (staging renames only).
-- Grain: one row per filing (accession). Key: accession.
CREATE TABLE IF NOT EXISTS stg_report (
    accession         VARCHAR PRIMARY KEY,
    cik               BIGINT,
    form_type         VARCHAR,
    filed_date        DATE,
    deal_name         VARCHAR,
    document          VARCHAR,
    kind              VARCHAR,            -- distribution_report | annual_report | unknown
    distribution_date DATE,
    record_date       DATE,
    accrual_start     DATE,
    accrual_end       DATE,
    amount_decimals   INTEGER,            -- 0 whole dollars, 2 cents: drives check tolerances
    class_count       INTEGER,
    pool_count        INTEGER,
    field_count       INTEGER,
    warnings          VARCHAR[],
    parse_error       VARCHAR,
    parser_version    VARCHAR
);
