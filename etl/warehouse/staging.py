"""Turn parsed filings (the parser's dicts, see docs/CONTRACTS.md) into staged-table rows.

The same rows go to the warehouse (the DAG's load step) and to a throw-away in-memory DuckDB
(``edgar-etl validate`` on loose files), so the quality checks read one shape everywhere.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import duckdb
import pandas as pd

from etl.absee.load import ASSET_KIND, replace_assets
from etl.warehouse import schema

STAGED_TABLES: tuple[str, ...] = (
    "stg_report",
    "stg_class_period",
    "stg_class_total",
    "stg_pool_period",
    "stg_deal_measure",
    "stg_delinquency",
    "stg_report_field",
    "stg_report_table",
    "stg_unread_figure",
    "stg_annual_report",
    "stg_party_role",
    "stg_servicing_assessment",
    "stg_insurance_coverage",
)

_KEY_COLUMNS = {"accession", "class", "seq", "cusip", "notional", "residual", "pool", "is_total"}


def accession_of(parsed: Mapping[str, Any]) -> str:
    """The filing's accession, or a stable stand-in for a loose file with no envelope."""
    acc = parsed.get("accession")
    if acc:
        return str(acc)
    digest = hashlib.sha1(str(parsed.get("path", "")).encode()).hexdigest()[:12]
    return f"local-{digest}"


def _columns(table: str) -> list[str]:
    return _staged_columns()[table]


_COLS: dict[str, list[str]] = {}


def _staged_columns() -> dict[str, list[str]]:
    if not _COLS:
        con = duckdb.connect()
        schema.apply(con, ("macros", "raw", "staging"))
        for t in STAGED_TABLES:
            _COLS[t] = schema.table_columns(con, t)
        con.close()
    return _COLS


def _measures(table: str) -> list[str]:
    return [c for c in _columns(table) if c not in _KEY_COLUMNS]


def _rows_report(p: Mapping[str, Any], acc: str) -> list[dict[str, Any]]:
    return [
        {
            "accession": acc,
            "cik": p.get("cik"),
            "form_type": p.get("form_type"),
            "filed_date": p.get("filed_date"),
            "deal_name": p.get("deal_name"),
            "document": p.get("document"),
            "kind": p.get("kind"),
            "distribution_date": p.get("distribution_date"),
            "record_date": p.get("record_date"),
            "accrual_start": p.get("accrual_start"),
            "accrual_end": p.get("accrual_end"),
            "amount_decimals": p.get("amount_decimals"),
            "class_count": len(p.get("classes") or []),
            "pool_count": len(p.get("pools") or []),
            "field_count": len(p.get("fields") or []),
            "warnings": [str(w) for w in (p.get("warnings") or [])],
            "parse_error": p.get("error"),
            "parser_version": p.get("parser_version"),
        }
    ]


def _rows_classes(p: Mapping[str, Any], acc: str) -> list[dict[str, Any]]:
    measures = _measures("stg_class_period")
    rows, seen = [], set()
    for i, c in enumerate(p.get("classes") or []):
        name = c.get("class")
        if not name or name in seen:  # a repeated class keeps its first (earliest printed) row
            continue
        seen.add(name)
        row = {"accession": acc, "class": name, "seq": i, "cusip": c.get("cusip"),
               "notional": bool(c.get("notional")), "residual": bool(c.get("residual"))}
        row.update({m: c.get(m) for m in measures})
        rows.append(row)
    return rows


def _rows_class_totals(p: Mapping[str, Any], acc: str) -> list[dict[str, Any]]:
    # a section printing a subtotal and a total of one measure ("Total Class A Notes", then "Total
    # Notes") keeps the one covering the most rows, the first of equals: the subtotal covers a subset
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for t in p.get("class_totals") or []:
        key = (t.get("section") or "", t.get("measure"))
        if not key[1]:
            continue
        kept = rows.get(key)
        if kept is not None and (t.get("rows") or 0) <= (kept["n_rows"] or 0):
            continue
        rows[key] = {"accession": acc, "section": key[0], "measure": key[1], "value": t.get("value"),
                     "n_rows": t.get("rows"), "line": t.get("line")}
    return list(rows.values())


