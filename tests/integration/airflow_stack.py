"""Start and stop a real Airflow 3 stack for integration tests: scheduler, dag-processor,
api-server and (for CeleryExecutor) a Celery worker, on a throw-away PostgreSQL database.

Why not ``airflow dags test``: it runs every task in one process and skips the scheduler, the
executor, the execution API and the metadata database, the parts that break in production.
LocalExecutor and CeleryExecutor refuse SQLite, hence a fresh PostgreSQL database per stack.

Everything a stack starts is its own: the database ``airflow_test_<random>`` (dropped on
stop), an empty Redis database number (flushed on stop), free TCP ports, a private Celery
queue, a temp AIRFLOW_HOME. Each process runs in its own process group with its output in
``<tmp>/logs/<name>.log``; ``stop()`` kills the groups and any stray descendants (task
runners), bounded in time. ``diagnostics()`` gives the log tails to print when a test fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
TERMINAL_RUN_STATES = {"success", "failed"}
#: task states that mean the run cannot succeed without someone's help (retries wait minutes)
BAD_TI_STATES = {"failed", "up_for_retry", "upstream_failed"}


class StackError(RuntimeError):
    """The stack did not start, a request failed, or a wait ran out; carries the log tails."""


class HttpError(RuntimeError):
    """A REST API answer other than 2xx: 4xx is our mistake (fatal in waits), 5xx may pass."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def free_port() -> int:
    """A TCP port nobody listens on now (the OS picks it; a tiny race is acceptable in tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"<cannot read {path}: {exc}>"
    return "\n".join(text.splitlines()[-lines:])


def task_log_summary(path: Path, max_lines: int = 12, width: int = 1500) -> str:
    """A task log's warnings and errors (libraries log hundreds of info lines), else its tail."""
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError as exc:
        return f"<cannot read {path}: {exc}>"
    picked = [ln for ln in lines if '"level":"error"' in ln or '"level":"warning"' in ln
              or "Traceback" in ln or "ERROR" in ln]
    return "\n".join(ln[:width] for ln in (picked or lines)[-max_lines:])


def wait_until(check: Callable[[], Any], timeout: float, what: str, interval: float = 1.0,
               on_timeout: Callable[[], str] | None = None) -> Any:
    """Poll ``check`` until it returns something truthy; raise with ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    last_exc: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = check()
        except StackError:
            raise
        except HttpError as exc:
            if 400 <= exc.status < 500:
                raise StackError(f"{what}: {exc}") from exc
            last_exc = exc
        except Exception as exc:  # noqa: BLE001 - a component still starting; keep polling
            last_exc = exc
        else:
            if result:
                return result
        time.sleep(interval)
    detail = f" (last error: {last_exc!r})" if last_exc else ""
    extra = on_timeout() if on_timeout else ""
    raise StackError(f"timed out after {timeout:.0f}s waiting for {what}{detail}\n{extra}")


# --------------------------------------------------------------------------- PostgreSQL
def _pg_admin():
    import psycopg2

    con = psycopg2.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", connect_timeout=10)
    con.autocommit = True
    return con


def create_database(name: str) -> None:
    con = _pg_admin()
    try:
        with con.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
    finally:
        con.close()


def drop_database(name: str) -> None:
    con = _pg_admin()
    try:
        with con.cursor() as cur:
            # FORCE ends sessions a killed process may have left behind (PostgreSQL 13+)
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        con.close()


def database_exists(name: str) -> bool:
    con = _pg_admin()
    try:
        with con.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cur.fetchone() is not None
    finally:
        con.close()


# -------------------------------------------------------------------------------- Redis
def claim_redis_db() -> int:
    """An empty Redis database number, so the stack's broker keys meet no one else's."""
    import redis

    numbers = list(range(1, 16))
    secrets.SystemRandom().shuffle(numbers)
    for n in numbers:
        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=n, socket_timeout=5)
        try:
            if client.dbsize() == 0:
                return n
        finally:
            client.close()
    raise StackError("no empty Redis database among 1..15")


def flush_redis_db(n: int) -> None:
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=n, socket_timeout=5)
    try:
        client.flushdb()
    finally:
        client.close()


# ---------------------------------------------------------------------------- processes
def _children_map() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: ppid follows the last ')'
        fields = stat[stat.rfind(")") + 2:].split()
        out.setdefault(int(fields[1]), []).append(int(entry.name))
    return out


def descendants(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (task runners may start sessions of their own)."""
    children = _children_map()
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2:].split()[0] != "Z"


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen
    log: Path


