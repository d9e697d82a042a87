"""Export: the marts as Parquet files, each time the warehouse is published.

An example consumer of the ``edgar_warehouse`` Asset: the load task of ``edgar_nightly`` and
``edgar_backfill`` declares the published warehouse as its outlet, and this DAG is scheduled on
it, so every publish queues one export run. It writes ``$EDGAR_DATA_DIR/export/{mart}.parquet``
and ``manifest.json`` (row counts, the warehouse it read), each file swapped in whole, from the
published warehouse opened read-only: it never blocks the loader. Run by hand with
``airflow dags test edgar_export``.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import dag, task
from edgar_taskflow import WAREHOUSE, settings


@dag(
    dag_id="edgar_export",
    schedule=[WAREHOUSE],
    start_date=pendulum.datetime(2004, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["edgar", "abs", "export"],
    default_args={"owner": "edgar-abs-etl", "retries": 2, "retry_delay": pendulum.duration(minutes=1)},
    doc_md=__doc__,
)
def edgar_export():
    @task
    def export_marts(triggering_asset_events=None) -> dict:
        from etl.warehouse.export import export_marts as export

        manifest = export(settings())
        if triggering_asset_events:  # which publish this export follows (absent when run by hand)
            events = [e for evs in triggering_asset_events.values() for e in evs]
            manifest["after_publish"] = [getattr(e, "extra", None) for e in events]
        return manifest

    export_marts()


edgar_export()
