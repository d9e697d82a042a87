"""The nightly DAG on a real Airflow 3 deployment: scheduler, dag-processor, api-server and an
executor, on PostgreSQL, triggered through the REST API, against the local EDGAR mirror.

``airflow dags test`` (the demo, tests/integration/test_end_to_end.py) runs tasks in one
process; this is what production does instead: the scheduler queues task instances, the
executor (LocalExecutor, then CeleryExecutor with a real worker and Redis broker) runs each
in its own process, the tasks report through the execution API, mapped fetch/parse tasks hand
staged files to the single load step. Both runs must load the fixture day's 8-K.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb
import pendulum
import pytest

try:  # tests/integration is a package in some layouts, a plain folder on sys.path in others
    from . import airflow_stack as st
except ImportError:
    import airflow_stack as st

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.dags]

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_MIRROR = ROOT / "tests" / "fixtures" / "edgar"
NIGHTLY_DAY = "2004-01-05"  # EDGAR day of the seed 8-K in the fixture mirror's daily index
SEED_8K = "0001019965-04-000001"
CIK = 1268803
NY = "America/New_York"


def nightly_interval(day: str) -> tuple[str, str]:
    """The data interval edgar_nightly gives EDGAR day D: [D 06:00, D+1 06:00) New York time.

    Passed explicitly: a manual run's *inferred* interval is the last complete one before the
    logical date, which would be the day before.
    """
    start = pendulum.parse(day, tz=NY).set(hour=6)
    return start.isoformat(), start.add(days=1).isoformat()


def run_nightly(tmp_path: Path, executor: str) -> dict:
    """Start a stack, run edgar_nightly for the fixture day, check it, stop everything."""
    from devtools.mirror.server import serve_mirror

    data_dir = tmp_path / "data"
    started = time.monotonic()
    with serve_mirror(FIXTURE_MIRROR) as mirror:
        extra = {
            "EDGAR_BASE_URL": mirror.url,
            "EDGAR_DATA_URL": mirror.url,
            "EDGAR_USER_AGENT": "edgar-abs-etl scheduler-test test@localhost.localdomain",
            "EDGAR_DATA_DIR": str(data_dir),
        }
        if executor == "CeleryExecutor":
            # pace through Redis as workers on several machines would (the stack's own Redis db)
            extra["EDGAR_RATE_REDIS_URL"] = f"redis://{st.REDIS_HOST}:{st.REDIS_PORT}/{{redis_db}}"
        stack = st.AirflowStack(tmp_path / "stack", executor=executor, extra_env=extra)
        try:
            with stack:
                stack.wait_dag("edgar_nightly", timeout=120)
                stack.unpause("edgar_nightly")
                start, end = nightly_interval(NIGHTLY_DAY)
                run = stack.trigger("edgar_nightly", logical_date=start, data_interval=(start, end))
                assert run["state"] == "queued"
                done = stack.wait_run("edgar_nightly", run["dag_run_id"], timeout=300)
                tis = stack.task_instances("edgar_nightly", run["dag_run_id"])
                worker_log = stack.proc_log("celery-worker")
                stats = mirror.stats()
        except st.StackError as exc:  # carries the components' log tails already
            pytest.fail(str(exc), pytrace=False)
        except st.HttpError as exc:
            pytest.fail(f"{exc}\n{stack.diagnostics()}", pytrace=False)
    # everything the stack started is gone, its database too
    assert stack.leftover_pids() == []
    assert not st.database_exists(stack.db_name)
    return {"run": done, "tis": tis, "worker_log": worker_log, "stats": stats, "data_dir": data_dir,
            "queue": stack.queue, "seconds": time.monotonic() - started}


def check_result(res: dict, executor: str) -> None:
    run, tis = res["run"], res["tis"]
    assert run["state"] == "success", run
    assert pendulum.parse(run["data_interval_start"]) == pendulum.parse(f"{NIGHTLY_DAY}T06:00:00", tz=NY)
    by_task: dict[str, list[dict]] = {}
    for ti in tis:
        by_task.setdefault(ti["task_id"], []).append(ti)
    assert set(by_task) == {"discover", "fetch_parse", "stage", "validate", "load"}, sorted(by_task)
    assert all(ti["state"] == "success" for ti in tis), [(t["task_id"], t["state"]) for t in tis]
    # mapped over batches; the single-writer steps ran once
    assert len(by_task["fetch_parse"]) >= 1 and by_task["fetch_parse"][0]["map_index"] >= 0
    assert [len(by_task[t]) for t in ("stage", "validate", "load")] == [1, 1, 1]
    assert all(ti["pool"] == "edgar_requests" for ti in by_task["fetch_parse"])
    if executor == "CeleryExecutor":
        # every task went through the broker to the worker, on the stack's private queue
        assert all(ti["queue"] == res["queue"] for ti in tis)
        received = re.findall(r"Task \S*execute_workload\S*\[[0-9a-f-]+\] received", res["worker_log"])
        assert len(received) == len(tis), res["worker_log"][-3000:]
    # the mirror saw the pipeline, within the SEC's rate across all task processes
    assert res["stats"]["requests"] >= 2
    assert res["stats"]["max_requests_in_any_second"] <= 10
    # the load step published the warehouse with the day's 8-K
    con = duckdb.connect(str(res["data_dir"] / "warehouse.duckdb"), read_only=True)
    try:
        row = con.execute("SELECT cik, form_type, report_kind, pipeline_status FROM dim_filing WHERE accession = ?",
                          [SEED_8K]).fetchone()
        classes = con.execute("SELECT count(*) FROM fct_class_distribution WHERE accession = ?",
                              [SEED_8K]).fetchone()[0]
    finally:
        con.close()
    assert row is not None and row[:3] == (CIK, "8-K", "distribution_report"), row
    assert row[3] == "loaded", row
    assert classes > 0


@pytest.mark.timeout(480)
def test_nightly_local_executor_on_postgres(tmp_path: Path) -> None:
    res = run_nightly(tmp_path, "LocalExecutor")
    check_result(res, "LocalExecutor")
    print(f"LocalExecutor stack: {res['seconds']:.0f}s")


@pytest.mark.timeout(480)
def test_nightly_celery_executor_with_a_worker(tmp_path: Path) -> None:
    res = run_nightly(tmp_path, "CeleryExecutor")
    check_result(res, "CeleryExecutor")
    print(f"CeleryExecutor stack: {res['seconds']:.0f}s")