def _rows_pools(p: Mapping[str, Any], acc: str) -> list[dict[str, Any]]:
    measures = _measures("stg_pool_period")
    rows, seen = [], set()
    for pool in p.get("pools") or []:
        name = str(pool.get("pool") or "")
        if not name or name in seen:
            continue
        seen.add(name)
        row = {"accession": acc, "pool": name, "is_total": name.lower() in {"total", "all", "aggregate"}}
        row.update({m: pool.get(m) for m in measures})
        rows.append(row)
    return rows


def _rows_deal(p: Mapping[str, Any], acc: str) -> list[dict[str, Any]]:
    deal = p.get("deal") or {}
    return [{"accession": acc, "measure": k, "value": v, "raw": None}
            for k, v in sorted(deal.items()) if isinstance(v, int | float) or v is None]


def _rows_delinquency(p: Mapping[str, Any], acc: str) -> list[dict[str, Any]]:
    rows, seen = [], set()
    for d in p.get("delinquencies") or []:
        key = (str(d.get("pool") or "Total"), d.get("bucket"))
        if not key[1] or key in seen:
            continue
        seen.add(key)
        rows.append({"accession": acc, "pool": key[0], "bucket": key[1],
                     "loan_count": d.get("count", d.get("loan_count")),
                     "unpaid_principal_balance": d.get("unpaid_principal_balance"),
                     "stated_principal_balance": d.get("stated_principal_balance"),
                     "includes_fc_bk_reo": d.get("includes_fc_bk_reo")})
    return rows


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _rows_fields(p: Mapping[str, Any], acc: str) -> list[dict[str, Any]]:
    rows = []
    for i, f in enumerate(p.get("fields") or []):  # the most rows of any table: kept lean
        get = f.get
        entity, value = get("entity"), get("value")
        rows.append({"accession": acc, "seq": i, "document": get("document"), "section": get("section"),
                     "label": get("label"), "measure": get("measure"), "scope": get("scope"),
                     "entity": None if entity is None else str(entity),
                     "value": float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None,
                     "raw": get("raw"), "line": get("line"),
                     "table_no": get("table"), "row_no": get("row"), "column_no": get("column")})
    return rows


#: Field scopes that make the table holding them a class or pool table (issue 12's completeness).
_ENTITY_SCOPES = frozenset({"class", "class_total", "pool"})
_TOTAL_PREFIX = re.compile(r"^\s*totals?\b[\s:.-]*", re.I)
_FIGURE = re.compile(r"^\(?-?\$?\(?[\d,]*\.?\d+\)?%?\)?$")


