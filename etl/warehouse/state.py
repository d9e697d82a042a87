"""The loader's state in the work database: the raw manifest, fetch and pipeline errors, and each
filing's ``etl_status``, written only through the named transitions below.

``etl_status`` moves fetch -> parse -> validate -> load: ``record_*`` (one filing, buffered by
``StageWriter``) set the fetch and parse outcomes; ``mark_quarantined``, ``mark_validated``,
``mark_released`` and ``mark_loaded`` move filings set-wise after validation and publishing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from etl.contracts import FetchedFiling, FilingHeader, ParsedReport, ParseError
from etl.warehouse import schema, staging

Row = tuple[Any, ...]

#: The state tables ``StageWriter`` writes, in write order.
MANIFEST_TABLES: tuple[str, ...] = ("fetch_log", "raw_filing", "filing_header", "pipeline_error", "etl_status")


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One transaction: committed when the block ends, rolled back when it raises."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


# ------------------------------------------------------------------------- reference data
def load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """Reference data shipped with the project: the servicing criteria of both eras
    (``etl/parse/annual/servicing_criteria.yaml``) into ``ref_servicing_criterion``."""
    from etl.parse.annual import load_criteria

    rows = [(c["framework"], c["code"], c.get("section"), c.get("description")) for c in load_criteria()]
    held = con.execute("SELECT * FROM ref_servicing_criterion").fetchall()
    if sorted(held, key=repr) == sorted(rows, key=repr):
        return  # every stage call loads it: unchanged is the rule, and rewriting it costs a commit
    con.execute("DELETE FROM ref_servicing_criterion")
    if rows:
        con.executemany("INSERT INTO ref_servicing_criterion VALUES (?, ?, ?, ?)", rows)


# ------------------------------------------------------------------ stage: fetch and parse
class StageWriter:
    """Manifest, status and staged rows of one stage run, written set-wise (one statement per
    table per flush); the caller owns the transaction (``transaction``)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, run_id: str) -> None:
        self.con, self.run_id = con, run_id
        self.rows: dict[str, dict[Any, Row]] = {t: {} for t in MANIFEST_TABLES}
        self.parsed: list[ParsedReport] = []
        self.rejected: dict[str, str] = {}

    def _add(self, table: str, key: Any, row: Row) -> None:
        self.rows[table][key] = row  # the last row per key wins, as INSERT OR REPLACE one by one did

    def _status(self, acc: str, cik: int, stage_name: str, status: str, reason: str | None) -> None:
        self._add("etl_status", acc, (acc, cik, stage_name, status, reason, self.run_id))

    def _error(self, acc: str, cik: int, stage_name: str, kind: str, reason: str) -> None:
        self._add("pipeline_error", (acc, stage_name, self.run_id),
                  (acc, cik, stage_name, self.run_id, kind, reason))
        self._status(acc, cik, stage_name, "failed", f"{kind}: {reason}")

    def record_fetch_failed(self, f: FetchedFiling) -> None:
        """A discovered filing that could not be fetched: ``fetch_log`` and status fetch/failed."""
        acc, cik = f["accession"], int(f["cik"])
        self._add("fetch_log", (acc, self.run_id),
                  (acc, cik, f.get("url") or f.get("filename"), self.run_id, f.get("error_kind"), f.get("reason")))
        self._status(acc, cik, "fetch", "failed", f.get("reason"))

    def record_fetched(self, f: FetchedFiling) -> None:
        """A filing held in the raw store: its ``raw_filing`` manifest row."""
        acc = f["accession"]
        self._add("raw_filing", acc, (
            acc, int(f["cik"]), f.get("form_type"), f.get("company"), f.get("date_filed"), f.get("url"),
            f["path"], f["sha256"], f["size"]))

    def record_parse_failed(self, f: FetchedFiling, error: ParseError) -> None:
        """The parser crashed on a fetched filing: ``pipeline_error`` and status parse/failed."""
        self._error(f["accession"], int(f["cik"]), "parse", error["kind"], error["reason"])

    def record_parsed(self, f: FetchedFiling, header: FilingHeader, parsed: ParsedReport) -> None:
        """A parsed filing: its envelope header, its staged rows (at the next flush) and status
        parse/parsed, or parse/no_report when no report was read."""
        acc, cik = f["accession"], int(f["cik"])
        h = header
        self._add("filing_header", acc, (
            h["accession"], h["cik"], h["form_type"], h["period_of_report"], h["filed_date"],
            h["company_name"], h["sic"], h["file_number"], h["document_count"], h["documents_json"]))
        if parsed.get("kind") == "unknown" or parsed.get("error"):
            self._status(acc, cik, "parse", "no_report", parsed.get("error") or "no report found")
        else:
            self._status(acc, cik, "parse", "parsed", None)
        self.parsed.append(parsed)

    @property
    def pending(self) -> int:
        """Parsed filings buffered since the last flush."""
        return len(self.parsed)

    def commit(self) -> None:
        """Write what is buffered and commit, then go on in a new transaction.

        DuckDB keeps an open transaction's rows in memory, so one transaction for a 20k-filing
        backfill grew to GBs. A filing's rows always commit together, and re-staging replaces
        them, so a crash mid-run is redone.
        """
        self.flush()
        self.con.execute("COMMIT")
        self.con.execute("BEGIN TRANSACTION")

    def flush(self) -> None:
        """Write what is buffered. A filing with a figure its column cannot hold fails alone
        (stage/failed, out_of_range) and is listed in ``rejected``; the run goes on."""
        if self.parsed:
            rejected: dict[str, str] = {}
            staging.replace_staged(self.con, self.parsed, rejected=rejected)
            self.parsed = []
            for acc, reason in rejected.items():
                cik = self.rows["etl_status"][acc][1]
                self._error(acc, cik, "stage", "out_of_range", reason)
            self.rejected.update(rejected)
        for table, rows in self.rows.items():
            if rows:
                _insert_or_replace(self.con, table, list(rows.values()))
                rows.clear()


