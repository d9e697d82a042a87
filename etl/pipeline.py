"""The pipeline's stages as plain functions: each Airflow task calls exactly one of them, and the
CLI (``edgar-etl``) and the benchmark call the same ones in-process.

discover -> fetch (batches, parallel) -> parse (batches, parallel; writes staged files)
         -> stage (single writer) -> validate (single writer) -> publish (single writer)

Workers never open the warehouse: fetch and parse hand their results to the load steps as
JSON-lines files under ``data/staged/{run}/``; only stage/validate/publish write, one at a time.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypedDict, cast

from etl.config import ConfigError, Settings
from etl.contracts import DiscoveredFiling, FetchedFiling, FilingHeader, StagedRecord, StageSummary
from etl.log import filing_logger

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from etl.edgar.discovery import IndexEntry
    from etl.edgar.sgml import Submission

log = logging.getLogger("etl.pipeline")

_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def safe_run_id(run_id: str) -> str:
    """A run id usable as a folder name (Airflow's contain ':' and '+').

    ``.`` and ``..`` survive the character filter but name the staging folder itself or its
    parent, so an all-dots id becomes ``run`` too.
    """
    safe = _SAFE.sub("_", run_id)[:120]
    return safe if safe.strip(".") else "run"


def _jsonable(d: object) -> dict[str, Any]:
    """``d`` as JSON would carry it (dates and paths as text), as XCom and the staged files do."""
    out: dict[str, Any] = json.loads(json.dumps(d, default=str))
    return out


# ------------------------------------------------------------------ a stage that failed
class StageFailed(RuntimeError):
    """A stage of an in-process run raised: which stage, why, and what the run leaves behind.

    ``str()`` is one line for the operator; the original exception (``__cause__``) and its
    traceback go to the log.
    """

    def __init__(self, stage: str, cause: BaseException, kept: str, kind: str | None = None) -> None:
        self.stage, self.cause, self.kept = stage, cause, kept
        first = (str(cause).strip().splitlines() or [""])[0][:300]
        super().__init__(f"failed at {stage} ({kind or type(cause).__name__}: {first}). Kept: {kept}")


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
) -> list[DiscoveredFiling]:
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
    out = sorted((cast(DiscoveredFiling, _jsonable(asdict(e))) for e in entries),
                 key=lambda e: (e["date_filed"], e["accession"]))
    seen: set[str] = set()
    unique = []
    for e in out:  # a filing listed under several filers appears once
        if e["accession"] not in seen:
            seen.add(e["accession"])
            unique.append(e)
    log.info("discovered %d ABS filings", len(unique))
    return unique[:limit] if limit else unique


def plan_batches(entries: Sequence[DiscoveredFiling], batch_size: int = 200) -> list[list[DiscoveredFiling]]:
    """Split work into batches so Airflow maps over tens, not tens of thousands, of tasks."""
    size = max(1, batch_size)
    return [list(entries[i : i + size]) for i in range(0, len(entries), size)]


# ------------------------------------------------------------------------------ fetch
def fetch_batch(settings: Settings, entries: Sequence[DiscoveredFiling], run_id: str) -> list[FetchedFiling]:
    """Land each filing in the raw store (skipping those already held); never raises per filing."""
    from etl.edgar.client import EdgarBlocked, EdgarClient
    from etl.edgar.rawstore import RawStore, fetch_filing

    store = RawStore(settings)
    results: list[FetchedFiling] = []
    with EdgarClient(settings) as client:
        blocked: str | None = None
        for entry in entries:
            flog = filing_logger(log, entry.get("cik"), entry.get("accession"))
            rec = cast(FetchedFiling, {**entry, "status": "fetched", "error_kind": None, "reason": None})
            if blocked:
                rec.update({"status": "fetch_failed", "error_kind": "blocked", "reason": blocked})
                results.append(rec)
                continue
            try:
                res = fetch_filing(client, store, _entry_obj(entry))
                rec.update({"cik": res.cik, "accession": res.accession, "path": str(res.path), "sha256": res.sha256,
                            "size": res.size, "downloaded": res.downloaded})
                rec["status"] = "fetched"
            except EdgarBlocked as exc:
                # The SEC blocks an over-limit client for ~10 minutes: stop, record, do not retry.
                blocked = f"EDGAR refused further requests: {exc}"
                rec.update({"status": "fetch_failed", "error_kind": "blocked", "reason": blocked})
                flog.error("fetch stopped: %s", blocked)
            except Exception as exc:  # noqa: BLE001 - every failure is recorded with its reason
                rec.update({"status": "fetch_failed", "error_kind": type(exc).__name__, "reason": str(exc)[:2000]})
                flog.warning("fetch failed: %s: %s", type(exc).__name__, exc)
            results.append(cast(FetchedFiling, _jsonable(rec)))
    return results


def _entry_obj(entry: DiscoveredFiling) -> IndexEntry:
    from etl.edgar.discovery import IndexEntry

    fields = IndexEntry.__dataclass_fields__
    kwargs: dict[str, Any] = {k: v for k, v in entry.items() if k in fields}
    if "date_filed" in kwargs and isinstance(kwargs["date_filed"], str):
        kwargs["date_filed"] = date.fromisoformat(kwargs["date_filed"][:10])
    return IndexEntry(**kwargs)


# ------------------------------------------------------------------------------ parse
def parse_filing(settings: Settings, fetched: FetchedFiling) -> StagedRecord:
    """One staged record: the envelope header and the parsed report of a raw filing.

    The envelope is split once (``etl.edgar.sgml``) and the parser reads that same split.
    """
    from etl.absee.load import is_asset_data_form
    from etl.edgar.rawstore import RawStore
    from etl.edgar.sgml import parse_submission
    from etl.parse import parse_bytes

    store = RawStore(settings)
    data = store.get(int(fetched["cik"]), fetched["accession"])
    sub = parse_submission(data)
    header = header_record(sub, fetched)
    if is_asset_data_form(header["form_type"] or fetched.get("form_type")):
        return parse_asset_data(settings, fetched, sub, header)
    parsed = parse_bytes(data, path=str(store.path_for(int(fetched["cik"]), fetched["accession"])), submission=sub)
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


def header_record(sub: Submission, fetched: FetchedFiling) -> FilingHeader:
    """The envelope facts kept in ``filing_header``."""
    h = sub.header
    filers = list(h.filers)
    main = next((f for f in filers if int(f.cik or 0) == int(fetched["cik"])), filers[0] if filers else None)
    docs = [
        {"type": d.type, "sequence": d.sequence, "filename": d.filename, "description": d.description,
         "binary": d.is_binary}
        for d in sub.documents
    ]
    return cast(FilingHeader, _jsonable({
        "accession": fetched["accession"],
        "cik": int(fetched["cik"]),
        "form_type": h.form_type or fetched.get("form_type"),
        "period_of_report": h.period_of_report,
        "filed_date": h.filed_date or fetched.get("date_filed"),
        "company_name": (main.name if main else None) or fetched.get("company"),
        "sic": main.sic if main else None,
        "file_number": main.file_number if main else None,
        "document_count": len(docs),
        "documents_json": json.dumps(docs),
    }))


def parse_asset_data(settings: Settings, fetched: FetchedFiling, sub: Submission, header: FilingHeader) -> StagedRecord:
    """An ABS-EE's staged record: its EX-102 read into Parquet under ``{staging_dir}/assets`` for
    the single writer's bulk load, its EX-103 kept raw (``etl.absee.load``)."""
    from etl.absee.load import parse_asset_filing
    from etl.edgar.rawstore import RawStore

    path = RawStore(settings).path_for(int(fetched["cik"]), fetched["accession"])
    parsed = parse_asset_filing(sub, header, path=str(path), out_dir=settings.staging_dir / "assets",
                                sha256=fetched.get("sha256"))
    return {"fetch": fetched, "header": header, "parsed": parsed}


def parse_batch(settings: Settings, fetched: Sequence[FetchedFiling], run_id: str, batch: int = 0) -> str:
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
            out: StagedRecord
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


def iter_staged(paths: Iterable[str]) -> Iterator[StagedRecord]:
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield cast(StagedRecord, json.loads(line))


# ---------------------------------------------------------------- stage (single writer)
STAGE_FLUSH = 500  # filings per set-wise write in ``stage``


def stage(settings: Settings, staged_paths: Sequence[str], run_id: str) -> StageSummary:
    """Record manifests and replace staged rows of every filing of the run.

    Rows are buffered and written set-wise every ``STAGE_FLUSH`` filings, one transaction each,
    so the cost per filing stays flat however large the run, and memory stays bounded.
    """
    from etl.warehouse import db, state

    counts = {"fetched": 0, "fetch_failed": 0, "parsed": 0, "parse_failed": 0}
    accessions: set[str] = set()
    with db.writer(settings) as con:
        state.load_reference(con)
        with state.transaction(con):
            buf = state.StageWriter(con, run_id)
            for rec in iter_staged(staged_paths):
                f = rec["fetch"]
                if f.get("status") != "fetched":
                    counts["fetch_failed"] += 1
                    buf.record_fetch_failed(f)
                    continue
                counts["fetched"] += 1
                buf.record_fetched(f)
                if "parse_error" in rec:
                    counts["parse_failed"] += 1
                    buf.record_parse_failed(f, rec["parse_error"])
                    continue
                counts["parsed"] += 1
                accessions.add(f["accession"])
                buf.record_parsed(f, rec["header"], rec["parsed"])
                if buf.pending >= STAGE_FLUSH:
                    buf.commit()
            buf.flush()
            counts["parsed"] -= len(buf.rejected)
            counts["parse_failed"] += len(buf.rejected)
            accessions -= set(buf.rejected)
    return StageSummary(run_id=run_id, accessions=sorted(accessions), fetched=counts["fetched"],
                        fetch_failed=counts["fetch_failed"], parsed=counts["parsed"],
                        parse_failed=counts["parse_failed"])


# ------------------------------------------------------------- validate (single writer)
def validate(settings: Settings, accessions: Sequence[str], run_id: str,
             as_of: datetime | None = None, docs_later: bool = False) -> dict[str, Any]:
    """Run the data-quality suites on the run's filings, and on the filings whose checks depend
    on them; quarantine those with an error.

    ``as_of`` stamps the results (the run's logical time in Airflow), so re-running the same
    run writes identical rows. ``docs_later``: the Data Docs are built beside the ``publish``
    that follows in this process, which waits for them.
    """
    from etl.quality import validate_many
    from etl.warehouse import db, state

    with db.writer(settings) as con:
        scope = state.revalidation_scope(con, accessions)
        check_rows = validate_many(con, scope, run_id=run_id, data_dir=settings.data_dir, checked_at=as_of,
                                   docs_later=docs_later)
        status = state.record_verdicts(con, scope, run_id)
    summary: dict[str, Any] = {"checked": len(status), "pass": 0, "warn": 0, "fail": 0}
    for st in status.values():
        summary[st] = summary.get(st, 0) + 1
    summary["check_rows"] = check_rows
    summary["quarantined"] = sorted(a for a, s in status.items() if s == "fail")
    return summary


# -------------------------------------------------------------- publish (single writer)
def publish(settings: Settings, run_id: str) -> dict[str, Any]:
    """Build dimensions, facts and marts into a fresh copy and swap it in for readers; then drop
    the run's staged batch files, whose rows the warehouse now holds (a backfill's are several
    times the size of its raw store: 1.7 GB for 20k filings)."""
    import shutil

    from etl.quality import finish_docs
    from etl.warehouse import db, state

    with db.writer(settings) as con:
        state.mark_loaded(con, run_id)
    counts: dict[str, int] = {}
    # counted on the copy before the swap, under the writer's memory cap (a reader with DuckDB's
    # defaults took 0.7 GB for these counts over 20M check rows)
    path = db.publish(settings, on_built=lambda con: counts.update(state.published_counts(con)))
    shutil.rmtree(settings.staging_dir / safe_run_id(run_id), ignore_errors=True)
    finish_docs()  # a validation here with docs_later built them meanwhile
    return {"warehouse": str(path), **counts}


# ------------------------------------------------------ re-validate and release after a fix
def reprocess(
    settings: Settings,
    accessions: Sequence[str] | None,
    run_id: str,
    *,
    all_held: bool = False,
    ciks: Sequence[int] = (),
    start: date | None = None,
    end: date | None = None,
    workers: int = 1,
    batch_size: int = 200,
) -> dict[str, Any]:
    """Re-parse held filings from the raw store with the current parser, re-validate, publish.

    Which filings: the given accessions; else with ``all_held`` (or filers, or a date range)
    every filing held in the raw store that matches; else every filing quarantined, or failed in
    parse or validate. The parse runs in ``workers`` processes, batches staged as they finish.
    """
    from etl.warehouse import db, state

    with db.writer(settings) as con:
        if accessions:
            wanted = list(accessions)
        elif all_held or ciks or start or end:
            wanted = state.held_accessions(con, ciks, start, end)
        else:
            wanted = state.reprocess_candidates(con)
        fetched = state.held_filings(con, wanted)
    missing = sorted(set(wanted) - {f["accession"] for f in fetched})
    if not fetched:
        return {"reprocessed": 0, "missing_from_raw": missing}
    out, _done = overlapped_load(parse_only, settings, fetched, run_id, batch_size, workers)
    total = out["timings_s"]["total"]
    return {"reprocessed": len(fetched), "missing_from_raw": missing, "validate": out["validate"],
            "publish": out["publish"], "timings_s": out["timings_s"],
            "filings_per_s": round(len(fetched) / total, 1) if total > 0 else None}


def release(settings: Settings, accessions: Sequence[str], reason: str, released_by: str,
            run_id: str) -> dict[str, Any]:
    """An operator lets quarantined filings into the facts. The release is recorded in dq_override
    (never deleted; revoking keeps the row) and the failed checks stay in dq_check_result."""
    from etl import quality
    from etl.warehouse import db, state

    with stage_of(settings, "release"), db.writer(settings) as con:
        known = state.staged_reports(con, accessions)
        with state.transaction(con):
            for acc in sorted(known):
                quality.release(con, acc, reason, released_by)
                state.mark_released(con, acc, reason, run_id)
    with stage_of(settings, "publish"):
        pub = publish(settings, run_id)
    return {"released": sorted(known), "unknown": sorted(set(accessions) - known), "publish": pub}


# ---------------------------------------------------------------- in-process runner
class BatchStageError(RuntimeError):
    """A batch's fetch or parse raised in a worker process: the stage, the exception's type and
    message, as text (picklable, so it crosses the process boundary; the worker logged its
    traceback)."""

    def __init__(self, stage: str, kind: str, message: str) -> None:
        super().__init__(stage, kind, message)
        self.stage, self.kind, self.message = stage, kind, message

    def __str__(self) -> str:
        return self.message


class BatchResult(TypedDict):
    """What one fetch-and-parse task hands the single writer."""

    batch: int
    fetched: list[FetchedFiling]
    staged: str
    fetch_s: float
    parse_s: float


def fetch_and_parse(settings: Settings, entries: Sequence[DiscoveredFiling], run_id: str, batch: int) -> BatchResult:
    """Fetch a batch and parse it at once: while this batch parses, other workers keep fetching,
    so the network and the CPUs are busy together (the DAG's mapped ``fetch_parse`` task)."""
    t = time.perf_counter()
    try:
        fetched = fetch_batch(settings, entries, run_id) if entries else []
    except Exception as exc:
        log.exception("fetch of batch %d failed", batch)
        raise BatchStageError("fetch", type(exc).__name__, str(exc)) from exc
    return _parsed(settings, fetched, run_id, batch, fetch_s=time.perf_counter() - t, yielding=True)


def _parsed(settings: Settings, fetched: Sequence[FetchedFiling], run_id: str, batch: int, fetch_s: float,
            yielding: bool) -> BatchResult:
    """Parse a fetched batch into its staged file; a crash names the parse stage."""
    t = time.perf_counter()
    try:
        if yielding:
            staged = _yielding_cpu(parse_batch, settings, fetched, run_id, batch)
        else:
            staged = parse_batch(settings, fetched, run_id, batch=batch)
    except Exception as exc:
        log.exception("parse of batch %d failed", batch)
        raise BatchStageError("parse", type(exc).__name__, str(exc)) from exc
    return {"batch": batch, "fetched": list(fetched), "staged": staged, "fetch_s": fetch_s,
            "parse_s": time.perf_counter() - t}


#: Scheduling niceness of CPU-bound helpers that run beside request senders (parse, imports).
LOW_PRIORITY = 10


def _lower_this_thread() -> None:
    """Lower the calling thread's CPU priority (Linux: per thread; elsewhere a no-op)."""
    with contextlib.suppress(AttributeError, OSError):
        import threading

        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOW_PRIORITY)


