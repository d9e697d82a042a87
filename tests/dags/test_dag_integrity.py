"""DagBag integrity: every DAG file imports cleanly, without network or database at parse time."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

pytestmark = pytest.mark.dags

DAGS = Path(__file__).resolve().parents[2] / "dags"
DAG_FILES = sorted(p for p in DAGS.glob("*.py") if not p.name.startswith("_"))


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


def test_both_dags_present(dagbag) -> None:
    assert {"edgar_nightly", "edgar_backfill"} <= set(dagbag.dag_ids)


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_dag_id_matches_file_name(dagbag, path: Path) -> None:
    assert path.stem in dagbag.dag_ids


@pytest.mark.parametrize("dag_id", ["edgar_nightly", "edgar_backfill"])
def test_dag_shape(dagbag, dag_id: str) -> None:
    dag = dagbag.dags[dag_id]
    assert {"edgar", "abs"} <= set(dag.tags)
    ids = [t.task_id for t in dag.tasks]
    assert ids == ["discover", "fetch", "parse", "stage", "validate", "load"]
    # the chain: fetch and parse are mapped over batches; the three load steps are single tasks
    assert dag.get_task("fetch").pool == "edgar_requests"
    assert dag.get_task("stage").upstream_task_ids == {"parse"}
    assert dag.get_task("load").upstream_task_ids == {"validate"}
    for t in dag.tasks:
        assert t.retries >= 1, f"{t.task_id} has no retries"


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
