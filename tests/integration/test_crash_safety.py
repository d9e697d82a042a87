"""SIGKILL the loader part-way, re-run it, and get the warehouse a clean run builds.

A synthetic corpus (3 deals x 4 months) is served by the loopback mirror. The step under test
runs in a child process, as an Airflow task does, and is killed with SIGKILL (no clean-up
handlers run) at a crash point the test can see on disk:

* fetch: after the third filing landed in the raw store, and in the middle of writing one
  (its temporary file fsynced, not yet linked to its final name);
* stage: inside the single writer's transaction, after every staged row was inserted and just
  before COMMIT;
* publish: while the temporary copy ``.warehouse.duckdb.{pid}.tmp`` is being built, before
  ``os.replace`` (first publish, and again over an existing warehouse).

Crash points that live inside a function are made deterministic by the driver script (test
code only): it wraps the product function, writes a marker file at the point and sleeps; the
test sees the marker and kills it. Product code has no test hooks.

After the kill the whole pipeline is run again to completion with the same run id and the same
``as_of`` (Airflow's logical date), and the published warehouse must equal a clean run's, table
by table (``db.table_checksums``); the raw store must hold only whole filings matching their
manifest rows, and no accession may appear twice anywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from devtools.mirror.server import MirrorHandle, serve_mirror
from devtools.synth import generate
from etl import pipeline
from etl.config import Settings
from etl.warehouse import db

pytestmark = pytest.mark.integration

UA = "ETL Reliability Tests reliability-tests@example.org"
RUN_ID = "crash-safety"
AS_OF = datetime(2005, 4, 1, 6, 0)  # the run's logical date: stamps dq results identically
BATCH = 8  # two fetch/parse batches, as the DAG maps them
PEM_END = b"-----END PRIVACY-ENHANCED MESSAGE-----"
KILL_WAIT_S = 60.0  # a crash point not reached in this time fails the test, never hangs it

# Runs one pipeline step in a child process; pauses at the crash point named in its config.
DRIVER = r"""
import json, sys, time
from datetime import date
from pathlib import Path

cfg = json.loads(sys.argv[1])
from etl import pipeline
from etl.config import Settings

settings = Settings(base_url=cfg["url"], data_url=cfg["url"], data_dir=Path(cfg["data_dir"]),
                    user_agent=cfg["ua"], max_rps=cfg["max_rps"], timeout=5.0, max_retries=2,
                    backoff_base=0.05, backoff_max=0.5).validated()
marker = Path(cfg["marker"])
calls = {"n": 0}


def pause(what):
    part = marker.with_name(marker.name + ".part")  # written whole, then renamed: the test never
    part.write_text(what)                            # sees the marker before its text
    part.rename(marker)
    time.sleep(120)  # the test sends SIGKILL while we sleep here
    sys.exit(3)


step, point = cfg["step"], cfg.get("point")
if step == "fetch":
    from etl.edgar import rawstore

    if point == "after_put":
        real_put = rawstore.RawStore.put

        def put(self, cik, accession, data):  # counts the raw store's writes, not the probed store's
            out = real_put(self, cik, accession, data)
            if self.root != settings.raw_dir:
                return out
            calls["n"] += 1
            if calls["n"] == cfg["nth"]:
                pause(f"stored {accession}")
            return out

        rawstore.RawStore.put = put
    elif point == "mid_write":
        real_publish = rawstore.RawStore._publish

        def _publish(self, tmp, path, digest):
            if self.root != settings.raw_dir:
                return real_publish(self, tmp, path, digest)
            calls["n"] += 1
            if calls["n"] == cfg["nth"]:
                pause(f"temporary file {tmp} written, {path.name} not yet linked")
            return real_publish(self, tmp, path, digest)

        rawstore.RawStore._publish = _publish
    elif point == "mid_probe":  # discovery's write of a probed filing, its temporary file written
        real_publish = rawstore.RawStore._publish

        def _publish(self, tmp, path, digest):
            if self.root == settings.raw_dir:
                return real_publish(self, tmp, path, digest)
            pause(f"probed {tmp} written, {path.name} not yet linked")

        rawstore.RawStore._publish = _publish
    entries = pipeline.discover(settings, start=date.fromisoformat(cfg["start"]), end=date.fromisoformat(cfg["end"]))
    for i, batch in enumerate(pipeline.plan_batches(entries, cfg["batch"])):
        fetched = pipeline.fetch_batch(settings, batch, cfg["run_id"])
        pipeline.parse_batch(settings, fetched, cfg["run_id"], batch=i)
