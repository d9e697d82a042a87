"""Nightly: the ABS filings of one EDGAR business day, fetched, parsed, validated and loaded.

Timetable: ``CronDataIntervalTimetable("0 6 * * *", "America/New_York")``. Airflow 3's plain cron
schedules have no data interval; this one gives each run the interval [D 06:00, D+1 06:00) New
York time, so the run knows the EDGAR day D it covers (EDGAR dates are Eastern) and starts after
that day's index is complete. ``airflow backfill create --from-date … --to-date …`` then covers
each day exactly once.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import dag, task
from airflow.timetables.interval import CronDataIntervalTimetable
from edgar_taskflow import discover_batches, fetch_to_load

NY = "America/New_York"


@dag(
    dag_id="edgar_nightly",
    schedule=CronDataIntervalTimetable("0 6 * * *", timezone=NY),
    start_date=pendulum.datetime(2004, 1, 1, tz=NY),
    catchup=False,
    max_active_runs=1,
    tags=["edgar", "abs", "nightly"],
    default_args={"owner": "edgar-abs-etl", "retries": 2, "retry_delay": pendulum.duration(minutes=5)},
    params={"batch_size": 200},
    doc_md=__doc__,
)
def edgar_nightly():
    @task
    def discover(data_interval_start=None, params=None) -> list[list[dict]]:
        day = pendulum.instance(data_interval_start).in_timezone(NY).date()
        return discover_batches(int(params["batch_size"]), day=day)

    fetch_to_load(discover())


edgar_nightly()
