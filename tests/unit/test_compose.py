"""docker-compose.yml, Dockerfile and .dockerignore, checked without a Docker engine.

No engine runs here, so the stack cannot be started; instead each reference in the compose
file is checked against the thing it refers to: every service command against the installed
Airflow CLI's parser, every AIRFLOW__SECTION__KEY against Airflow's configuration description
(core and providers), every EDGAR_* variable against what ``etl.config.from_env`` reads, every
volume/dependency against its definition, every COPY source against the build context.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from etl import config

pytestmark = [pytest.mark.unit]

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
AIRFLOW_SERVICES = {
    "airflow-init": None,
    "airflow-apiserver": ["api-server"],
    "airflow-scheduler": ["scheduler"],
    "airflow-dag-processor": ["dag-processor"],
    "airflow-triggerer": ["triggerer"],
    "airflow-worker": ["celery", "worker"],
}
#: what a user must set before `docker compose up` (everything else has a default)
REQUIRED_VARS = {"EDGAR_USER_AGENT", "AIRFLOW_JWT_SECRET", "AIRFLOW_ADMIN_PASSWORD", "POSTGRES_PASSWORD"}
TEST_VARS = {"EDGAR_USER_AGENT": "Jane Analyst jane.analyst@example.org", "AIRFLOW_JWT_SECRET": "s3cret",
             "AIRFLOW_ADMIN_PASSWORD": "pw", "POSTGRES_PASSWORD": "pg"}

_VAR = re.compile(r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)")


class MissingVariable(KeyError):
    pass


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's variable substitution: $$, ${V}, ${V:-default}, ${V-default}, ${V:?err}, ${V?err}."""

    def sub(m: re.Match[str]) -> str:
        if m.group(0) == "$$":
            return "$"
        name = m.group("name") or m.group("bare")
        op, arg = m.group("op"), m.group("arg") or ""
        value = env.get(name)
        if op in (":-", ":?"):
            unset = not value
        else:
            unset = value is None
        if op and op.endswith("?") and unset:
            raise MissingVariable(name)
        if op and op.endswith("-") and unset:
            return arg
        return value or ""

    return _VAR.sub(sub, text)


