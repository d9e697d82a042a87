-- roll_business_day(d): d itself when it is a business day, else the next business day
-- ("following" convention, the one pooling and servicing agreements use for distribution dates).
-- depends_on: is_business_day
CREATE OR REPLACE MACRO roll_business_day(d) AS (
    list_min(list_filter(
        list_transform(range(0, 8), lambda i: CAST(d AS DATE) + CAST(i AS INTEGER)),
        lambda x: is_business_day(x)))
);
