-- Macro skey(natural_key): a surrogate key that is the same on every re-run and machine
-- (first 60 bits of the md5 of the natural key), so rebuilding a dimension never renumbers it.
CREATE OR REPLACE MACRO skey(k) AS CAST('0x' || substr(md5(CAST(k AS VARCHAR)), 1, 15) AS BIGINT);
