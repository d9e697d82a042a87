-- stg_report_table: the parser's account of each table it read (parsed JSON `tables`, issue 12): what
-- kind of table it took it for, its columns and the measure each was attached to, which identities
-- held on its figures, whether the parser confirmed its reading, and how many figures it left unread.
-- Grain: one row per (accession, table). Key: (accession, table_no). table_no is the `table` number the
-- parser's fields carry (stg_report_field.table_no). Parses made before the parser reported its tables
-- have no rows here: that is "no information", never a failure.
CREATE TABLE IF NOT EXISTS stg_report_table (
    accession       VARCHAR NOT NULL,
    table_no        INTEGER NOT NULL,
    line            INTEGER,            -- first line of the table (its header)
    kind            VARCHAR,            -- class | pool | other
    orientation     VARCHAR,            -- rows (one entity per row) | columns (one entity per column)
    column_count    INTEGER,
    columns_json    VARCHAR,            -- [{"column", "label", "measure"}] as the parser gave them
    unmapped_labels VARCHAR[],          -- labels of the columns attached to no measure
    identities      VARCHAR[],          -- the identities that held on the table's figures
    confirmed       BOOLEAN,            -- the parser confirmed its reading (NULL: not said)
    confidence      DOUBLE,
    unread_count    INTEGER,            -- figures inside the table the parser could not place
    PRIMARY KEY (accession, table_no)
);
