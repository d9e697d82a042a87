"""Shared test set-up: an isolated Airflow home and data folder per session, and fixture paths."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"

# Airflow reads its configuration at import time: point it at a throw-away home before any test
# imports it, so tests never touch a developer's ~/airflow or the demo's airflow_home.
_AF_HOME = Path(os.environ.get("PYTEST_AIRFLOW_HOME", f"/tmp/edgar-etl-tests-{os.getpid()}/airflow"))
_AF_HOME.mkdir(parents=True, exist_ok=True)
os.environ["AIRFLOW_HOME"] = str(_AF_HOME)
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(ROOT / "dags")
os.environ["AIRFLOW__CORE__PLUGINS_FOLDER"] = str(ROOT / "plugins")
for var in [v for v in os.environ if v.startswith("EDGAR_")]:
    del os.environ[var]  # tests build their settings explicitly
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def seed_8k_text() -> str:
    return (FIXTURES / "seeds" / "aames031dec03.txt").read_text()


@pytest.fixture
def data_docs() -> Callable[[Path], dict[str, dict[str, bool]]]:
    """``data_docs_site.read_data_docs``: the runs a Data Docs site shows, each page checked."""
    from data_docs_site import read_data_docs

    return read_data_docs
