-- dq_pool_total (identity 5, severity error): the pools add up to the printed Total column, for every
-- pool measure printed in both (seed beginning: 431,137,245 + 73,773,017 = 504,910,262; servicing
-- fee 181,323 + 30,739 = 212,062 against a printed 212,061: rounding).
-- Grain: one row per (accession, measure) of a report that prints a Total pool column.
-- Tolerance: n x half a unit for n pools summed (2 pools -> 1.0); loan counts are exact (0).
-- depends_on: dq_report_context
CREATE OR REPLACE VIEW dq_pool_total AS
WITH v AS (
    UNPIVOT (
        SELECT accession, pool, is_total, beginning_balance, scheduled_principal, prepayments, liquidation_proceeds,
               insurance_proceeds, repurchases, substitution_amount, deleted_loan_balance, principal_remittance,
               ending_balance, CAST(loan_count AS DECIMAL(20, 2)) AS loan_count, current_realized_loss,
               cumulative_realized_loss, gross_interest, servicing_fee, interest_remittance, trustee_fee,
               credit_risk_manager_fee, net_interest_available
        FROM stg_pool_period
    )
    ON beginning_balance, scheduled_principal, prepayments, liquidation_proceeds, insurance_proceeds, repurchases,
       substitution_amount, deleted_loan_balance, principal_remittance, ending_balance, loan_count,
       current_realized_loss, cumulative_realized_loss, gross_interest, servicing_fee, interest_remittance,
       trustee_fee, credit_risk_manager_fee, net_interest_available
    INTO NAME measure VALUE value
),
pools AS (
    SELECT accession, count(*) FILTER (WHERE NOT is_total) AS n_pools FROM stg_pool_period GROUP BY accession
),
parts AS (
    SELECT accession, measure, count(*) AS n, sum(value) AS total
    FROM v WHERE NOT is_total GROUP BY accession, measure
),
checked AS (
    SELECT t.accession, 'pool' AS scope, NULL AS class, t.pool, NULL AS bucket, NULL AS section, t.measure,
           t.value AS observed, s.total AS expected,
           CASE WHEN t.measure = 'loan_count' THEN 0 ELSE s.n * x.half END AS tolerance,
           s.n = n.n_pools AND s.n > 0 AS applicable,
           CASE WHEN s.n IS NULL THEN 'no pool prints this measure besides the Total'
                WHEN s.n <> n.n_pools THEN 'only ' || s.n || ' of ' || n.n_pools || ' pools print this measure'
                ELSE 'sum of ' || s.n || ' pools ' || fmt(s.total) || ' against Total ' || fmt(t.value) END AS detail
    FROM v AS t
    JOIN dq_report_context AS x USING (accession)
    JOIN pools AS n USING (accession)
    LEFT JOIN parts AS s ON t.accession = s.accession AND t.measure = s.measure
    WHERE t.is_total
)
SELECT * FROM check_rows('checked', 'pool_total', 'error', 'no Total pool column in this report');
