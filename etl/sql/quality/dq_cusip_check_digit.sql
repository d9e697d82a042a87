-- dq_cusip_check_digit (identity 12, severity warn): the ninth character of a CUSIP is the check digit
-- its first eight imply (see etl/sql/macros/cusip_digit.sql). Every class CUSIP of the seed passes except M-6's
-- 86359A6S8 (computes to 7): a printing error in a real filing, so the check warns and the filing
-- loads; a wrong CUSIP would only mislabel a class, the amounts stay right.
-- Grain: one row per (accession, class) with a CUSIP printed. Observed = printed check digit,
-- expected = computed one. Tolerance 0.
-- Not applicable: no CUSIP, or not nine characters ending in a digit ('NA', trustee-internal ids).
CREATE OR REPLACE VIEW dq_cusip_check_digit AS
WITH c AS (
    SELECT accession, class, upper(trim(cusip)) AS cusip,
           regexp_full_match(upper(trim(cusip)), '[0-9A-Z*@#]{8}[0-9]') AS well_formed
    FROM stg_class_period
    WHERE cusip IS NOT NULL
),
checked AS (
    SELECT accession, 'class' AS scope, class, NULL AS pool, NULL AS bucket, NULL AS section, 'cusip' AS measure,
           CASE WHEN well_formed THEN CAST(right(cusip, 1) AS INTEGER) END AS observed,
           CASE WHEN well_formed THEN cusip_digit(cusip) END AS expected, 0 AS tolerance,
           well_formed AS applicable,
           CASE WHEN well_formed THEN cusip || ': check digit ' || right(cusip, 1) || ', computed '
                                      || cusip_digit(cusip)
                ELSE '''' || cusip || ''' is not a CUSIP (nine characters ending in a check digit)' END AS detail
    FROM c
)
SELECT * FROM check_rows('checked', 'cusip_check_digit', 'warn', 'no CUSIP printed in this report');
