"""One benchmark run: a backfill of a synthetic corpus, served by the loopback mirror, through the
same ``etl.pipeline`` functions the ``edgar_backfill`` DAG calls.

Shape of the run, as the DAG has it: discover (quarterly full index) -> plan_batches -> each
batch fetched and parsed at once in one task (``pipeline.fetch_and_parse``), every batch in
flight together under the shared rate cap, in ``workers`` processes standing in for Celery
workers -> each batch staged by the single writer as it arrives, while later batches still fetch
-> validate -> publish.
"""

from __future__ import annotations

import cProfile
import io
import json
import logging
import os
import pstats
import resource
import shutil
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devtools.bench import metrics
from devtools.bench.corpus import DEFAULT_SEED, Corpus, corpus_for, work_root
from etl.config import SEC_MAX_RPS, Settings
from etl.progress import progress_bar

log = logging.getLogger("devtools.bench")
USER_AGENT = "edgar-abs-etl benchmark bench@localhost.localdomain"


@dataclass
class BenchOptions:
    """What to run; mirrors the ``edgar-etl bench`` flags."""

    filings: int = 1000
    fault_rate: float = 0.0
    inject_errors: float = 0.0
    rate_limit: float | None = SEC_MAX_RPS  # requests/second; None with uncapped
    uncapped: bool = False
    workers: int = 2
    batch_size: int = 200  # the DAG's default
    airflow: bool = False
    resume: bool = False
    seed: int = DEFAULT_SEED
    fault_seed: int = 7
    max_retries: int | None = None  # filing fetches only; None: the pipeline's default
    timeout: float = 10.0  # per request; the mirror's stall fault holds a request 2 s
    label: str | None = None
    work: Path | None = None
    profile: bool = False
    reprocess: bool = False  # then re-parse every held filing (``reprocess --all``) and time it
    asset_data: int = 0  # > 0: a 2017+ corpus whose 10-Ds come with ABS-EEs of this many assets
    extra: dict[str, Any] = field(default_factory=dict)

    def run_label(self) -> str:
        if self.label:
            return self.label
        cap = "uncapped" if self.uncapped else f"cap{self.rate_limit:g}"
        assets = f"-a{self.asset_data}" if self.asset_data else ""
        return (f"n{self.filings}-{cap}-w{self.workers}-b{self.batch_size}-f{self.fault_rate:g}"
                f"-e{self.inject_errors:g}{assets}")


def peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest waited-for child, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self": round(own, 1), "children": round(kids, 1), "max": round(max(own, kids), 1)}