def resolve(node: Any, env: dict[str, str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, list):
        return [resolve(v, env) for v in node]
    if isinstance(node, dict):
        return {k: resolve(v, env) for k, v in node.items()}
    return node


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    doc = yaml.safe_load(COMPOSE.read_text())  # anchors and `<<` merge keys resolved here
    assert isinstance(doc, dict) and "services" in doc
    return doc


@pytest.fixture(scope="module")
def compose(raw: dict[str, Any]) -> dict[str, Any]:
    return resolve(raw, dict(TEST_VARS))


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def _airflow_commands(service: dict[str, Any]) -> Iterator[list[str]]:
    """Every `airflow ...` invocation in a service's command and healthcheck."""
    chunks: list[list[str]] = []
    cmd = service.get("command")
    if isinstance(cmd, str):
        cmd = shlex.split(cmd)
    if cmd:
        if cmd[:2] == ["bash", "-c"] or cmd[:2] == ["sh", "-c"]:
            chunks += [shlex.split(line) for line in cmd[2].splitlines() if line.strip()]
        else:
            chunks.append(list(cmd))
    test = (service.get("healthcheck") or {}).get("test")
    if isinstance(test, list) and test and test[0] == "CMD-SHELL":
        chunks.append(shlex.split(test[1]))
    elif isinstance(test, list) and test and test[0] == "CMD":
        chunks.append(test[1:])
    for chunk in chunks:
        if chunk and chunk[0] == "airflow":
            yield chunk[1:]


# ------------------------------------------------------------------ Airflow, in a subprocess
AIRFLOW_PROBE = textwrap.dedent("""
    import contextlib, importlib.util, io, json, sys
    from airflow.cli import cli_parser
    from airflow.configuration import conf

    req = json.load(sys.stdin)
    out = {"commands": {}, "options": {}, "modules": {}}
    parser = cli_parser.get_parser()
    for args in req["commands"]:
        err = io.StringIO()
        try:
            with contextlib.redirect_stderr(err):
                ns = parser.parse_args(args)
            out["commands"][" ".join(args)] = [True, getattr(ns.func, "__name__", str(ns.func))]
        except SystemExit:
            out["commands"][" ".join(args)] = [False, err.getvalue()[-500:]]
    described = conf.configuration_description
    for section, key in req["options"]:
        out["options"][section + "." + key] = key in (described.get(section) or {}).get("options", {})
    for mod in req["modules"]:
        out["modules"][mod] = importlib.util.find_spec(mod) is not None
    print(json.dumps(out))
""")


@pytest.fixture(scope="module")
def airflow_facts(compose: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Ask the installed Airflow about every command, option and module the stack names."""
    commands = [args for name in AIRFLOW_SERVICES for args in _airflow_commands(compose["services"][name])]
    options = sorted({tuple(k.split("__")[1:3]) for s in compose["services"].values()
                      for k in _env(s) if k.startswith("AIRFLOW__")})
    req = {"commands": commands, "options": [[s.lower(), k.lower()] for s, k in options],
           "modules": ["airflow.providers.celery.executors.celery_executor"]}
    home = tmp_path_factory.mktemp("airflow_home")
    env = {"AIRFLOW_HOME": str(home), "PATH": "/usr/bin:/bin", "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    res = subprocess.run([sys.executable, "-c", AIRFLOW_PROBE], input=json.dumps(req), capture_output=True,
                         text=True, env=env, timeout=180)
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(res.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------- tests
def test_services_present_with_commands(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"postgres", "redis", *AIRFLOW_SERVICES} <= set(services)
    for name, expected in AIRFLOW_SERVICES.items():
        cmds = list(_airflow_commands({"command": services[name]["command"]}))
        if expected is None:  # init: migrate, then the pool the fetch tasks ask for
            assert ["db", "migrate"] in cmds
            assert any(c[:3] == ["pools", "set", "edgar_requests"] for c in cmds), cmds
        else:
            assert cmds and cmds[0][: len(expected)] == expected, (name, cmds)


#: programs an Airflow service runs, and where the project's install (the image's, here the venv) has them
SERVICE_PROGRAMS = {"airflow", "celery", "python", "bash"}


def _programs(service: dict[str, Any]) -> list[list[str]]:
    """Every command line of a service: its command (each line of a ``bash -c`` script) and healthcheck."""
    lines: list[list[str]] = []
    cmd = service.get("command")
    if isinstance(cmd, str):
        cmd = shlex.split(cmd)
    if cmd:
        lines.append(list(cmd))
        if cmd[:2] in (["bash", "-c"], ["sh", "-c"]):
            lines += [shlex.split(line) for line in cmd[2].splitlines() if line.strip()]
    test = (service.get("healthcheck") or {}).get("test")
    if isinstance(test, list) and test and test[0] == "CMD-SHELL":
        lines.append(shlex.split(test[1]))
    elif isinstance(test, list) and test and test[0] == "CMD":
        lines.append(test[1:])
    return lines


def test_every_service_command_exists(compose: dict[str, Any]) -> None:
    """Each program an Airflow service runs is installed with the project (airflow, celery, python in
    the environment `make install` builds from the same lock as the image) and each inline Python
    snippet compiles; `airflow ...` lines are checked against the CLI below."""
    import shutil

    bin_dir = Path(sys.executable).parent
    seen = set()
    for name in AIRFLOW_SERVICES:
        for line in _programs(compose["services"][name]):
            program = line[0]
            if program == "set":  # `set -euo pipefail` in the init script
                continue
            assert program in SERVICE_PROGRAMS, f"{name} runs {program!r}, which the image does not provide"
            seen.add(program)
            found = (bin_dir / program).exists() or (program == "bash" and shutil.which("bash"))
            assert found, f"{name}: {program} is not installed with the project"
            if program == "python" and line[1:2] == ["-c"]:
                compile(line[2], f"<{name} python -c>", "exec")
    assert seen == SERVICE_PROGRAMS


def test_every_airflow_command_exists_in_the_installed_cli(
        compose: dict[str, Any], airflow_facts: dict[str, Any]) -> None:
    checked = airflow_facts["commands"]
    assert len(checked) >= 8  # six services + two healthchecks that call the CLI
    bad = {cmd: detail for cmd, (ok, detail) in checked.items() if not ok}
    assert not bad, bad
    funcs = {cmd: detail for cmd, (_, detail) in checked.items()}
    assert funcs["celery worker"] == "worker"
    assert funcs["api-server --host 0.0.0.0 --port 8080"] == "api_server"


def test_the_probe_rejects_a_wrong_command(tmp_path: Path) -> None:
    """The CLI check can fail: a command Airflow 3 removed (webserver) is refused."""
    req = {"commands": [["webserver"], ["celery", "wrker"]], "options": [["core", "no_such_option"]],
           "modules": ["airflow.providers.no_such"]}
    res = subprocess.run([sys.executable, "-c", AIRFLOW_PROBE], input=json.dumps(req), capture_output=True,
                         text=True, env={"AIRFLOW_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}, timeout=180)
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert [ok for ok, _ in out["commands"].values()] == [False, False]
    assert out["options"] == {"core.no_such_option": False}
    assert out["modules"] == {"airflow.providers.no_such": False}


def test_airflow_config_variables_are_real_options(compose: dict[str, Any], airflow_facts: dict[str, Any]) -> None:
    unknown = [k for k, ok in airflow_facts["options"].items() if not ok]
    assert not unknown, f"not Airflow options: {unknown}"
    assert len(airflow_facts["options"]) >= 10
    assert airflow_facts["modules"]["airflow.providers.celery.executors.celery_executor"]


class RecordingEnv(dict):
    """An environment that remembers which names the code asked for."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__(values)
        self.asked: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        self.asked.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.asked.add(str(key))
        return super().__contains__(key)


def test_edgar_variables_are_read_by_the_code(compose: dict[str, Any]) -> None:
    worker_env = _env(compose["services"]["airflow-worker"])
    edgar = {k: v for k, v in worker_env.items() if k.startswith("EDGAR_")}
    assert {"EDGAR_USER_AGENT", "EDGAR_BASE_URL", "EDGAR_DATA_URL", "EDGAR_MAX_RPS", "EDGAR_RATE_REDIS_URL",
            "EDGAR_DATA_DIR"} <= set(edgar)
    recorder = RecordingEnv(edgar)
    settings = config.from_env(recorder)
    read = {k for k in recorder.asked if k.startswith("EDGAR_")}
    documented = set(re.findall(r"``(EDGAR_[A-Z0-9_]+)``", config.__doc__ or ""))
    for service in compose["services"].values():
        for name in _env(service):
            if name.startswith("EDGAR_"):
                assert name in read, f"{name} is set but etl.config.from_env never reads it"
                assert name in documented, f"{name} is not documented in etl/config.py"
    # the defaults make a valid production setting: sec.gov, within the SEC's rate, Redis pacing
    assert settings.base_url == "https://www.sec.gov" and settings.data_url == "https://data.sec.gov"
    assert 0 < settings.max_rps <= config.SEC_MAX_RPS
    assert settings.rate_redis_url == "redis://redis:6379/1"
    assert settings.require_user_agent() == TEST_VARS["EDGAR_USER_AGENT"]
    assert str(settings.data_dir) == "/data"


def test_every_airflow_service_shares_one_configuration(compose: dict[str, Any]) -> None:
    envs = {name: _env(compose["services"][name]) for name in AIRFLOW_SERVICES}
    keys = ("AIRFLOW__CORE__EXECUTOR", "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "AIRFLOW__CELERY__BROKER_URL",
            "AIRFLOW__CELERY__RESULT_BACKEND", "AIRFLOW__API_AUTH__JWT_SECRET",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL", "EDGAR_RATE_REDIS_URL", "EDGAR_DATA_DIR")
    for key in keys:
        values = {name: env.get(key) for name, env in envs.items()}
        assert len(set(values.values())) == 1 and None not in values.values(), (key, values)
    env = envs["airflow-worker"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__API_AUTH__JWT_SECRET"] == TEST_VARS["AIRFLOW_JWT_SECRET"]
    assert re.fullmatch(r"redis://redis:6379/\d+", env["AIRFLOW__CELERY__BROKER_URL"])
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql://airflow:")
    assert "@postgres:5432/airflow" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    # broker and rate limiter on different Redis databases: a broker flush must not reset pacing
    assert env["AIRFLOW__CELERY__BROKER_URL"] != env["EDGAR_RATE_REDIS_URL"]
    # tasks reach the execution API at the api-server service, on the port it listens on
    api_cmd = compose["services"]["airflow-apiserver"]["command"]
    port = api_cmd[api_cmd.index("--port") + 1]
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == f"http://airflow-apiserver:{port}/execution/"
    assert f"{port}:{port}" in compose["services"]["airflow-apiserver"]["ports"]


def test_required_settings_are_refused_when_missing(raw: dict[str, Any]) -> None:
    required = set()
    for name in REQUIRED_VARS:
        env = {k: v for k, v in TEST_VARS.items() if k != name}
        with pytest.raises(MissingVariable) as exc:
            resolve(raw, env)
        required.add(exc.value.args[0])
    assert required == REQUIRED_VARS


def _named_volume(spec: Any) -> tuple[str, str] | None:
    if isinstance(spec, dict):
        return (spec["source"], spec["target"]) if spec.get("type", "volume") == "volume" else None
    source, _, rest = str(spec).partition(":")
    if not rest or source.startswith((".", "/", "~")):
        return None
    return source, rest.split(":")[0]


def test_volumes_and_dependencies_refer_to_defined_things(compose: dict[str, Any]) -> None:
    services = compose["services"]
    defined = set(compose.get("volumes") or {})
    used: set[str] = set()
    for name, service in services.items():
        for spec in service.get("volumes") or []:
            vol = _named_volume(spec)
            if vol:
                assert vol[0] in defined, f"{name} mounts undefined volume {vol[0]}"
                used.add(vol[0])
        deps = service.get("depends_on") or {}
        for dep, cond in (deps.items() if isinstance(deps, dict) else ((d, {}) for d in deps)):
            assert dep in services, f"{name} depends on undefined service {dep}"
            condition = (cond or {}).get("condition", "service_started")
            assert condition in {"service_started", "service_healthy", "service_completed_successfully"}
            if condition == "service_healthy":
                assert services[dep].get("healthcheck"), f"{name} waits for {dep} to be healthy: no healthcheck"
    assert used == defined, f"defined but unused volumes: {defined - used}"
    # the data folder is one named volume, mounted where EDGAR_DATA_DIR points, on the workers
    # (fetch/parse hand staged files to the load step there) and everywhere else
    for name in AIRFLOW_SERVICES:
        data_dir = _env(services[name])["EDGAR_DATA_DIR"]
        mounts = {target: source for source, target in filter(None, map(_named_volume, services[name]["volumes"]))}
        assert mounts.get(data_dir) == "edgar-data", (name, mounts)
    for name in ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer",
                 "airflow-worker"):
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
        assert services[name]["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully"
    assert services["airflow-worker"]["depends_on"]["airflow-apiserver"]["condition"] == "service_healthy"


def test_pool_created_is_the_pool_the_fetch_tasks_use(compose: dict[str, Any]) -> None:
    init = compose["services"]["airflow-init"]["command"][2]
    pools = re.findall(r"airflow pools set (\S+) (\d+)", init)
    taskflow = (ROOT / "plugins" / "edgar_taskflow.py").read_text()
    used = set(re.findall(r'pool="([^"]+)"', taskflow))
    assert used and used <= {p for p, _ in pools}


def _dockerignore_patterns() -> list[str]:
    return [line.strip() for line in DOCKERIGNORE.read_text().splitlines()
            if line.strip() and not line.startswith("#")]


def _ignored(rel: str, patterns: list[str]) -> bool:
    from fnmatch import fnmatch

    ignored = False
    for pat in patterns:
        negate = pat.startswith("!")
        p = pat[1:] if negate else pat
        p = p.rstrip("/")
        if fnmatch(rel, p) or fnmatch(rel, p + "/*") or rel.startswith(p + "/") or \
                (p.startswith("**/") and (fnmatch(rel, p[3:]) or fnmatch(Path(rel).name, p[3:]))):
            ignored = not negate
    return ignored


def _installed_airflow() -> str:
    from importlib.metadata import version

    return version("apache-airflow")


def test_dockerfile_is_the_official_airflow_image_of_the_installed_version() -> None:
    """FROM apache/airflow:X.Y.Z-python3.11 with X.Y.Z the Airflow `make install` resolves (the lock
    file's pin, installed here), and the project installed under that version's constraints."""
    text = DOCKERFILE.read_text()
    installed = _installed_airflow()
    froms = re.findall(r"^FROM\s+(\S+)", text, re.M)
    assert froms == [f"apache/airflow:{installed}-python3.11"], (froms, installed)
    lock = (ROOT / "requirements.lock").read_text()
    assert re.search(rf"^apache-airflow=={re.escape(installed)}$", lock, re.M), "the lock pins another Airflow"
    args = dict(re.findall(r"^ARG\s+(\w+)=(\S+)", text, re.M))
    assert args.get("AIRFLOW_VERSION") == installed and args.get("PYTHON_VERSION") == "3.11", args
    constraint = "https://raw.githubusercontent.com/apache/airflow/constraints-${AIRFLOW_VERSION}/constraints-${PYTHON_VERSION}.txt"
    assert f'--constraint "{constraint}"' in text
    # the dependency step names Airflow's own version, so pip can never move it
    assert re.search(r'pip install "apache-airflow==\$\{AIRFLOW_VERSION\}" -r ', text)
    # the official image's user owns what the services write (the data volume starts as /data)
    assert re.search(r"^USER airflow$", text, re.M) and text.rstrip().splitlines()[-1].startswith("CMD ")
    assert "chown -R airflow:0 /opt/edgar /data" in text


def test_dockerfile_installs_every_declared_dependency() -> None:
    """The image installs pyproject's dependencies (read at build time): the probe that builds the
    requirements list works on today's pyproject and yields every runtime dependency."""
    import tomllib

    text = DOCKERFILE.read_text()
    probe = re.search(r'python -c "(import tomllib;[^"]+)"', text)
    assert probe, "the Dockerfile no longer derives its requirements from pyproject.toml"
    code = probe.group(1)  # as the shell hands it to python (the backslash-n stays a Python escape)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert out.split("\n")[:-1] == declared


def test_dockerfile_copies_what_exists_and_is_not_ignored() -> None:
    text = DOCKERFILE.read_text()
    copies = re.findall(r"^COPY\s+(?!--from)(.+)$", text, re.M)
    assert copies, "no COPY in the Dockerfile"
    patterns = _dockerignore_patterns()
    sources = []
    for line in copies:
        parts = [p for p in shlex.split(line) if not p.startswith("--")]
        for src in parts[:-1]:
            sources.append(src)
            assert (ROOT / src).exists(), f"COPY source {src} does not exist"
            assert not _ignored(src, patterns), f"COPY source {src} is excluded by .dockerignore"
    # the package (its SQL models and suites are package data: etl/sql, etl/expectations) and
    # Airflow's folders are in the image
    assert {"pyproject.toml", "etl", "dags", "plugins"} <= set(sources)
    assert (ROOT / "etl" / "sql" / "staging").is_dir() and (ROOT / "etl" / "expectations").is_dir()
    assert re.search(r"pip install --no-deps \.(\s|$)", text), "the project is not pip-installed"
    for heavy in (".venv", ".git", "data"):
        assert _ignored(heavy, patterns), f"{heavy} would be sent to the Docker daemon"
    # the image's Python satisfies the project's requires-python
    import tomllib

    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert ">=3.11" in requires and "<3.14" in requires.replace(" ", "")


def test_dockerignore_matcher_can_fail() -> None:
    patterns = ["tests", "**/__pycache__", "data", "!data/keep"]
    assert _ignored("tests", patterns) and _ignored("etl/__pycache__", patterns)
    assert not _ignored("etl", patterns) and not _ignored("data/keep", patterns)
