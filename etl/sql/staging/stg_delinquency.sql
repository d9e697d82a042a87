-- stg_delinquency: delinquency buckets as printed, with the report's own footnote meaning.
-- Grain: one row per (accession, pool, bucket). Key: (accession, pool, bucket).
CREATE TABLE IF NOT EXISTS stg_delinquency (
    accession                VARCHAR NOT NULL,
    pool                     VARCHAR NOT NULL,
    bucket                   VARCHAR NOT NULL,   -- 30-59 | 60-89 | 90+ | foreclosure | bankruptcy | reo | ...
    loan_count               INTEGER,
    unpaid_principal_balance DECIMAL(20, 2),
    stated_principal_balance DECIMAL(20, 2),
    includes_fc_bk_reo       BOOLEAN,            -- bucket already contains FC/BK/REO loans (footnote)
    PRIMARY KEY (accession, pool, bucket)
);
