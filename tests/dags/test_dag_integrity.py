"""DagBag integrity, parametrized over every DAG file (as the Astronomer project template does):
each file imports cleanly on its own with neither a database nor a network at parse time, defines
the DAG its name says, and every DAG has tags, an owner and tasks with at least two retries.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.dags

ROOT = Path(__file__).resolve().parents[2]
DAGS = ROOT / "dags"
PLUGINS = ROOT / "plugins"
DAG_FILES = sorted(p for p in DAGS.glob("*.py") if not p.name.startswith("_"))
MIN_RETRIES = 2
DEFAULT_OWNER = "airflow"  # what a task gets when its DAG names no owner


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    real_connect = socket.socket.connect

    def no_network(self, *args, **kwargs):  # parse-time hygiene: a DAG file must not connect
        raise AssertionError(f"DAG parsing opened a network connection to {args}")

    socket.socket.connect = no_network
    try:
        return DagBag(dag_folder=str(DAGS), known_pools={"default_pool", "edgar_requests"})
    finally:
        socket.socket.connect = real_connect


def test_no_import_errors(dagbag) -> None:
    assert dagbag.import_errors == {}


def test_every_dag_present(dagbag) -> None:
    assert {"edgar_nightly", "edgar_backfill", "edgar_export"} <= set(dagbag.dag_ids)
    assert len(DAG_FILES) >= 3


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_dag_id_matches_file_name(dagbag, path: Path) -> None:
    assert path.stem in dagbag.dag_ids


# ------------------------------------------------------------- each file alone, no DB, no network
IMPORT_PROBE = textwrap.dedent("""
    import json, socket, sys

    touched = []

    def no_network(self, *args, **kwargs):
        touched.append(f"network connection to {args}")
        raise OSError("no network at DAG parse time")

    socket.socket.connect = no_network
    socket.create_connection = lambda *a, **k: no_network(None, *a)

    import sqlalchemy.event
    from sqlalchemy.engine import Engine

    @sqlalchemy.event.listens_for(Engine, "do_connect")
    def no_database(dialect, conn_rec, cargs, cparams):
        touched.append(f"database connection ({dialect.name})")
        raise RuntimeError("no database at DAG parse time")

    from airflow.dag_processing.dagbag import DagBag

    out = {}
    for path in sys.argv[1:]:
        before = len(touched)
        bag = DagBag(dag_folder=path, known_pools={"default_pool", "edgar_requests"})
        out[path] = {"dags": sorted(bag.dag_ids), "errors": {k: v[-1500:] for k, v in bag.import_errors.items()},
                     "touched": touched[before:]}
    print("RESULT " + json.dumps(out))