def _tables(p: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The parser's ``tables`` entries that name a table number (absent in older parses: [])."""
    out, seen = [], set()
    for t in p.get("tables") or []:
        if not isinstance(t, dict):
            continue
        no = t.get("table")
        if not isinstance(no, int) or isinstance(no, bool) or no in seen:
            continue
        seen.add(no)
        out.append(t)
    return out


def _class_pool_tables(p: Mapping[str, Any]) -> set[int]:
    """Tables whose fields are class- or pool-scoped, or that the parser's ``tables`` calls so."""
    nos = {f.get("table") for f in p.get("fields") or [] if f.get("scope") in _ENTITY_SCOPES}
    nos |= {t["table"] for t in _tables(p) if t.get("kind") in ("class", "pool")}
    return {n for n in nos if isinstance(n, int)}


def _header(label: Any, scope: Any) -> str | None:
    """The header or row label a figure was printed under; None when the parser read none.

    A Total row's fields are labelled "Total <column header>", so a bare "Total" is no header.
    """
    text = str(label or "").strip()
    if scope == "class_total":
        text = _TOTAL_PREFIX.sub("", text).strip()
    return text or None


def _figure_value(raw: Any) -> float | None:
    """A printed figure as a number ('(1,234.50)' -> -1234.5, '12.5%' -> 12.5); None if not one."""
    text = str(raw or "").replace(" ", "")
    if not _FIGURE.match(text):
        return None
    value = float(re.sub(r"[()$%,-]", "", text))
    return -value if text.startswith(("(", "-")) else value


def _rows_tables(p: Mapping[str, Any], acc: str) -> list[dict[str, Any]]:
    rows = []
    for t in _tables(p):
        columns = [c for c in t.get("columns") or [] if isinstance(c, dict)]
        confidence = t.get("confidence")
        confirmed = t.get("confirmed")
        rows.append({
            "accession": acc, "table_no": t["table"], "line": t.get("line"), "kind": t.get("kind"),
            "orientation": t.get("orientation"), "column_count": len(columns),
            "columns_json": json.dumps(columns, default=str, separators=(",", ":")),
            "unmapped_labels": [str(c.get("label")).strip() for c in columns
                                if c.get("measure") is None and str(c.get("label") or "").strip()],
            "identities": [str(i) for i in t.get("identities") or []],
            "confirmed": confirmed if isinstance(confirmed, bool) else None,
            "confidence": _num(confidence),
            "unread_count": len(t.get("unread") or []),
        })
    return rows


def _rows_unread(p: Mapping[str, Any], acc: str) -> list[dict[str, Any]]:
    """Figures in class and pool tables that no measure claimed, from the fields and ``tables[].unread``."""
    tables = _class_pool_tables(p)
    rows: list[dict[str, Any]] = []
    seen: set[tuple[Any, Any, str]] = set()
    for f in p.get("fields") or []:
        if f.get("measure") is not None or f.get("table") not in tables or _num(f.get("value")) is None:
            continue
        seen.add((f.get("table"), f.get("line"), str(f.get("raw"))))
        rows.append({"accession": acc, "seq": len(rows), "document": f.get("document"), "section": f.get("section"),
                     "table_no": f.get("table"), "line": f.get("line"), "column_no": f.get("column"),
                     "label": f.get("label"), "header": _header(f.get("label"), f.get("scope")),
                     "scope": f.get("scope"), "entity": None if f.get("entity") is None else str(f.get("entity")),
                     "value": _num(f.get("value")), "raw": f.get("raw"), "source": "field"})
    for t in _tables(p):
        if t["table"] not in tables:
            continue
        labels = {c.get("column"): c for c in t.get("columns") or [] if isinstance(c, dict)}
        for u in t.get("unread") or []:
            if not isinstance(u, dict) or (t["table"], u.get("line"), str(u.get("raw"))) in seen:
                continue
            seen.add((t["table"], u.get("line"), str(u.get("raw"))))
            value = _figure_value(u.get("raw"))
            if value is None:  # words or dates among the cells: not a figure
                continue
            col = labels.get(u.get("column")) or {}
            label = u.get("label") if "label" in u else (col.get("label") if col.get("measure") is None else None)
            rows.append({"accession": acc, "seq": len(rows), "document": p.get("document"), "section": None,
                         "table_no": t["table"], "line": u.get("line"), "column_no": u.get("column"),
                         "label": label, "header": _header(label, None), "scope": None, "entity": None,
                         "value": value, "raw": u.get("raw"), "source": "table"})
    return rows


def _rows_annual(p: Mapping[str, Any], acc: str) -> dict[str, list[dict[str, Any]]]:
    ar = p.get("annual_report")
    if not ar:
        return {}
    out: dict[str, list[dict[str, Any]]] = {
        "stg_annual_report": [{
            "accession": acc, "cik": p.get("cik"), "fiscal_year_end": ar.get("fiscal_year_end"),
            "trust": ar.get("trust"), "depositor": ar.get("depositor"),
            "commission_file_number": ar.get("commission_file_number"),
            "closing_date": ar.get("closing_date"), "holders_of_record": ar.get("holders_of_record"),
            "era": ar.get("era"), "distribution_report_dates": list(ar.get("distribution_report_dates") or []),
        }],
        "stg_party_role": [],
        "stg_servicing_assessment": [],
        "stg_insurance_coverage": [],
    }
    seen: set[tuple[str, ...]] = set()
    for party in p.get("parties") or []:
        key = (party.get("name"), party.get("role"))
        if all(key) and key not in seen:
            seen.add(key)
            out["stg_party_role"].append({"accession": acc, "party": key[0], "role": key[1]})
    for a in p.get("servicing_assessments") or []:
        key = (a.get("party"), a.get("criterion"))
        if all(key) and key not in seen:
            seen.add(key)
            out["stg_servicing_assessment"].append({
                "accession": acc, "party": key[0], "criterion": key[1], "framework": a.get("framework"),
                "status": a.get("status"), "detail": a.get("detail"), "sample_size": a.get("sample_size"),
                "sample_exceptions": a.get("sample_exceptions")})
    for ins in p.get("insurance") or []:
        out["stg_insurance_coverage"].append({
            "accession": acc, "party": ins.get("party") or "", "policy_type": ins.get("type"),
            "amount": ins.get("amount"), "start_date": ins.get("start"), "end_date": ins.get("end")})
    return out


def to_rows(parsed: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Staged rows of every table for ``parsed`` filings."""
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in STAGED_TABLES}
    for p in parsed:
        if p.get("kind") == ASSET_KIND:  # an ABS-EE: its asset tables, not a report's (replace_assets)
            continue
        acc = accession_of(p)
        out["stg_report"] += _rows_report(p, acc)
        out["stg_class_period"] += _rows_classes(p, acc)
        out["stg_class_total"] += _rows_class_totals(p, acc)
        out["stg_pool_period"] += _rows_pools(p, acc)
        out["stg_deal_measure"] += _rows_deal(p, acc)
        out["stg_delinquency"] += _rows_delinquency(p, acc)
        out["stg_report_field"] += _rows_fields(p, acc)
        out["stg_report_table"] += _rows_tables(p, acc)
        out["stg_unread_figure"] += _rows_unread(p, acc)
        for table, rows in _rows_annual(p, acc).items():
            out[table] += rows
    return out


def to_frames(parsed: Iterable[Mapping[str, Any]]) -> dict[str, pd.DataFrame]:
    """Like ``to_rows`` but as DataFrames with exactly the staged tables' columns."""
    frames = {}
    for table, rows in to_rows(parsed).items():
        frames[table] = pd.DataFrame(rows, columns=_columns(table))
    return frames


_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")
_INT_LIMITS = {"TINYINT": 2**7, "SMALLINT": 2**15, "INTEGER": 2**31, "BIGINT": 2**63}


def _limit(kind: str) -> int | None:
    m = _DECIMAL.fullmatch(kind)
    if m:
        return int(10 ** (int(m[1]) - int(m[2])))
    return _INT_LIMITS.get(kind)


def too_wide(frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Filings with a figure wider than its column (accession -> reason), found column-wise.

    Checked before the insert, so one misprinted or hostile figure fails its own filing with a
    recorded reason instead of aborting the staging transaction of every filing written with it.
    """
    types = _types()
    bad: dict[str, str] = {}
    for table, frame in frames.items():
        for col in frame.columns:
            limit = _limit(types[table].get(col, ""))
            if limit is None or col in _KEY_COLUMNS or frame[col].dtype == bool:
                continue
            data = frame[col]
            if data.dtype.kind in "fiu":
                values = data.astype(float)
            else:  # mixed or huge Python ints: convert cell by cell
                values = pd.to_numeric(data.map(lambda v: float(v) if isinstance(v, int | float) and
                                                not isinstance(v, bool) else None), errors="coerce")
            over = values.notna() & ~(values.abs() < limit)
            for i in over[over].index:
                acc = str(frame.at[i, "accession"])
                if acc not in bad:
                    cls = frame.at[i, "class"] if "class" in frame.columns else None
                    where = f" (class {cls})" if isinstance(cls, str) and cls else ""
                    bad[acc] = f"{table}.{col}{where} = {frame.at[i, col]!r} does not fit {types[table][col]}"
    return bad


class StagingError(ValueError):
    """Parsed figures that cannot be stored; the message names the filing, table and column."""


def replace_staged(con: duckdb.DuckDBPyConnection, parsed: Sequence[Mapping[str, Any]],
                   rejected: dict[str, str] | None = None) -> int:
    """Replace the staged rows of these filings; the caller owns the transaction.

    A filing with a figure too wide for its column is not inserted (its old staged rows are removed
    too): it goes into ``rejected`` (accession -> reason) when given, else StagingError is raised.
    Returns the number of filings staged.
    """
    accessions = sorted({accession_of(p) for p in parsed})
    if not accessions:
        return 0
    rows = to_rows(parsed)
    frames = {t: pd.DataFrame(rows[t], columns=_columns(t)) for t in STAGED_TABLES if rows[t]}
    del rows
    bad = too_wide(frames)
    if bad:
        if rejected is None:
            acc, reason = next(iter(bad.items()))
            raise StagingError(f"{acc}: {reason}")
        rejected.update(bad)
        frames = {t: f[~f["accession"].isin(list(bad))] for t, f in frames.items()}
    con.execute("CREATE OR REPLACE TEMP TABLE _load_acc AS SELECT unnest(?::VARCHAR[]) AS accession",
                [accessions])
    for table in STAGED_TABLES:
        frame = frames.get(table)
        if frame is not None and len(frame) and primary_key(table):
            replace_frame(con, table, frame, _types()[table])
            continue
        con.execute(f"DELETE FROM {table} WHERE accession IN (SELECT accession FROM _load_acc)")
        if frame is not None and len(frame):  # no key (rows may repeat): delete and insert them all
            insert_frame(con, table, frame, _types()[table])
    assets = [p for p in parsed if p.get("kind") == ASSET_KIND and accession_of(p) not in bad]
    if assets:  # ABS-EE filings: their EX-102 Parquet, bulk-loaded
        missing: dict[str, str] = {}
        replace_assets(con, assets, rejected=missing if rejected is not None else None)
        if rejected is not None:
            rejected.update(missing)
        bad = {**bad, **missing}
    return len(accessions) - len(bad)


def _cast_select(frame: pd.DataFrame, types: dict[str, str]) -> tuple[pd.DataFrame, str]:
    """The frame to register as ``_frame`` and the select list casting each column to its type.

    The cast matters: pandas cannot type an all-NULL or mixed column the way the table does. A list
    column (VARCHAR[]) goes through JSON text: DuckDB types a column of Python lists from a sample of
    its rows, and a sample of empty lists types it NULL[], which no later string fits.
    """
    lists = [c for c in frame.columns if types[c] == "VARCHAR[]" and frame[c].dtype == object]
    if lists:
        frame = frame.copy()
        for c in lists:
            frame[c] = frame[c].map(lambda v: None if v is None else json.dumps([str(x) for x in v]))
    select = ", ".join(f'CAST(CAST("_frame"."{c}" AS JSON) AS VARCHAR[]) AS "{c}"' if c in lists
                       else f'CAST("_frame"."{c}" AS {types[c]}) AS "{c}"' for c in frame.columns)
    return frame, select


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, types: dict[str, str],
                 or_replace: bool = False) -> None:
    """Insert a DataFrame into ``table`` in one statement, each column cast to its declared type
    (``_cast_select``)."""
    frame, select = _cast_select(frame, types)
    con.register("_frame", frame)
    try:
        verb = "INSERT OR REPLACE" if or_replace else "INSERT"
        con.execute(f"{verb} INTO {table} BY NAME SELECT {select} FROM _frame")
    finally:
        con.unregister("_frame")


def _same(a: str, b: str, column: str, kind: str) -> str:
    """SQL: column ``column`` of rows ``a`` and ``b`` holds the same value (NULLs alike; a DOUBLE's
    sign too, as ``-0.0 = 0.0`` would keep the old zero where a replace writes the new one)."""
    same = f'{a}."{column}" IS NOT DISTINCT FROM {b}."{column}"'
    if kind in ("DOUBLE", "FLOAT", "REAL"):
        same += f' AND signbit({a}."{column}") IS NOT DISTINCT FROM signbit({b}."{column}")'
    return same


def replace_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, types: dict[str, str]) -> None:
    """Make ``table``'s rows of the filings in ``_load_acc`` exactly ``frame``'s, touching only rows
    that change; the caller owns the transaction.

    The same end state as deleting the filings' rows and inserting the frame, but a row staged again
    unchanged (``reprocess --all`` of a filing the parser reads as before) is neither deleted nor
    inserted again: DuckDB's cost of a delete and re-insert of one key in a keyed table, paid at
    COMMIT, was most of the writer's time on a re-stage. A changed row is deleted (it equals no row
    of the frame, column by column) and its new version inserted (its key is then free).
    """
    held = con.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE accession IN "
                       "(SELECT accession FROM _load_acc))").fetchall()
    if not held[0][0]:  # first staging of these filings (a backfill): nothing to compare
        insert_frame(con, table, frame, types)
        return
    frame, select = _cast_select(frame, types)
    key = primary_key(table)
    con.register("_frame", frame)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE _load_rows AS SELECT {select} FROM _frame")
    finally:
        con.unregister("_frame")
    try:
        on = " AND ".join(f'o."{c}" = n."{c}"' for c in key)  # key columns are NOT NULL
        same = " AND ".join(_same("n", "o", c, types[c]) for c in frame.columns if c not in key)
        changed = f'n."{key[0]}" IS NULL' + (f" OR NOT ({same})" if same else "")
        con.execute(f"DELETE FROM {table} WHERE rowid IN (SELECT o.rowid FROM {table} AS o "
                    f"LEFT JOIN _load_rows AS n ON {on} "
                    f"WHERE o.accession IN (SELECT accession FROM _load_acc) AND ({changed}))")
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _load_rows AS n WHERE NOT EXISTS "
                    f"(SELECT 1 FROM {table} AS o WHERE o.accession IN (SELECT accession FROM _load_acc) AND {on})")
    finally:
        con.execute("DROP TABLE IF EXISTS _load_rows")


_TYPES: dict[str, dict[str, str]] = {}


def _types() -> dict[str, dict[str, str]]:
    """Column -> declared type, in column order, of every state table (``etl/sql/raw``, ``etl/sql/staging``)."""
    if not _TYPES:
        con = duckdb.connect()
        schema.apply(con, ("macros", "raw", "staging"))
        for t, col, kind in con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position").fetchall():
            _TYPES.setdefault(t, {})[col] = kind
        con.close()
    return _TYPES


_KEYS: dict[str, list[str]] = {}


def primary_key(table: str) -> list[str]:
    """The primary-key columns of a staged or state table (``etl/sql/raw``, ``etl/sql/staging``);
    [] for a table without one."""
    if not _KEYS:
        con = duckdb.connect()
        schema.apply(con, ("macros", "raw", "staging"))
        for t, cols in con.execute(
            "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
            "WHERE constraint_type = 'PRIMARY KEY' AND schema_name = 'main'").fetchall():
            _KEYS[t] = list(cols)
        con.close()
    return _KEYS.get(table, [])


def column_types(table: str) -> dict[str, str]:
    """Column -> declared type, in column order, of a state table."""
    return _types()[table]


def dumps(parsed: Mapping[str, Any]) -> str:
    """The parsed dict as one JSON line (dates already strings in the contract)."""
    return json.dumps(parsed, default=str, separators=(",", ":"))
