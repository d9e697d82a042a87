-- dim_filing: every filing the pipeline holds, with its envelope facts and its fate.
-- Grain: one row per filing. Key: filing_key (= skey(accession)); natural key accession.
-- report_kind: the parsed report's kind, or asset_data for a Form ABS-EE whose EX-102 was staged (its
-- report_document the EX-102's file name).
-- depends_on:
CREATE OR REPLACE TABLE dim_filing AS
SELECT
    skey(f.accession) AS filing_key,
    f.accession,
    f.cik,
    skey(f.cik) AS deal_key,
    coalesce(h.form_type, f.form_type) AS form_type,
    coalesce(h.form_type, f.form_type) LIKE '%/A' AS is_amendment,
    coalesce(h.filed_date, f.date_filed) AS filed_date,
    h.period_of_report,
    coalesce(h.company_name, f.company_name) AS company_name,
    h.sic,
    h.file_number,
    h.document_count,
    coalesce(r.kind, CASE WHEN a.accession IS NOT NULL THEN 'asset_data' END) AS report_kind,
    coalesce(r.document, a.document) AS report_document,
    r.distribution_date,
    f.source_url,
    f.raw_path,
    f.sha256,
    f.size_bytes,
    coalesce(v.dq_status, s.status) AS dq_status,
    coalesce(v.is_current, r.kind IS DISTINCT FROM 'distribution_report') AS is_current,
    v.superseded_by,
    st.status AS pipeline_status,
    st.reason AS pipeline_reason
FROM raw_filing AS f
LEFT JOIN filing_header AS h USING (accession)
LEFT JOIN stg_report AS r USING (accession)
LEFT JOIN stg_asset_filing AS a USING (accession)
LEFT JOIN int_report_version AS v USING (accession)
LEFT JOIN dq_filing_status AS s USING (accession)
LEFT JOIN etl_status AS st USING (accession)
ORDER BY f.accession;
