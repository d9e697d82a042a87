-- stg_annual_report: the structured facts of a 10-K of an ABS trust.
-- Grain: one row per 10-K filing (accession). Key: accession.
CREATE TABLE IF NOT EXISTS stg_annual_report (
    accession                 VARCHAR PRIMARY KEY,
    cik                       BIGINT,
    fiscal_year_end           DATE,
    trust                     VARCHAR,
    depositor                 VARCHAR,
    commission_file_number    VARCHAR,
    closing_date              DATE,
    holders_of_record         INTEGER,
    era                       VARCHAR,       -- pre_reg_ab | reg_ab
    distribution_report_dates DATE[]
);
