-- dq_extraction_completeness (issue 12, severity error): nothing half-read passes. The other checks
-- judge only the figures the parser found; a report the parser missed most of would leave every one
-- of them not applicable. This one fails a distribution report whose reading is visibly incomplete:
--   class_rows      it has no class rows (observed = class rows read, expected at least 1); also a
--                   filing of no recognised kind whose parser `tables` found a class table. Rows read
--                   only as per-$1,000 figures count (the parser keeps no dollar class row for them);
--   <measure>       a class row lacks a core measure (beginning_balance, principal, interest,
--                   ending_balance) that a class table it is printed in gives other classes (the
--                   first such table names the row's section); a pool row lacks the beginning or
--                   ending balance a pool table it is in gives other pools. A class or pool the
--                   parser attached no field to (hand-typed reports) is judged against every class
--                   (pool) of the report. Observed 1 = read, 0 = missing; expected 1;
--   unread_figures  a class or pool table has figures under no header: a column the parser could not
--                   attach (stg_unread_figure.header NULL). Observed = their count, expected 0. Row
--                   numbers and class factors under no header are no figures to read (see
--                   dq_extraction_table); the detail names them;
--   ending_balance, interest (identity)  a class row whose identity is half read: a beginning
--                   balance and no ending one, or principal and a total and no interest; the section
--                   and the detail name the class table the beginning balance (principal) was read in;
--   class_figure    a printed amount or rate whose label names one of the report's classes ("Class X"
--                   or "Tranche X", or a designation of letters and digits such as A-1 alone) that the
--                   parser attached to no class (no measure, or a class measure read at deal or pool
--                   level): an unread class figure. Observed = their count per class, expected 0; the
--                   detail gives label, figure and line. A report without any has one passing row;
--   class_cusip     figures printed under a row label holding a CUSIP (nine characters with a letter,
--                   its check digit right) that no class row of the report carries: a class row the
--                   parser did not read. Observed = the row's figures, expected 0;
--   confirmed       the parser's `tables` says its reading of a class table is unconfirmed
--                   (observed 0, expected 1): a column of figures no measure names, or an identity
--                   the rows should obey that fails under the header's reading and under every
--                   other. Parses without `tables` have no such rows: no information. A table whose
--                   words name every column and whose rows offer nothing to check is confirmed by
--                   the parser at low confidence (0.4): not a failure.
-- Not failures (applicable = false, stated in the detail): a notional (interest-only) or residual
-- class without principal or balances; a class every printed dollar figure of which is zero (paid
-- off: nothing to pay, often printed blank). Per-$1,000 tables print no core measure, so a report
-- printing every amount per $1,000 asks no dollar measure of any class. Figures under a header the
-- dictionary does not know are dq_extraction_unmapped_label's warning, not this error.
-- Grain: one report row per filing (class_rows); one row per (accession, class, measure) and
-- (accession, pool, measure) wanted; one per class or pool table (unread_figures) and per class table
-- the parser judged (confirmed). Tolerance 0: counts, not amounts. The detail names class, measure,
-- table and line; dq_filing_status gives it as the reason.
-- depends_on: dq_extraction_table
CREATE OR REPLACE VIEW dq_extraction_completeness AS
WITH report AS (
    SELECT r.accession, coalesce(r.kind, 'unknown') AS kind,
           -- a class row is read when it holds a balance or a payment: classes named only by
           -- their issuance line ("$298,600,000 Class A-1 0.27% Notes") are no class table read
           (SELECT count(*) FROM stg_class_period AS c WHERE c.accession = r.accession
               AND (c.beginning_balance IS NOT NULL OR c.principal IS NOT NULL OR c.interest IS NOT NULL
                    OR c.ending_balance IS NOT NULL OR c.total_distribution IS NOT NULL)) AS class_rows,
           -- classes of class tables with a figure read: rows printed only per $1,000 are read
           -- (as *_per_1000 fields) though the parser keeps no dollar class row for them
           (SELECT count(DISTINCT f.entity) FROM stg_report_field AS f
             JOIN dq_extraction_table AS t ON f.accession = t.accession AND f.table_no = t.table_no AND t.kind = 'class'
             WHERE f.accession = r.accession AND f.scope = 'class' AND f.measure IS NOT NULL) AS class_entities,
           (SELECT count(*) > 0 FROM stg_report_table AS t WHERE t.accession = r.accession AND t.kind = 'class')
               AS has_class_table,
           (SELECT min(t.line) FROM stg_report_table AS t WHERE t.accession = r.accession AND t.kind = 'class')
               AS class_table_line
    FROM stg_report AS r
),
judged AS (
    SELECT accession FROM report WHERE kind = 'distribution_report' OR has_class_table
),
report_rows AS (
    SELECT accession, 'report' AS scope, NULL AS class, NULL AS pool, NULL AS section, 'class_rows' AS measure,
           greatest(class_rows, class_entities) AS observed, 1 AS expected,
           CASE WHEN greatest(class_rows, class_entities) > 0 THEN 0 ELSE -1 END AS residual,
           kind = 'distribution_report' OR has_class_table AS applicable,
           CASE WHEN kind <> 'distribution_report' AND NOT has_class_table
                    THEN 'not a distribution report (' || kind || '): no tables to read'
                WHEN class_rows > 0 THEN class_rows || ' class rows read'
                WHEN class_entities > 0
                    THEN class_entities || ' class rows read, in per-$1,000 figures only (no dollar amount per class)'
                WHEN has_class_table
                    THEN 'no class rows: the class table' || coalesce(' at line ' || class_table_line, '')
                         || ' has no row read'
                ELSE 'no class rows: the report prints no class table the parser could read' END AS detail
    FROM report
),
tab AS (
    SELECT t.* FROM dq_extraction_table AS t WHERE t.accession IN (SELECT j.accession FROM judged AS j)
),
-- ---------------------------------------------------------------- classes and pools in their tables
member AS (
    SELECT DISTINCT f.accession, f.table_no, t.kind, f.entity
    FROM stg_report_field AS f
    JOIN tab AS t USING (accession, table_no)
    WHERE f.entity IS NOT NULL AND ((t.kind = 'class' AND f.scope = 'class') OR (t.kind = 'pool' AND f.scope = 'pool'))
),
member_table AS (
    SELECT DISTINCT accession, table_no, kind FROM member
),
printed AS (
    SELECT f.accession, f.table_no, m.kind, f.measure, count(DISTINCT f.entity) AS n_entities
    FROM stg_report_field AS f
    JOIN member_table AS m USING (accession, table_no)
    WHERE f.value IS NOT NULL AND f.scope = m.kind
      AND ((m.kind = 'class' AND f.measure IN ('beginning_balance', 'principal', 'interest', 'ending_balance'))
           OR (m.kind = 'pool' AND f.measure IN ('beginning_balance', 'ending_balance')))
    GROUP BY ALL
),
class_long AS (
    SELECT accession, class AS entity, coalesce(notional, false) AS notional, coalesce(residual, false) AS residual,
           measure, value
    FROM (SELECT accession, class, notional, residual, beginning_balance, principal, interest, ending_balance
          FROM stg_class_period) AS c
    UNPIVOT INCLUDE NULLS (value FOR measure IN (beginning_balance, principal, interest, ending_balance))
),
pool_long AS (
    SELECT accession, pool AS entity, measure, value
    FROM (SELECT accession, pool, beginning_balance, ending_balance FROM stg_pool_period) AS p
    UNPIVOT INCLUDE NULLS (value FOR measure IN (beginning_balance, ending_balance))
),
paid_off AS (
    SELECT accession, class AS entity,
           coalesce(beginning_balance, 0) = 0 AND coalesce(principal, 0) = 0 AND coalesce(interest, 0) = 0
               AND coalesce(ending_balance, 0) = 0 AND coalesce(total_distribution, 0) = 0
               AND NOT (beginning_balance IS NULL AND principal IS NULL AND interest IS NULL
                        AND ending_balance IS NULL AND total_distribution IS NULL) AS all_zero
    FROM stg_class_period
),
-- (entity, measure) pairs a table asks of its rows: the first table printing the measure for another row
wanted_in_table AS (
    SELECT m.accession, m.kind, m.entity, p.measure,
           min(p.table_no) AS table_no, arg_min(p.n_entities, p.table_no) AS n_entities
    FROM member AS m
    JOIN printed AS p ON m.accession = p.accession AND m.table_no = p.table_no AND m.kind = p.kind
    GROUP BY m.accession, m.kind, m.entity, p.measure
),
-- rows the parser attached no field to: judged against every row of the report
loose AS (
    SELECT l.accession, 'class' AS kind, l.entity, l.measure
    FROM class_long AS l
    WHERE l.accession IN (SELECT j.accession FROM judged AS j)
      AND NOT EXISTS (SELECT 1 FROM member AS m WHERE m.accession = l.accession AND m.kind = 'class'
                                               AND m.entity = l.entity)
    UNION ALL
    SELECT l.accession, 'pool', l.entity, l.measure
    FROM pool_long AS l
    WHERE l.accession IN (SELECT j.accession FROM judged AS j)
      AND NOT EXISTS (SELECT 1 FROM member AS m WHERE m.accession = l.accession AND m.kind = 'pool'
                                               AND m.entity = l.entity)
),
report_printed AS (
    SELECT accession, 'class' AS kind, measure, count(*) AS n_entities
    FROM class_long WHERE value IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT accession, 'pool', measure, count(*) FROM pool_long WHERE value IS NOT NULL GROUP BY ALL
),
wanted AS (
    SELECT accession, kind, entity, measure, table_no, n_entities FROM wanted_in_table
    UNION ALL
    SELECT l.accession, l.kind, l.entity, l.measure, NULL, p.n_entities
    FROM loose AS l
    JOIN report_printed AS p ON l.accession = p.accession AND l.kind = p.kind AND l.measure = p.measure
),
entity_rows AS (
    SELECT w.accession, w.kind AS scope,
           CASE WHEN w.kind = 'class' THEN w.entity END AS class,
           CASE WHEN w.kind = 'pool' THEN w.entity END AS pool,
           t.table_key AS section,
           w.measure,
           CASE WHEN coalesce(c.value, p.value) IS NOT NULL THEN 1 ELSE 0 END AS observed, 1 AS expected,
           CASE WHEN coalesce(c.value, p.value) IS NOT NULL THEN 0 ELSE -1 END AS residual,
           CASE WHEN coalesce(c.value, p.value) IS NOT NULL THEN true
                WHEN w.kind = 'class' AND (c.notional OR c.residual) AND w.measure <> 'interest' THEN false
                WHEN w.kind = 'class' AND coalesce(z.all_zero, false) THEN false
                ELSE true END AS applicable,
           CASE WHEN coalesce(c.value, p.value) IS NOT NULL
                    THEN w.kind || ' ' || w.entity || ': ' || w.measure || ' read'
                ELSE w.kind || ' ' || w.entity || ' has no ' || w.measure
                     || CASE WHEN w.table_no IS NOT NULL THEN ': the ' || t.place || ' prints it for '
                             ELSE ': the report prints it for ' END
                     || w.n_entities || ' other ' || w.kind
                     || CASE WHEN w.n_entities = 1 THEN '' WHEN w.kind = 'class' THEN 'es' ELSE 's' END
                     || CASE WHEN w.kind = 'class' AND c.notional AND w.measure <> 'interest'
                                 THEN ' (not required of a notional, interest-only class)'
                             WHEN w.kind = 'class' AND c.residual AND w.measure <> 'interest'
                                 THEN ' (not required of a residual class)'
                             WHEN w.kind = 'class' AND coalesce(z.all_zero, false)
                                 THEN ' (not required of a paid-off class: every figure printed for it is zero)'
                             ELSE '' END
           END AS detail
    FROM wanted AS w
    LEFT JOIN tab AS t ON w.accession = t.accession AND w.table_no = t.table_no
    LEFT JOIN class_long AS c ON w.kind = 'class' AND w.accession = c.accession AND w.entity = c.entity
                          AND w.measure = c.measure
    LEFT JOIN pool_long AS p ON w.kind = 'pool' AND w.accession = p.accession AND w.entity = p.entity
                         AND w.measure = p.measure
    LEFT JOIN paid_off AS z ON w.kind = 'class' AND w.accession = z.accession AND w.entity = z.entity
    -- a field's entity the parser did not keep as a row (a repeated or stray label) is not judged here
    WHERE c.entity IS NOT NULL OR p.entity IS NOT NULL
),
-- a class whose identity is half printed: a beginning balance and no ending one, or principal
-- and a total distribution and no interest. Every statement gives the balance after the
-- distribution and what the total is made of; a reading that lost one of them cannot be checked.
-- The section is the class table the row's beginning balance (principal) was read in: where a
-- document is cut, that is the table the cut falls in, and the detail names it.
read_in AS (
    SELECT f.accession, f.entity, f.measure, arg_min(t.table_key, f.line) AS table_key,
           arg_min(t.place, f.line) AS place
    FROM stg_report_field AS f
    JOIN tab AS t USING (accession, table_no)
    WHERE f.scope = 'class' AND f.measure IN ('beginning_balance', 'principal') AND f.value IS NOT NULL
    GROUP BY ALL
),
identity_rows AS (
    SELECT c.accession, 'class' AS scope, c.class, NULL AS pool, r.table_key AS section, w.measure,
           0 AS observed, 1 AS expected, -1 AS residual,
           NOT coalesce(c.notional, false) AND NOT coalesce(c.residual, false) AND NOT coalesce(z.all_zero, false)
               AS applicable,
           'class ' || c.class || ' has no ' || w.measure || ': ' || w.why
               || coalesce(' (read in the ' || r.place || ')', '')
               || CASE WHEN coalesce(c.notional, false) THEN ' (not required of a notional, interest-only class)'
                       WHEN coalesce(c.residual, false) THEN ' (not required of a residual class)'
                       WHEN coalesce(z.all_zero, false) THEN ' (not required of a paid-off class)'
                       ELSE '' END AS detail
    FROM stg_class_period AS c
    CROSS JOIN (VALUES
        ('ending_balance', 'its beginning balance is read, so the report prints the balance after the distribution'),
        ('interest', 'its principal and total distribution are read, so the report prints what else the total holds')
    ) AS w (measure, why)
    LEFT JOIN paid_off AS z ON c.accession = z.accession AND c.class = z.entity
    LEFT JOIN read_in AS r ON c.accession = r.accession AND c.class = r.entity
                       AND r.measure
                           = CASE WHEN w.measure = 'ending_balance' THEN 'beginning_balance' ELSE 'principal' END
    WHERE c.accession IN (SELECT j.accession FROM judged AS j)
      AND ((w.measure = 'ending_balance' AND c.beginning_balance IS NOT NULL AND c.ending_balance IS NULL)
        OR (w.measure = 'interest' AND c.principal IS NOT NULL AND c.total_distribution IS NOT NULL
            AND c.interest IS NULL AND c.total_distribution <> c.principal))
),
-- ---------------------------------------------------------------- figures of a class no class claimed
-- Printed amounts and rates (a figure with a decimal point, a thousands separator, '$' or '%') that
-- the parser attached to no class: no measure, or a class measure read at deal or pool level.
loose_figure AS (
    SELECT accession, table_no, line, seq, label, raw
    FROM stg_report_field
    WHERE value IS NOT NULL AND regexp_matches(raw, '[0-9]') AND regexp_matches(raw, '[.,$%]')
      AND (entity IS NULL OR scope IS NULL OR scope NOT IN ('class', 'class_total'))
      AND (measure IS NULL OR measure IN ('original_balance', 'beginning_balance', 'principal', 'interest',
           'total_distribution', 'realized_loss', 'ending_balance', 'pass_through_rate', 'next_pass_through_rate',
           'principal_per_1000', 'interest_per_1000', 'total_per_1000', 'realized_loss_per_1000',
           'ending_balance_per_1000', 'interest_distributable', 'carryforward_interest', 'basis_risk_shortfall',
           'prepayment_interest_shortfall', 'interest_shortfall', 'remittance_amount', 'cumulative_realized_loss'))
      AND accession IN (SELECT j.accession FROM judged AS j)
    UNION ALL
    SELECT accession, table_no, line, seq, label, raw
    FROM stg_unread_figure
    WHERE source = 'table' AND value IS NOT NULL AND regexp_matches(raw, '[0-9]') AND regexp_matches(raw, '[.,$%]')
      AND (entity IS NULL OR scope IS NULL OR scope NOT IN ('class', 'class_total'))
      AND accession IN (SELECT j.accession FROM judged AS j)
),
loose_words AS (
    SELECT *, ' ' || trim(regexp_replace(upper(coalesce(label, '')), '[^A-Z0-9*@#-]+', ' ', 'g')) || ' ' AS words
    FROM loose_figure
),
-- the report's class designations: its class rows and the classes its fields are attached to. A
-- label names one when it prints "Class X" or "Tranche X", or, for a designation of letters and
-- digits (A-1, 2A), the designation alone.
designation AS (
    SELECT accession, entity,
           ' ' || trim(regexp_replace(upper(entity), '[^A-Z0-9*@#-]+', ' ', 'g')) || ' ' AS token,
           regexp_matches(entity, '[0-9]') AND regexp_matches(entity, '[A-Za-z]') AS distinctive
    FROM (SELECT accession, class AS entity FROM stg_class_period
          UNION
          SELECT accession, entity FROM stg_report_field WHERE scope = 'class' AND entity IS NOT NULL) AS e
    WHERE accession IN (SELECT j.accession FROM judged AS j) AND trim(entity) <> ''
),
class_figure AS (
    SELECT l.accession, d.entity AS class, l.table_no, l.line, l.seq, l.label, l.raw
    FROM loose_words AS l
    JOIN designation AS d ON l.accession = d.accession
    WHERE (d.distinctive AND contains(l.words, d.token))
       OR contains(l.words, ' CLASS' || d.token) OR contains(l.words, ' TRANCHE' || d.token)
),
class_figure_rows AS (
    SELECT g.accession, 'class' AS scope, g.class, NULL AS pool,
           coalesce(t.table_key, 'table ' || g.table_no || ', line ' || g.line, 'line ' || g.line) AS section,
           'class_figure' AS measure, g.n AS observed, 0 AS expected, g.n AS residual, true AS applicable,
           'class ' || g.class || ' has ' || g.n || ' unread figure' || CASE WHEN g.n = 1 THEN '' ELSE 's' END
               || ' whose label names it but no class field claimed'
               || coalesce(' (' || t.place || ')', '') || ': ' || g.sample AS detail
    FROM (SELECT accession, class, count(*) AS n, arg_min(table_no, line) AS table_no, min(line) AS line,
                 string_agg('''' || label || ''' ' || raw || ' at line ' || line, '; ' ORDER BY line, seq)
                     FILTER (WHERE rn <= 3) || CASE WHEN count(*) > 3 THEN '; ...' ELSE '' END AS sample
          FROM (SELECT *, row_number() OVER (PARTITION BY accession, class ORDER BY line, seq) AS rn
                FROM class_figure) AS f
          GROUP BY accession, class) AS g
    LEFT JOIN tab AS t ON g.accession = t.accession AND g.table_no = t.table_no
),
-- a row labelled by a CUSIP (nine characters with a letter, its check digit right) that no class
-- row of the report carries: a class row the parser did not read
known_cusip AS (
    SELECT DISTINCT accession, unnest(regexp_split_to_array(upper(cusip), '[^A-Z0-9*@#]+')) AS cusip
    FROM stg_class_period WHERE cusip IS NOT NULL
    UNION
    SELECT DISTINCT accession, unnest(regexp_split_to_array(upper(raw), '[^A-Z0-9*@#]+'))
    FROM stg_report_field WHERE measure = 'cusip' AND scope = 'class' AND raw IS NOT NULL
),
cusip_word AS (
    SELECT l.accession, l.table_no, l.line, l.seq, l.label, l.raw,
           unnest(list_distinct(string_split(trim(regexp_replace(l.words, '[^A-Z0-9*@#]+', ' ', 'g')), ' '))) AS cusip
    FROM loose_words AS l
),
cusip_figure AS (
    SELECT w.*
    FROM cusip_word AS w
    WHERE regexp_matches(w.cusip, '^[0-9A-Z*@#]{8}[0-9]$') AND regexp_matches(w.cusip, '[A-Z]')
      AND cusip_digit(w.cusip) = CAST(right(w.cusip, 1) AS INTEGER)
      AND NOT EXISTS (SELECT 1 FROM known_cusip AS k WHERE k.accession = w.accession AND k.cusip = w.cusip)
),
-- one failing row per row label carrying such CUSIPs (a row may print two: 144A and Reg S)
cusip_label AS (
    SELECT accession, label, string_agg(DISTINCT cusip, '/' ORDER BY cusip) AS cusips
    FROM cusip_figure GROUP BY accession, label
),
cusip_rows AS (
    SELECT g.accession, 'class' AS scope, NULL AS class, NULL AS pool,
           coalesce(t.table_key, 'table ' || g.table_no || ', line ' || g.line, 'line ' || g.line) AS section,
           'class_cusip' AS measure, g.n AS observed, 0 AS expected, g.n AS residual, true AS applicable,
           'a class row the parser did not read: ' || g.n || ' figure' || CASE WHEN g.n = 1 THEN '' ELSE 's' END
               || ' printed under CUSIP ' || g.cusips || coalesce(' in table ' || g.table_no, '')
               || ', a CUSIP no class row of the report carries: ' || g.sample AS detail
    FROM (SELECT f.accession, f.cusips, count(*) AS n, arg_min(f.table_no, f.line) AS table_no, min(f.line) AS line,
                 string_agg(f.raw || ' at line ' || f.line, ', ' ORDER BY f.line, f.seq) FILTER (WHERE f.rn <= 3)
                     || CASE WHEN count(*) > 3 THEN ', ...' ELSE '' END AS sample
          FROM (SELECT l.*, c.cusips, row_number() OVER (PARTITION BY l.accession, l.label ORDER BY l.line, l.seq) AS rn
                FROM loose_words AS l JOIN cusip_label AS c ON l.accession = c.accession AND l.label = c.label) AS f
          GROUP BY f.accession, f.cusips) AS g
    LEFT JOIN tab AS t ON g.accession = t.accession AND g.table_no = t.table_no
),
-- one passing row per report judged when neither kind of unclaimed class figure is printed
class_figure_pass AS (
    SELECT j.accession, 'report' AS scope, NULL AS class, NULL AS pool, NULL AS section, 'class_figure' AS measure,
           0 AS observed, 0 AS expected, 0 AS residual, true AS applicable,
           'every figure whose label names a class or a CUSIP of it is read as the class''s' AS detail
    FROM judged AS j
    WHERE NOT EXISTS (SELECT 1 FROM class_figure_rows AS r WHERE r.accession = j.accession)
      AND NOT EXISTS (SELECT 1 FROM cusip_rows AS r WHERE r.accession = j.accession)
),
-- ---------------------------------------------------------------- tables
unread_rows AS (
    SELECT accession, 'table' AS scope, NULL AS class, NULL AS pool, table_key AS section,
           'unread_figures' AS measure, unread_figures AS observed, 0 AS expected, unread_figures AS residual,
           true AS applicable,
           CASE WHEN unread_figures = 0 THEN place || ': every figure is under a header'
                ELSE place || ' has ' || unread_columns
                     || ' unread column' || CASE WHEN unread_columns = 1 THEN '' ELSE 's' END
                     || ', figures under no header that no measure claimed: ' || unread_list END
               || coalesce(' (not figures to read: ' || derived_columns || ')', '') AS detail
    FROM tab
),
confirmed_rows AS (
    SELECT accession, 'table' AS scope, NULL AS class, NULL AS pool, table_key AS section,
           'confirmed' AS measure, CASE WHEN confirmed THEN 1 ELSE 0 END AS observed, 1 AS expected,
           CASE WHEN confirmed THEN 0 ELSE -1 END AS residual,
           TRUE AS applicable,
           place || ': the parser '
               || CASE WHEN confirmed THEN 'confirmed its reading'
                       ELSE 'did not confirm its reading (a column no measure names, or identities that hold under no '
                            || 'reading)' END
               || coalesce(' (confidence ' || round(confidence, 2) || ')', '')
               || '; identities that held: ' || coalesce(nullif(array_to_string(identities, ', '), ''), 'none')
               AS detail
    FROM tab
    WHERE kind = 'class' AND confirmed IS NOT NULL
),
checked AS (
    SELECT * FROM report_rows
    UNION ALL
    SELECT * FROM entity_rows
    UNION ALL
    SELECT * FROM identity_rows
    UNION ALL
    SELECT * FROM class_figure_rows
    UNION ALL
    SELECT * FROM cusip_rows
    UNION ALL
    SELECT * FROM class_figure_pass
    UNION ALL
    SELECT * FROM unread_rows
    UNION ALL
    SELECT * FROM confirmed_rows
)
SELECT accession, 'extraction_completeness' AS check_name, 'error' AS severity, scope, class, pool,
       NULL AS bucket, section, measure, CAST(observed AS DOUBLE) AS observed, CAST(expected AS DOUBLE) AS expected,
       CAST(residual AS DOUBLE) AS residual, 0.0 AS tolerance, CAST(abs(residual) AS DOUBLE) AS abs_residual,
       coalesce(applicable, false) AS applicable, detail
FROM checked;