@dataclass
class AirflowStack:
    """One Airflow deployment in ``tmp``; use as a context manager (``stop`` always runs)."""

    tmp: Path
    executor: str = "LocalExecutor"
    dags_folder: Path = ROOT / "dags"
    plugins_folder: Path = ROOT / "plugins"
    extra_env: dict[str, str] = field(default_factory=dict)
    celery_concurrency: int = 2
    pools: dict[str, int] = field(default_factory=lambda: {"edgar_requests": 4})
    start_timeout: float = 120.0
    #: False: only runs the test triggers; an unpaused DAG gets no scheduled run of "yesterday"
    use_job_schedule: bool = False

    def __post_init__(self) -> None:
        tag = secrets.token_hex(4)
        self.db_name = f"airflow_test_{tag}"
        self.queue = f"q_{tag}"
        self.home = self.tmp / "airflow_home"
        self.log_dir = self.tmp / "logs"
        self.api_port = free_port()
        self.base_url = f"http://127.0.0.1:{self.api_port}"
        self.password = secrets.token_urlsafe(12)
        self.redis_db: int | None = None
        self.procs: list[Proc] = []
        self._db_created = False
        self._token: str | None = None
        self.env: dict[str, str] = {}

    # ------------------------------------------------------------------ configuration
    @property
    def sql_alchemy_conn(self) -> str:
        return f"postgresql+psycopg2://{PG_USER}@{PG_HOST}:{PG_PORT}/{self.db_name}"

    def _build_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "EDGAR_"))}
        passwords = self.tmp / "simple_auth_passwords.json"
        passwords.write_text(json.dumps({"admin": self.password}))
        env.update({
            "AIRFLOW_HOME": str(self.home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(self.dags_folder),
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(self.plugins_folder),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
            "AIRFLOW__CORE__EXECUTOR": self.executor,
            # two cores: a few task processes at a time is all this machine can run well
            "AIRFLOW__CORE__PARALLELISM": "4",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": self.sql_alchemy_conn,
            # tasks (LocalExecutor children, Celery workers) report through the execution API
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.base_url}/execution/",
            "AIRFLOW__API__BASE_URL": self.base_url,
            # one secret for every component: the scheduler signs task tokens the API checks
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT": str(free_port()),
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
            "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
            # see a new DAG file within seconds, not the production default of minutes
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__OPERATORS__DEFAULT_QUEUE": self.queue,
            "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": str(self.use_job_schedule),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(self.plugins_folder), str(ROOT),
                                                        os.environ.get("PYTHONPATH")])),
            "PYTHONDONTWRITEBYTECODE": "1",
        })
        if self.executor == "CeleryExecutor":
            assert self.redis_db is not None
            env.update({
                "AIRFLOW__CELERY__BROKER_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{self.redis_db}",
                "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{self.db_name}",
                "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(self.celery_concurrency),
            })
        # values may name the stack's own resources: "{redis_db}", "{db_name}", "{api_url}"
        names = {"redis_db": self.redis_db, "db_name": self.db_name, "api_url": self.base_url}
        env.update({k: v.format(**names) if "{" in v else v for k, v in self.extra_env.items()})
        return env

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> AirflowStack:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        if self.executor == "CeleryExecutor" or any("{redis_db}" in v for v in self.extra_env.values()):
            self.redis_db = claim_redis_db()
        create_database(self.db_name)
        self._db_created = True
        self.env = self._build_env()
        self.cli(["db", "migrate"], timeout=300)
        for pool, slots in self.pools.items():
            self.cli(["pools", "set", pool, str(slots), "integration test pool"])
        self.spawn("api-server", ["api-server", "--host", "127.0.0.1", "--port", str(self.api_port),
                                  "--workers", "1"])
        self.spawn("scheduler", ["scheduler"])
        self.spawn("dag-processor", ["dag-processor"])
        if self.executor == "CeleryExecutor":
            self.spawn("celery-worker", [
                "celery", "worker", "--concurrency", str(self.celery_concurrency), "--queues", self.queue,
                "--celery-hostname", f"{self.queue}@%h", "--without-gossip", "--without-mingle",
            ])
        wait_until(self._healthy, self.start_timeout, "api-server, scheduler and dag-processor to be healthy",
                   on_timeout=self.diagnostics)
        if self.executor == "CeleryExecutor":
            wait_until(lambda: "ready" in self.proc_log("celery-worker"), self.start_timeout,
                       "the Celery worker to be ready", on_timeout=self.diagnostics)

    def cli(self, args: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
        """Run a one-shot ``airflow`` command in the stack's environment; raise with its output."""
        try:
            res = subprocess.run([str(BIN / "airflow"), *args], env=self.env, cwd=self.tmp,
                                 capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise StackError(f"airflow {' '.join(args)} took more than {timeout}s") from exc
        if res.returncode != 0:
            raise StackError(f"airflow {' '.join(args)} exited {res.returncode}:\n"
                             f"{res.stdout[-3000:]}\n{res.stderr[-3000:]}")
        return res

    def spawn(self, name: str, args: list[str]) -> Proc:
        log = self.log_dir / f"{name}.log"
        fh = open(log, "ab")  # noqa: SIM115 - the child holds it; closed below after Popen
        try:
            popen = subprocess.Popen([str(BIN / "airflow"), *args], env=self.env, cwd=self.tmp,
                                     stdin=subprocess.DEVNULL, stdout=fh, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        finally:
            fh.close()
        proc = Proc(name, popen, log)
        self.procs.append(proc)
        return proc

    def proc_log(self, name: str) -> str:
        for p in self.procs:
            if p.name == name:
                return p.log.read_text(errors="replace")
        return ""

    def _check_alive(self) -> None:
        dead = [p for p in self.procs if p.popen.poll() is not None]
        if dead:
            names = ", ".join(f"{p.name} (exit {p.popen.returncode})" for p in dead)
            raise StackError(f"Airflow process ended early: {names}\n{self.diagnostics()}")

    def _healthy(self) -> bool:
        self._check_alive()
        health = self.request("GET", "/api/v2/monitor/health", auth=False)
        statuses = {k: (v or {}).get("status") for k, v in health.items()}
        return statuses.get("metadatabase") == "healthy" and statuses.get("scheduler") == "healthy" \
            and statuses.get("dag_processor") == "healthy"

    def stop(self, grace: float = 20.0) -> None:
        """Stop every process this stack started, then drop its database and Redis keys."""
        tracked: set[int] = set()
        for p in self.procs:
            if p.popen.poll() is None:
                tracked.update(descendants(p.popen.pid))
                tracked.add(p.popen.pid)
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(p.popen.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for p in self.procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
        for p in self.procs:
            if p.popen.poll() is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(p.popen.pid, signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    p.popen.wait(timeout=10)
        # task runners that left the process group (new sessions) are still ours
        for pid in tracked:
            if _alive(pid):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
        if self._db_created:
            drop_database(self.db_name)
            self._db_created = False
        if self.redis_db is not None:
            flush_redis_db(self.redis_db)
            self.redis_db = None

    def leftover_pids(self) -> list[int]:
        """Processes of this stack still alive (expected empty after ``stop``)."""
        return [p.popen.pid for p in self.procs if p.popen.poll() is None]

    def diagnostics(self, lines: int = 60) -> str:
        parts = []
        for p in self.procs:
            state = "running" if p.popen.poll() is None else f"exit {p.popen.returncode}"
            parts.append(f"----- {p.name} ({state}) {p.log} -----\n{tail(p.log, lines)}")
        task_logs = sorted((self.home / "logs").rglob("*.log"), key=lambda q: q.stat().st_mtime)[-4:] \
            if (self.home / "logs").exists() else []
        for path in task_logs:
            parts.append(f"----- task log {path.relative_to(self.home)} -----\n{task_log_summary(path)}")
        return "\n".join(parts)

    # ------------------------------------------------------------------ REST API v2
    def token(self) -> str:
        """A JWT from the simple auth manager, as a client outside the cluster would get one."""
        if self._token is None:
            res = self.request("POST", "/auth/token", {"username": "admin", "password": self.password},
                               auth=False)
            self._token = str(res["access_token"])
        return self._token

    def request(self, method: str, path: str, body: dict | None = None, auth: bool = True,
                timeout: float = 30) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + path, data=data, method=method)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if auth:
            req.add_header("Authorization", f"Bearer {self.token()}")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")[:2000]
            raise HttpError(exc.code, f"{method} {path} -> HTTP {exc.code}: {detail}") from exc
        return json.loads(raw) if raw else None

    def wait_dag(self, dag_id: str, timeout: float = 120) -> dict:
        """Wait until the dag-processor has serialized ``dag_id``; fail fast on import errors."""

        def check() -> dict | None:
            self._check_alive()
            errors = self.request("GET", "/api/v2/importErrors").get("import_errors", [])
            if errors:
                raise StackError("DAG import errors:\n" + "\n".join(
                    f"{e.get('filename')}: {e.get('stack_trace')}" for e in errors))
            try:
                return self.request("GET", f"/api/v2/dags/{dag_id}")
            except HttpError as exc:
                if exc.status == 404:
                    return None
                raise

        return wait_until(check, timeout, f"DAG {dag_id} to be parsed", interval=2, on_timeout=self.diagnostics)

    def unpause(self, dag_id: str) -> None:
        dag = self.request("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False})
        if dag.get("is_paused"):
            raise StackError(f"DAG {dag_id} still paused: {dag}")

    def trigger(self, dag_id: str, *, logical_date: str | None, data_interval: tuple[str, str] | None = None,
                conf: dict | None = None, run_id: str | None = None) -> dict:
        """POST a dag run; an explicit data interval overrides the timetable's manual guess."""
        body: dict[str, Any] = {"logical_date": logical_date, "conf": conf or {}}
        if data_interval:
            body["data_interval_start"], body["data_interval_end"] = data_interval
        if run_id:
            body["dag_run_id"] = run_id
        return self.request("POST", f"/api/v2/dags/{dag_id}/dagRuns", body)

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        res = self.request("GET", f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances?limit=500")
        return list(res.get("task_instances", []))

    def wait_run(self, dag_id: str, run_id: str, timeout: float = 360) -> dict:
        """Wait for the run to end; stop at once when a task failed or waits for a retry."""

        def check() -> dict | None:
            self._check_alive()
            run = self.request("GET", f"/api/v2/dags/{dag_id}/dagRuns/{run_id}")
            if run["state"] in TERMINAL_RUN_STATES:
                return run
            bad = [t for t in self.task_instances(dag_id, run_id) if t.get("state") in BAD_TI_STATES]
            if bad:
                desc = ", ".join(f"{t['task_id']}[{t.get('map_index')}]={t['state']}" for t in bad)
                raise StackError(f"run {run_id} of {dag_id}: {desc}\n{self.diagnostics()}")
            return None

        return wait_until(check, timeout, f"run {run_id} of {dag_id} to finish", interval=2,
                          on_timeout=self.diagnostics)




@contextlib.contextmanager
def airflow_stack(tmp: Path, **kwargs: Any) -> Iterator[AirflowStack]:
    with AirflowStack(tmp, **kwargs) as stack:
        yield stack
