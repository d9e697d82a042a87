-- stg_deal_measure: deal-scope figures (advances, cap payments, OC deficiency, premiums).
-- Grain: one row per (accession, measure). Key: (accession, measure).
CREATE TABLE IF NOT EXISTS stg_deal_measure (
    accession VARCHAR NOT NULL,
    measure   VARCHAR NOT NULL,
    value     DECIMAL(20, 2),
    raw       VARCHAR,
    PRIMARY KEY (accession, measure)
);
