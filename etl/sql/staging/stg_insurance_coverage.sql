-- stg_insurance_coverage: errors-and-omissions policies and fidelity bonds a servicer held.
-- Grain: one row per (accession, party, policy_type, start_date); start_date may be NULL,
-- so the key is checked by the model tests rather than declared.
CREATE TABLE IF NOT EXISTS stg_insurance_coverage (
    accession   VARCHAR NOT NULL,
    party       VARCHAR NOT NULL,
    policy_type VARCHAR NOT NULL,
    amount      DECIMAL(20, 2),
    start_date  DATE,
    end_date    DATE
);