def _insert_or_replace(con: duckdb.DuckDBPyConnection, table: str, rows: list[Row]) -> None:
    """INSERT OR REPLACE many rows (tuples in the table's column order) in one statement."""
    types = staging.column_types(table)
    staging.insert_frame(con, table, pd.DataFrame(rows, columns=list(types), dtype=object), types, or_replace=True)


# ------------------------------------------------------------------------------- validate
def revalidation_scope(con: duckdb.DuckDBPyConnection, accessions: Sequence[str]) -> list[str]:
    """The filings plus those whose checks depend on them (``etl/sql/intermediate/int_revalidation_scope``)."""
    if not accessions:
        return []
    schema.apply_model(con, "int_revalidation_scope")  # the work database holds no derived layers
    rows = con.execute(
        "SELECT DISTINCT dependent_accession FROM int_revalidation_scope "
        "WHERE accession IN (SELECT unnest(?::VARCHAR[]))", [list(accessions)]).fetchall()
    return sorted({r[0] for r in rows} | set(accessions))


@contextlib.contextmanager
def _scope(con: duckdb.DuckDBPyConnection, accessions: Sequence[str]) -> Iterator[None]:
    con.execute("CREATE OR REPLACE TEMP TABLE _validated AS SELECT unnest(?::VARCHAR[]) AS accession",
                [list(accessions)])
    try:
        yield
    finally:
        con.execute("DROP TABLE IF EXISTS _validated")


def record_verdicts(con: duckdb.DuckDBPyConnection, accessions: Sequence[str], run_id: str) -> dict[str, str]:
    """Move the validated filings on by their ``dq_filing_status`` verdict, in one transaction;
    returns accession -> verdict (pass, warn, fail) of those that have one."""
    with _scope(con, accessions):
        verdicts = {str(a): str(s) for a, s in con.execute(
            "SELECT accession, status FROM dq_filing_status WHERE accession IN (SELECT accession FROM _validated)"
        ).fetchall()}
        with transaction(con):
            mark_quarantined(con, run_id)
            mark_validated(con, run_id)
    return verdicts


