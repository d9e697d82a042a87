"""The README's commands, run as a new user runs them: from an empty working directory, with the
defaults, against the local EDGAR mirror.

The commands are read from the README itself (the code blocks of "Against the real EDGAR" and
"Querying the warehouse"), so a command added or changed there is run here; one without a check
below fails the test until it gets one. The only departures from the text: the base URLs point at
the mirror (the README's ``unset EDGAR_BASE_URL EDGAR_DATA_URL`` line is the one line skipped),
and ``.venv`` in the fresh directory is a symlink to the project's, so ``.venv/bin/edgar-etl`` is
typed as written. Nothing else is set: no EDGAR_DATA_DIR (the default ``./data``), no warehouse
path, a throw-away HOME. Each command must exit 0, print no traceback, and show a real value
(the seed 8-K's class 1-A1: ending balance 235,944,397).

A failed CLI run ends with one line saying what failed and what is kept; its traceback goes to
``data/logs/edgar-etl.log`` (the last tests).
"""

from __future__ import annotations

import csv
import json
import logging
import os
import re
import shlex
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from data_docs_site import read_data_docs

pytestmark = [pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
VENV = ROOT / ".venv"
FIXTURE_MIRROR = ROOT / "tests" / "fixtures" / "edgar"
SEED_8K = "0001019965-04-000001"
CIK = 1268803
DEAL = "AAMES MORTGAGE TRUST 2003-1"
ENDING_1A1 = "235,944,397"  # class 1-A1's ending balance in the seed 8-K, as printed
SECTIONS = ("Against the real EDGAR", "Querying the warehouse")


# ------------------------------------------------------------------ the README, parsed
def section(text: str, title: str) -> str:
    """The body of ``## title`` up to the next ``## `` heading (its ``###`` subsections included)."""
    m = re.search(rf"^## {re.escape(title)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert m, f"README has no section '## {title}'"
    return m.group(1)


def code_blocks(body: str, lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\s*\n(.*?)^```", body, re.M | re.S)


def shell_lines(block: str) -> list[str]:
    """Each command line of a shell block (comment-only and blank lines dropped)."""
    return [line.strip() for line in block.splitlines() if line.strip() and not line.strip().startswith("#")]


def sql_statements(block: str) -> list[str]:
    """The example queries of a ``sql`` block, comments removed, one per statement."""
    text = "\n".join(line for line in block.splitlines() if not line.strip().startswith("--"))
    return [" ".join(s.split()) for s in text.split(";") if s.strip()]


def readme_commands() -> tuple[list[str], list[str]]:
    text = README.read_text(encoding="utf-8")
    lines: list[str] = []
    queries: list[str] = []
    for title in SECTIONS:
        body = section(text, title)
        for block in code_blocks(body, "sh"):
            lines += shell_lines(block)
        for block in code_blocks(body, "sql"):
            queries += sql_statements(block)
    return lines, queries


def test_the_readme_parser_finds_the_commands() -> None:
    lines, queries = readme_commands()
    assert any("backfill --cik 1268803" in line for line in lines)
    assert any(line.startswith("export EDGAR_USER_AGENT=") for line in lines)
    assert any(".venv/bin/edgar-etl sql " in line for line in lines)
    assert len(queries) >= 4 and all(q.upper().startswith(("SELECT", "WITH")) for q in queries)


# ------------------------------------------------------------------ checks of each command
class Run:
    def __init__(self, line: str, proc: subprocess.CompletedProcess, cwd: Path, seconds: float) -> None:
        self.line, self.proc, self.cwd, self.seconds = line, proc, cwd, seconds
        self.out, self.err = proc.stdout, proc.stderr

    def json(self) -> dict:
        return json.loads(self.out)


def _pipeline_result(run: Run, discovered: int) -> None:
    result = run.json()
    assert result["discovered"] == discovered, result
    assert result["stage"]["parsed"] == discovered and result["stage"]["parse_failed"] == 0, result["stage"]
    assert result["validate"]["checked"] >= discovered
    pub = result["publish"]
    assert pub["warehouse"] == str(run.cwd / "data" / "warehouse.duckdb")  # the default, from the cwd
    assert (pub["filings"], pub["deals"], pub["class_rows"]) == (2, 1, 14), pub
    assert result["data_docs"] == str(run.cwd / "data" / "dq_docs" / "index.html")
    from etl.quality import load_suites

    # the site shows this run's result page for every suite with something to check: all but the
    # asset-data suite (these runs hold no ABS-EE filing)
    suites = {s.name for s in load_suites()}
    assert "stg_asset_filing.error" in suites
    assert set(read_data_docs(Path(result["data_docs"]))[result["run_id"]]) == suites - {"stg_asset_filing.error"}


def check_backfill_cik(run: Run) -> None:
    _pipeline_result(run, discovered=2)


def check_backfill_range(run: Run) -> None:
    _pipeline_result(run, discovered=2)  # the quarter's full index lists both seed filings


def check_nightly(run: Run) -> None:
    _pipeline_result(run, discovered=1)  # 2004-01-05: the 8-K only


def check_sql_classes(run: Run) -> None:
    assert ENDING_1A1 in run.out and "1-A1" in run.out and DEAL in run.out, run.out[-2000:]


def check_sql_csv(run: Run) -> None:
    rows = list(csv.DictReader((run.cwd / "perf.csv").open(encoding="utf-8")))
    assert rows and rows[0]["cik"] == str(CIK), rows
    assert float(rows[0]["ending_balance"]) == 499_707_209  # the seed's pool, after December


def check_shell(run: Run) -> None:
    assert "v_class_distribution" in run.out  # .tables
    assert re.search(r"\|\s+14\s+\|", run.out), run.out[-2000:]  # SELECT count(*) ... ; -> 14 classes


def check_report(run: Run) -> None:
    page = (run.cwd / "deal.html").read_text(encoding="utf-8")
    assert DEAL in page and "<td>1-A1</td><td>86359A6H1</td>" in page and "$235.94M" in page
    docs = (run.cwd / "data" / "dq_docs" / "index.html").as_uri()
    assert f'href="{docs}"' in page, "the report links the Data Docs"


def check_docs(run: Run) -> None:
    index = Path(run.out.strip())
    assert index == run.cwd / "data" / "dq_docs" / "index.html"
    m = re.search(r"(\d+) validation run\(s\) kept", run.err)
    assert m and int(m.group(1)) >= 3, run.err  # the three pipeline runs above, each kept
    assert len(read_data_docs(index)) >= 3  # and the index lists them, each page read


#: a pattern of each README command -> its check; a README command matching none fails the test
CHECKS: list[tuple[str, Callable[[Run], None]]] = [
    (r"edgar-etl backfill --cik 1268803\b", check_backfill_cik),
    (r"edgar-etl backfill --start 2004-01-01 --end 2004-03-31\b", check_backfill_range),
    (r"edgar-etl nightly --date 2004-01-05\b", check_nightly),
    (r'edgar-etl sql "SELECT \* FROM v_class_distribution WHERE cik = 1268803"', check_sql_classes),
    (r'edgar-etl sql "SELECT \* FROM mart_deal_performance" --csv perf\.csv', check_sql_csv),
    (r"edgar-etl shell\b", check_shell),
    (r"edgar-etl report --cik 1268803 --out deal\.html", check_report),
    (r"edgar-etl docs\b", check_docs),
]
SHELL_INPUT = ".tables\nSELECT count(*) AS n FROM v_class_distribution;\n.quit\n"


def _check_for(line: str) -> Callable[[Run], None]:
    found = [check for pattern, check in CHECKS if re.search(pattern, line)]
    assert len(found) == 1, f"README command without exactly one check in this test: {line!r}"
    return found[0]


# ------------------------------------------------------------------ the run
@pytest.fixture(scope="module")
def mirror():
    from devtools.mirror.server import serve_mirror

    with serve_mirror(FIXTURE_MIRROR) as handle:
        yield handle


def fresh_dir(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    (work / ".venv").symlink_to(VENV, target_is_directory=True)
    return work


def base_env(tmp_path: Path, mirror_url: str) -> dict[str, str]:
    """A new user's shell: PATH, a HOME, a locale; plus the mirror's URLs. No other EDGAR_* variable."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8",
            "EDGAR_BASE_URL": mirror_url, "EDGAR_DATA_URL": mirror_url}


def run_line(line: str, cwd: Path, env: dict[str, str], stdin: str | None = None, timeout: float = 180) -> Run:
    t = time.perf_counter()
    proc = subprocess.run(["bash", "-c", line], cwd=cwd, env=env, input=stdin or "", capture_output=True,
                          text=True, timeout=timeout)
    run = Run(line, proc, cwd, time.perf_counter() - t)
    assert proc.returncode == 0, f"{line!r} exited {proc.returncode}:\n{proc.stderr[-3000:]}"
    assert "Traceback (most recent call last)" not in proc.stderr + proc.stdout, f"{line!r} printed a traceback:\n{proc.stderr[-3000:]}"
    return run


@pytest.fixture(scope="module")
def after_readme() -> dict:
    """The working directory and environment the README's commands left (for the next test)."""
    return {}


def test_readme_commands_as_written_from_an_empty_directory(tmp_path: Path, mirror, after_readme: dict) -> None:
    lines, queries = readme_commands()
    work = fresh_dir(tmp_path)
    env = base_env(tmp_path, mirror.url)
    timings: list[tuple[str, float]] = []
    ran = set()
    for line in lines:
        words = shlex.split(line, comments=True)
        if words[0] == "export":
            for assignment in words[1:]:
                name, _, value = assignment.partition("=")
                env[name] = value
            continue
        if words[0] == "unset":
            # the one departure from the README: the mirror stands in for sec.gov
            assert set(words[1:]) == {"EDGAR_BASE_URL", "EDGAR_DATA_URL"}, line
            continue
        check = _check_for(line)
        run = run_line(line, work, env, stdin=SHELL_INPUT if check is check_shell else None)
        check(run)
        ran.add(check)
        timings.append((line.split("#")[0].strip(), run.seconds))
    assert ran == {check for _, check in CHECKS}, "a check of this test matches no README command"
    assert env.get("EDGAR_USER_AGENT"), "the README's export of the User-Agent was applied"
    assert not (work / "data" / "warehouse.duckdb.tmp").exists()

    # the example queries of the section, each through `edgar-etl sql` as an analyst would paste it
    outputs = {}
    for query in queries:
        run = run_line(f".venv/bin/edgar-etl sql {shlex.quote(query)}", work, env)
        outputs[query] = run.out
    cpr = next(out for q, out in outputs.items() if "mart_deal_performance" in q)
    assert "2003-12-26" in cpr and "10.72" in cpr and "0.98969" in cpr, cpr  # CPR and pool factor, December
    # the "or --parquet perf.parquet" of the CSV line
    run_line('.venv/bin/edgar-etl sql "SELECT * FROM mart_deal_performance" --parquet perf.parquet', work, env)
    import pyarrow.parquet as pq

    assert pq.read_table(work / "perf.parquet").num_rows == 1

    # nothing was written outside the working directory (its data folder, the files asked for)
    assert sorted(p.name for p in work.iterdir()) == [".venv", "data", "deal.html", "perf.csv", "perf.parquet"]
    print("\n".join(f"{secs:6.1f}s  {line}" for line, secs in timings))
    after_readme.update(work=work, env=env)


def test_reprocess_with_a_relative_data_dir(after_readme: dict) -> None:
    """``edgar-etl reprocess`` with ``EDGAR_DATA_DIR=data`` (it crashed in Great Expectations)."""
    if not after_readme:
        pytest.skip("needs the data folder the README's commands built (the test above)")
    work, env = after_readme["work"], after_readme["env"]
    run = run_line(f"EDGAR_DATA_DIR=data .venv/bin/edgar-etl reprocess {SEED_8K}", work, env)
    result = run.json()
    assert result["reprocessed"] == 1 and result["validate"]["checked"] >= 1, result
    assert result["publish"]["warehouse"] == str(work / "data" / "warehouse.duckdb")
    assert result["publish"]["class_rows"] == 14, result


# ------------------------------------------------------------------ a failure: one clear line
@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for h in root.handlers:
        if h not in handlers:
            h.close()
    root.handlers[:], root.level = handlers, level


def test_a_failing_stage_ends_with_one_line_and_the_traceback_in_the_log(
        tmp_path: Path, mirror, monkeypatch, capsys, restore_logging) -> None:
    from etl import cli, pipeline

    work = fresh_dir(tmp_path)
    monkeypatch.chdir(work)
    for name, value in base_env(tmp_path, mirror.url).items():
        if name.startswith("EDGAR_"):
            monkeypatch.setenv(name, value)

    def broken_validate(*args, **kwargs):
        raise ValueError("base_directory must be an absolute path\nif root_directory is not provided")

    monkeypatch.setattr(pipeline, "validate", broken_validate)
    assert cli.main(["backfill", "--cik", str(CIK)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "Traceback (most recent" not in err
    last = err.strip().splitlines()[-1]
    data = work / "data"
    assert last.startswith("edgar-etl backfill: failed at validate (ValueError: base_directory must be an "
                           "absolute path). Kept: "), last
    assert f"the fetched filings, in {data / 'raw'}, and their staged rows" in last
    assert "no warehouse has been published yet" in last
    assert last.endswith(f"Traceback in {data / 'logs' / 'edgar-etl.log'}")
    logged = (data / "logs" / "edgar-etl.log").read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "broken_validate" in logged
    assert len(list((data / "raw").rglob("*.txt"))) == 2  # kept, as the line says


def test_an_unexpected_error_outside_the_pipeline_is_one_line_too(
        tmp_path: Path, monkeypatch, capsys, restore_logging) -> None:
    from etl import cli
    from etl.warehouse import commands

    monkeypatch.chdir(fresh_dir(tmp_path))

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(commands, "open_readonly", boom)
    assert cli.main(["sql", "SELECT 1"]) == 1
    out, err = capsys.readouterr()
    assert "Traceback (most recent" not in err and len(err.strip().splitlines()) == 1, err
    assert err.startswith("edgar-etl sql: failed (RuntimeError: disk on fire). Traceback in ")
    assert "disk on fire" in Path(err.strip().rsplit("Traceback in ", 1)[1].rstrip(".")).read_text()