elif step == "stage":
    from etl.warehouse import staging

    real_replace = staging.replace_staged

    def replace_staged(con, parsed, **kw):
        n = real_replace(con, parsed, **kw)
        pause(f"{n} filings staged, transaction still open")
        return n

    staging.replace_staged = replace_staged
    pipeline.stage(settings, cfg["staged"], cfg["run_id"])
elif step == "publish":
    pipeline.publish(settings, cfg["run_id"])
print("step completed without being killed")
"""


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("crash")
    generate(root / "mirror", deals=3, months=4, seed=11)
    manifest = json.loads((root / "mirror" / "manifest.json").read_text())
    return {"root": root, "mirror": root / "mirror", "start": manifest["first_filing_date"],
            "end": manifest["last_filing_date"]}


@pytest.fixture(scope="module")
def mirror(corpus: dict[str, Any]) -> Iterator[MirrorHandle]:
    # One mirror (one port) for every run: source URLs are stored in raw_filing and fetch_log.
    with serve_mirror(corpus["mirror"]) as handle:
        yield handle


def _settings(url: str, data_dir: Path) -> Settings:
    return Settings(base_url=url, data_url=url, data_dir=data_dir, user_agent=UA, uncapped=True,
                    timeout=5.0, max_retries=2, backoff_base=0.05, backoff_max=0.5).validated()


@pytest.fixture
def data_dir(corpus: dict[str, Any]) -> Path:
    """The same absolute folder for every run (raw paths are stored), emptied before each test."""
    path = corpus["root"] / "data"
    shutil.rmtree(path, ignore_errors=True)
    return path


@pytest.fixture(scope="module")
def clean(corpus: dict[str, Any], mirror: MirrorHandle) -> dict[str, Any]:
    """Checksums and accessions of an uninterrupted run from scratch."""
    path = corpus["root"] / "data"
    shutil.rmtree(path, ignore_errors=True)
    settings = _settings(mirror.url, path)
    result = run_all(settings, corpus)
    con = db.reader(settings)
    try:
        sums = db.table_checksums(con)
        accessions = sorted(r[0] for r in con.execute("SELECT accession FROM raw_filing").fetchall())
    finally:
        con.close()
    shutil.rmtree(path)
    assert result["stage"]["fetched"] == len(accessions) >= 12, result["stage"]
    return {"checksums": sums, "accessions": accessions}


# ------------------------------------------------------------------------------ helpers
def discover(settings: Settings, corpus: dict[str, Any]) -> list[dict[str, Any]]:
    return pipeline.discover(settings, start=date.fromisoformat(corpus["start"]),
                             end=date.fromisoformat(corpus["end"]))


def fetch_and_parse(settings: Settings, entries: list[dict[str, Any]]) -> list[str]:
    staged = []
    for i, batch in enumerate(pipeline.plan_batches(entries, BATCH)):
        fetched = pipeline.fetch_batch(settings, batch, RUN_ID)
        staged.append(pipeline.parse_batch(settings, fetched, RUN_ID, batch=i))
    return staged


def run_all(settings: Settings, corpus: dict[str, Any]) -> dict[str, Any]:
    """discover -> fetch -> parse -> stage -> validate -> publish, as the backfill DAG chains them."""
    staged = fetch_and_parse(settings, discover(settings, corpus))
    st = pipeline.stage(settings, staged, RUN_ID)
    dq = pipeline.validate(settings, st["accessions"], RUN_ID, as_of=AS_OF)
    return {"stage": st, "validate": dq, "publish": pipeline.publish(settings, RUN_ID)}


def kill_when(cfg: dict[str, Any], ready: Callable[[], bool]) -> None:
    """Start the driver, SIGKILL it as soon as ``ready()`` holds; fail if it never does."""
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, json.dumps(cfg)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + KILL_WAIT_S
    try:
        while not ready():
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail(f"driver ended (rc={proc.returncode}) before the crash point:\n{out}\n{err[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"crash point not reached within {KILL_WAIT_S:.0f}s")
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        proc.stdout.close()  # type: ignore[union-attr]
        proc.stderr.close()  # type: ignore[union-attr]
    assert proc.returncode == -signal.SIGKILL


def driver_cfg(mirror: MirrorHandle, data_dir: Path, corpus: dict[str, Any], **kw: Any) -> dict[str, Any]:
    data_dir.mkdir(parents=True, exist_ok=True)
    cfg = {"url": mirror.url, "data_dir": str(data_dir), "ua": UA, "max_rps": 10.0, "run_id": RUN_ID,
           "start": corpus["start"], "end": corpus["end"], "batch": BATCH,
           "marker": str(data_dir.parent / f"marker-{time.monotonic_ns()}")}
    cfg.update(kw)
    return cfg


def marker_written(cfg: dict[str, Any]) -> Callable[[], bool]:
    return lambda: Path(cfg["marker"]).exists()


def raw_txt(settings: Settings) -> list[Path]:
    return sorted(settings.raw_dir.rglob("*.txt")) if settings.raw_dir.exists() else []


def assert_recovered(settings: Settings, clean: dict[str, Any]) -> None:
    """The published warehouse equals the clean run's; the raw store holds whole filings only."""
    con = db.reader(settings)
    try:
        sums = db.table_checksums(con)
        manifest = con.execute("SELECT accession, cik, raw_path, sha256, size_bytes FROM raw_filing").fetchall()
        for table in ("raw_filing", "filing_header", "stg_report", "etl_status", "dim_filing"):
            n, distinct = con.execute(f"SELECT count(*), count(DISTINCT accession) FROM {table}").fetchone()
            assert n == distinct, f"{table}: {n - distinct} duplicate accession row(s)"
    finally:
        con.close()
    differing = sorted(t for t in clean["checksums"] if sums.get(t) != clean["checksums"][t])
    assert not differing, f"tables differ from the clean run: {differing}"
    assert set(sums) == set(clean["checksums"])
    assert sorted(r[0] for r in manifest) == clean["accessions"]

    files = raw_txt(settings)
    assert len(files) == len({f.stem for f in files}) == len(manifest), "one raw file per accession"
    by_path = {Path(r[2]).resolve(): r for r in manifest}
    assert {f.resolve() for f in files} == set(by_path), "raw files and raw_filing rows disagree"
    for f in files:
        data = f.read_bytes()
        acc, cik, _, sha, size = by_path[f.resolve()]
        assert f.parent.name == str(cik) and f.stem == acc
        assert hashlib.sha256(data).hexdigest() == sha and len(data) == size, f"{f} is not what was fetched"
        tail = data.rstrip().removesuffix(PEM_END).rstrip()  # 1990s-style filings close a PEM block too
        assert tail.endswith(b"</SEC-DOCUMENT>"), f"{f} is cut short"
    leftovers = sorted(str(p.relative_to(settings.data_dir)) for p in settings.data_dir.rglob("*.tmp*"))
    assert not leftovers, f"temporary files left behind: {leftovers}"


