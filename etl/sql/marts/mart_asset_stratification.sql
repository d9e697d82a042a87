-- mart_asset_stratification: each deal's pool in each reporting period, stratified from its asset data: the
-- outstanding balance by credit score band, loan-to-value band, original term and state.
-- Grain: one row per (deal, reporting period, stratum, band). Key: (deal_key, period_end, stratum, band).
--   stratum       credit_score | ltv | original_term | state; band_order sorts a stratum's bands
--   bands         credit score <580, 580-619, ... 780+; LTV <= 60%, 60-70% ... > 110% (upper bound in the band);
--                 original term in months <= 36, 37-48, 49-60, 61-72, 73-84, 85-180, 181-360, > 360; state as
--                 filed; unknown where the asset data leaves it blank
--   balance_share = the band's ending balance / the deal's ending balance for the period; only assets that
--                 end the period with a balance count
--   ending_balance to the cent (the asset data's amounts are); wa_rate, wa_credit_score: weighted by it
-- depends_on:
CREATE OR REPLACE TABLE mart_asset_stratification AS
WITH outstanding AS (
    SELECT deal_key, cik, period_end, end_balance, current_rate, credit_score, ltv, original_term, state
    FROM fct_asset_period
    WHERE end_balance > 0
),
banded AS (
    SELECT deal_key, cik, period_end, end_balance, current_rate, credit_score, 'credit_score' AS stratum,
           CASE WHEN credit_score IS NULL THEN 'unknown' WHEN credit_score < 580 THEN '<580'
                WHEN credit_score >= 780 THEN '780+'
                ELSE CAST(580 + 40 * floor((credit_score - 580) / 40) AS INTEGER) || '-'
                     || CAST(619 + 40 * floor((credit_score - 580) / 40) AS INTEGER) END AS band,
           CASE WHEN credit_score IS NULL THEN 99 WHEN credit_score < 580 THEN 0
                WHEN credit_score >= 780 THEN 6 ELSE 1 + floor((credit_score - 580) / 40) END AS band_order
    FROM outstanding
    UNION ALL
    SELECT deal_key, cik, period_end, end_balance, current_rate, credit_score, 'ltv',
           CASE WHEN ltv IS NULL THEN 'unknown' WHEN ltv <= 0.6 THEN '<= 60%' WHEN ltv > 1.1 THEN '> 110%'
                ELSE CAST(60 + 10 * ceil((ltv - 0.6) * 10 - 1) AS INTEGER) || '-'
                     || CAST(70 + 10 * ceil((ltv - 0.6) * 10 - 1) AS INTEGER) || '%' END,
           CASE WHEN ltv IS NULL THEN 99 WHEN ltv <= 0.6 THEN 0 WHEN ltv > 1.1 THEN 6
                ELSE 1 + ceil((ltv - 0.6) * 10 - 1) END
    FROM outstanding
    UNION ALL
    SELECT deal_key, cik, period_end, end_balance, current_rate, credit_score, 'original_term',
           CASE WHEN original_term IS NULL THEN 'unknown' WHEN original_term <= 36 THEN '<= 36'
                WHEN original_term <= 48 THEN '37-48' WHEN original_term <= 60 THEN '49-60'
                WHEN original_term <= 72 THEN '61-72' WHEN original_term <= 84 THEN '73-84'
                WHEN original_term <= 180 THEN '85-180' WHEN original_term <= 360 THEN '181-360'
                ELSE '> 360' END,
           CASE WHEN original_term IS NULL THEN 99 WHEN original_term <= 36 THEN 0 WHEN original_term <= 48 THEN 1
                WHEN original_term <= 60 THEN 2 WHEN original_term <= 72 THEN 3 WHEN original_term <= 84 THEN 4
                WHEN original_term <= 180 THEN 5 WHEN original_term <= 360 THEN 6 ELSE 7 END
    FROM outstanding
    UNION ALL
    SELECT deal_key, cik, period_end, end_balance, current_rate, credit_score, 'state',
           coalesce(nullif(upper(trim(state)), ''), 'unknown'), CASE WHEN nullif(trim(state), '') IS NULL THEN 99 END
    FROM outstanding
)
SELECT
    deal_key,
    cik,
    period_end,
    stratum,
    band,
    band_order,
    count(*) AS asset_count,
    CAST(sum(end_balance) AS DECIMAL(20, 2)) AS ending_balance,
    CAST(sum(end_balance) / sum(sum(end_balance)) OVER (PARTITION BY deal_key, period_end, stratum) AS DOUBLE)
        AS balance_share,
    CAST(sum(end_balance * current_rate) / nullif(sum(end_balance) FILTER (WHERE current_rate IS NOT NULL), 0)
         AS DOUBLE) AS wa_rate,
    CAST(sum(end_balance * credit_score) / nullif(sum(end_balance) FILTER (WHERE credit_score IS NOT NULL), 0)
         AS DOUBLE) AS wa_credit_score
FROM banded
GROUP BY deal_key, cik, period_end, stratum, band, band_order
ORDER BY cik, period_end, stratum, band_order, band;
