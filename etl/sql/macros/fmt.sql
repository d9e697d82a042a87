-- fmt(x): an amount as an analyst reads it in a check's detail text (1,234,567 or 1,234.56).
CREATE OR REPLACE MACRO fmt(x) AS (
    CASE
        WHEN x IS NULL THEN 'NULL'
        WHEN CAST(x AS DOUBLE) = round(CAST(x AS DOUBLE)) THEN format('{:,.0f}', CAST(x AS DOUBLE))
        ELSE format('{:,.2f}', CAST(x AS DOUBLE))
    END
);
