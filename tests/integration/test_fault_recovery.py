"""Idempotency and recovery: overlapping runs add no duplicates, a faulty EDGAR loses nothing.

One synthetic corpus of about 60 ABS filings (5 deals, up to 66 submissions) for the module.
A clean run against a well-behaved mirror is the reference. Then:

* a nightly run for one day followed by a range backfill that covers the same day again gives
  one row per accession everywhere and unique fact grains, with staged rows equal to the
  reference's;
* a run against the fault-injecting mirror (25% of requests answered with 429, 503 bursts,
  resets, stalls, truncated bodies, bad Content-Length, corrupt gzip; seeded) ends with every
  filing either loaded or recorded with its reason, never above the rate cap;
* re-running that backfill against a clean mirror downloads exactly the filings that failed
  (the raw store skips the ones it holds) and ends where the reference run ended.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from devtools.mirror.server import FAULT_KINDS, MirrorHandle, serve_mirror
from devtools.synth import generate
from etl import pipeline
from etl.config import Settings
from etl.edgar.client import clear_blocks
from etl.warehouse import db

pytestmark = pytest.mark.integration

UA = "ETL Reliability Tests reliability-tests@example.org"
FAULT_RATE = 0.25
FAULT_SEED = 20240601
MAX_RPS = 20.0
# one row per grain in each model (their header comments state the grain)
FACT_GRAINS = {
    "fct_class_distribution": ["deal_key", "class_key", "date_key"],
    "fct_pool_period": ["deal_key", "pool_key", "date_key"],
    "fct_delinquency": ["deal_key", "pool_key", "bucket", "date_key"],
    "mart_deal_performance": ["deal_key", "distribution_date"],
    "mart_class_factor_history": ["class_key", "distribution_date"],
}
PER_ACCESSION = ("raw_filing", "filing_header", "stg_report", "etl_status", "dim_filing")
STAGED = ("stg_report", "stg_class_period", "stg_pool_period", "stg_deal_measure", "stg_delinquency")


@pytest.fixture(autouse=True)
def _no_blocks() -> Iterator[None]:
    clear_blocks()
    yield
    clear_blocks()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("faults")
    summary = generate(root / "mirror", deals=5, months=12, seed=5, max_filings=66)
    manifest = json.loads((root / "mirror" / "manifest.json").read_text())
    days = sorted(date(int(p.name[5:9]), int(p.name[9:11]), int(p.name[11:13]))
                  for p in (root / "mirror").glob("Archives/edgar/daily-index/*/*/form.*.idx"))
    return {"root": root, "mirror": root / "mirror", "filings": summary.filings, "days": days,
            "start": date.fromisoformat(manifest["first_filing_date"]),
            "end": date.fromisoformat(manifest["last_filing_date"])}


@pytest.fixture(scope="module")
def clean_mirror(corpus: dict[str, Any]) -> Iterator[MirrorHandle]:
    with serve_mirror(corpus["mirror"]) as handle:
        yield handle


def settings_for(url: str, data_dir: Path, **kw: Any) -> Settings:
    values: dict[str, Any] = dict(base_url=url, data_url=url, data_dir=data_dir, user_agent=UA, uncapped=True,
                                  timeout=2.0, max_retries=2, backoff_base=0.05, backoff_max=0.2)
    values.update(kw)
    return Settings(**values).validated()


def query(settings: Settings, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = db.reader(settings)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def staged_rows(settings: Settings, accessions: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    """Every staged row of these filings, sorted: what the parser produced, independent of runs."""
    out = {}
    for table in STAGED:
        rows = query(settings, f"SELECT * EXCLUDE (accession), accession FROM {table} "
                               "WHERE accession IN (SELECT unnest(?::VARCHAR[]))", [accessions])
        out[table] = sorted(rows, key=repr)
    return out


def assert_one_row_per_accession(settings: Settings) -> None:
    for table in PER_ACCESSION:
        dups = query(settings, f"SELECT accession, count(*) FROM {table} GROUP BY 1 HAVING count(*) > 1")
        assert not dups, f"{table} holds duplicates: {dups[:5]}"
    for table, grain in FACT_GRAINS.items():
        cols = ", ".join(grain)
        n, distinct = query(settings, f"SELECT count(*), count(DISTINCT ({cols})) FROM {table}")[0]
        assert n == distinct > 0, f"{table}: grain ({cols}) not unique ({n} rows, {distinct} keys)"


@pytest.fixture(scope="module")
def reference(corpus: dict[str, Any], clean_mirror: MirrorHandle) -> dict[str, Any]:
    """An uninterrupted backfill of the whole corpus against the well-behaved mirror."""
    settings = settings_for(clean_mirror.url, corpus["root"] / "reference")
    entries = pipeline.discover(settings, start=corpus["start"], end=corpus["end"])
    result = pipeline.run(settings, entries, "reference")
    accessions = sorted(e["accession"] for e in entries)
    assert result["stage"]["fetched"] == len(accessions) >= 55, result["stage"]
    status = {r[0]: r[1:] for r in query(settings, "SELECT accession, stage, status FROM etl_status")}
    assert set(status) == set(accessions)
    return {"settings": settings, "entries": entries, "accessions": accessions, "status": status}


# ------------------------------------------------------------------ overlap, no duplicates
@pytest.mark.timeout(240)
def test_backfill_overlapping_a_nightly_run_adds_no_duplicates(corpus, clean_mirror, reference, tmp_path) -> None:
    settings = settings_for(clean_mirror.url, tmp_path / "data")
    # the first EDGAR day with two ABS filings: the nightly run of that day
    day, nightly = next((d, e) for d in corpus["days"] if len(e := pipeline.discover(settings, day=d)) >= 2)
    pipeline.run(settings, nightly, f"nightly__{day}")
    clean_mirror.reset_stats()

    end = day + timedelta(days=60)
    backfill = pipeline.discover(settings, start=day, end=end)
    # the quarterly index and the daily one agree on the day both runs cover
    assert {e["accession"] for e in nightly} == {e["accession"] for e in backfill if e["date_filed"] == day.isoformat()}
    assert len(backfill) > len(nightly)
    result = pipeline.run(settings, backfill, f"backfill__{day}__{end}")

    # the overlapping filings were not downloaded again
    fetched_paths = {p for p in clean_mirror.stats()["paths"] if p.startswith("/Archives/edgar/data/")}
    assert not {f"/Archives/{e['filename']}" for e in nightly} & fetched_paths
    assert len(fetched_paths) == len(backfill) - len(nightly)

    accessions = sorted(e["accession"] for e in backfill)
    assert result["stage"]["accessions"] == accessions
    for table in ("raw_filing", "stg_report", "dim_filing"):
        got = sorted(r[0] for r in query(settings, f"SELECT accession FROM {table}"))
        assert got == accessions, table
    assert_one_row_per_accession(settings)
    # each filing staged exactly as the uninterrupted reference run staged it
    assert staged_rows(settings, accessions) == staged_rows(reference["settings"], accessions)
    assert len(list(settings.raw_dir.rglob("*.txt"))) == len(accessions)


# ------------------------------------------------------------------- faults, nothing lost
@pytest.fixture(scope="module")
def faulty(corpus: dict[str, Any], reference: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The whole backfill once against a mirror that misbehaves on a quarter of its answers."""
    data_dir = corpus["root"] / "faulty"
    shutil.rmtree(data_dir, ignore_errors=True)
    with serve_mirror(corpus["mirror"], fault_rate=FAULT_RATE, faults=FAULT_KINDS, seed=FAULT_SEED,
                      stall_seconds=1.0, retry_after="1") as mirror:
        # discovery is given more patience than the per-filing fetches, so that some fetches
        # run out of retries (the failures the re-run must heal) while the run itself goes on
        discover_settings = settings_for(mirror.url, data_dir, uncapped=False, max_rps=MAX_RPS, max_retries=8,
                                         timeout=0.5)
        entries = pipeline.discover(discover_settings, start=corpus["start"], end=corpus["end"])
        fetch_settings = settings_for(mirror.url, data_dir, uncapped=False, max_rps=MAX_RPS, max_retries=1,
                                      timeout=0.5)
        result = pipeline.run(fetch_settings, entries, "faulty")
        stats = mirror.stats()
        peak = mirror.max_requests_in_any_second()
    yield {"settings": fetch_settings, "entries": entries, "result": result, "stats": stats, "peak": peak}


