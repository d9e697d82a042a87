"""``edgar-etl validate`` and ``edgar-etl dq`` as registered by etl.quality.commands."""

from __future__ import annotations

import argparse
import copy
import io
import json
from pathlib import Path

import duckdb
import pytest

import etl.parse
from etl.quality import validate_staged
from etl.quality.commands import register
from etl.warehouse import schema, staging

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "quality"
SEED = json.loads((FIXTURES / "seed_parsed.json").read_text())
BAD = "0001019965-04-000777"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="edgar-etl")
    register(p.add_subparsers(dest="command", required=True))
    return p


def bad_copy() -> dict:
    p = copy.deepcopy(SEED)
    p.update(accession=BAD, cik=999, path="bad.txt")
    next(c for c in p["classes"] if c["class"] == "2-A")["pass_through_rate"] = 1.84875
    return p


def test_validate_prints_one_json_object_per_file(monkeypatch) -> None:
    by_name = {"seed.txt": {**copy.deepcopy(SEED), "path": "seed.txt"}, "bad.txt": bad_copy()}
    monkeypatch.setattr(etl.parse, "parse_path", lambda path: copy.deepcopy(by_name[Path(path).name]))
    args = parser().parse_args(["validate", "--json", "seed.txt", "bad.txt"])
    out = io.StringIO()
    assert args.func(args, out=out) == 1
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(r["path"], r["status"]) for r in lines] == [("seed.txt", "warn"), ("bad.txt", "fail")]
    failing = [c for c in lines[1]["checks"] if c["status"] == "fail"]
    assert [(c["name"], c["severity"], c["scope"]) for c in failing] == [
        ("interest_accrual", "error", {"level": "class", "class": "2-A", "measure": "interest"})]
    assert set(failing[0]) >= {"name", "severity", "status", "scope", "residual", "tolerance"}


def test_validate_text_output_and_exit_code_for_a_passing_file(monkeypatch) -> None:
    monkeypatch.setattr(etl.parse, "parse_path", lambda path: {**copy.deepcopy(SEED), "path": str(path)})
    args = parser().parse_args(["validate", "seed.txt"])
    out = io.StringIO()
    assert args.func(args, out=out) == 0
    text = out.getvalue()
    assert text.startswith("WARN  seed.txt\n") and "cusip_check_digit M-6 cusip: residual 1" in text


def test_dq_explains_a_quarantined_filing_from_a_read_only_warehouse(tmp_path) -> None:
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    schema.apply(con, ("macros", "raw", "staging", "quality"))
    staging.replace_staged(con, [SEED, bad_copy()])
    validate_staged(con, [SEED["accession"], BAD], "run-cli")
    con.close()
    path.chmod(0o444)  # read-only is enough: dq never writes
    out = io.StringIO()
    args = parser().parse_args(["dq", "--accession", BAD, "--warehouse", str(path)])
    assert args.func(args, out=out) == 0
    text = out.getvalue()
    assert text.startswith(f"{BAD}: QUARANTINED  errors 1, warnings 1")
    assert "interest_accrual [error] 2-A interest" in text
    args = parser().parse_args(["dq", "--accession", BAD, "--warehouse", str(path), "--json"])
    out = io.StringIO()
    assert args.func(args, out=out) == 0
    info = json.loads(out.getvalue())
    assert info["quarantined"] is True and info["failures"][0]["check_name"] == "interest_accrual"
    args = parser().parse_args(["dq", "--accession", "0000000000-00-000000", "--warehouse", str(path)])
    out = io.StringIO()
    assert args.func(args, out=out) == 1 and "never validated" in out.getvalue()
    args = parser().parse_args(["dq", "--accession", BAD, "--warehouse", str(tmp_path / "missing.duckdb")])
    assert args.func(args, out=io.StringIO()) == 2
