-- rule_member(rule, notional, residual, rate): is a class row one of the rows an inclusion rule
-- says a printed Total covers? The rules are those dq_class_total_rule tries (see there).
CREATE OR REPLACE MACRO rule_member(rule, notional, residual, rate) AS (
    CASE rule
        WHEN 'all' THEN true
        WHEN 'excl_notional_residual' THEN NOT coalesce(notional, false) AND NOT coalesce(residual, false)
        WHEN 'coupon_certificates' THEN NOT coalesce(notional, false) AND NOT coalesce(residual, false)
                                        AND coalesce(rate, 0) > 0
        WHEN 'excl_notional' THEN NOT coalesce(notional, false)
        WHEN 'excl_residual' THEN NOT coalesce(residual, false)
        WHEN 'coupon_bearing' THEN coalesce(rate, 0) > 0
    END
);
