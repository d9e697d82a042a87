"""The product as a user installs it: the wheel alone, in a fresh virtual environment outside the
repository, with no dev tooling.

The wheel is built from the repository; the environment gets the pinned dependencies of
``requirements.lock`` (from uv's cache, as ``make install`` does) and the wheel with ``--no-deps``,
then runs in an empty directory far from the repository, so nothing can be found beside a source
tree: the SQL models and expectation suites must come from the wheel (package data). It parses
and validates the seed 8-K, then backfills the seed deal from the local EDGAR mirror (served by
the repository's own environment, dev tooling) and reads the loaded figure back.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
UV = ROOT / ".venv" / "bin" / "uv"
SEED_8K = ROOT / "tests" / "fixtures" / "seeds" / "aames031dec03.txt"
FIXTURE_MIRROR = ROOT / "tests" / "fixtures" / "edgar"
CIK = 1268803
ENDING_1A1 = 235944397  # class 1-A1's ending balance in the seed 8-K


def _build_wheel(out_dir: Path, env: dict[str, str]) -> Path:
    """The project's wheel, built from the tree as it is: setuptools' staging folder (build/lib)
    is emptied first, or a module removed from the tree since the last build would ship."""
    shutil.rmtree(ROOT / "build" / "lib", ignore_errors=True)
    _run([str(UV), "build", "--wheel", "--out-dir", str(out_dir), str(ROOT)], cwd=out_dir.parent, env=env)
    wheels = sorted(out_dir.glob("edgar_abs_etl-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(cmd)} exited {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(the fresh venv's bin folder, an empty working directory): the wheel installed alone."""
    if not UV.exists():
        pytest.fail("uv is missing from .venv: run `make install`")
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    wheel = _build_wheel(dist, env)
    venv = base / "venv"
    _run([str(UV), "venv", "--python", sys.executable, str(venv)], cwd=base, env=env)
    py = str(venv / "bin" / "python")
    _run([str(UV), "pip", "install", "--python", py, "-q", "-r", str(ROOT / "requirements.lock")], cwd=base, env=env)
    _run([str(UV), "pip", "install", "--python", py, "-q", "--no-deps", str(wheel)], cwd=base, env=env)
    work = base / "work"
    work.mkdir()
    yield venv / "bin", work
    shutil.rmtree(base, ignore_errors=True)


def _env(work: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("EDGAR_", "AIRFLOW")) and k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(HOME=str(work), EDGAR_USER_AGENT="edgar-abs-etl wheel-test wheel@example.org", **extra)
    return env


def test_wheel_holds_the_product_and_its_data_only() -> None:
    dist = ROOT / "build" / "wheel-test"
    shutil.rmtree(dist, ignore_errors=True)
    dist.mkdir(parents=True)
    names = zipfile.ZipFile(_build_wheel(dist, dict(os.environ))).namelist()
    shutil.rmtree(dist, ignore_errors=True)
    assert "etl/sql/staging/stg_class_period.sql" in names
    assert "etl/sql/macros/check_rows.sql" in names
    assert any(n.startswith("etl/expectations/") and n.endswith(".json") for n in names)
    assert "etl/parse/measures.yaml" in names
    # dev tooling is a package of its own, not in the product's wheel
    assert not [n for n in names if n.startswith(("devtools/", "tests/", "etl/synth/", "etl/bench/"))]


def test_parse_validate_and_backfill_from_the_wheel(wheel_env: tuple[Path, Path]) -> None:
    from devtools.mirror.server import serve_mirror

    bin_dir, work = wheel_env
    cli = str(bin_dir / "edgar-etl")
    env = _env(work)
    # the installed package, not the repository's tree; no dev tooling
    probe = subprocess.run([str(bin_dir / "python"), "-c", "import etl; print(etl.__file__)"], cwd=work, env=env,
                           capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0 and str(ROOT) not in probe.stdout and "site-packages" in probe.stdout, probe
    absent = subprocess.run([str(bin_dir / "python"), "-c", "import devtools"], cwd=work, env=env,
                            capture_output=True, text=True, timeout=60)
    assert absent.returncode != 0 and "No module named 'devtools'" in absent.stderr

    parsed = _run([cli, "parse", str(SEED_8K)], cwd=work, env=env).stdout
    report = json.loads(parsed.splitlines()[0])
    ending = {c["class"]: c.get("ending_balance") for c in report["classes"]}
    assert ending["1-A1"] == ENDING_1A1

    # the checks come from the wheel's etl/sql/quality views and etl/expectations suites
    validated = _run([cli, "validate", str(SEED_8K), "--json"], cwd=work, env=env).stdout
    verdict = json.loads(validated.splitlines()[-1])
    status = {(c["name"], c["status"]) for c in verdict["checks"]}
    assert ("class_rollforward", "pass") in status and not [s for s in status if s[1] == "fail"], verdict
    assert verdict["status"] == "warn"  # the seed's one misprinted CUSIP check digit (class M-6)

    with serve_mirror(FIXTURE_MIRROR) as m:
        env = _env(work, EDGAR_BASE_URL=m.url, EDGAR_DATA_URL=m.url)
        out = _run([cli, "backfill", "--cik", str(CIK), "--json"], cwd=work, env=env).stdout
        result = json.loads(out.splitlines()[-1])
        assert result["discovered"] >= 2 and result["stage"]["accessions"], result
        q = (f"SELECT class, ending_balance FROM v_class_distribution WHERE cik = {CIK} "
             "AND distribution_date = DATE '2003-12-26' AND class = '1-A1'")
        rows = _run([cli, "sql", q, "--csv"], cwd=work, env=env).stdout
    assert rows.splitlines()[1:] == [f"1-A1,{ENDING_1A1}.00"], rows
    assert (work / "data" / "warehouse.duckdb").exists()
