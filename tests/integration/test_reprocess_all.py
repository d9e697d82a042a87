"""Overlapped runs and ``reprocess --all``: the same warehouse whichever way the filings came in.

One synthetic corpus (4 deals, 8 months). A backfill in one process, batch after batch, is the
reference. A backfill with two worker processes and batches of 5 (fetch and parse overlapped,
each batch staged as it arrives) must publish the same facts, marts and checks; so must
``reprocess --all`` of every held filing, in parallel, on top of it. ``--cik`` and ``--from``/
``--to`` pick the held filings they name, and nothing is fetched again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from devtools.mirror.server import MirrorHandle, serve_mirror
from devtools.synth import generate
from etl import cli, pipeline
from etl.config import Settings
from etl.warehouse import db

pytestmark = pytest.mark.integration
UA = "ETL Reprocess Tests reprocess-tests@example.org"
# what analysts read: every fact, dimension, mart and view, and the check results
COMPARED_PREFIXES = ("fct_", "dim_", "mart_", "v_", "dq_check_result", "dq_filing_status", "stg_")
# columns that name the run which wrote a row (or the data folder), not what the row says
RUN_COLUMNS = ("run_id", "load_run_id", "loaded_run_id", "validated_run_id", "checked_at", "loaded_at",
               "raw_path")  # where this data folder keeps the raw file


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("reprocess")
    generate(root / "mirror", deals=4, months=8, seed=11, inject_errors=0.15, max_filings=40)
    manifest = json.loads((root / "mirror" / "manifest.json").read_text())
    return {"root": root, "start": date.fromisoformat(manifest["first_filing_date"]),
            "end": date.fromisoformat(manifest["last_filing_date"])}


@pytest.fixture(scope="module")
def mirror(corpus: dict[str, Any]) -> Iterator[MirrorHandle]:
    with serve_mirror(corpus["root"] / "mirror") as handle:
        yield handle


def settings_for(url: str, data_dir: Path) -> Settings:
    return Settings(base_url=url, data_url=url, data_dir=data_dir, user_agent=UA, uncapped=True,
                    timeout=5.0, max_retries=2, backoff_base=0.05, backoff_max=0.2).validated()


def warehouse_digest(settings: Settings) -> dict[str, tuple[int, str]]:
    """Row count and an md5 of the sorted rows of every compared table and view."""
    con = db.reader(settings)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()
            if r[0].startswith(COMPARED_PREFIXES)]
        out = {}
        for name in names:
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [name]).fetchall() if r[0] not in RUN_COLUMNS]
            sel = ", ".join(f'"{c}"' for c in cols)
            n, digest = con.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::VARCHAR, '\n' ORDER BY t::VARCHAR), '')) "
                f"FROM (SELECT {sel} FROM {name}) t").fetchone()
            out[name] = (n, digest)
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def reference(corpus: dict[str, Any], mirror: MirrorHandle) -> dict[str, Any]:
    settings = settings_for(mirror.url, corpus["root"] / "sequential")
    entries = pipeline.discover(settings, start=corpus["start"], end=corpus["end"])
    result = pipeline.run(settings, entries, "load", batch_size=5, workers=1)
    assert result["stage"]["fetched"] == len(entries) >= 25
    assert result["validate"]["fail"] >= 1  # the planted mistakes are quarantined
    return {"settings": settings, "entries": entries, "digest": warehouse_digest(settings)}


@pytest.fixture(scope="module")
def overlapped(corpus: dict[str, Any], mirror: MirrorHandle, reference: dict[str, Any]) -> Settings:
    settings = settings_for(mirror.url, corpus["root"] / "overlapped")
    result = pipeline.run(settings, reference["entries"], "load", batch_size=5, workers=2)
    assert result["stage"]["fetched"] == len(reference["entries"])
    return settings


def test_overlapped_run_publishes_the_same_warehouse(reference: dict[str, Any], overlapped: Settings) -> None:
    digest = warehouse_digest(overlapped)
    assert {"fct_class_distribution", "dq_check_result", "mart_deal_performance"} <= set(digest)
    assert digest["fct_class_distribution"][0] > 100
    assert digest == reference["digest"]


def test_a_published_run_leaves_no_staged_batch_files(reference: dict[str, Any], overlapped: Settings) -> None:
    for settings in (reference["settings"], overlapped):
        assert (settings.data_dir / "raw").is_dir() and settings.warehouse.is_file()
        assert not (settings.staging_dir / "load").exists()
        assert not list(settings.staging_dir.glob("**/batch-*.jsonl"))


def test_capped_run_publishes_the_same_warehouse(corpus: dict[str, Any], mirror: MirrorHandle,
                                                 reference: dict[str, Any]) -> None:
    """Two workers sharing the request cap (the file limiter) load what one uncapped process does."""
    import dataclasses

    settings = dataclasses.replace(settings_for(mirror.url, corpus["root"] / "capped"), uncapped=False,
                                   max_rps=500.0)
    result = pipeline.run(settings, reference["entries"], "load", batch_size=5, workers=2)
    assert result["validate"]["checked"] == len(reference["entries"])
    assert warehouse_digest(settings) == reference["digest"]


def test_reprocess_all_in_parallel_changes_nothing(reference: dict[str, Any], overlapped: Settings,
                                                   mirror: MirrorHandle) -> None:
    before = mirror.stats()["requests"]
    result = pipeline.reprocess(overlapped, None, "load", all_held=True, workers=2, batch_size=7)
    assert result["reprocessed"] == len(reference["entries"]) and result["missing_from_raw"] == []
    assert result["validate"]["checked"] == len(reference["entries"])
    assert mirror.stats()["requests"] == before  # from the raw store: nothing fetched
    assert warehouse_digest(overlapped) == reference["digest"]


def test_reprocess_selects_by_filer_and_dates(reference: dict[str, Any], overlapped: Settings) -> None:
    entries = reference["entries"]
    cik = int(entries[0]["cik"])
    of_cik = [e for e in entries if int(e["cik"]) == cik]
    result = pipeline.reprocess(overlapped, None, "load", ciks=[cik], workers=1)
    assert result["reprocessed"] == len(of_cik) >= 2
    days = sorted({date.fromisoformat(e["date_filed"][:10]) for e in entries})
    lo, hi = days[len(days) // 4], days[len(days) // 2]
    in_range = [e for e in entries if lo <= date.fromisoformat(e["date_filed"][:10]) <= hi]
    result = pipeline.reprocess(overlapped, None, "load", start=lo, end=hi, workers=1)
    assert result["reprocessed"] == len(in_range) >= 2
    assert warehouse_digest(overlapped) == reference["digest"]


def test_cli_reprocess_all(overlapped: Settings, reference: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("EDGAR_DATA_DIR", str(overlapped.data_dir))
    monkeypatch.setenv("EDGAR_USER_AGENT", UA)
    monkeypatch.setenv("EDGAR_BASE_URL", overlapped.base_url)
    monkeypatch.setenv("EDGAR_DATA_URL", overlapped.data_url)
    assert cli.main(["reprocess", "--all", "--workers", "2", "--run-id", "load", "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["reprocessed"] == len(reference["entries"])
    with pytest.raises(SystemExit, match="not both"):
        cli.main(["reprocess", "--all", reference["entries"][0]["accession"]])


def test_validation_in_small_chunks_of_whole_deals_gives_the_same_results(overlapped: Settings,
                                                                           tmp_path: Path) -> None:
    """A chunk is validated over its own deals' history only (the staged tables narrowed to its
    filers): chunks of 5 filings must give exactly the results of one chunk of every filing."""
    import shutil
    from datetime import datetime

    import duckdb

    from etl.quality import runner
    from etl.warehouse import schema

    results = {}
    for chunk in (100_000, 5):
        copy = tmp_path / f"work-{chunk}.duckdb"
        shutil.copyfile(db.work_path(overlapped), copy)
        con = duckdb.connect(str(copy))
        try:
            schema.ensure(con, db.WORK_LAYERS)
            accs = [r[0] for r in con.execute("SELECT accession FROM stg_report ORDER BY 1").fetchall()]
            deals = con.execute("SELECT count(DISTINCT cik) FROM stg_report").fetchone()[0]
            assert len(accs) > 5 and deals >= 3
            runner.validate_many(con, accs, "chunks", None, datetime(2007, 1, 2), chunk_filings=chunk)
            results[chunk] = con.execute("SELECT * FROM dq_check_result WHERE run_id = 'chunks' ORDER BY ALL").fetchall()
        finally:
            con.close()
    assert len(results[5]) > 1000 and any(r for r in results[5] if "fail" in r)
    assert results[5] == results[100_000]
