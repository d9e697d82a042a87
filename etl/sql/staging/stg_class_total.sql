-- stg_class_total: the Total rows the report prints under its class tables.
-- Grain: one row per (accession, section, measure). Key: (accession, section, measure).
CREATE TABLE IF NOT EXISTS stg_class_total (
    accession VARCHAR NOT NULL,
    section   VARCHAR NOT NULL,
    measure   VARCHAR NOT NULL,
    value     DECIMAL(20, 2),
    n_rows    INTEGER,
    line      INTEGER,
    PRIMARY KEY (accession, section, measure)
);
