"""pyproject.toml and requirements.lock: nothing declared and unused, everything declared locked.

Every runtime dependency is imported by the project's code (etl/, plugins/, dags/), or is listed
below with what uses it instead of an import; the lock file pins each declared package at a version
its range allows, so `make install` (which installs the lock) gives what pyproject asks for.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
LOCK = ROOT / "requirements.lock"
CODE = [ROOT / "etl", ROOT / "plugins", ROOT / "dags"]

#: distribution -> the module its code is imported as
IMPORT_NAMES = {
    "apache-airflow": "airflow", "great-expectations": "great_expectations", "pyyaml": "yaml",
    "psycopg2-binary": "psycopg2",
}
#: distributions used without an import of their own, and by what
USED_WITHOUT_IMPORT = {
    "apache-airflow-providers-celery": "the CeleryExecutor and `airflow celery worker` of docker-compose.yml",
    "apache-airflow-providers-postgres": "the PostgreSQL metadata database of docker-compose.yml",
    "psycopg2-binary": "the postgresql+psycopg2:// SQLAlchemy URL of the metadata database",
    "urllib3": "requests' HTTP engine; the >=2.2 floor makes a body cut short of its Content-Length an "
               "error (ChunkedEncodingError in etl/edgar/client.py) instead of a silently short filing",
}


def _declared() -> list[Requirement]:
    return [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]


def _imported_modules() -> set[str]:
    mods: set[str] = set()
    for folder in CODE:
        for path in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    mods |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    mods.add(node.module.split(".")[0])
    return mods


def _locked() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line)
        if m:
            pins[canonicalize_name(m.group(1))] = m.group(2)
    return pins


def test_every_declared_dependency_is_used() -> None:
    imported = _imported_modules()
    unused = []
    for req in _declared():
        name = canonicalize_name(req.name)
        module = IMPORT_NAMES.get(name, name.replace("-", "_"))
        if module not in imported and name not in USED_WITHOUT_IMPORT:
            unused.append(req.name)
    assert not unused, f"declared in pyproject.toml but never imported: {unused}"


def test_html_is_read_with_lxml_not_beautifulsoup() -> None:
    """README "Dependencies": beautifulsoup4 and defusedxml were declared and never imported."""
    names = {canonicalize_name(r.name) for r in _declared()}
    assert not names & {"beautifulsoup4", "defusedxml"}
    assert "lxml" in names and "lxml" in _imported_modules()
    assert not {"bs4", "defusedxml"} & _imported_modules()


def test_the_lock_pins_every_declared_dependency_within_its_range() -> None:
    pins = _locked()
    dev = [Requirement(r) for r in PYPROJECT["project"]["optional-dependencies"]["dev"]]
    for req in [*_declared(), *dev]:
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is declared but not in requirements.lock (run `make lock`)"
        assert req.specifier.contains(pins[name], prereleases=True), \
            f"requirements.lock pins {req.name}=={pins[name]}, outside {req.specifier} (run `make lock`)"
    assert "beautifulsoup4" not in pins and "defusedxml" not in pins


def test_make_install_installs_the_lock_then_the_project_without_resolving() -> None:
    makefile = (ROOT / "Makefile").read_text()
    stamp = makefile[makefile.index("$(STAMP):"):makefile.index("install: $(STAMP)")]
    assert "requirements.lock" in stamp.splitlines()[0], "the install is not redone when the lock changes"
    assert "-r requirements.lock" in stamp and "--no-deps -e ." in stamp
    assert "'.[dev]'" not in stamp  # resolving from pyproject's ranges again would bypass the lock
