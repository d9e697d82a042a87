-- cusip_digit(cusip): the check digit the first eight characters of a CUSIP imply
-- (ANSI X9.6 "double-add-double": letters A-Z are 10-35, * @ # are 36-38, every second value is
-- doubled, the digits of each value are summed, the check digit is (10 - sum mod 10) mod 10).
CREATE OR REPLACE MACRO cusip_digit(cusip) AS (
    (10 - list_sum(list_transform(
        list_transform(range(1, 9), lambda i: (
            CASE
                WHEN substr(upper(cusip), i, 1) BETWEEN '0' AND '9' THEN ascii(substr(cusip, i, 1)) - 48
                WHEN substr(upper(cusip), i, 1) BETWEEN 'A' AND 'Z' THEN ascii(substr(upper(cusip), i, 1)) - 55
                WHEN substr(cusip, i, 1) = '*' THEN 36
                WHEN substr(cusip, i, 1) = '@' THEN 37
                WHEN substr(cusip, i, 1) = '#' THEN 38
            END) * CASE WHEN i % 2 = 0 THEN 2 ELSE 1 END),
        lambda v: v // 10 + v % 10)) % 10) % 10
);