def _yielding_cpu(fn: Callable[..., str], *args: Any) -> str:
    """Run ``fn`` in a thread of low CPU priority and wait for it: a batch parsing beside other
    workers' fetches yields the cores to them, so a request goes out when the shared cap grants
    its slot, not late and bunched with the next (the SEC counts arrivals, not grants)."""
    import threading

    out: dict[str, Any] = {}

    def target() -> None:
        _lower_this_thread()
        try:
            out["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller below
            out["error"] = exc

    th = threading.Thread(target=target, name="parse-low-priority")
    th.start()
    th.join()
    if "error" in out:
        raise out["error"]
    return cast(str, out["value"])


def parse_only(settings: Settings, fetched: Sequence[FetchedFiling], run_id: str, batch: int) -> BatchResult:
    """Parse held filings again (``reprocess``): the same task without the fetch (nothing to
    yield the CPU to)."""
    return _parsed(settings, fetched, run_id, batch, fetch_s=0.0, yielding=False)


def _quiet_worker() -> None:
    logging.getLogger("etl").setLevel(max(logging.getLogger("etl").getEffectiveLevel(), logging.WARNING))
    import atexit

    atexit.register(_exit_without_teardown)  # runs after the handlers of what the worker imports later


def _exit_without_teardown() -> None:
    """End a pool's worker once its work is returned without tearing its modules down: with Great
    Expectations and pandas loaded that took 0.7 s, which the run waited for in every pool's
    shutdown (after publish, in the validator's). The logs are flushed first; the worker's files are
    closed by then (each task's output is written and returned before the pool is told to stop)."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def _warm_worker() -> None:
    """A worker imports the parser once, when it starts, not inside the first batch it is given."""
    _quiet_worker()
    import etl.edgar.client  # noqa: F401
    import etl.parse  # noqa: F401


def default_workers() -> int:
    """Worker processes for fetch and parse in-process: one per core (at least one)."""
    return max(1, os.cpu_count() or 1)


def in_batch_order(
    task: Callable[..., BatchResult],
    settings: Settings,
    work: Sequence[Sequence[Any]],
    run_id: str,
    workers: int,
) -> Iterator[list[BatchResult]]:
    """Run ``task`` over every batch in ``workers`` processes, all batches in flight at once
    (the shared rate cap paces their requests), and yield the results in batch order, each time
    the next one is done together with those after it that are done too. The writer stages batch
    0 while later batches are still fetching, and the warehouse it builds is the same whatever
    order the workers finish in. One worker, or one batch: in this process."""
    if workers <= 1 or len(work) <= 1:
        for i, items in enumerate(work):
            yield [task(settings, items, run_id, i)]
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, never fork: the caller may hold threads (a mirror, a progress bar) and DuckDB handles
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(work)), mp_context=ctx,
                             initializer=_warm_worker) as pool:
        futures: list[Future[BatchResult] | None] = [
            pool.submit(task, settings, items, run_id, i) for i, items in enumerate(work)]

        def take(i: int) -> BatchResult:
            fut = futures[i]
            assert fut is not None
            futures[i] = None  # a done future holds its result: 96k filings' records at 100k
            return fut.result()

        try:
            i = 0
            while i < len(futures):
                group = [take(i)]
                i += 1
                while i < len(futures) and (nxt := futures[i]) is not None and nxt.done():
                    group.append(take(i))
                    i += 1
                yield group
        finally:
            for fut in futures:
                if fut is not None:
                    fut.cancel()


def work_units(items: Sequence[Any], batch_size: int, workers: int) -> list[list[Any]]:
    """Batches for the in-process runner, guided self-scheduling: each takes a quarter of what is
    left per worker (at least ten filings, at most ``batch_size``), so the first are large and the
    last small. Every batch is fetched before it is parsed and staged, so what the run does
    after its last request is the last batches' parse and stage: a few filings', not a whole
    batch's (under the cap, 1.4 s of 72-filing batches at 576 filings). One process: as planned."""
    if workers <= 1:
        return plan_batches(items, batch_size)
    out: list[list[Any]] = []
    i = 0
    while i < len(items):
        size = min(max(1, batch_size), max(10, -(-(len(items) - i) // (4 * workers))))
        out.append(list(items[i:i + size]))
        i += size
    return out


def prewarm_validation() -> None:
    """Import Great Expectations (~4 s of one core) in a background thread while the batches are
    still fetching and parsing, instead of when validate starts after the last batch."""
    import importlib
    import threading

    def load() -> None:
        _lower_this_thread()
        with contextlib.suppress(Exception):  # validate imports it again and reports any failure
            importlib.import_module("great_expectations")

    threading.Thread(target=load, name="prewarm-gx", daemon=True).start()


def validator_process() -> ProcessPoolExecutor:
    """One spawned process for ``validate`` and ``publish``, started now so that it imports Great
    Expectations while the batches fetch and parse. They start there from a clean heap: in the
    staging process, what staging had left behind added to their peaks (validate 1.07 GB against
    0.89 GB at 20k filings; publish 1.03 GB at 100k), and that process never needs GX's 160 MB."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_quiet_worker)
    pool.submit(prewarm_validation)  # returns at once; the import goes on at low priority
    return pool


def _call_in(pool: ProcessPoolExecutor | None, fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """``fn(*args)`` in ``pool``'s process, or here without one."""
    return fn(*args) if pool is None else pool.submit(fn, *args).result()


def _merge(summaries: Sequence[StageSummary], run_id: str) -> StageSummary:
    merged = StageSummary(run_id=run_id, accessions=[], fetched=0, fetch_failed=0, parsed=0, parse_failed=0)
    accessions: set[str] = set()
    for s in summaries:
        accessions.update(s["accessions"])
        for k in ("fetched", "fetch_failed", "parsed", "parse_failed"):
            merged[k] += s[k]
    merged["accessions"] = sorted(accessions)
    return merged


def stage_as_they_come(
    settings: Settings,
    results: Iterable[list[BatchResult]],
    run_id: str,
    progress: Callable[[int], object] | None = None,
    timings: dict[str, float] | None = None,
) -> tuple[StageSummary, list[BatchResult]]:
    """Stage each batch as its result arrives (the single writer), while later batches are still
    being fetched and parsed; returns the run's summary and the batch results (without waiting
    for every batch before the first write)."""
    timings = timings if timings is not None else {}
    summaries: list[StageSummary] = []
    done: list[BatchResult] = []
    it = iter(results)
    while True:
        try:
            group = next(it)
        except StopIteration:
            break
        except BatchStageError as exc:
            raise StageFailed(exc.stage, exc, kept_after(settings, exc.stage), kind=exc.kind) from exc
        except Exception as exc:  # a worker died (BrokenProcessPool) or could not start
            raise StageFailed("fetch", exc, kept_after(settings, "fetch")) from exc
        for res in group:
            timings["fetch"] = timings.get("fetch", 0.0) + res["fetch_s"]
            timings["parse"] = timings.get("parse", 0.0) + res["parse_s"]
        t = time.perf_counter()
        with stage_of(settings, "stage"):  # every batch already done, in one write
            summaries.append(stage(settings, [res["staged"] for res in group], run_id))
        timings["stage"] = timings.get("stage", 0.0) + time.perf_counter() - t
        for res in group:
            done.append({**res, "fetched": [_slim(f) for f in res["fetched"]]})
            if progress is not None:
                progress(len(res["fetched"]))
    return _merge(summaries, run_id), done


def _slim(f: FetchedFiling) -> FetchedFiling:
    """What a run's caller keeps of a fetched filing (statuses), not the whole record."""
    keep = ("accession", "cik", "status", "error_kind", "downloaded")
    return cast(FetchedFiling, {k: f.get(k) for k in keep if k in f})


def run(
    settings: Settings,
    entries: Sequence[DiscoveredFiling],
    run_id: str,
    batch_size: int = 200,
    progress: Callable[[int], object] | None = None,
    workers: int = 1,
) -> dict[str, Any]:
    """The whole pipeline in one process tree, through the same functions the DAGs call.

    Fetch and parse of each batch run in ``workers`` processes, overlapped; the batches are
    staged in order as they arrive; validate and publish follow the last batch. ``timings_s``
    gives the wall time of each load step and, for fetch and parse, the busy time summed over
    the workers (with overlap they add up to more than the wall).
    """
    out, _done = overlapped_load(fetch_and_parse, settings, entries, run_id, batch_size, workers, progress)
    return {"discovered": len(entries), **out}


def overlapped_load(
    task: Callable[..., BatchResult],
    settings: Settings,
    items: Sequence[Any],
    run_id: str,
    batch_size: int,
    workers: int,
    progress: Callable[[int], object] | None = None,
    on_step: Callable[[str], object] | None = None,
) -> tuple[dict[str, Any], list[BatchResult]]:
    """``task`` over the batches in ``workers`` processes, each batch staged as it arrives, then
    validate and publish: the shape ``run``, ``reprocess`` and the benchmark share. Returns the
    run's summary and the batch results; ``on_step`` hears "staged", "validated", "published"."""
    step = on_step or (lambda _name: None)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    batches = work_units(items, batch_size, workers)
    validator = validator_process() if workers > 1 and len(batches) > 1 else None
    try:
        results = in_batch_order(task, settings, batches, run_id, workers)
        staged_summary, done = stage_as_they_come(settings, results, run_id, progress, timings)
        timings["fetch_parse_stage_wall"] = time.perf_counter() - t0
        step("staged")
        # Validation follows the last batch, in one call: its cost is mostly fixed per call (Great
        # Expectations builds each suite's metric graph, ~0.3 s a suite, and the Data Docs), so
        # validating each staged group while later batches fetch multiplied it and, measured under
        # the cap, left the tail as long (the last group's call).
        t = time.perf_counter()
        with stage_of(settings, "validate"):
            dq = _call_in(validator, functools.partial(validate, docs_later=True), settings,
                         staged_summary["accessions"], run_id)
        timings["validate"] = time.perf_counter() - t
        step("validated")
        t = time.perf_counter()
        with stage_of(settings, "publish"):
            pub = _call_in(validator, publish, settings, run_id)
        timings["load"] = time.perf_counter() - t
    finally:
        if validator is not None:
            validator.shutdown(cancel_futures=True)
    timings["total"] = time.perf_counter() - t0
    step("published")
    return {"stage": staged_summary, "validate": dq, "publish": pub,
            "timings_s": {k: round(v, 3) for k, v in timings.items()}}, done
