"""The pipeline's stages as plain functions: each Airflow task calls exactly one of them, and the
CLI (``edgar-etl``) and the benchmark call the same ones in-process.

discover -> fetch (batches, parallel) -> parse (batches, parallel; writes staged files)
         -> stage (single writer) -> validate (single writer) -> publish (single writer)

Workers never open the warehouse: fetch and parse hand their results to the load steps as
JSON-lines files under ``data/staged/{run}/``; only stage/validate/publish write, one at a time.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import time
import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from etl.config import ConfigError, Settings
from etl.log import filing_logger

log = logging.getLogger("etl.pipeline")

_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def safe_run_id(run_id: str) -> str:
    """A run id usable as a folder name (Airflow's contain ':' and '+').

    ``.`` and ``..`` survive the character filter but name the staging folder itself or its
    parent, so an all-dots id becomes ``run`` too.
    """
    safe = _SAFE.sub("_", run_id)[:120]
    return safe if safe.strip(".") else "run"


def _as_dict(obj: Any) -> dict[str, Any]:
    if isinstance(obj, dict):
        return dict(obj)
    if is_dataclass(obj):
        return asdict(obj)
    return dict(vars(obj))


def _jsonable(d: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(d, default=str))


# ------------------------------------------------------------------ a stage that failed
class StageFailed(RuntimeError):
    """A stage of an in-process run raised: which stage, why, and what the run leaves behind.

    ``str()`` is one line for the operator; the original exception (``__cause__``) and its
    traceback go to the log.
    """

    def __init__(self, stage: str, cause: BaseException, kept: str) -> None:
        self.stage, self.cause, self.kept = stage, cause, kept
        first = (str(cause).strip().splitlines() or [""])[0][:300]
        super().__init__(f"failed at {stage} ({type(cause).__name__}: {first}). Kept: {kept}")


def kept_after(settings: Settings, stage_name: str) -> str:
    """What a run failing in ``stage_name`` leaves behind, and that a re-run resumes from it."""
    raw, work = settings.raw_dir, settings.data_dir / "state" / "work.duckdb"
    published = (f"the published warehouse {settings.warehouse} is unchanged" if settings.warehouse.exists()
                 else "no warehouse has been published yet")
    rerun = "re-running the same command downloads nothing already held"
    return {
        "discover": f"nothing was downloaded or written; {published}",
        "fetch": f"the filings fetched before the failure, in {raw}; nothing was staged; {published}; {rerun}",
        "parse": f"the fetched filings, in {raw}; nothing was staged; {published}; {rerun}",
        "stage": f"the fetched filings, in {raw}, and their parsed batches in {settings.staging_dir}; "
                 f"the staging transaction was rolled back; {published}; {rerun}",
        "validate": f"the fetched filings, in {raw}, and their staged rows, in the work database {work}; "
                    f"{published}; {rerun}",
        "release": f"the staged rows and quality results, in the work database {work}; {published}",
        "publish": f"the fetched, staged and validated filings, in {raw} and the work database {work}; "
                   f"{published} (a new copy replaces it only once complete); {rerun}",
    }[stage_name]


@contextlib.contextmanager
def stage_of(settings: Settings, stage_name: str) -> Iterator[None]:
    """Name the stage an exception escaped from (``StageFailed``), once, at the innermost stage."""
    try:
        yield
    except (StageFailed, ConfigError):
        raise  # a ConfigError says how to fix the setting: it reaches the operator as it is
    except Exception as exc:
        log.error("%s failed: %s: %s", stage_name, type(exc).__name__, exc)
        raise StageFailed(stage_name, exc, kept_after(settings, stage_name)) from exc


# --------------------------------------------------------------------------- discover
def discover(
    settings: Settings,
    *,
    day: date | None = None,
    start: date | None = None,
    end: date | None = None,
    ciks: Sequence[int] | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """ABS filings to process: one EDGAR day (nightly), a date range, or given CIKs (backfill)."""
    from etl.edgar import discovery
    from etl.edgar.client import EdgarClient

    with EdgarClient(settings) as client:
        if ciks:
            entries = discovery.discover_ciks(client, list(ciks), start=start, end=end)
        elif day is not None:
            entries = discovery.discover_day(client, day)
        elif start is not None and end is not None:
            entries = discovery.discover_range(client, start, end)
        else:
            raise ValueError("discover needs a day, a start/end range, or CIKs")
        entries = discovery.filter_abs(client, entries)
    out = sorted((_jsonable(_as_dict(e)) for e in entries), key=lambda e: (e["date_filed"], e["accession"]))
    seen: set[str] = set()
    unique = []
    for e in out:  # a filing listed under several filers appears once
        if e["accession"] not in seen:
            seen.add(e["accession"])
            unique.append(e)
    log.info("discovered %d ABS filings", len(unique))
    return unique[:limit] if limit else unique


def plan_batches(entries: Sequence[dict[str, Any]], batch_size: int = 200) -> list[list[dict[str, Any]]]:
    """Split work into batches so Airflow maps over tens, not tens of thousands, of tasks."""
    size = max(1, batch_size)
    return [list(entries[i : i + size]) for i in range(0, len(entries), size)]


# ------------------------------------------------------------------------------ fetch
def fetch_batch(settings: Settings, entries: Sequence[dict[str, Any]], run_id: str) -> list[dict[str, Any]]:
    """Land each filing in the raw store (skipping those already held); never raises per filing."""
    from etl.edgar.client import EdgarBlocked, EdgarClient
    from etl.edgar.rawstore import RawStore, fetch_filing

    store = RawStore(settings)
    results: list[dict[str, Any]] = []
    with EdgarClient(settings) as client:
        blocked: str | None = None
        for entry in entries:
            flog = filing_logger(log, entry.get("cik"), entry.get("accession"))
            rec = {**entry, "status": "fetched", "error_kind": None, "reason": None}
            if blocked:
                rec.update(status="fetch_failed", error_kind="blocked", reason=blocked)
                results.append(rec)
                continue
            try:
                res = _as_dict(fetch_filing(client, store, _entry_obj(entry)))
                rec.update({k: str(v) if isinstance(v, Path) else v for k, v in res.items()})
                rec["status"] = "fetched"
            except EdgarBlocked as exc:
                # The SEC blocks an over-limit client for ~10 minutes: stop, record, do not retry.
                blocked = f"EDGAR refused further requests: {exc}"
                rec.update(status="fetch_failed", error_kind="blocked", reason=blocked)
                flog.error("fetch stopped: %s", blocked)
            except Exception as exc:  # noqa: BLE001 - every failure is recorded with its reason
                rec.update(status="fetch_failed", error_kind=type(exc).__name__, reason=str(exc)[:2000])
                flog.warning("fetch failed: %s: %s", type(exc).__name__, exc)
            results.append(_jsonable(rec))
    return results


def _entry_obj(entry: dict[str, Any]) -> Any:
    from etl.edgar.discovery import IndexEntry

    fields = IndexEntry.__dataclass_fields__
    kwargs = {k: v for k, v in entry.items() if k in fields}
    if "date_filed" in kwargs and isinstance(kwargs["date_filed"], str):
        kwargs["date_filed"] = date.fromisoformat(kwargs["date_filed"][:10])
    return IndexEntry(**kwargs)


# ------------------------------------------------------------------------------ parse
def parse_filing(settings: Settings, fetched: dict[str, Any]) -> dict[str, Any]:
    """One staged record: the envelope header and the parsed report of a raw filing."""
    from etl.edgar.rawstore import RawStore
    from etl.edgar.sgml import parse_submission
    from etl.parse import parse_bytes

    store = RawStore(settings)
    data = store.get(int(fetched["cik"]), fetched["accession"])
    sub = parse_submission(data)
    header = header_record(sub, fetched)
    parsed = parse_bytes(data, path=str(store.path_for(int(fetched["cik"]), fetched["accession"])))
    # The filing's identity is the validated key it was fetched under, never what its (untrusted)
    # envelope claims: a header naming another accession would key the staged rows apart from
    # raw_filing/etl_status, and two such filings would collide and abort the whole stage.
    claimed = parsed.get("accession")
    parsed["accession"] = fetched["accession"]
    if claimed and claimed != fetched["accession"]:
        parsed.setdefault("warnings", []).append(
            f"envelope header names accession {claimed}; kept {fetched['accession']}, the one it was fetched as")
    parsed["cik"] = parsed.get("cik") or int(fetched["cik"])
    parsed["form_type"] = parsed.get("form_type") or header["form_type"]
    parsed["filed_date"] = parsed.get("filed_date") or header["filed_date"]
    parsed["deal_name"] = parsed.get("deal_name") or header["company_name"]
    return {"fetch": fetched, "header": header, "parsed": parsed}


def header_record(sub: Any, fetched: dict[str, Any]) -> dict[str, Any]:
    """The envelope facts kept in ``filing_header``."""
    h = sub.header
    filers = list(getattr(h, "filers", []) or [])
    main = next((f for f in filers if int(getattr(f, "cik", 0) or 0) == int(fetched["cik"])), filers[0] if filers else None)
    docs = [
        {"type": d.type, "sequence": d.sequence, "filename": d.filename, "description": d.description,
         "binary": bool(getattr(d, "is_binary", False) or getattr(d, "binary", False))}
        for d in sub.documents
    ]
    return _jsonable({
        "accession": fetched["accession"],
        "cik": int(fetched["cik"]),
        "form_type": getattr(h, "form_type", None) or fetched.get("form_type"),
        "period_of_report": getattr(h, "period_of_report", None),
        "filed_date": getattr(h, "filed_date", None) or fetched.get("date_filed"),
        "company_name": (getattr(main, "name", None) if main else None) or fetched.get("company"),
        "sic": getattr(main, "sic", None) if main else None,
        "file_number": getattr(main, "file_number", None) if main else None,
        "document_count": len(docs),
        "documents_json": json.dumps(docs),
    })


def parse_batch(settings: Settings, fetched: Sequence[dict[str, Any]], run_id: str, batch: int = 0) -> str:
    """Parse a batch of fetched filings into one staged JSON-lines file; returns its path."""
    out_dir = settings.staging_dir / safe_run_id(run_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"batch-{batch:05d}.jsonl"
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    for stale in out_dir.glob(f"{target.stem}.*.tmp"):  # an earlier attempt killed part-way: this
        stale.unlink(missing_ok=True)                    # retry of the same batch replaces it
    with open(tmp, "w", encoding="utf-8") as fh:
        for rec in fetched:
            flog = filing_logger(log, rec.get("cik"), rec.get("accession"))
            if rec.get("status") != "fetched":
                fh.write(json.dumps({"fetch": rec}) + "\n")
                continue
            try:
                out = parse_filing(settings, rec)
                perr = out["parsed"].get("error")
                if perr:
                    flog.warning("parse: %s", perr)
            except Exception as exc:  # noqa: BLE001 - recorded, never lost
                out = {"fetch": rec, "parse_error": {"kind": type(exc).__name__, "reason": str(exc)[:2000],
                                                     "trace": traceback.format_exc(limit=5)}}
                flog.error("parse crashed: %s: %s", type(exc).__name__, exc)
            fh.write(json.dumps(out, default=str) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return str(target)


def iter_staged(paths: Iterable[str]) -> Iterable[dict[str, Any]]:
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)


# ---------------------------------------------------------------- stage (single writer)
def stage(settings: Settings, staged_paths: Sequence[str], run_id: str) -> dict[str, Any]:
    """Record manifests and replace staged rows of every filing of the run.

    Rows are buffered and written set-wise every ``STAGE_FLUSH`` filings, one transaction each,
    so the cost per filing stays flat however large the run, and memory stays bounded.
    """
    from etl.warehouse import db

    counts = {"fetched": 0, "fetch_failed": 0, "parsed": 0, "parse_failed": 0}
    accessions: set[str] = set()
    with db.writer(settings) as con:
        _load_reference(con)
        con.execute("BEGIN TRANSACTION")
        try:
            buf = _StageBuffer(con, run_id)
            for rec in iter_staged(staged_paths):
                f = rec["fetch"]
                acc, cik = f["accession"], int(f["cik"])
                if f.get("status") != "fetched":
                    counts["fetch_failed"] += 1
                    buf.add("fetch_log", (acc, run_id), (acc, cik, f.get("url") or f.get("filename"), run_id,
                                                         f.get("error_kind"), f.get("reason")))
                    buf.status(acc, cik, "fetch", "failed", f.get("reason"))
                    continue
                counts["fetched"] += 1
                buf.add("raw_filing", acc, (
                    acc, cik, f.get("form_type"), f.get("company"), f.get("date_filed"), f.get("url"),
                    f.get("path") or f.get("raw_path"), f.get("sha256"), f.get("size") or f.get("size_bytes") or 0))
                if "parse_error" in rec:
                    counts["parse_failed"] += 1
                    pe = rec["parse_error"]
                    buf.error(acc, cik, "parse", pe["kind"], pe["reason"])
                    continue
                h = rec["header"]
                buf.add("filing_header", acc, (
                    h["accession"], h["cik"], h["form_type"], h["period_of_report"], h["filed_date"],
                    h["company_name"], h["sic"], h["file_number"], h["document_count"], h["documents_json"]))
                parsed = rec["parsed"]
                counts["parsed"] += 1
                accessions.add(acc)
                if parsed.get("kind") == "unknown" or parsed.get("error"):
                    buf.status(acc, cik, "parse", "no_report", parsed.get("error") or "no report found")
                else:
                    buf.status(acc, cik, "parse", "parsed", None)
                buf.parsed.append(parsed)
                if len(buf.parsed) >= STAGE_FLUSH:
                    buf.flush()
                    # Commit every flush: DuckDB keeps an open transaction's rows in memory, so one
                    # transaction for a 20k-filing backfill grew to GBs. A filing's rows always
                    # commit together, and re-staging replaces them, so a crash mid-run is redone.
                    con.execute("COMMIT")
                    con.execute("BEGIN TRANSACTION")
            buf.flush()
            counts["parsed"] -= len(buf.rejected)
            counts["parse_failed"] += len(buf.rejected)
            accessions -= set(buf.rejected)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return {"run_id": run_id, "accessions": sorted(accessions), **counts}


STAGE_FLUSH = 500  # filings per set-wise write in ``stage``


class _StageBuffer:
    """Manifest, status and staged rows of ``stage``, written set-wise (one statement per table)."""

    def __init__(self, con: Any, run_id: str) -> None:
        self.con, self.run_id = con, run_id
        self.rows: dict[str, dict[Any, tuple]] = {t: {} for t in
                                                  ("fetch_log", "raw_filing", "filing_header", "pipeline_error",
                                                   "etl_status")}
        self.parsed: list[dict[str, Any]] = []
        self.rejected: dict[str, str] = {}

    def add(self, table: str, key: Any, row: tuple) -> None:
        self.rows[table][key] = row  # the last row per key wins, as INSERT OR REPLACE one by one did

    def status(self, acc: str, cik: int, stage_name: str, status: str, reason: str | None) -> None:
        self.add("etl_status", acc, (acc, cik, stage_name, status, reason, self.run_id))

    def error(self, acc: str, cik: int, stage_name: str, kind: str, reason: str) -> None:
        self.add("pipeline_error", (acc, stage_name, self.run_id), (acc, cik, stage_name, self.run_id, kind, reason))
        self.status(acc, cik, stage_name, "failed", f"{kind}: {reason}")

    def flush(self) -> None:
        from etl.warehouse import staging

        if self.parsed:
            rejected: dict[str, str] = {}
            staging.replace_staged(self.con, self.parsed, rejected=rejected)
            self.parsed = []
            for acc, reason in rejected.items():  # one bad figure fails its filing, not the run
                cik = self.rows["etl_status"][acc][1]
                self.error(acc, cik, "stage", "out_of_range", reason)
            self.rejected.update(rejected)
        for table, rows in self.rows.items():
            if rows:
                _insert_or_replace(self.con, table, list(rows.values()))
                rows.clear()


_TABLE_TYPES: dict[str, dict[str, str]] = {}


def _insert_or_replace(con: Any, table: str, rows: list[tuple]) -> None:
    """INSERT OR REPLACE many rows (tuples in the table's column order) in one statement."""
    import pandas as pd

    from etl.warehouse import staging

    if table not in _TABLE_TYPES:
        _TABLE_TYPES[table] = dict(con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
            "AND table_schema = 'main' ORDER BY ordinal_position", [table]).fetchall())
    types = _TABLE_TYPES[table]
    staging.insert_frame(con, table, pd.DataFrame(rows, columns=list(types), dtype=object), types, or_replace=True)


def _load_reference(con: Any) -> None:
    """Reference data shipped with the project (servicing criteria of both eras)."""
    try:
        from etl.annual import load_criteria
    except ImportError:
        return
    rows = [(c["framework"], c["code"], c.get("section"), c.get("description")) for c in load_criteria()]
    con.execute("DELETE FROM ref_servicing_criterion")
    if rows:
        con.executemany("INSERT INTO ref_servicing_criterion VALUES (?, ?, ?, ?)", rows)


# ------------------------------------------------------------- validate (single writer)
def validate(settings: Settings, accessions: Sequence[str], run_id: str,
             as_of: datetime | None = None) -> dict[str, Any]:
    """Run the data-quality suites on the run's filings; quarantine those with an error.

    ``as_of`` stamps the results (the run's logical time in Airflow), so re-running the same
    run writes identical rows.
    """
    from etl.quality import validate_many
    from etl.warehouse import db

    with db.writer(settings) as con:
        accessions = _with_dependents(con, accessions)
        check_rows = validate_many(con, list(accessions), run_id=run_id, data_dir=settings.data_dir,
                                   checked_at=as_of)
        con.execute("CREATE OR REPLACE TEMP TABLE _validated AS SELECT unnest(?::VARCHAR[]) AS accession",
                    [list(accessions)])
        status = dict(con.execute(
            "SELECT accession, status FROM dq_filing_status WHERE accession IN (SELECT accession FROM _validated)"
        ).fetchall())
        con.execute("BEGIN TRANSACTION")
        # set-wise: the quarantined get their reasons; the others pass on to the load
        con.execute("""
            UPDATE etl_status AS e SET stage = 'validate', status = 'quarantined', reason = left(CAST(d.reasons AS VARCHAR), 2000),
                   run_id = ?
            FROM dq_filing_status AS d
            WHERE d.accession = e.accession AND d.status = 'fail' AND e.accession IN (SELECT accession FROM _validated)
        """, [run_id])
        con.execute("""
            UPDATE etl_status AS e SET stage = 'validate', status = CASE d.status WHEN 'pass' THEN 'validated' ELSE 'warn' END,
                   reason = NULL, run_id = ?
            FROM dq_filing_status AS d
            WHERE d.accession = e.accession AND d.status <> 'fail'
              AND e.status IN ('parsed', 'quarantined', 'validated', 'loaded', 'warn')
              AND e.accession IN (SELECT accession FROM _validated)
        """, [run_id])
        con.execute("COMMIT")
        con.execute("DROP TABLE _validated")
    summary = {"checked": len(status), "pass": 0, "warn": 0, "fail": 0}
    for st in status.values():
        summary[st] = summary.get(st, 0) + 1
    summary["check_rows"] = check_rows
    summary["quarantined"] = sorted(a for a, s in status.items() if s == "fail")
    return summary


def _with_dependents(con: Any, accessions: Sequence[str]) -> list[str]:
    """The batch plus the filings whose checks depend on it: a month arriving late changes the
    continuity checks of the deal's following report, and any month changes the completeness
    check of the deal's 10-Ks. Re-validating them keeps every verdict current."""
    if not accessions:
        return []
    rows = con.execute("""
        WITH batch AS (
            SELECT r.accession, r.cik, r.distribution_date FROM stg_report AS r
            WHERE r.accession IN (SELECT unnest(?::VARCHAR[]))
        ),
        following AS (  -- the next reported month of the same deal
            SELECT DISTINCT n.accession FROM batch AS b
            JOIN stg_report AS n ON n.cik = b.cik AND n.kind = 'distribution_report'
             AND n.distribution_date = (SELECT min(x.distribution_date) FROM stg_report AS x
                                        WHERE x.cik = b.cik AND x.kind = 'distribution_report'
                                          AND x.distribution_date > b.distribution_date)
        ),
        annual AS (
            SELECT DISTINCT a.accession FROM stg_annual_report AS a WHERE a.cik IN (SELECT cik FROM batch)
        )
        SELECT accession FROM batch UNION SELECT accession FROM following UNION SELECT accession FROM annual
    """, [list(accessions)]).fetchall()
    return sorted({r[0] for r in rows} | set(accessions))


# -------------------------------------------------------------- publish (single writer)
def publish(settings: Settings, run_id: str) -> dict[str, Any]:
    """Build dimensions, facts and marts into a fresh copy and swap it in for readers."""
    from etl.warehouse import db

    with db.writer(settings) as con:
        con.execute("UPDATE etl_status SET stage = 'load', status = 'loaded', run_id = ? "
                    "WHERE status IN ('validated', 'warn', 'released')", [run_id])
    path = db.publish(settings)
    con = db.reader(settings)
    try:
        counts = dict(con.execute("""
            SELECT 'filings', count(*) FROM dim_filing UNION ALL
            SELECT 'deals', count(*) FROM dim_deal UNION ALL
            SELECT 'class_rows', count(*) FROM fct_class_distribution UNION ALL
            SELECT 'pool_rows', count(*) FROM fct_pool_period UNION ALL
            SELECT 'quarantined', count(*) FROM dq_filing_status WHERE status = 'fail'
        """).fetchall())
    finally:
        con.close()
    return {"warehouse": str(path), **counts}


# ------------------------------------------------------ re-validate and release after a fix
def reprocess(settings: Settings, accessions: Sequence[str] | None, run_id: str) -> dict[str, Any]:
    """Re-parse held filings from the raw store, re-validate and publish (after a parser fix).

    With no accessions: every filing that is quarantined, or failed in parse or validate.
    """
    from etl.warehouse import db

    with db.writer(settings) as con:
        if accessions:
            wanted = list(accessions)
        else:
            wanted = [r[0] for r in con.execute(
                "SELECT accession FROM etl_status WHERE status IN ('quarantined', 'failed', 'no_report') "
                "AND stage IN ('parse', 'validate') ORDER BY accession").fetchall()]
        rows = con.execute(
            "SELECT accession, cik, form_type, company_name, date_filed, source_url, raw_path, sha256, size_bytes "
            "FROM raw_filing WHERE accession IN (SELECT unnest(?::VARCHAR[]))", [wanted]).fetchall()
    missing = sorted(set(wanted) - {r[0] for r in rows})
    fetched = [{"accession": r[0], "cik": r[1], "form_type": r[2], "company": r[3], "date_filed": str(r[4]),
                "url": r[5], "path": r[6], "sha256": r[7], "size": r[8], "status": "fetched"} for r in rows]
    if not fetched:
        return {"reprocessed": 0, "missing_from_raw": missing}
    with stage_of(settings, "parse"):
        staged = parse_batch(settings, fetched, run_id, batch=0)
    with stage_of(settings, "stage"):
        st = stage(settings, [staged], run_id)
    with stage_of(settings, "validate"):
        dq = validate(settings, st["accessions"], run_id)
    with stage_of(settings, "publish"):
        pub = publish(settings, run_id)
    return {"reprocessed": len(fetched), "missing_from_raw": missing, "validate": dq, "publish": pub}


def release(settings: Settings, accessions: Sequence[str], reason: str, released_by: str,
            run_id: str) -> dict[str, Any]:
    """An operator lets quarantined filings into the facts. The release is recorded in dq_override
    (never deleted; revoking keeps the row) and the failed checks stay in dq_check_result."""
    from etl import quality
    from etl.warehouse import db

    with stage_of(settings, "release"), db.writer(settings) as con:
        known = {r[0] for r in con.execute(
            "SELECT accession FROM stg_report WHERE accession IN (SELECT unnest(?::VARCHAR[]))",
            [list(accessions)]).fetchall()}
        con.execute("BEGIN TRANSACTION")
        for acc in sorted(known):
            quality.release(con, acc, reason, released_by)
            con.execute("UPDATE etl_status SET stage = 'validate', status = 'released', reason = ?, run_id = ? "
                        "WHERE accession = ?", [reason, run_id, acc])
        con.execute("COMMIT")
    with stage_of(settings, "publish"):
        pub = publish(settings, run_id)
    return {"released": sorted(known), "unknown": sorted(set(accessions) - known), "publish": pub}


# ---------------------------------------------------------------- in-process runner
def run(
    settings: Settings,
    entries: Sequence[dict[str, Any]],
    run_id: str,
    batch_size: int = 200,
    progress: Any = None,
) -> dict[str, Any]:
    """The whole pipeline in one process, through the same functions the DAGs call."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    staged: list[str] = []
    fetched_total = 0
    for i, batch in enumerate(plan_batches(entries, batch_size)):
        t = time.perf_counter()
        with stage_of(settings, "fetch"):
            fetched = fetch_batch(settings, batch, run_id)
        timings["fetch"] = timings.get("fetch", 0.0) + time.perf_counter() - t
        t = time.perf_counter()
        with stage_of(settings, "parse"):
            staged.append(parse_batch(settings, fetched, run_id, batch=i))
        timings["parse"] = timings.get("parse", 0.0) + time.perf_counter() - t
        fetched_total += len(batch)
        if progress is not None:
            progress(len(batch))
    t = time.perf_counter()
    with stage_of(settings, "stage"):
        staged_summary = stage(settings, staged, run_id)
    timings["stage"] = time.perf_counter() - t
    t = time.perf_counter()
    with stage_of(settings, "validate"):
        dq = validate(settings, staged_summary["accessions"], run_id)
    timings["validate"] = time.perf_counter() - t
    t = time.perf_counter()
    with stage_of(settings, "publish"):
        pub = publish(settings, run_id)
    timings["load"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    return {"discovered": len(entries), "stage": staged_summary, "validate": dq, "publish": pub,
            "timings_s": {k: round(v, 3) for k, v in timings.items()}}
