-- ref_servicing_criterion: servicing criteria of both eras (USAP and Regulation AB 1122(d)),
-- loaded by the loader from etl/parse/annual/servicing_criteria.yaml (a data file in the project).
-- Grain: one row per (framework, code). Key: (framework, code).
CREATE TABLE IF NOT EXISTS ref_servicing_criterion (
    framework   VARCHAR NOT NULL,
    code        VARCHAR NOT NULL,
    section     VARCHAR,
    description VARCHAR,
    PRIMARY KEY (framework, code)
);
