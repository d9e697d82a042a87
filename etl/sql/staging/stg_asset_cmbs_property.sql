-- stg_asset_cmbs_property: the properties securing each CMBS loan of an EX-102 (<property> under
-- <assets>), keyed by their loan's asset number and their order under it.
-- Grain: one row per (accession, property record); source_line is the <property>'s line in the EX-102.
-- Key: (accession, source_line).
-- extra: JSON text of the property's unmapped elements.
CREATE TABLE IF NOT EXISTS stg_asset_cmbs_property (
    accession         VARCHAR NOT NULL,
    asset_number      VARCHAR,
    property_index    INTEGER NOT NULL,
    source_line       BIGINT,
    property_name     VARCHAR,
    property_city     VARCHAR,
    property_state    VARCHAR,
    property_zip      VARCHAR,
    property_type     VARCHAR,
    property_status   VARCHAR,
    year_built        BIGINT,
    units             BIGINT,
    net_rentable_sqft BIGINT,
    valuation_amount  DECIMAL(28, 10),
    valuation_date    DATE,
    occupancy         DECIMAL(28, 10),
    noi               DECIMAL(28, 10),
    dscr              DECIMAL(28, 10),
    extra             VARCHAR,
    problems          VARCHAR[],
    PRIMARY KEY (accession, source_line)
);
