-- dq_pool_total (identity 5, severity error): the pools add up to the printed Total column, for every
-- pool measure printed in both (seed beginning: 431,137,245 + 73,773,017 = 504,910,262; servicing
-- fee 181,323 + 30,739 = 212,062 against a printed 212,061: rounding).
-- Grain: one row per (accession, measure) of a report that prints a Total pool column.
-- Tolerance: n x half a unit for n pools summed (2 pools -> 1.0); loan counts are exact (0).
-- depends_on: dq_report_context, dq_fmt
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
                ELSE 'sum of ' || s.n || ' pools ' || dq_fmt(s.total) || ' against Total ' || dq_fmt(t.value) END AS detail
    FROM v t
    JOIN dq_report_context x USING (accession)
    JOIN pools n USING (accession)
    LEFT JOIN parts s ON s.accession = t.accession AND s.measure = t.measure
    WHERE t.is_total
)
SELECT accession, 'pool_total' AS check_name, 'error' AS severity, scope, class, pool, bucket, section, measure,
       CAST(observed AS DOUBLE) AS observed, CAST(expected AS DOUBLE) AS expected,
       CAST(observed - expected AS DOUBLE) AS residual, CAST(tolerance AS DOUBLE) AS tolerance,
       CAST(abs(observed - expected) AS DOUBLE) AS abs_residual,
       coalesce(applicable AND observed IS NOT NULL AND expected IS NOT NULL, false) AS applicable, detail
FROM checked
UNION ALL
SELECT r.accession, 'pool_total', 'error', 'report', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       false, 'no Total pool column in this report'
FROM stg_report r
WHERE NOT EXISTS (SELECT 1 FROM checked k WHERE k.accession = r.accession);