def checksum_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -------------------------------------------------------------------------------- tests
@pytest.mark.timeout(180)
def test_killed_during_fetch_between_filings(corpus, mirror, clean, data_dir) -> None:
    settings = _settings(mirror.url, data_dir)
    cfg = driver_cfg(mirror, data_dir, corpus, step="fetch", point="after_put", nth=3)
    kill_when(cfg, marker_written(cfg))
    # the crash point: three filings landed, the rest did not, nothing reached the writer
    assert len(raw_txt(settings)) == 3
    assert not db.work_path(settings).exists() and not settings.warehouse.exists()

    run_all(settings, corpus)
    assert_recovered(settings, clean)


@pytest.mark.timeout(180)
def test_killed_while_discovery_writes_a_probed_filing(corpus, mirror, clean, data_dir) -> None:
    """Discovery fetches a deal-named 8-K filer's filing to learn its SIC and keeps it for the
    fetch; killed mid-write, nothing reached the raw store, and the rerun cleans up after it."""
    settings = _settings(mirror.url, data_dir)
    cfg = driver_cfg(mirror, data_dir, corpus, step="fetch", point="mid_probe")
    kill_when(cfg, marker_written(cfg))
    assert raw_txt(settings) == []
    assert len(list((settings.cache_dir / "probed").rglob(".*.tmp"))) == 1

    run_all(settings, corpus)
    assert_recovered(settings, clean)  # every filing whole, none twice, no temporary file left