def host_load() -> dict[str, Any]:
    """Load average and this run's CPU seconds: other work on a shared machine skews timings."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"loadavg_1m": round(os.getloadavg()[0], 2),
            "cpu_s": round(own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime, 1)}


def _settings(opts: BenchOptions, url: str, data_dir: Path) -> Settings:
    kwargs: dict[str, Any] = {}
    if opts.max_retries is not None:
        kwargs["max_retries"] = opts.max_retries
    return Settings(
        base_url=url, data_url=url, user_agent=USER_AGENT,
        max_rps=float(opts.rate_limit or SEC_MAX_RPS), uncapped=opts.uncapped,
        timeout=opts.timeout, backoff_base=0.25, backoff_max=5.0, data_dir=data_dir, **kwargs,
    ).validated()


def _rate(n: int, seconds: float) -> float | None:
    return round(n / seconds, 2) if seconds > 0 else None


def run_bench(opts: BenchOptions) -> dict[str, Any]:
    """Run one benchmark and return its JSON-able result."""
    from devtools.mirror.server import serve_mirror_process

    if opts.uncapped:
        opts.rate_limit = None
    work = work_root(opts.work)
    t = time.perf_counter()
    corpus = corpus_for(opts.filings, opts.inject_errors, opts.seed, work, asset_data=opts.asset_data)
    corpus_s = time.perf_counter() - t
    run_dir = work / "runs" / opts.run_label()
    data_dir = run_dir / "data"
    before: dict[str, str] = {}
    if opts.resume and data_dir.exists():
        before = metrics.statuses(data_dir)
    else:
        shutil.rmtree(run_dir, ignore_errors=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    rss_before_run = peak_rss_mb()
    load_before, t_run = host_load(), time.perf_counter()

    mirror_opts: dict[str, Any] = {}
    if opts.fault_rate:
        mirror_opts = {"fault_rate": opts.fault_rate, "seed": opts.fault_seed}
    # the mirror in a process of its own: in this one it would share the GIL with the single
    # writer, and its arrival times (the rate it reports) would bunch while the writer works
    with serve_mirror_process(corpus.root, **mirror_opts) as mirror:
        settings = _settings(opts, mirror.url, data_dir)
        result = _backfill(opts, settings, corpus)
        stats = mirror.stats()
        # the pipeline's peak: taken when its publish returned, before the benchmark read the ground
        # truth and counted the outcome on the warehouse (at 100k that bookkeeping took 0.36 GB more)
        rss = result.pop("pipeline_rss", None) or peak_rss_mb()
        rss_after_counting = peak_rss_mb()  # before Airflow's processes join the children
        load_after, wall = host_load(), time.perf_counter() - t_run
        if opts.reprocess:
            result["reprocess"] = _reprocess_all(opts, settings, mirror)
        if opts.airflow:
            mirror.reset_stats()
            result["airflow"] = run_airflow(opts, corpus, mirror.url, run_dir, result)

    loaded_now = metrics.statuses(data_dir)
    out: dict[str, Any] = {
        "filings": corpus.filings,
        "corpus_submissions": corpus.submissions,
        **result.pop("counts"),
        "end_to_end_filings_per_s": result.pop("end_to_end_filings_per_s"),
        "stages_filings_per_s": result.pop("stages_filings_per_s"),
        "parse_validate_load_filings_per_s": result.pop("parse_validate_load_filings_per_s"),
        "peak_rss_mb": rss["max"],
        "peak_rss_detail_mb": {**rss, "before_run": rss_before_run["max"],
                               "after_counting": rss_after_counting["max"]},
        "max_requests_in_any_second": stats["max_requests_in_any_second"],
        "rate_limit": None if opts.uncapped else opts.rate_limit,
        "requests": stats["requests"],
        "retries": sum(c - 1 for c in stats.get("paths", {}).values() if c > 1),
        "responses_by_status": stats.get("by_status", {}),
        "faults_injected": stats.get("faults_injected", {}) if opts.fault_rate else {},
        "fault_rate": opts.fault_rate,
        "inject_errors": opts.inject_errors,
        "workers": opts.workers,
        "batch_size": opts.batch_size,
        "resume": opts.resume,
        **result,
        "corpus": {"path": str(corpus.root), "cached": corpus.generate_s is None,
                   "generate_s": round(corpus.generate_s, 1) if corpus.generate_s is not None else None,
                   "prepare_s": round(corpus_s, 2), "start": str(corpus.start), "end": str(corpus.end)},
        "host": {"cpus": os.cpu_count(), "loadavg_1m_start": load_before["loadavg_1m"],
                 "loadavg_1m_end": load_after["loadavg_1m"],
                 "cpu_s": round(load_after["cpu_s"] - load_before["cpu_s"], 1), "wall_s": round(wall, 1),
                 # share of the machine this run used: well below 1 with idle waits or other work
                 "cpu_share": round((load_after["cpu_s"] - load_before["cpu_s"]) / (wall * (os.cpu_count() or 1)), 2)},
        "data_dir": str(data_dir),
        "run_label": opts.run_label(),
    }
    if opts.resume:
        out["previously_not_loaded"] = sum(1 for s in before.values() if not s.endswith(":loaded")) + max(
            0, corpus.filings - len(before))
        out["previously_fetch_failed"] = sum(1 for s in before.values() if s == "fetch:failed")
        out["loaded_after_resume"] = sum(1 for s in loaded_now.values() if s.endswith(":loaded"))
    if opts.inject_errors:
        out.update(metrics.dq_scores(settings, corpus))
    if opts.asset_data:
        out["asset_data"] = metrics.asset_data(settings, corpus)
    if "airflow" in out:
        out["airflow_overhead_s"] = out["airflow"].get("overhead_s")
    return out


def _backfill(opts: BenchOptions, settings: Settings, corpus: Corpus) -> dict[str, Any]:
    from etl import pipeline

    run_id = f"bench__{datetime.now(UTC):%Y%m%dT%H%M%S}"
    timings: dict[str, float] = {}
    logging.getLogger("etl").setLevel(logging.WARNING)  # 20k per-filing lines would drown the result
    t0 = time.perf_counter()

    t = time.perf_counter()
    # --max-retries is about filing fetches; discovery keeps the default, as the DAG's discover
    # task has Airflow retries of its own (a lost index is a failed run, not a failed filing).
    entries = pipeline.discover(replace(settings, max_retries=Settings.max_retries), start=corpus.start,
                                end=corpus.end)
    timings["discover"] = time.perf_counter() - t
    batches = pipeline.work_units(entries, opts.batch_size, opts.workers)

    rss_at: dict[str, float] = {}
    with progress_bar(len(entries) + 3, f"bench {len(entries)} filings") as bar:
        bar.describe(f"bench: fetch, parse and stage {len(batches)} batches, overlapped")
        prof = cProfile.Profile() if opts.profile else None
        if prof:
            prof.enable()

        def at(step: str) -> None:
            rss_at[{"staged": "stage", "validated": "validate", "published": "publish"}[step]] = peak_rss_mb()["self"]
            bar.advance()
            bar.describe({"staged": "bench: validate", "validated": "bench: publish"}.get(step, "bench: done"))

        # the pipeline's own overlapped load, as ``edgar-etl backfill`` runs it: every batch
        # fetched and parsed in the worker processes under the shared cap, each staged as it
        # arrives (and, under the cap, validated while later batches are fetched)
        out, done = pipeline.overlapped_load(pipeline.fetch_and_parse, settings, entries, run_id, opts.batch_size,
                                             opts.workers, bar.advance, on_step=at)
        pipeline_rss = peak_rss_mb()  # the pipeline's peak, before this benchmark counts the outcome
        if prof:
            prof.disable()
    for k, v in out["timings_s"].items():
        if k != "total":
            timings["publish" if k == "load" else k] = v
    dq, pub = out["validate"], out["publish"]
    fetched = [d["fetched"] for d in done]
    timings["total"] = time.perf_counter() - t0

    flat = [r for batch in fetched for r in batch]
    fetch_status = Counter(r.get("status") for r in flat)
    downloaded = sum(1 for r in flat if r.get("status") == "fetched" and r.get("downloaded"))
    n = len(entries)
    w = max(1, min(opts.workers, len(batches)))
    # fetch and parse overlap: their rates are per worker-second of busy time times the workers
    for k in ("fetch", "parse"):
        timings.setdefault(k, 0.0)
        timings[k + "_per_worker"] = timings[k] / w
    pvl = timings["parse_per_worker"] + timings["stage"] + timings["validate"] + timings["publish"]
    counts = metrics.outcome(settings, corpus, [e["accession"] for e in entries])
    result: dict[str, Any] = {
        "counts": counts,
        "end_to_end_filings_per_s": _rate(corpus.filings, timings["total"]),
        "stages_filings_per_s": {
            "fetch": _rate(n, timings["fetch_per_worker"]),
            "parse": _rate(n, timings["parse_per_worker"]),
            "validate": _rate(n, timings["validate"]),
            "load": _rate(n, timings["stage"] + timings["publish"]),
        },
        "parse_validate_load_filings_per_s": _rate(n, pvl),
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
        # this process's peak RSS after each stage: the stage where it jumps is the one to look at
        "peak_rss_self_after_stage_mb": rss_at,
        "discovered": n,
        "batches": len(batches),
        "fetch_status": dict(fetch_status),
        "refetched": downloaded,
        "skipped_held": sum(1 for r in flat if r.get("status") == "fetched" and not r.get("downloaded")),
        "validate_summary": {k: v for k, v in dq.items() if k != "quarantined"},
        "publish": pub,
        "run_id": run_id,
        "pipeline_rss": pipeline_rss,
    }
    if prof:
        result["profile"] = _profile_summary(prof, opts, settings, batches, fetched)
    return result


def _reprocess_all(opts: BenchOptions, settings: Settings, mirror: Any) -> dict[str, Any]:
    """``reprocess --all`` after the backfill: every held filing re-parsed from the raw store in
    ``opts.workers`` processes, re-validated and published; no request may reach the mirror."""
    from etl import pipeline

    before = mirror.stats()["requests"]
    t = time.perf_counter()
    out = pipeline.reprocess(settings, None, "bench-reprocess", all_held=True, workers=opts.workers,
                             batch_size=opts.batch_size)
    wall = time.perf_counter() - t
    return {"reprocessed": out["reprocessed"], "wall_s": round(wall, 2),
            "filings_per_s": _rate(out["reprocessed"], wall), "timings_s": out.get("timings_s"),
            "requests": mirror.stats()["requests"] - before,
            "quarantined": len(out.get("validate", {}).get("quarantined", []))}


def _profile_summary(prof: cProfile.Profile, opts: BenchOptions, settings: Settings,
                     batches: Sequence[Any], fetched: Sequence[Any]) -> dict[str, Any]:
    """Where the time goes: the single writer as run, and one parse batch re-run in-process."""
    from etl import pipeline

    out_dir = work_root(opts.work) / "runs" / opts.run_label()
    writer = _top(prof, out_dir / "profile-writer.txt")
    pprof = cProfile.Profile()
    if fetched:
        pprof.enable()
        pipeline.parse_batch(settings, fetched[0], "bench_profile", batch=0)
        pprof.disable()
    parse = _top(pprof, out_dir / "profile-parse.txt")
    return {"writer_top": writer, "parse_batch0_top": parse,
            "files": [str(out_dir / "profile-writer.txt"), str(out_dir / "profile-parse.txt")]}


def _top(prof: cProfile.Profile, path: Path, n: int = 12) -> list[dict[str, Any]]:
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(40)
    path.write_text(buf.getvalue())
    rows = []
    for (file, line, func), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append({"func": f"{Path(file).name}:{line}:{func}", "calls": nc, "tottime_s": round(tt, 3),
                     "cumtime_s": round(ct, 3)})
    rows.sort(key=lambda r: r["tottime_s"], reverse=True)
    return rows[:n]


def run_airflow(opts: BenchOptions, corpus: Corpus, mirror_url: str, run_dir: Path,
                in_process: dict[str, Any]) -> dict[str, Any]:
    """The same backfill through ``airflow dags test edgar_backfill`` into a fresh data dir."""
    from devtools.demo import airflow_env, prepare_airflow, run_dag

    home = work_root(opts.work) / "airflow_home"
    data_dir = run_dir / "airflow_data"
    shutil.rmtree(data_dir, ignore_errors=True)
    env = airflow_env(mirror_url, data_dir, home)
    env["EDGAR_USER_AGENT"] = USER_AGENT
    env["EDGAR_TIMEOUT"] = str(opts.timeout)
    if opts.uncapped:
        env["EDGAR_UNCAPPED"] = "1"
    else:
        env["EDGAR_UNCAPPED"] = "0"
        env["EDGAR_MAX_RPS"] = str(opts.rate_limit or SEC_MAX_RPS)
    if opts.max_retries is not None:
        env["EDGAR_MAX_RETRIES"] = str(opts.max_retries)
    t = time.perf_counter()
    prepare_airflow(env)
    prepare_s = time.perf_counter() - t
    conf = {"start_date": str(corpus.start), "end_date": str(corpus.end), "batch_size": opts.batch_size}
    wall = run_dag("edgar_backfill", env, conf=conf)
    settings = Settings(base_url=mirror_url, data_url=mirror_url, data_dir=data_dir, uncapped=True).validated()
    statuses = metrics.statuses(data_dir)
    loaded = sum(1 for s in statuses.values() if s.endswith(":loaded"))
    in_total = in_process["timings_s"]["total"]
    return {
        "command": f"airflow dags test edgar_backfill -c '{json.dumps(conf)}'",
        "prepare_s": round(prepare_s, 2),
        "dags_test_s": round(wall, 2),
        "in_process_s": in_total,
        "overhead_s": round(wall - in_total, 2),
        "filings_per_s": _rate(corpus.filings, wall),
        "loaded": loaded,
        "same_loaded_as_in_process": loaded == in_process["counts"]["loaded"],
        "duplicates": metrics.duplicates(settings)["total"],
        "note": "dags test runs the mapped tasks one after another in one process, so the overhead "
                "includes the parallelism of the in-process run's worker pool",
    }