def mark_quarantined(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """validate/quarantined, with the failed checks as reason, for the filings in scope that fail."""
    con.execute("""
        UPDATE etl_status AS e SET stage = 'validate', status = 'quarantined', reason = left(CAST(d.reasons AS VARCHAR), 2000),
               run_id = ?
        FROM dq_filing_status AS d
        WHERE d.accession = e.accession AND d.status = 'fail' AND e.accession IN (SELECT accession FROM _validated)
    """, [run_id])


def mark_validated(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """validate/validated (pass) or validate/warn for the filings in scope that do not fail."""
    con.execute("""
        UPDATE etl_status AS e SET stage = 'validate', status = CASE d.status WHEN 'pass' THEN 'validated' ELSE 'warn' END,
               reason = NULL, run_id = ?
        FROM dq_filing_status AS d
        WHERE d.accession = e.accession AND d.status <> 'fail'
          AND e.status IN ('parsed', 'quarantined', 'validated', 'loaded', 'warn')
          AND e.accession IN (SELECT accession FROM _validated)
    """, [run_id])


# ------------------------------------------------------------------------ release, publish
def staged_reports(con: duckdb.DuckDBPyConnection, accessions: Sequence[str]) -> set[str]:
    """Those of ``accessions`` that have a staged report (or staged asset data: an ABS-EE)."""
    return {str(r[0]) for r in con.execute(
        "SELECT accession FROM stg_report WHERE accession IN (SELECT unnest(?::VARCHAR[])) "
        "UNION SELECT accession FROM stg_asset_filing WHERE accession IN (SELECT unnest(?::VARCHAR[]))",
        [list(accessions), list(accessions)]).fetchall()}


def mark_released(con: duckdb.DuckDBPyConnection, accession: str, reason: str, run_id: str) -> None:
    """validate/released: an operator let a quarantined filing into the facts."""
    con.execute("UPDATE etl_status SET stage = 'validate', status = 'released', reason = ?, run_id = ? "
                "WHERE accession = ?", [reason, run_id, accession])


def mark_loaded(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """load/loaded: every validated, warned or released filing, before a publish."""
    con.execute("UPDATE etl_status SET stage = 'load', status = 'loaded', run_id = ? "
                "WHERE status IN ('validated', 'warn', 'released')", [run_id])


def published_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """What a published warehouse holds: filings, deals, class and pool rows, quarantined filings."""
    return {str(k): int(v) for k, v in con.execute("""
        SELECT 'filings', count(*) FROM dim_filing UNION ALL
        SELECT 'deals', count(*) FROM dim_deal UNION ALL
        SELECT 'class_rows', count(*) FROM fct_class_distribution UNION ALL
        SELECT 'pool_rows', count(*) FROM fct_pool_period UNION ALL
        SELECT 'quarantined', count(*) FROM dq_filing_status WHERE status = 'fail'
    """).fetchall()}


# ------------------------------------------------------------------------------ reprocess
def reprocess_candidates(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every filing quarantined, or failed or without a report in parse or validate."""
    return [str(r[0]) for r in con.execute(
        "SELECT accession FROM etl_status WHERE status IN ('quarantined', 'failed', 'no_report') "
        "AND stage IN ('parse', 'validate') ORDER BY accession").fetchall()]


def held_accessions(con: duckdb.DuckDBPyConnection, ciks: Sequence[int] = (), start: date | None = None,
                    end: date | None = None) -> list[str]:
    """Every filing held in the raw store (``reprocess --all``), optionally of some filers or
    filed ``start..end``."""
    rows = con.execute(
        "SELECT accession FROM raw_filing WHERE (len(?::BIGINT[]) = 0 OR cik IN (SELECT unnest(?::BIGINT[]))) "
        "AND (?::DATE IS NULL OR date_filed >= ?::DATE) AND (?::DATE IS NULL OR date_filed <= ?::DATE) "
        "ORDER BY date_filed, accession", [list(ciks), list(ciks), start, start, end, end]).fetchall()
    return [str(r[0]) for r in rows]


def held_filings(con: duckdb.DuckDBPyConnection, accessions: Sequence[str]) -> list[FetchedFiling]:
    """The manifest rows of those of ``accessions`` held in the raw store, as fetched filings, in
    filing order (the order a backfill stages them)."""
    rows = con.execute(
        "SELECT accession, cik, form_type, company_name, date_filed, source_url, raw_path, sha256, size_bytes "
        "FROM raw_filing WHERE accession IN (SELECT unnest(?::VARCHAR[])) ORDER BY date_filed, accession",
        [list(accessions)]).fetchall()
    return [FetchedFiling(accession=r[0], cik=r[1], form_type=r[2], company=r[3], date_filed=str(r[4]),
                          filename=f"edgar/data/{r[1]}/{r[0]}.txt", url=r[5], path=r[6], sha256=r[7],
                          size=r[8], status="fetched", error_kind=None, reason=None) for r in rows]
