-- dim_party: a company that serves ABS trusts (servicer, trustee, depositor, accountant...).
-- Grain: one row per party name (normalised). Key: party_key (= skey(normalised name)).
-- depends_on:
CREATE OR REPLACE TABLE dim_party AS
WITH names AS (
    SELECT party FROM stg_party_role
    UNION ALL
    SELECT party FROM stg_servicing_assessment
    UNION ALL
    SELECT party FROM stg_insurance_coverage WHERE party <> ''
),
norm AS (
    SELECT party, upper(regexp_replace(trim(party), '[^A-Za-z0-9&]+', ' ', 'g')) AS party_norm FROM names
)
SELECT
    skey(trim(party_norm)) AS party_key,
    trim(party_norm) AS party_norm,
    min(party) AS party_name,
    (SELECT list(DISTINCT r.role ORDER BY r.role) FROM stg_party_role AS r
      WHERE upper(regexp_replace(trim(r.party), '[^A-Za-z0-9&]+', ' ', 'g')) = n.party_norm) AS roles
FROM norm AS n
GROUP BY party_norm
ORDER BY party_norm;
