-- dq_class_value: the class amounts of stg_class_period as (measure, value) rows, with the flags that
-- decide which rows a printed Total covers. Helper of the totals checks, not a check.
-- Grain: one row per (accession, class, measure) with a printed (non-NULL) value.
CREATE OR REPLACE VIEW dq_class_value AS
SELECT accession, class, seq, coalesce(notional, false) AS notional, coalesce(residual, false) AS residual,
       pass_through_rate, measure, value
FROM (
    UNPIVOT (
        SELECT accession, class, seq, notional, residual, pass_through_rate,
               original_balance, beginning_balance, principal, interest, total_distribution, realized_loss,
               ending_balance, interest_distributable, carryforward_interest, basis_risk_shortfall,
               prepayment_interest_shortfall, interest_shortfall, remittance_amount, cumulative_realized_loss
        FROM stg_class_period
    )
    ON original_balance, beginning_balance, principal, interest, total_distribution, realized_loss,
       ending_balance, interest_distributable, carryforward_interest, basis_risk_shortfall,
       prepayment_interest_shortfall, interest_shortfall, remittance_amount, cumulative_realized_loss
    INTO NAME measure VALUE value
);
