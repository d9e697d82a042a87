"""End to end through real Airflow: the DAGs against the local EDGAR mirror, as ``make demo`` runs them.

One module-scoped Airflow home (SQLite) and mirror; each test gets its own data folder.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import duckdb
import pytest

from devtools import demo
from etl.warehouse import db

pytestmark = [pytest.mark.integration, pytest.mark.dags]

SEED_8K = "0001019965-04-000001"
SEED_10K = "0001019965-04-000147"


@pytest.fixture(scope="module")
def mirror():
    from devtools.mirror.server import serve_mirror

    with serve_mirror(demo.FIXTURE_MIRROR) as handle:
        yield handle


@pytest.fixture(scope="module")
def airflow_home(tmp_path_factory, mirror) -> Path:
    home = tmp_path_factory.mktemp("airflow_home")
    env = demo.airflow_env(mirror.url, tmp_path_factory.mktemp("unused"), home)
    demo.prepare_airflow(env)
    return home


@pytest.fixture
def env(tmp_path, mirror, airflow_home) -> dict[str, str]:
    return demo.airflow_env(mirror.url, tmp_path / "data", airflow_home)


def _settings(env: dict[str, str]):
    from etl.config import from_env

    return from_env({k: v for k, v in env.items() if k.startswith("EDGAR_")})


def test_backfill_dag_loads_both_seed_filings_with_header_facts(env) -> None:
    demo.run_dag("edgar_backfill", env, conf={"ciks": [1268803]})
    con = db.reader(_settings(env))
    rows = {r[0]: r[1:] for r in con.execute(
        "SELECT accession, cik, form_type, company_name, sic, file_number, period_of_report, report_kind "
        "FROM dim_filing ORDER BY accession").fetchall()}
    assert set(rows) == {SEED_8K, SEED_10K}
    assert rows[SEED_8K][:5] == (1268803, "8-K", "AAMES MORTGAGE TRUST 2003-1", 6189, "333-106925-11")
    assert str(rows[SEED_8K][5]) == "2003-12-26"
    assert rows[SEED_8K][6] == "distribution_report"
    assert rows[SEED_10K][1] == "10-K" and rows[SEED_10K][6] == "annual_report"
    # the staged tables were filled by the DAG, and the seed's classes reached the facts
    assert con.execute("SELECT count(*) FROM stg_class_period WHERE accession = ?", [SEED_8K]).fetchone()[0] == 14
    one = con.execute("SELECT beginning_balance, principal, ending_balance FROM v_class_distribution "
                      "WHERE class = '1-A1'").fetchall()
    assert one == [(239771286, 3826889, 235944397)]
    con.close()


def test_reader_open_across_a_whole_dag_run(env) -> None:
    """An analyst session held open neither blocks the load nor sees half of it."""
    demo.run_dag("edgar_nightly", env, logical_date=demo.nightly_logical_date(demo.NIGHTLY_DAY))
    settings = _settings(env)
    reader = duckdb.connect(str(settings.warehouse), read_only=True)
    snapshot = reader.execute("SELECT count(*), string_agg(accession, ',' ORDER BY accession) FROM dim_filing").fetchone()
    assert snapshot == (1, SEED_8K)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            demo.run_dag("edgar_backfill", env, conf={"ciks": [1268803]})
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    t = threading.Thread(target=run)
    t.start()
    while t.is_alive():
        assert reader.execute("SELECT count(*), string_agg(accession, ',' ORDER BY accession) "
                              "FROM dim_filing").fetchone() == snapshot
        t.join(0.2)
    assert not errors, errors
    assert reader.execute("SELECT count(*) FROM dim_filing").fetchone() == (1,)
    reader.close()
    fresh = db.reader(settings)
    assert fresh.execute("SELECT count(*) FROM dim_filing").fetchone() == (2,)
    fresh.close()


def test_nightly_twice_for_the_same_day_gives_identical_warehouse(env) -> None:
    date = demo.nightly_logical_date(demo.NIGHTLY_DAY)
    demo.run_dag("edgar_nightly", env, logical_date=date)
    settings = _settings(env)
    con = db.reader(settings)
    first = db.table_checksums(con)
    con.close()
    raw_before = sorted(p.stat().st_mtime_ns for p in (settings.raw_dir).rglob("*.txt"))
    demo.run_dag("edgar_nightly", env, logical_date=date)
    con = db.reader(settings)
    second = db.table_checksums(con)
    con.close()
    assert first == second
    # a re-run never downloads a filing it already holds
    assert sorted(p.stat().st_mtime_ns for p in settings.raw_dir.rglob("*.txt")) == raw_before
    assert not list(settings.raw_dir.rglob("*.tmp"))


def test_quarantine_end_to_end_through_the_dag(tmp_path, airflow_home, data_docs) -> None:
    """A filing whose numbers do not add up is fetched, staged, quarantined with its reasons,
    kept out of the facts, explained by ``edgar-etl dq`` and released by ``edgar-etl release``."""
    import os
    import shutil
    import subprocess
    import sys

    from devtools.mirror.server import serve_mirror

    tree = tmp_path / "mirror"
    shutil.copytree(demo.FIXTURE_MIRROR, tree)
    sub = tree / "Archives/edgar/data/1268803/0001019965-04-000001.txt"
    text = sub.read_bytes()
    # a transposed digit in 1-A1's ending balance, in the class table only (as a bad print would be)
    assert text.count(b"235,944,397") == 1
    sub.chmod(0o644)
    sub.write_bytes(text.replace(b"235,944,397", b"235,944,937"))
    with serve_mirror(tree) as m:
        env = demo.airflow_env(m.url, tmp_path / "data", airflow_home)
        demo.run_dag("edgar_nightly", env, logical_date=demo.nightly_logical_date(demo.NIGHTLY_DAY))
    settings = _settings(env)
    con = db.reader(settings)
    assert con.execute("SELECT dq_status, pipeline_status FROM dim_filing WHERE accession = ?",
                       [SEED_8K]).fetchone() == ("fail", "quarantined")
    assert con.execute("SELECT count(*) FROM stg_class_period WHERE accession = ?", [SEED_8K]).fetchone()[0] == 14
    assert con.execute("SELECT count(*) FROM fct_class_distribution").fetchone()[0] == 0
    failed = {r[0] for r in con.execute("SELECT check_name FROM dq_check_result WHERE accession = ? "
                                        "AND status = 'fail'", [SEED_8K]).fetchall()}
    assert "class_rollforward" in failed
    (run_id,) = con.execute("SELECT DISTINCT run_id FROM dq_check_result WHERE accession = ?", [SEED_8K]).fetchone()
    con.close()
    # GX Data Docs built on each run: this run is listed, and its page of the class-table error
    # suite shows the failure that quarantined the filing
    shown = data_docs(settings.dq_docs_dir / "index.html")
    assert shown[run_id]["stg_class_period.error"] is False, shown

    cli = str(Path(sys.executable).parent / "edgar-etl")
    run_env = {**os.environ, **{k: v for k, v in env.items() if k.startswith("EDGAR_")}}
    out = subprocess.run([cli, "dq", "--accession", SEED_8K], env=run_env, capture_output=True, text=True,
                         timeout=120)
    assert "FAIL" in out.stdout and "class_rollforward" in out.stdout and "1-A1" in out.stdout
    subprocess.run([cli, "release", SEED_8K, "--reason", "transposition confirmed harmless", "--by", "qa"],
                   env=run_env, capture_output=True, text=True, timeout=300, check=True)
    con = db.reader(settings)
    assert con.execute("SELECT count(*) FROM fct_class_distribution").fetchone()[0] == 14
    assert con.execute("SELECT count(*) FROM dq_override WHERE accession = ? AND released_by = 'qa'",
                       [SEED_8K]).fetchone()[0] == 1
    con.close()


def test_cli_backfill_runs_the_same_functions(env, tmp_path) -> None:
    import os
    import subprocess
    import sys

    cli = Path(sys.executable).parent / "edgar-etl"
    run_env = {**os.environ, **{k: v for k, v in env.items() if k.startswith("EDGAR_")}}
    out = subprocess.run([str(cli), "backfill", "--cik", "1268803", "--json", "--run-id", "cli-test"],
                         env=run_env, capture_output=True, text=True, timeout=300, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["discovered"] == 2
    assert result["publish"]["filings"] == 2
    q = subprocess.run([str(cli), "sql", "SELECT count(*) AS n FROM v_class_distribution", "--csv"],
                       env=run_env, capture_output=True, text=True, timeout=120, check=True)
    assert q.stdout.splitlines() == ["n", "14"]


def test_half_read_report_is_quarantined_end_to_end(tmp_path) -> None:
    """Issue 12 from the mirror to the warehouse, in process through the functions the DAGs call
    (discover, fetch, parse, stage, validate, publish; no Airflow, so it costs seconds): the seed 8-K
    with a column of figures under no header in its first class table. Every identity holds on what
    was read; extraction_completeness quarantines it, and it stays in raw and staged tables."""
    import re
    import shutil
    from datetime import date

    from devtools.mirror.server import serve_mirror
    from etl import pipeline
    from etl.config import Settings
    from etl.quality import explain

    tree = tmp_path / "mirror"
    shutil.copytree(demo.FIXTURE_MIRROR, tree)
    sub = tree / "Archives/edgar/data/1268803/0001019965-04-000001.txt"
    row = re.compile(rb"^(\S+ +(?:[0-9A-Z]{9}|NA) +[\d,]+ +[\d,]+)$", re.M)  # the first class table's rows
    text = sub.read_bytes()
    assert len(row.findall(text)) == 14
    sub.chmod(0o644)
    sub.write_bytes(row.sub(lambda m: m.group(1) + b"            1.000000", text))
    with serve_mirror(tree) as m:
        settings = Settings(base_url=m.url, data_url=m.url, data_dir=tmp_path / "data",
                            user_agent="edgar-abs-etl tests tests@example.org", uncapped=True).validated()
        entries = pipeline.discover(settings, day=date.fromisoformat(demo.NIGHTLY_DAY))
        assert [e["accession"] for e in entries] == [SEED_8K]
        result = pipeline.run(settings, entries, "half-read")
    assert result["validate"]["quarantined"] == [SEED_8K]
    con = db.reader(settings)
    try:
        status, reasons = con.execute("SELECT status, reasons FROM dq_filing_status WHERE accession = ?",
                                      [SEED_8K]).fetchone()
        assert status == "fail"
        assert "extraction_completeness [fail] class table at line" in reasons and "1 unread column" in reasons
        failed = {r[0] for r in con.execute("SELECT DISTINCT check_name FROM dq_check_result WHERE accession = ? "
                                            "AND status = 'fail'", [SEED_8K]).fetchall()}
        assert failed == {"extraction_completeness"}  # nothing else could tell: the figures read all add up
        assert con.execute("SELECT stage, status FROM etl_status WHERE accession = ?",
                           [SEED_8K]).fetchone() == ("validate", "quarantined")
        assert con.execute("SELECT dq_status, pipeline_status FROM dim_filing WHERE accession = ?",
                           [SEED_8K]).fetchone() == ("fail", "quarantined")
        assert con.execute("SELECT count(*) FROM raw_filing WHERE accession = ?", [SEED_8K]).fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM stg_class_period WHERE accession = ?", [SEED_8K]).fetchone()[0] == 14
        assert con.execute("SELECT count(*) FROM stg_unread_figure WHERE accession = ? AND header IS NULL",
                           [SEED_8K]).fetchone()[0] == 14
        assert con.execute("SELECT count(*) FROM fct_class_distribution").fetchone()[0] == 0
        # what `edgar-etl dq --accession` prints: the failing table row and the figures no one read
        info = explain(con, SEED_8K)
        (row,) = [f for f in info["failures"] if f["measure"] == "unread_figures"]
        assert info["quarantined"] and row["check_name"] == "extraction_completeness"
        assert [p["raw"] for p in row["printed"]] == ["1.000000"] * 14
    finally:
        con.close()
    assert (settings.raw_dir / "1268803" / f"{SEED_8K}.txt").exists()


def test_the_load_announces_the_warehouse_asset_and_edgar_export_writes_the_marts(env, airflow_home) -> None:
    """The load task's outlet is the published warehouse: ``dags test`` records its asset event (with
    what was published), and ``edgar_export``, the DAG scheduled on that asset, writes the marts as
    Parquet under the data directory."""
    import sqlite3

    import pyarrow.parquet as pq

    demo.run_dag("edgar_backfill", env, conf={"ciks": [1268803]})
    settings = _settings(env)
    meta = sqlite3.connect(str(airflow_home / "airflow.db"))
    try:
        events = meta.execute(
            "SELECT e.source_dag_id, e.source_task_id, e.extra, a.uri FROM asset_event AS e "
            "JOIN asset AS a ON a.id = e.asset_id WHERE a.name = 'edgar_warehouse' ORDER BY e.id").fetchall()
    finally:
        meta.close()
    assert events, "the load task announced no asset event"
    dag_id, task_id, extra, uri = events[-1]
    assert (dag_id, task_id, uri) == ("edgar_backfill", "load", "x-edgar://warehouse")
    published = json.loads(extra)
    assert published["warehouse"] == str(settings.warehouse)  # which file, in this test's data dir
    assert published["filings"] == 2 and published["class_rows"] == 14

    demo.run_dag("edgar_export", env)
    manifest = json.loads((settings.export_dir / "manifest.json").read_text())
    # every mart, the asset-data ones too (empty here: the demo deal files no ABS-EE)
    assert set(manifest["marts"]) == {"mart_deal_performance", "mart_class_factor_history", "mart_amendment_changes",
                                      "mart_asset_stratification", "mart_asset_roll_rates", "mart_asset_prepayment"}
    perf = pq.read_table(settings.export_dir / "mart_deal_performance.parquet").to_pylist()
    assert [(r["cik"], float(r["ending_balance"])) for r in perf] == [(1268803, 499_707_209.0)]
    factors = pq.read_table(settings.export_dir / "mart_class_factor_history.parquet")
    assert factors.num_rows == manifest["marts"]["mart_class_factor_history"]["rows"] == 14
    assert not list(settings.export_dir.glob(".*.tmp"))
