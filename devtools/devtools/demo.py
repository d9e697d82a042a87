"""``make demo``: the whole pipeline through the real Airflow DAGs, on the bundled EDGAR mirror.

1. serve tests/fixtures/edgar (a local EDGAR mirror) over HTTP on 127.0.0.1;
2. prepare an Airflow home inside the project (SQLite metadata, our dags/ and plugins/);
3. run ``edgar_nightly`` for the EDGAR day 2004-01-05 and ``edgar_backfill`` for CIK 1268803
   with ``airflow dags test`` (real task runner, real DAG code);
4. print what was fetched, parsed, validated and loaded, and one example query.

Against the real EDGAR the same DAGs run with EDGAR_BASE_URL/EDGAR_DATA_URL unset (sec.gov)
and EDGAR_USER_AGENT set to "Your Name you@example.org" (see README).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_MIRROR = ROOT / "tests" / "fixtures" / "edgar"
NIGHTLY_DAY = "2004-01-05"  # the seed 8-K's (assumed) filing date, see tests/fixtures/edgar/README.md
DEMO_CIK = 1268803


def airflow_env(mirror_url: str, data_dir: Path, airflow_home: Path) -> dict[str, str]:
    """Environment for Airflow commands: project-local home, SQLite, the mirror as EDGAR."""
    env = dict(os.environ)
    env.update({
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{airflow_home / 'airflow.db'}",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        "EDGAR_BASE_URL": mirror_url,
        "EDGAR_DATA_URL": mirror_url,
        "EDGAR_USER_AGENT": env.get("EDGAR_USER_AGENT") or "edgar-abs-etl demo demo@localhost.localdomain",
        "EDGAR_DATA_DIR": str(data_dir),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "plugins"), env.get("PYTHONPATH")])),
    })
    env.pop("EDGAR_WAREHOUSE", None)
    return env


def airflow(args: list[str], env: dict[str, str], quiet: bool = True) -> subprocess.CompletedProcess:
    bin_dir = Path(sys.executable).parent
    cmd = [str(bin_dir / "airflow"), *args]
    res = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    if res.returncode != 0:
        sys.stderr.write(res.stdout[-6000:] + res.stderr[-6000:])
        raise SystemExit(f"airflow {' '.join(args)} failed with exit code {res.returncode}")
    return res


def prepare_airflow(env: dict[str, str]) -> None:
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    airflow(["db", "migrate"], env)
    airflow(["pools", "set", "edgar_requests", "4", "EDGAR fetch tasks (the request rate is capped separately)"], env)


def nightly_logical_date(day: str) -> str:
    """The logical date that makes ``edgar_nightly`` cover EDGAR day ``day`` under ``dags test``.

    ``dags test`` infers a manual run's data interval as the last complete interval before the
    logical date, so the day D is covered by D+1 06:00 New York time.
    """
    import pendulum

    return pendulum.parse(day, tz="America/New_York").add(days=1).set(hour=6).isoformat()


def run_dag(dag_id: str, env: dict[str, str], logical_date: str | None = None, conf: dict | None = None) -> float:
    args = ["dags", "test", dag_id]
    if logical_date:
        args.append(logical_date)
    if conf:
        args += ["-c", json.dumps(conf)]
    t = time.perf_counter()
    airflow(args, env)
    return time.perf_counter() - t


def main() -> int:
    from devtools.mirror.server import serve_mirror
    from etl.warehouse.commands import render

    data_dir = ROOT / "data"
    airflow_home = ROOT / "airflow_home"
    t0 = time.perf_counter()
    os.environ.pop("EDGAR_WAREHOUSE", None)
    with serve_mirror(FIXTURE_MIRROR) as mirror:
        print(f"EDGAR mirror on {mirror.url} serving {FIXTURE_MIRROR.relative_to(ROOT)}")
        env = airflow_env(mirror.url, data_dir, airflow_home)
        prepare_airflow(env)
        # nightly for one EDGAR day: the interval timetable maps this logical date to that day
        secs = run_dag("edgar_nightly", env, logical_date=nightly_logical_date(NIGHTLY_DAY))
        print(f"airflow dags test edgar_nightly (EDGAR day {NIGHTLY_DAY}): ok in {secs:.1f}s")
        secs = run_dag("edgar_backfill", env, conf={"ciks": [DEMO_CIK]})
        print(f"airflow dags test edgar_backfill (CIK {DEMO_CIK}): ok in {secs:.1f}s")
        stats = mirror.stats()
    print(f"mirror served {stats.get('requests', '?')} requests, "
          f"at most {stats.get('max_requests_in_any_second', '?')} in any second")

    os.environ["EDGAR_DATA_DIR"] = str(data_dir)
    import duckdb

    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    sections = {
        "Filings (fetched -> parsed -> validated -> loaded)": """
            SELECT f.accession, f.form_type, f.filed_date, f.report_kind, f.distribution_date,
                   f.dq_status, f.pipeline_status, f.is_current
            FROM dim_filing AS f ORDER BY f.accession""",
        "Data-quality results by check": """
            SELECT check_name, severity, status, count(*) AS n
            FROM dq_check_result GROUP BY ALL ORDER BY check_name, status""",
        "Example query: classes of the seed deal (v_class_distribution)": """
            SELECT class, cusip, distribution_date, beginning_balance, principal, interest,
                   ending_balance, pass_through_rate
            FROM v_class_distribution WHERE cik = 1268803 ORDER BY distribution_date, class""",
        "Deal performance (mart_deal_performance)": """
            SELECT distribution_date, ending_balance, round(cpr * 100, 2) AS cpr_pct,
                   round(cdr * 100, 2) AS cdr_pct, round(delinq_60p_pct * 100, 3) AS delinq_60p_pct
            FROM mart_deal_performance WHERE cik = 1268803 ORDER BY distribution_date""",
    }
    for title, sql in sections.items():
        print(f"\n{title}")
        try:
            rel = con.sql(sql)
            print(render(list(rel.columns), rel.fetchall(), 40))
        except duckdb.Error as exc:
            print(f"  (not available: {exc})")
    con.close()
    print(f"\nwarehouse: {data_dir / 'warehouse.duckdb'}  (query it: .venv/bin/edgar-etl shell)")
    docs = data_dir / "dq_docs" / "index.html"
    if docs.exists():
        print(f"data-quality Data Docs, every validation run: {docs.as_uri()}  (.venv/bin/edgar-etl docs --open)")
    print(f"deal report: .venv/bin/edgar-etl report --cik {DEMO_CIK} --out deal.html")
    print(f"demo finished in {time.perf_counter() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
