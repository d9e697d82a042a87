"""Backfill: ABS filings of a date range (quarterly full index) and/or of given CIKs
(submissions JSON), through the same fetch -> parse -> validate -> load chain as the nightly run.

Triggered by hand: ``airflow dags trigger edgar_backfill -c '{"start_date": "2004-01-01",
"end_date": "2004-03-31"}'`` or ``-c '{"ciks": [1268803]}'``. Work is mapped over batches of
filings (``batch_size``), not one task per filing. Re-running is safe: filings already in the
raw store are not downloaded again and loads replace their own rows.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, task
from edgar_taskflow import discover_batches, fetch_to_load


@dag(
    dag_id="edgar_backfill",
    schedule=None,
    start_date=pendulum.datetime(2004, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["edgar", "abs", "backfill"],
    default_args={"owner": "edgar-abs-etl", "retries": 2, "retry_delay": pendulum.duration(minutes=5)},
    params={
        "start_date": Param(None, type=["null", "string"], format="date", description="first filing date"),
        "end_date": Param(None, type=["null", "string"], format="date", description="last filing date"),
        "ciks": Param([], type="array", description="CIKs to backfill from their submissions JSON"),
        "batch_size": Param(200, type="integer", minimum=1),
        "limit": Param(None, type=["null", "integer"], description="stop after this many filings"),
    },
    doc_md=__doc__,
)
def edgar_backfill():
    @task
    def discover(params=None) -> list[list[dict]]:
        from datetime import date

        start = date.fromisoformat(params["start_date"]) if params.get("start_date") else None
        end = date.fromisoformat(params["end_date"]) if params.get("end_date") else None
        ciks = [int(c) for c in params.get("ciks") or []]
        return discover_batches(int(params["batch_size"]), start=start, end=end, ciks=ciks, limit=params.get("limit"))

    fetch_to_load(discover())


edgar_backfill()
