-- stg_report_field: every label/value pair the parser found, mapped or not, with provenance.
-- Grain: one row per value found. Key: (accession, seq).
CREATE TABLE IF NOT EXISTS stg_report_field (
    accession VARCHAR NOT NULL,
    seq       INTEGER NOT NULL,
    document  VARCHAR,
    section   VARCHAR,
    label     VARCHAR,
    measure   VARCHAR,      -- canonical measure, NULL when the label is not in the dictionary
    scope     VARCHAR,      -- class | pool | deal | NULL
    entity    VARCHAR,      -- class or pool the value belongs to
    value     DOUBLE,
    raw       VARCHAR,
    line      INTEGER,
    table_no  INTEGER,
    row_no    INTEGER,
    column_no INTEGER,
    PRIMARY KEY (accession, seq)
);
