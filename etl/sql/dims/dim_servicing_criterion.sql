-- dim_servicing_criterion: servicing criteria of both eras (USAP I.1-VII.1; Reg AB 1122(d)).
-- Grain: one row per (framework, criterion code). Key: criterion_key (= skey(framework | code)).
-- depends_on:
CREATE OR REPLACE TABLE dim_servicing_criterion AS
SELECT
    skey(framework || '|' || code) AS criterion_key,
    framework,
    code,
    section,
    description
FROM ref_servicing_criterion
ORDER BY framework, code;
