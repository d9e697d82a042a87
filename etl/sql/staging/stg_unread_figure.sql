-- stg_unread_figure: figures printed inside class and pool tables that no measure claimed (issue 12):
-- the parser's fields with measure NULL in a table whose fields are class- or pool-scoped (or that the
-- parser's `tables` calls a class or pool table), plus the figures its `tables[].unread` lists.
-- Unread figures are data: dq_extraction_completeness fails a report for the ones under no header,
-- dq_extraction_unmapped_label warns for the ones under a label the dictionary does not know, and
-- dq_extraction_coverage counts them against the figures read.
-- Grain: one row per unread figure. Key: (accession, seq).
CREATE TABLE IF NOT EXISTS stg_unread_figure (
    accession VARCHAR NOT NULL,
    seq       INTEGER NOT NULL,
    document  VARCHAR,
    section   VARCHAR,
    table_no  INTEGER,
    line      INTEGER,
    column_no INTEGER,
    label     VARCHAR,      -- the label as the parser gave it ('' or 'Total' for a column under no header)
    header    VARCHAR,      -- the column header or row label read for it; NULL when none was read
    scope     VARCHAR,      -- class | class_total | pool | NULL (the row's entity kind, when known)
    entity    VARCHAR,      -- class or pool of the row, when known
    value     DOUBLE,
    raw       VARCHAR,
    source    VARCHAR,      -- field (a parser field with no measure) | table (tables[].unread)
    PRIMARY KEY (accession, seq)
);