""")


def parse_alone(files: list[Path], home: Path) -> dict[str, dict]:
    """Each DAG file parsed by itself in a fresh process whose database and network refuse any use."""
    home.mkdir(parents=True, exist_ok=True)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "EDGAR_"))},
           "AIRFLOW_HOME": str(home), "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
           "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS), "AIRFLOW__CORE__PLUGINS_FOLDER": str(PLUGINS),
           # a database that cannot exist: any attempt to use it fails (and is recorded above)
           "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/no/such/dir/airflow.db",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(PLUGINS), str(ROOT), os.environ.get("PYTHONPATH")]))}
    res = subprocess.run([sys.executable, "-c", IMPORT_PROBE, *map(str, files)], env=env, cwd=home,
                         capture_output=True, text=True, timeout=300)
    line = next((ln for ln in res.stdout.splitlines() if ln.startswith("RESULT ")), None)
    assert res.returncode == 0 and line, res.stderr[-3000:]
    return json.loads(line[len("RESULT "):])


@pytest.fixture(scope="module")
def parsed_alone(tmp_path_factory) -> dict[str, dict]:
    return parse_alone(DAG_FILES, tmp_path_factory.mktemp("airflow_home_no_db"))


def test_the_probe_catches_a_dag_file_using_the_network_or_the_database(tmp_path: Path) -> None:
    """The parse-time check can fail: one file connects out, one queries the metadata database."""
    net, dbq = tmp_path / "dag_net.py", tmp_path / "dag_db.py"
    head = "# an airflow dag file (DagBag's safe mode skips files naming neither)\n"
    net.write_text(head + "import socket\nsocket.create_connection(('127.0.0.1', 9), timeout=1)\n")
    dbq.write_text(head + "from sqlalchemy import text\nfrom airflow import settings\n"
                   "settings.Session().execute(text('SELECT 1'))\n")
    out = parse_alone([net, dbq], tmp_path / "home")
    assert any("network" in t for t in out[str(net)]["touched"]) and out[str(net)]["errors"]
    assert any("database" in t for t in out[str(dbq)]["touched"]) and out[str(dbq)]["errors"]


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_file_imports_alone_without_database_or_network(parsed_alone, path: Path) -> None:
    result = parsed_alone[str(path)]
    assert result["errors"] == {}, result["errors"]
    assert result["touched"] == [], f"{path.name} used {result['touched']} at parse time"
    assert result["dags"] == [path.stem]


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_dag_has_tags(dagbag, path: Path) -> None:
    dag = dagbag.dags[path.stem]
    assert dag.tags, f"{dag.dag_id} has no tags"
    assert "edgar" in dag.tags


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_every_task_has_an_owner(dagbag, path: Path) -> None:
    dag = dagbag.dags[path.stem]
    owners = {t.task_id: t.owner for t in dag.tasks}
    assert all(o and o != DEFAULT_OWNER for o in owners.values()), owners
    assert dag.owner and dag.owner != DEFAULT_OWNER


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_every_task_retries_at_least_twice(dagbag, path: Path) -> None:
    dag = dagbag.dags[path.stem]
    few = {t.task_id: t.retries for t in dag.tasks if (t.retries or 0) < MIN_RETRIES}
    assert not few, f"{dag.dag_id}: tasks with fewer than {MIN_RETRIES} retries: {few}"
    assert dag.tasks, f"{dag.dag_id} has no tasks"


def test_the_load_publishes_the_warehouse_asset_and_the_export_is_scheduled_on_it(dagbag) -> None:
    from airflow.sdk import Asset
    from edgar_taskflow import WAREHOUSE

    # one identity wherever the data lives (the file's path travels on each event instead)
    assert isinstance(WAREHOUSE, Asset) and (WAREHOUSE.name, WAREHOUSE.uri) == ("edgar_warehouse", "x-edgar://warehouse")
    for dag_id in ("edgar_nightly", "edgar_backfill"):
        dag = dagbag.dags[dag_id]
        producers = {t.task_id for t in dag.tasks if WAREHOUSE in (t.outlets or [])}
        assert producers == {"load"}, (dag_id, producers)  # only the publish step announces it
    export = dagbag.dags["edgar_export"]
    assert list(export.timetable.asset_condition.objects) == [WAREHOUSE]
    assert [t.task_id for t in export.tasks] == ["export_marts"]


@pytest.mark.parametrize("dag_id", ["edgar_nightly", "edgar_backfill"])
def test_dag_shape(dagbag, dag_id: str) -> None:
    dag = dagbag.dags[dag_id]
    assert {"edgar", "abs"} <= set(dag.tags)
    ids = [t.task_id for t in dag.tasks]
    assert ids == ["discover", "fetch_parse", "stage", "validate", "load"]
    # the chain: fetch and parse are mapped over batches; the three load steps are single tasks
    assert dag.get_task("fetch_parse").pool == "edgar_requests"
    assert dag.get_task("stage").upstream_task_ids == {"fetch_parse"}
    assert dag.get_task("load").upstream_task_ids == {"validate"}


def test_nightly_has_data_interval_timetable(dagbag) -> None:
    import pendulum

    dag = dagbag.dags["edgar_nightly"]
    # a data interval (not CronTriggerTimetable): each run knows which EDGAR day it covers
    nxt = dag.timetable.next_dagrun_info(last_automated_data_interval=None,
                                         restriction=_restriction(pendulum.datetime(2004, 1, 5, tz="UTC")))
    start = nxt.data_interval.start.in_timezone("America/New_York")
    end = nxt.data_interval.end.in_timezone("America/New_York")
    assert (end - start).in_hours() == 24
    assert start.hour == 6


def _restriction(earliest):
    from airflow.timetables.base import TimeRestriction

    return TimeRestriction(earliest=earliest, latest=None, catchup=True)
