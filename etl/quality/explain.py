"""Why a filing is quarantined: its verdict, the failing rows and where their figures were printed.

Read-only on purpose (``edgar-etl dq`` opens the published warehouse read-only): an operator sees
the residuals the pipeline judged and the report lines behind them, then fixes the parser and
re-validates, or releases the filing with a reason (``etl.quality.release``).
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from etl.quality.runner import _clean


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [{k: _clean(v) for k, v in zip(names, r, strict=True)} for r in cur.fetchall()]


_TABLE_NO = re.compile(r"^table (\d+)\b")


def _unread(con: duckdb.DuckDBPyConnection, accession: str, row: dict[str, Any]) -> list[dict[str, Any]]:
    """The figures behind an extraction check's table row: those of the table no measure claimed."""
    match = _TABLE_NO.match(str(row.get("section") or ""))
    if match is None:
        return []
    header = "header IS NOT DISTINCT FROM ?" if row["check_name"] == "extraction_unmapped_label" else "header IS NULL"
    params: list[Any] = [accession, int(match[1])]
    if row["check_name"] == "extraction_unmapped_label":
        params.append(row.get("measure"))
    try:
        return _rows(con, "SELECT coalesce(header, label, '') AS label, NULL AS measure, raw, document, line "
                          f"FROM stg_unread_figure WHERE accession = ? AND table_no = ? AND {header} "
                          "ORDER BY line, seq LIMIT 25", params)
    except duckdb.CatalogException:  # a warehouse built before stg_unread_figure existed
        return []


def _printed(con: duckdb.DuckDBPyConnection, accession: str, row: dict[str, Any]) -> list[dict[str, Any]]:
    """The report fields behind a failing row: same class or pool, or the Total's section; for an
    extraction check's table row, the table's figures no measure claimed."""
    if str(row.get("check_name") or "").startswith("extraction_") and row.get("scope") == "table":
        return _unread(con, accession, row)
    entity = row.get("class") if row.get("class") not in (None, "Total") else row.get("pool")
    if entity is not None:
        return _rows(con, "SELECT label, measure, raw, document, line FROM stg_report_field "
                          "WHERE accession = ? AND entity = ? ORDER BY line, seq LIMIT 25", [accession, entity])
    if row.get("section") is not None:
        return _rows(con, "SELECT label, measure, raw, document, line FROM stg_report_field "
                          "WHERE accession = ? AND section = ? AND measure IS NOT DISTINCT FROM ? "
                          "ORDER BY line, seq LIMIT 25", [accession, row["section"], row.get("measure")])
    return []


def explain(con: duckdb.DuckDBPyConnection, accession: str) -> dict[str, Any]:
    """Everything the warehouse knows about a filing's quality, as one JSON-ready dict."""
    status = _rows(con, "SELECT * FROM dq_filing_status WHERE accession = ?", [accession])
    report = _rows(con, "SELECT accession, cik, deal_name, form_type, document, distribution_date, kind, "
                        "amount_decimals, parse_error, warnings FROM stg_report WHERE accession = ?", [accession])
    if not status:
        return {"accession": accession, "status": None, "quarantined": False, "report": report[0] if report else None,
                "message": "no quality results: this filing was never validated"
                           + ("" if report else " and is not in the staged tables")}
    flagged = _rows(con, "SELECT check_name, severity, status, scope, class, pool, bucket, section, measure, "
                         "observed, expected, residual, tolerance, detail FROM dq_check_result "
                         "WHERE accession = ? AND status IN ('fail', 'warn') "
                         "ORDER BY severity, check_name, class, pool, section, measure", [accession])
    for row in flagged:
        row["printed"] = _printed(con, accession, row)
    counts = {r["status"]: r["n"] for r in _rows(
        con, "SELECT status, count(*) AS n FROM dq_check_result WHERE accession = ? GROUP BY status", [accession])}
    not_applicable = [r["check_name"] for r in _rows(
        con, "SELECT check_name FROM dq_check_result WHERE accession = ? GROUP BY check_name "
             "HAVING bool_and(status = 'not_applicable') ORDER BY check_name", [accession])]
    overrides = _rows(con, "SELECT check_name, reason, released_by, released_at, revoked_at FROM dq_override "
                           "WHERE accession = ? ORDER BY released_at", [accession])
    out = dict(status[0])
    out.update(report=report[0] if report else None, counts=counts, failures=flagged,
               not_applicable_checks=not_applicable, overrides=overrides)
    return out
