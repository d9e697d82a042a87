-- stg_party_role: parties named in a 10-K and the role each plays for the trust.
-- Grain: one row per (accession, party, role). Key: (accession, party, role).
CREATE TABLE IF NOT EXISTS stg_party_role (
    accession VARCHAR NOT NULL,
    party     VARCHAR NOT NULL,
    role      VARCHAR NOT NULL,
    PRIMARY KEY (accession, party, role)
);
