"""Validate staged filings: residual views -> Great Expectations suites -> ``dq_check_result``.

The arithmetic of every identity lives in SQL (``etl/sql/quality/dq_*.sql``), so analysts can query the
same residuals the pipeline judged; GX decides pass/fail from those rows, one DataFrame per suite for
the whole batch of filings, and renders Data Docs. A filing with a failed ``error`` check is
quarantined by ``dq_filing_status`` until a re-validation passes or an operator releases it.
"""

from __future__ import annotations

import math
import re
import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from etl.quality.gx_runner import ROW_ID, GxSession
from etl.quality.suites import Suite, SuiteError, checks_by_name, load_suites

#: Columns every dq_ view returns, in order (the contract between etl/sql/quality and this module).
VIEW_COLUMNS: tuple[str, ...] = (
    "accession", "check_name", "severity", "scope", "class", "pool", "bucket", "section", "measure",
    "observed", "expected", "residual", "tolerance", "abs_residual", "applicable", "detail",
)
RESULT_COLUMNS: tuple[str, ...] = (
    "run_id", "accession", "check_name", "suite", "severity", "scope", "class", "pool", "bucket", "section",
    "measure", "observed", "expected", "residual", "tolerance", "status", "detail", "checked_at",
)
SCOPE_KEYS: tuple[str, ...] = ("class", "pool", "bucket", "section", "measure")
STATUSES: tuple[str, ...] = ("pass", "fail", "warn", "not_applicable")