def test_faulty_mirror_every_filing_loaded_or_recorded_with_reason(faulty, reference) -> None:
    settings, stats = faulty["settings"], faulty["stats"]
    assert sorted(e["accession"] for e in faulty["entries"]) == reference["accessions"]
    assert stats["faults_total"] > 0 and len(stats["faults_injected"]) >= 5, stats["faults_injected"]

    status = {r[0]: r[1:] for r in query(settings, "SELECT accession, stage, status, reason FROM etl_status")}
    assert set(status) == set(reference["accessions"]), "a discovered filing has no status"
    fetch_log = {r[0]: r[1:] for r in query(settings, "SELECT accession, error_kind, reason FROM fetch_log "
                                                      "WHERE run_id = 'faulty'")}
    failed = sorted(a for a, (stage, st, _) in status.items() if stage == "fetch")
    assert failed, "no fetch ran out of retries: the re-run below would test nothing"
    assert set(failed) == set(fetch_log), "every failed fetch is in fetch_log, and only those"
    for acc in failed:
        stage, st, reason = status[acc]
        kind, log_reason = fetch_log[acc]
        assert st == "failed" and kind == "EdgarUnavailable", (acc, status[acc], fetch_log[acc])
        assert reason == log_reason and "gave up after 2 attempts" in reason, reason
    for acc, (stage, st, reason) in status.items():
        if acc in failed:
            continue
        # fetched filings end as the reference run ended them (DQ outcomes aside, see below)
        assert st in ("loaded", "quarantined", "no_report"), (acc, stage, st)
        assert st == "loaded" or reason, f"{acc} is {st} without a reason"
    assert faulty["result"]["stage"]["fetch_failed"] == len(failed)
    assert faulty["result"]["stage"]["fetched"] == len(status) - len(failed)
    assert_one_row_per_accession(settings)
    assert not list(settings.raw_dir.rglob("*.tmp"))


