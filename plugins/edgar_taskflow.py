"""The task chain both DAGs share: fetch_parse (mapped over batches) -> stage -> validate -> load.

Each task calls exactly one ``etl.pipeline`` function. A mapped ``fetch_parse`` fetches its
batch and parses it at once, so while one batch parses the others keep fetching under the shared
request cap (the network and the CPUs busy together; on Celery workers when there are several);
each hands a staged file on. The three load steps are the warehouse's only writers and run one
at a time.
"""

from __future__ import annotations

from typing import Any

from airflow.sdk import Asset, task

#: The published warehouse, as an Airflow Asset: the load task is its producer; DAGs scheduled on
#: it (``edgar_export``) run after each publish. Its identity does not depend on where the data
#: directory is (an asset whose URI changed with EDGAR_DATA_DIR would clash with its old self by
#: name, and Airflow refuses a task with an inactive asset): each event says which file it was.
WAREHOUSE = Asset(name="edgar_warehouse", uri="x-edgar://warehouse", group="edgar", extra={"format": "duckdb"})


def _settings():
    from edgar_hooks import EdgarHook

    return EdgarHook().settings()


def load_id(dag_run: Any, run_id: str | None) -> str:
    """What the warehouse records as the load: the DAG and the start of its data interval.

    Airflow gives every trigger a new run_id, but two runs over the same data interval (a
    nightly day re-run, a backfill of that day) are the same load, and must write the same rows.
    """
    start = getattr(dag_run, "data_interval_start", None)
    dag_id = getattr(dag_run, "dag_id", None)
    if start is None or dag_id is None:
        return run_id or "manual"
    return f"{dag_id}__{start.isoformat()}"


@task(pool="edgar_requests", max_active_tis_per_dag=4)
def fetch_parse(batch: list[dict], run_id: str | None = None, dag_run: Any = None, ti: Any = None) -> str:
    from etl import pipeline

    done = pipeline.fetch_and_parse(_settings(), batch, load_id(dag_run, run_id), batch=max(ti.map_index, 0))
    return done["staged"]


@task
def stage(staged: list[str], run_id: str | None = None, dag_run: Any = None) -> dict:
    from etl import pipeline

    return pipeline.stage(_settings(), list(staged), load_id(dag_run, run_id))


@task
def validate(staged_summary: dict, run_id: str | None = None, dag_run: Any = None) -> dict:
    from etl import pipeline

    # stamped with the data interval's start, so re-running the same load rewrites identical rows
    as_of = getattr(dag_run, "data_interval_start", None) or getattr(dag_run, "logical_date", None)
    return pipeline.validate(_settings(), staged_summary["accessions"], load_id(dag_run, run_id), as_of=as_of)


@task(outlets=[WAREHOUSE])
def load(dq_summary: dict, run_id: str | None = None, dag_run: Any = None, outlet_events: Any = None) -> dict:
    from etl import pipeline

    published = pipeline.publish(_settings(), load_id(dag_run, run_id))
    if outlet_events is not None:  # what this publish holds, on the asset event consumers see
        outlet_events[WAREHOUSE].extra = dict(published)
    return published


def fetch_to_load(batches: Any) -> Any:
    """Wire the chain after a task that returns a list of batches of discovered filings."""
    return load(validate(stage(fetch_parse.expand(batch=batches))))


def settings():
    """EDGAR/warehouse settings for a discover task (connection ``edgar_default`` + environment)."""
    return _settings()


def discover_batches(batch_size: int, **where: Any) -> list[list[dict]]:
    """What a DAG's discover task returns: ``etl.pipeline.discover(**where)`` (a day, a date range
    or CIKs, a limit) in batches of ``batch_size`` for the mapped fetch tasks."""
    from etl import pipeline

    return pipeline.plan_batches(pipeline.discover(_settings(), **where), batch_size)
