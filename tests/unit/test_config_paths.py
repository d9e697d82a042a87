"""Settings resolve every path once, absolute, from the working directory of that moment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from etl import config

pytestmark = pytest.mark.unit

DERIVED = ("data_dir", "raw_dir", "warehouse", "rate_state", "staging_dir", "cache_dir", "dq_docs_dir",
           "dq_results_dir", "dq_docs_index", "log_dir", "export_dir")


def test_relative_settings_become_absolute_from_the_working_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    s = config.from_env({"EDGAR_DATA_DIR": "data", "EDGAR_WAREHOUSE": "pub/wh.duckdb", "EDGAR_RATE_STATE": "rl"})
    for name in DERIVED:
        assert getattr(s, name).is_absolute(), name
    assert s.data_dir == tmp_path / "data" and s.dq_docs_dir == tmp_path / "data" / "dq_docs"
    assert s.warehouse == tmp_path / "pub" / "wh.duckdb" and s.rate_state == tmp_path / "rl"
    # resolved once: moving elsewhere afterwards changes nothing
    os.chdir("/")
    assert s.data_dir == tmp_path / "data"
    assert s.with_overrides(max_rps=5).data_dir == tmp_path / "data"


def test_defaults_and_home_and_explicit_settings(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert config.from_env({}).data_dir == tmp_path / "data"  # the documented default ./data
    assert config.from_env({"EDGAR_DATA_DIR": "~/edgar"}).data_dir == tmp_path / "home" / "edgar"
    assert config.Settings(data_dir=Path("x")).raw_dir == tmp_path / "x" / "raw"  # built directly too
    assert config.from_env({"EDGAR_DATA_DIR": "/srv/edgar/"}).data_dir == Path("/srv/edgar")