@pytest.mark.timeout(180)
def test_killed_in_the_middle_of_a_raw_write(corpus, mirror, clean, data_dir) -> None:
    settings = _settings(mirror.url, data_dir)
    cfg = driver_cfg(mirror, data_dir, corpus, step="fetch", point="mid_write", nth=3)
    kill_when(cfg, marker_written(cfg))
    # the third filing was written to its temporary file only: never visible under its name
    assert len(raw_txt(settings)) == 2
    assert len(list(settings.raw_dir.rglob(".*.tmp"))) == 1

    # the retried fetch (the warehouse side is covered by the test above): every filing whole,
    # exactly the mirror's bytes, none twice; the dead writer's temporary file is removed by the
    # next write into that CIK's folder
    entries = discover(settings, corpus)
    fetch_and_parse(settings, entries)
    files = raw_txt(settings)
    assert sorted(f.stem for f in files) == sorted(e["accession"] for e in entries) == clean["accessions"]
    for f in files:
        served = corpus["mirror"] / "Archives" / "edgar" / "data" / f.parent.name / f.name
        assert f.read_bytes() == served.read_bytes(), f
    leftovers = sorted(str(p) for p in settings.data_dir.rglob("*.tmp"))
    assert not leftovers, f"the killed raw write left {leftovers}"


@pytest.mark.timeout(180)
def test_killed_inside_the_stage_transaction(corpus, mirror, clean, data_dir) -> None:
    settings = _settings(mirror.url, data_dir)
    staged = fetch_and_parse(settings, discover(settings, corpus))
    cfg = driver_cfg(mirror, data_dir, corpus, step="stage", staged=staged)
    kill_when(cfg, marker_written(cfg))
    assert "transaction still open" in Path(cfg["marker"]).read_text()
    # the open transaction is gone: not one manifest, status or staged row of it survived
    con = duckdb.connect(str(db.work_path(settings)), read_only=True)
    try:
        for table in ("raw_filing", "filing_header", "etl_status", "stg_report", "stg_class_period"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
    finally:
        con.close()
    assert not settings.warehouse.exists()

    run_all(settings, corpus)
    assert_recovered(settings, clean)


@pytest.mark.timeout(180)
def test_killed_while_publishing_the_copy(corpus, mirror, clean, data_dir) -> None:
    settings = _settings(mirror.url, data_dir)
    staged = fetch_and_parse(settings, discover(settings, corpus))
    st = pipeline.stage(settings, staged, RUN_ID)
    pipeline.validate(settings, st["accessions"], RUN_ID, as_of=AS_OF)

    def copy_being_built() -> bool:
        return any(data_dir.glob(".warehouse.duckdb.*.tmp"))

    kill_when(driver_cfg(mirror, data_dir, corpus, step="publish"), copy_being_built)
    # killed before os.replace: no warehouse yet, the half-built copy is left as debris
    assert not settings.warehouse.exists()
    assert copy_being_built()

    run_all(settings, corpus)  # the whole run again, as after clearing the DAG run
    assert_recovered(settings, clean)

    # again over a published warehouse: readers keep the old file, byte for byte
    before = checksum_file(settings.warehouse)
    kill_when(driver_cfg(mirror, data_dir, corpus, step="publish"), copy_being_built)
    assert checksum_file(settings.warehouse) == before
    con = db.reader(settings)
    try:
        assert db.table_checksums(con) == clean["checksums"]
    finally:
        con.close()
    pipeline.publish(settings, RUN_ID)  # the retried task
    assert_recovered(settings, clean)
