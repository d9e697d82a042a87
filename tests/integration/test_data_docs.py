"""Data Docs with history: two validation runs in a relative data directory, both browsable.

Great Expectations keeps each run's results in a filesystem ValidationResultsStore
(``data/dq_results``) and the site (``data/dq_docs``) is built from every kept result, so a
second run adds to the first instead of replacing it. Headless Chromium then opens the index
(offline: GX's own table needs CDN scripts, the run history section does not) and must list both.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest

from etl import config
from etl.quality import load_suites, validate_staged
from etl.warehouse import schema, staging

try:  # tests/integration is a package in some layouts, a plain folder on sys.path in others
    from .chromium import colours_and_ink, ensure_chromium, run_chromium
except ImportError:
    from chromium import colours_and_ink, ensure_chromium, run_chromium

pytestmark = [pytest.mark.integration]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "quality"
RUNS = ("edgar_nightly__2004-01-05T06:00:00-05:00", "reprocess__after-parser-fix")


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> Path:
    """The seed 8-K and its 10-K validated twice, with ``EDGAR_DATA_DIR=data`` (relative) as the data dir."""
    import os

    work = tmp_path_factory.mktemp("work")
    before = Path.cwd()
    os.chdir(work)
    try:
        settings = config.from_env({"EDGAR_DATA_DIR": "data"})
        assert settings.data_dir == work / "data" and settings.dq_docs_dir.is_absolute()
        con = duckdb.connect()
        schema.apply(con, ("macros", "raw", "staging", "quality"))
        seed = json.loads((FIXTURES / "seed_parsed.json").read_text())
        annual = {"accession": "0001019965-04-000147", "cik": seed["cik"], "kind": "annual_report",
                  "form_type": "10-K", "annual_report": {"fiscal_year_end": "2003-12-31",
                                                         "distribution_report_dates": ["2003-12-26"]}}
        staging.replace_staged(con, [seed, annual])
        for run in RUNS:
            # the relative path itself, as runner.py hands it on: GX must still get absolute ones
            validate_staged(con, [seed["accession"], annual["accession"]], run, Path("data"))
        con.close()
    finally:
        os.chdir(before)
    return work / "data"


def test_both_runs_are_kept_and_have_pages(two_runs: Path, data_docs) -> None:
    from etl.quality.docs_history import kept_runs

    runs = kept_runs(two_runs / "dq_results")
    assert [r.name for r in runs] == list(RUNS)
    # every suite with something to check; the asset-data suite has nothing here (no ABS-EE filing)
    suites = {s.name for s in load_suites()} - {"stg_asset_filing.error"}
    assert len(suites) == len(load_suites()) - 1
    for run in runs:
        assert {s for s, _, _ in run.suites} == suites
    # every page the index links is that run's result of that suite: the same data twice, so the
    # same verdicts, and only the suite with the seed's misprinted CUSIP (a warning) flagged
    shown = data_docs(two_runs / "dq_docs" / "index.html")
    assert set(shown) == set(RUNS) and all(set(v) == suites for v in shown.values())
    for run in RUNS:
        assert {s for s, ok in shown[run].items() if not ok} == {"stg_class_period.warn"}, (run, shown[run])
    index = (two_runs / "dq_docs" / "index.html").read_text(encoding="utf-8")
    assert index.count('id="edgar-run-history"') == 1  # replaced, not appended, on the second build
    for run in RUNS:  # GX's own (scripted) table has both too
        assert f"'run_name': '{run}'" in index


def test_index_lists_both_runs_in_headless_chromium(two_runs: Path, tmp_path: Path) -> None:
    browser = ensure_chromium()
    if browser is None:
        pytest.skip("Chromium is not installed and scripts/ensure_chromium.sh could not install it "
                    "(needs apt-get and root)")
    index = two_runs / "dq_docs" / "index.html"
    code, dom, err = run_chromium(browser, ["--dump-dom", index.as_uri()], tmp_path)
    assert code == 0 and "<html" in dom, f"exit {code}: {err[-2000:]}"
    section = re.search(r'<section id="edgar-run-history">(.*?)</section>', dom, re.S)
    assert section, "the index has no run history"
    listed = re.findall(r'<td class="run-name">([^<]+)</td>', section.group(1))
    assert listed == list(reversed(RUNS)), listed  # newest first
    links = re.findall(r'href="(validations/[^"]+)"', section.group(1))
    assert len(links) == 2 * (len(load_suites()) - 1) and all((two_runs / "dq_docs" / link).exists() for link in links)

    png = tmp_path / "index.png"
    code, _, err = run_chromium(browser, [f"--screenshot={png}", "--window-size=1200,1400", index.as_uri()],
                                tmp_path)
    assert png.exists(), f"no screenshot (exit {code}): {err[-2000:]}"
    data = png.read_bytes()
    width, height, colours, ink = colours_and_ink(data)
    assert (width, height) == (1200, 1400) and len(data) > 20_000
    # two runs of 11 suites each are text in several colours: many anti-aliased shades, some ink
    assert len(colours) > 150, f"only {len(colours)} colours: blank page?"
    assert 0.01 < ink < 0.5, f"non-white share {ink:.3f}"
