"""The ``parse --json`` subcommand: one JSON object per path per line, failures included."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from etl.parse.commands import register, run

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "aames031dec03.txt"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="edgar-etl")
    register(p.add_subparsers(dest="command"))
    return p


@pytest.mark.unit
def test_parse_command_prints_one_json_line_per_path(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.txt"
    args = _parser().parse_args(["parse", "--json", str(SEED), str(empty), str(missing)])
    out = io.StringIO()
    rc = args.func(args, out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    first, second, third = (json.loads(x) for x in lines)
    assert first["kind"] == "distribution_report" and first["error"] is None
    one = next(c for c in first["classes"] if c["class"] == "1-A1")
    assert one["beginning_balance"] == 239771286 and one["pass_through_rate"] == 1.30875
    assert one["original_balance"] is None  # absent -> null
    assert second["kind"] == "unknown" and "empty" in second["error"]
    assert third["error"].startswith("cannot read file")
    assert rc == 1


@pytest.mark.unit
def test_cents_are_kept_as_json_numbers(tmp_path: Path) -> None:
    doc = tmp_path / "r.txt"
    doc.write_text("Class      Beginning Balance      Principal\nA-1           1,000,000.25      10.10\n")
    args = _parser().parse_args(["parse", "--json", "--no-fields", str(doc)])
    out = io.StringIO()
    assert run(args, out) == 0
    got = json.loads(out.getvalue())
    assert "fields" not in got
    assert got["classes"][0]["beginning_balance"] == 1000000.25
    assert got["amount_decimals"] == 2
