"""Helper views computed once per chunk of a validation: the same results, nothing left behind."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from etl.quality import load_suites, runner
from etl.warehouse import schema, staging

pytestmark = pytest.mark.unit

SEED = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "quality" / "seed_parsed.json").read_text())
RESULT = ("accession, check_name, suite, severity, scope, class, pool, bucket, section, measure, observed, "
          "expected, residual, tolerance, status, detail")


def _filings() -> list[dict]:
    """The seed, and the seed as another deal's filing with 1-A1's ending balance misread by 100."""
    bad = copy.deepcopy(SEED)
    bad.update(accession="0001019965-04-000777", cik=999)
    next(c for c in bad["classes"] if c["class"] == "1-A1")["ending_balance"] += 100
    return [SEED, bad]


def _validated(chunk: int, shared: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[list[tuple], list[tuple]]:
    with monkeypatch.context() as m:
        if not shared:
            m.setattr(runner, "_materialise_shared", lambda con, suites: [])
        con = duckdb.connect()
        schema.apply(con, ("macros", "raw", "staging", "quality"))
        filings = _filings()
        staging.replace_staged(con, filings)
        runner.validate_many(con, [f["accession"] for f in filings], "run-shared", None, datetime(2004, 2, 1),
                             chunk_filings=chunk)
        rows = con.execute(f"SELECT {RESULT} FROM dq_check_result ORDER BY ALL").fetchall()
        temps = con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary ORDER BY 1").fetchall()
        con.close()
    return rows, temps


def test_the_shared_helpers_are_those_several_checks_read() -> None:
    shared = runner.shared_views(tuple(v for s in load_suites() for v in s.views))
    assert {"dq_report_context", "dq_class_total_rule", "dq_class_value"} <= set(shared)
    # in apply order: a helper comes after the helpers it reads
    assert shared.index("dq_report_context") < shared.index("dq_class_total_rule")
    assert "dq_class_rollforward" not in shared  # a check view read by its suite alone


@pytest.mark.parametrize("chunk", [1, 5000])  # narrowed to each filer's deals, and the whole history
def test_helpers_computed_once_per_chunk_give_the_views_own_results(chunk, monkeypatch) -> None:
    with_shared, left = _validated(chunk, True, monkeypatch)
    without, _ = _validated(chunk, False, monkeypatch)
    assert len(with_shared) > 100
    assert with_shared == without
    assert {r[14] for r in with_shared} >= {"pass", "fail"}  # the misread balance fails, the seed passes
    models = {m.name for m in schema.load_models()}
    assert [t for (t,) in left if t in models] == []  # no temp table left to shadow a model for whoever reads next