def new_run_id(prefix: str = "dq") -> str:
    """A run id for callers without one of their own (the DAG passes its Airflow run id)."""
    return f"{prefix}-{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def _clean(value: Any) -> Any:
    """NaN/NA from pandas back to None, numpy scalars to Python, so rows serialise and insert as NULL."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


#: Filings validated per chunk: bounds the memory of a backfill of any size (a chunk's check rows are
#: about a million at most) while keeping GX's fixed cost per suite run small per filing. Measured on
#: 4,814 filings (1.0 M check rows): 1,000 a chunk took 31 s, 2,500 22 s, 5,000 17 s. On 19,310
#: filings with a 768 MB DuckDB buffer, 2,500 a chunk peaked at 1.11 GB and 5,000 at 1.25 GB: the
#: buffer sets the peak more than the chunk; with 384 MB, 5,000 a chunk peaks at 0.89 GB in 52 s.
CHUNK_FILINGS = 5000


def _evaluate_suite(con: duckdb.DuckDBPyConnection, suite: Suite, table: str) -> pd.DataFrame:
    """Materialise the suite's residual rows of the chunk in ``table``; returns for GX the
    columns its expectations read (``_collect_results`` takes the rest from ``table``)."""
    columns = ", ".join(f'"{c}"' for c in VIEW_COLUMNS)
    union = " UNION ALL ".join(
        f"SELECT {columns} FROM {view} WHERE accession IN (SELECT accession FROM _dq_batch)"
        for view in suite.views
    )
    con.execute(f"""CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT (row_number() OVER (ORDER BY accession, check_name, scope, class, pool, bucket, section,
                                   measure) - 1)::BIGINT AS {ROW_ID}, *
        FROM ({union})""")
    unread = sorted(set(suite.columns) - set(VIEW_COLUMNS))
    if unread:
        raise SuiteError(f"{suite.path.name}: expectations read columns the views do not return: {unread}")
    read = ", ".join(f'"{c}"' for c in (ROW_ID, *suite.columns))
    frame = con.execute(f"SELECT {read} FROM {table} ORDER BY {ROW_ID}").df()
    # a few dozen names over up to a million rows: codes, not a Python string per row
    frame["check_name"] = frame["check_name"].astype("category")
    unknown = set(frame["check_name"]) - {c.name for c in suite.checks}
    if unknown:
        raise SuiteError(f"{suite.path.name}: views emit checks without an expectation: {sorted(unknown)}")
    return frame


def _collect_results(con: duckdb.DuckDBPyConnection, suite: Suite, flagged: dict[str, set[int]], run_id: str,
                     checked_at: datetime, table: str) -> None:
    """Append the chunk's rows of ``suite`` (materialised in ``table``) with their status to
    ``_dq_out`` (all in SQL).

    A row counts as flagged only by its own check's expectation (``flagged``: check -> row ids).
    """
    pairs = sorted((i, check) for check, ids in flagged.items() for i in ids)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _dq_flagged AS SELECT unnest(?::BIGINT[]) AS {ROW_ID}, "
                "unnest(?::VARCHAR[]) AS check_name", [[p[0] for p in pairs], [p[1] for p in pairs]])
    con.execute(f"""INSERT INTO _dq_out
        SELECT ?, e.accession, e.check_name, ?, e.severity, e.scope, e.class, e.pool, e.bucket, e.section,
               e.measure, e.observed, e.expected, e.residual, e.tolerance,
               CASE WHEN NOT coalesce(e.applicable, false) THEN 'not_applicable'
                    WHEN f.{ROW_ID} IS NOT NULL THEN CASE WHEN e.severity = 'error' THEN 'fail' ELSE 'warn' END
                    ELSE 'pass' END,
               e.detail, ?
        FROM {table} AS e LEFT JOIN _dq_flagged AS f ON f.{ROW_ID} = e.{ROW_ID} AND f.check_name = e.check_name
        ORDER BY e.{ROW_ID}""", [run_id, suite.name, checked_at])


#: Every staged filing and its filer: the reports, and the asset-data filings (ABS-EE).
_FILERS = ("SELECT accession, cik FROM main.stg_report "
           "UNION SELECT accession, cik FROM main.stg_asset_filing")


def _by_deal(con: duckdb.DuckDBPyConnection, accs: list[str]) -> list[str]:
    """``accs`` ordered by filer, then accession: a chunk then holds whole deals, so the history it
    needs (``_narrow_to_chunk_deals``) is a few deals', not the warehouse's."""
    rows = con.execute(
        f"SELECT a.accession FROM (SELECT unnest(?::VARCHAR[]) AS accession) AS a "
        f"LEFT JOIN ({_FILERS}) AS r USING (accession) ORDER BY r.cik NULLS LAST, a.accession",
        [accs]).fetchall()
    return [str(r[0]) for r in rows]


def _narrow_to_chunk_deals(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Shadow every staged table by the rows of the chunk's filers only (temp tables, which the
    quality views read before the main ones), so a chunk's checks and their per-deal context
    (previous report, continuity) are computed over those filers' history, not over every filing
    ever staged: the cost of a chunk stays flat however large the warehouse grows. Every
    cross-filing check pairs filings of one filer (``cik``), so the rows left out cannot change a
    result. Returns the shadowed tables (none when the chunk's filers are the whole history)."""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _dq_context AS
        WITH filers AS ({_FILERS})
        SELECT accession FROM filers
        WHERE cik IN (SELECT f.cik FROM filers AS f JOIN _dq_batch AS b USING (accession))
        UNION SELECT accession FROM _dq_batch""")
    held = (con.execute(f"SELECT count(*) FROM ({_FILERS})").fetchone() or (0,))[0]
    kept = (con.execute("SELECT count(*) FROM _dq_context").fetchone() or (0,))[0]
    if kept >= held:
        return []
    tables = [str(r[0]) for r in con.execute(
        "SELECT DISTINCT table_name FROM duckdb_columns() WHERE schema_name = 'main' "
        "AND database_name = current_database() AND column_name = 'accession' "
        "AND starts_with(table_name, 'stg_') ORDER BY 1").fetchall()]
    for t in tables:
        con.execute(f'CREATE OR REPLACE TEMP TABLE "{t}" AS SELECT * FROM main."{t}" '
                    "WHERE accession IN (SELECT accession FROM _dq_context)")
    return tables


@cache
def shared_views(check_views: tuple[str, ...]) -> tuple[str, ...]:
    """The quality views that two or more models read, among those ``check_views`` depend on,
    in apply order: the helpers (a report's context, its class values, the Total's inclusion rule)
    that DuckDB would otherwise compute again inside every check view that reads them."""
    from etl.warehouse import schema

    models = {m.name: m for m in schema.load_models() if m.layer == "quality"}
    needed: set[str] = set()
    todo = list(check_views)
    while todo:
        name = todo.pop()
        if name in models and name not in needed:
            needed.add(name)
            todo += models[name].depends_on
    readers = Counter(d for name in needed for d in set(models[name].depends_on))
    return tuple(name for name, m in models.items() if name in needed and readers[name] >= 2
                 and re.search(rf"CREATE\s+OR\s+REPLACE\s+VIEW\s+{name}\b", m.sql, re.IGNORECASE))


def _materialise_shared(con: duckdb.DuckDBPyConnection, suites: Sequence[Suite]) -> list[str]:
    """Compute each shared helper view once for the chunk, into a temp table of its name, which the
    check views then read instead of the view (as they read the chunk's staged tables): at 4,814
    filings ``dq_report_context`` took 0.1 s and 22 views read it. Each is built after the staged
    tables are narrowed to the chunk's deals and after the helpers it reads, so it holds what the
    view would return for the chunk. Returns them, for ``_widen`` to drop."""
    made: list[str] = []
    for view in shared_views(tuple(v for suite in suites for v in suite.views)):
        con.execute(f'CREATE OR REPLACE TEMP TABLE "{view}" AS SELECT * FROM main."{view}"')
        made.append(view)
    return made


def _widen(con: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> None:
    for t in tables:
        con.execute(f'DROP TABLE IF EXISTS temp."{t}"')


#: Two tables for the suites' residual rows: one is read by ``_collect_results`` while the next
#: suite's rows are materialised in the other.
_EVAL_TABLES = ("_dq_eval_0", "_dq_eval_1")


def _run_suites(con: duckdb.DuckDBPyConnection, suites: Sequence[Suite], session: GxSession,
                gx_thread: ThreadPoolExecutor, run_id: str, checked_at: datetime) -> None:
    """Every suite over the chunk, Great Expectations judging one suite's frame in ``gx_thread``
    while DuckDB computes the next suite's residuals here: DuckDB lets go of the GIL while it
    runs a query, so the two share the cores (576 filings: 3.2 -> 2.8 s; each took about 1 s). Results are collected in suite order, as one after the other."""
    pending: tuple[Suite, str, Future[dict[str, set[int]]]] | None = None
    for i, suite in enumerate(suites):
        table = _EVAL_TABLES[i % 2]  # never the pending suite's table
        frame = _evaluate_suite(con, suite, table)
        if pending is not None:
            _collect_results(con, pending[0], pending[2].result(), run_id, checked_at, pending[1])
            pending = None
        if len(frame):
            pending = (suite, table, gx_thread.submit(session.run, suite, frame))
        del frame
    if pending is not None:
        _collect_results(con, pending[0], pending[2].result(), run_id, checked_at, pending[1])


def _begin(con: duckdb.DuckDBPyConnection) -> bool:
    """Open a transaction unless the caller already holds one; returns whether we own it."""
    try:
        con.execute("BEGIN TRANSACTION")
    except duckdb.TransactionException:
        return False
    return True


def _write(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the chunk's filings' results by ``_dq_out`` in one transaction."""
    own = _begin(con)
    try:
        con.execute("DELETE FROM dq_check_result WHERE accession IN (SELECT accession FROM _dq_batch)")
        con.execute("INSERT INTO dq_check_result BY NAME SELECT * FROM _dq_out")
        if own:
            con.execute("COMMIT")
    except BaseException:
        if own:
            con.execute("ROLLBACK")
        raise


#: Data Docs being built beside what follows validation in this process (``docs_later``).
_docs_pending: list[threading.Thread] = []


def finish_docs() -> None:
    """Wait for the Data Docs a ``docs_later`` validation left building (none: returns at once)."""
    while _docs_pending:
        _docs_pending.pop(0).join()


def _build_docs(session: GxSession, later: bool) -> None:
    if not later:
        session.build_docs()
        return
    # not a daemon: the process does not end before its docs are written
    thread = threading.Thread(target=session.build_docs, name="dq-docs")
    thread.start()
    _docs_pending.append(thread)


def _validate(con: duckdb.DuckDBPyConnection, accessions: Iterable[str], run_id: str, data_dir: Path | None,
              checked_at: datetime | None, chunk_filings: int, collect: bool,
              docs_later: bool = False) -> tuple[int, list[dict[str, Any]]]:
    finish_docs()  # one site, updated by one run at a time
    accs = sorted({str(a) for a in accessions})
    if not accs:
        return 0, []
    if checked_at is None:
        checked_at = datetime.now(UTC)
    if checked_at.tzinfo is not None:  # stored as naive UTC
        checked_at = checked_at.astimezone(UTC).replace(tzinfo=None)
    session = GxSession(run_id, Path(data_dir) / "dq_docs" if data_dir is not None else None)
    suites = load_suites()
    if len(accs) > chunk_filings:
        accs = _by_deal(con, accs)
    count, rows = 0, []
    gx_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gx")
    try:
        for start in range(0, len(accs), max(1, chunk_filings)):
            chunk = accs[start:start + max(1, chunk_filings)]
            con.execute("CREATE OR REPLACE TEMP TABLE _dq_batch AS SELECT unnest(?::VARCHAR[]) AS accession", [chunk])
            con.execute("CREATE OR REPLACE TEMP TABLE _dq_out AS SELECT "
                        + ", ".join(f'"{c}"' for c in RESULT_COLUMNS) + " FROM dq_check_result LIMIT 0")
            shadowed = _narrow_to_chunk_deals(con)
            try:
                shadowed += _materialise_shared(con, suites)
                _run_suites(con, suites, session, gx_thread, run_id, checked_at)
            finally:
                _widen(con, shadowed)
            _write(con)
            count += (con.execute("SELECT count(*) FROM _dq_out").fetchone() or (0,))[0]
            if collect:
                cur = con.execute("SELECT * FROM _dq_out")
                names = [d[0] for d in cur.description]
                rows += [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        gx_thread.shutdown(wait=True, cancel_futures=True)
    for temp in (*_EVAL_TABLES, "_dq_flagged", "_dq_out", "_dq_context"):
        con.execute(f"DROP TABLE IF EXISTS {temp}")
    _build_docs(session, docs_later)
    return count, rows


def validate_staged(con: duckdb.DuckDBPyConnection, accessions: Iterable[str], run_id: str,
                    data_dir: Path | None = None, checked_at: datetime | None = None) -> list[dict[str, Any]]:
    """Check the staged rows of ``accessions``, record the outcome in ``dq_check_result``, return the rows.

    ``con`` must hold the staged tables (plus the deal's earlier reports for the cross-period checks)
    and the quality layer of ``etl/sql/``. The filings' previous results are replaced, so re-running is
    idempotent. With ``data_dir``, Great Expectations' Data Docs are rebuilt in ``data_dir/dq_docs``.
    """
    return _validate(con, accessions, run_id, data_dir, checked_at, CHUNK_FILINGS, collect=True)[1]


def validate_many(con: duckdb.DuckDBPyConnection, accessions: Iterable[str], run_id: str,
                  data_dir: Path | None = None, checked_at: datetime | None = None,
                  chunk_filings: int = CHUNK_FILINGS, docs_later: bool = False) -> int:
    """Like ``validate_staged`` for a backfill of any size: chunk by chunk, returns the row count only.

    ``docs_later``: return once the results are recorded and build the Data Docs in a thread,
    beside what the caller does next (publish), which waits for them with ``finish_docs``.
    """
    return _validate(con, accessions, run_id, data_dir, checked_at, chunk_filings, collect=False,
                     docs_later=docs_later)[0]


def filing_status(con: duckdb.DuckDBPyConnection, accessions: Iterable[str]) -> list[dict[str, Any]]:
    """``dq_filing_status`` rows of these filings (those validated at least once)."""
    accs = sorted({str(a) for a in accessions})
    cur = con.execute("SELECT * FROM dq_filing_status WHERE accession IN (SELECT unnest(?::VARCHAR[])) "
                      "ORDER BY accession", [accs])
    names = [d[0] for d in cur.description]
    return [{k: _clean(v) for k, v in zip(names, r, strict=True)} for r in cur.fetchall()]


def revalidate(con: duckdb.DuckDBPyConnection, accessions: Iterable[str], run_id: str | None = None,
               data_dir: Path | None = None, parsed: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Re-check filings after a parser fix; returns their new ``dq_filing_status`` rows.

    The main way out of quarantine: re-parse the raw filing with the fixed parser, pass the new
    parsed dicts as ``parsed`` (their staged rows are replaced first), and the checks run again on
    the corrected figures. Without ``parsed`` the current staged rows are re-checked (after a
    change to the checks themselves, or once the previous month of the deal has been staged).
    """
    from etl.warehouse import staging

    accs = sorted({str(a) for a in accessions} | {staging.accession_of(p) for p in parsed or []})
    if parsed:
        staging.replace_staged(con, parsed)
    validate_staged(con, accs, run_id or new_run_id("revalidate"), data_dir)
    return filing_status(con, accs)


def release(con: duckdb.DuckDBPyConnection, accession: str, reason: str, released_by: str,
            check_name: str | None = None) -> None:
    """Release a quarantined filing (or one check of it) by an operator's decision, recorded in dq_override."""
    if not (reason or "").strip() or not (released_by or "").strip():
        raise ValueError("a release needs a reason and the operator's name (released_by)")
    con.execute("INSERT INTO dq_override (accession, check_name, reason, released_by, released_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [accession, check_name, reason.strip(), released_by.strip(), datetime.now(UTC).replace(tzinfo=None)])


def revoke_release(con: duckdb.DuckDBPyConnection, accession: str, check_name: str | None = None) -> int:
    """Withdraw the active releases of a filing (or of one check); the rows stay for audit."""
    cur = con.execute("UPDATE dq_override SET revoked_at = ? WHERE accession = ? AND revoked_at IS NULL "
                      "AND check_name IS NOT DISTINCT FROM ? RETURNING accession",
                      [datetime.now(UTC).replace(tzinfo=None), accession, check_name])
    return len(cur.fetchall())


def _scope(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"level": row["scope"]}
    out.update({k: row[k] for k in SCOPE_KEYS if row.get(k) is not None})
    return out


def _filing_verdict(checks: list[dict[str, Any]], parse_error: Any) -> str:
    if parse_error or any(c["status"] == "fail" for c in checks):
        return "fail"
    if any(c["status"] == "warn" for c in checks):
        return "warn"
    return "pass"


def validate_parsed(parsed: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Validate parser output without a warehouse (``edgar-etl validate``): one result per parsed dict.

    Builds a throw-away in-memory DuckDB with the macros, raw, staging and quality layers, stages the
    filings and runs ``validate_staged``; filings of one deal validated together get the
    cross-period checks too. A parse error makes the filing ``fail`` whatever the checks say.
    """
    from etl.warehouse import schema, staging

    con = duckdb.connect()
    try:
        schema.apply(con, ("macros", "raw", "staging", "quality"))
        staging.replace_staged(con, parsed)
        rows = validate_staged(con, [staging.accession_of(p) for p in parsed], new_run_id("validate"))
    finally:
        con.close()
    order = {name: (c.identity_number, name) for name, c in checks_by_name().items()}
    by_acc: dict[str, list[dict[str, Any]]] = {}
    for r in sorted(rows, key=lambda r: (order.get(r["check_name"], (99, r["check_name"])), str(r["class"] or ""),
                                         str(r["pool"] or ""), str(r["section"] or ""), str(r["measure"] or ""))):
        by_acc.setdefault(r["accession"], []).append(r)
    out = []
    for p in parsed:
        acc = staging.accession_of(p)
        checks = [{"name": r["check_name"], "severity": r["severity"], "status": r["status"], "scope": _scope(r),
                   "residual": r["residual"], "tolerance": r["tolerance"], "observed": r["observed"],
                   "expected": r["expected"], "detail": r["detail"]} for r in by_acc.get(acc, [])]
        out.append({"path": p.get("path"), "accession": acc, "status": _filing_verdict(checks, p.get("error")),
                    "error": p.get("error"), "checks": checks})
    return out
