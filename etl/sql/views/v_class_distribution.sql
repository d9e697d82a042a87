-- v_class_distribution: the stable analyst view of class distributions (columns are a contract).
-- Grain: one row per (deal, class, distribution date), current non-quarantined filings only.
CREATE OR REPLACE VIEW v_class_distribution AS
SELECT
    f.cik,
    d.deal_name,
    f.class,
    f.cusip,
    f.distribution_date,
    f.beginning_balance,
    f.principal,
    f.interest,
    f.total_distribution,
    f.realized_loss,
    f.ending_balance,
    f.pass_through_rate,
    f.accession,
    f.form_type,
    f.next_pass_through_rate,
    f.notional,
    f.residual,
    c.original_balance,
    f.ending_balance / nullif(c.original_balance, 0) AS factor,
    f.dq_warning
FROM fct_class_distribution AS f
LEFT JOIN dim_deal AS d ON f.deal_key = d.deal_key
LEFT JOIN dim_class AS c ON f.class_key = c.class_key;
