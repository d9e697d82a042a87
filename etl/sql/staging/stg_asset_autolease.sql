-- stg_asset_autolease: the EX-102 asset data of Form ABS-EE filings for auto leases (Item 4); balances are
-- securitization values, as the 10-D's pool balance, one row per <assets> record as filed, columns by
-- etl/absee/fields.yaml (amounts and rates exact decimals).
-- Grain: one row per (accession, record); source_line is the record's line in the EX-102.
-- Key: (accession, source_line); an asset number twice in a filing is dq_asset_unique's to find.
-- extra: JSON text of every element the field map does not name; problems: what could not be typed.
CREATE TABLE IF NOT EXISTS stg_asset_autolease (
    accession             VARCHAR NOT NULL,
    source_line           BIGINT NOT NULL,
    asset_number          VARCHAR,
    asset_type            VARCHAR,
    period_begin          DATE,
    period_end            DATE,
    originator            VARCHAR,
    origination_date      DATE,
    original_balance      DECIMAL(28, 10),
    original_term         BIGINT,
    maturity_date         DATE,
    original_rate         DECIMAL(28, 10),
    current_rate          DECIMAL(28, 10),
    credit_score          BIGINT,
    geographic_location   VARCHAR,
    remaining_term        BIGINT,
    begin_balance         DECIMAL(28, 10),
    end_balance           DECIMAL(28, 10),
    scheduled_principal   DECIMAL(28, 10),
    actual_principal      DECIMAL(28, 10),
    unscheduled_principal DECIMAL(28, 10),
    scheduled_interest    DECIMAL(28, 10),
    actual_interest       DECIMAL(28, 10),
    total_paid            DECIMAL(28, 10),
    charge_off            DECIMAL(28, 10),
    recovery              DECIMAL(28, 10),
    delinquency_status    VARCHAR,
    days_past_due         BIGINT,
    paid_through_date     DATE,
    zero_balance_code     VARCHAR,
    zero_balance_date     DATE,
    modified              BOOLEAN,
    property_count        INTEGER,
    extra                 VARCHAR,
    problems              VARCHAR[],
    PRIMARY KEY (accession, source_line)
);