def test_rate_cap_holds_while_retrying(faulty) -> None:
    stats = faulty["stats"]
    retried = stats["requests"] - len(stats["paths"])  # the same URL asked for again
    assert retried > 0
    assert faulty["peak"] <= MAX_RPS, f"{faulty['peak']} requests inside one second (cap {MAX_RPS:g})"


def test_rerun_against_clean_mirror_fetches_only_what_failed(faulty, reference, corpus) -> None:
    settings = faulty["settings"]
    failed = sorted(r[0] for r in query(settings, "SELECT accession FROM etl_status WHERE stage = 'fetch'"))
    held_before = {p: p.stat().st_mtime_ns for p in settings.raw_dir.rglob("*.txt")}
    with serve_mirror(corpus["mirror"]) as mirror:
        rerun = settings_for(mirror.url, settings.data_dir, uncapped=False, max_rps=MAX_RPS)
        entries = pipeline.discover(rerun, start=corpus["start"], end=corpus["end"])
        result = pipeline.run(rerun, entries, "rerun")
        paths = mirror.stats()["paths"]
    downloads = sorted(p for p in paths if p.startswith("/Archives/edgar/data/"))
    # exactly one download per filing that failed, and none of a filing already held
    assert downloads == sorted(f"/Archives/{e['filename']}" for e in entries if e["accession"] in failed)
    assert all(paths[p] == 1 for p in downloads), {p: paths[p] for p in downloads}
    assert result["stage"]["fetch_failed"] == 0
    # files already held were neither fetched nor rewritten
    assert all(p.stat().st_mtime_ns == t for p, t in held_before.items())

    status = {r[0]: r[1:] for r in query(settings, "SELECT accession, stage, status FROM etl_status")}
    assert status == reference["status"], "the healed run does not end where a clean run ends"
    assert staged_rows(settings, reference["accessions"]) == staged_rows(reference["settings"], reference["accessions"])
    assert_one_row_per_accession(settings)
    n_raw = query(settings, "SELECT count(*), count(DISTINCT accession) FROM raw_filing")[0]
    assert n_raw == (len(reference["accessions"]),) * 2
