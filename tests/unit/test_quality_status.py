"""dq_check_result, quarantine, release and re-validation on a warehouse file."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import duckdb
import pytest

from etl.quality import explain, filing_status, release, revalidate, revoke_release, validate_staged
from etl.warehouse import schema, staging

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "quality"
SEED = json.loads((FIXTURES / "seed_parsed.json").read_text())
GOOD = SEED["accession"]
BAD = "0001019965-04-000777"


def bad_filing() -> dict:
    """The seed as a bad parse would give it: 1-A1's ending balance read 100 dollars too high."""
    p = copy.deepcopy(SEED)
    p.update(accession=BAD, cik=999)
    next(c for c in p["classes"] if c["class"] == "1-A1")["ending_balance"] += 100
    return p


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> tuple[duckdb.DuckDBPyConnection, list[dict]]:
    path = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    schema.apply(con, ("macros", "raw", "staging", "quality"))
    staging.replace_staged(con, [SEED, bad_filing()])
    rows = validate_staged(con, [GOOD, BAD], "run-1")
    return con, rows


def test_results_are_written_one_row_per_check_row(warehouse) -> None:
    con, rows = warehouse
    stored = con.execute("SELECT count(*), count(DISTINCT run_id), min(run_id) FROM dq_check_result").fetchone()
    assert stored == (len(rows), 1, "run-1")
    statuses = dict(con.execute("SELECT status, count(*) FROM dq_check_result WHERE accession = ? GROUP BY ALL",
                                [GOOD]).fetchall())
    assert statuses["warn"] == 1 and "fail" not in statuses and statuses["pass"] > 100


def test_gx_verdict_agrees_with_the_sql_residuals(warehouse) -> None:
    con, _ = warehouse
    passed, flagged, disagree = con.execute("""SELECT count(*) FILTER (WHERE status = 'pass'),
               count(*) FILTER (WHERE status IN ('fail', 'warn')),
               count(*) FILTER (WHERE (status = 'pass') IS DISTINCT FROM (abs(residual) <= tolerance))
        FROM dq_check_result WHERE status <> 'not_applicable'""").fetchone()
    # both verdicts are there to compare (BAD's 1-A1 roll-forward fails, the seed's M-6 CUSIP warns)...
    assert passed > 100 and flagged >= 2
    # ...and each row's verdict is the one its residual and tolerance give (a NULL residual disagrees)
    assert disagree == 0


def test_filing_with_an_error_is_quarantined_with_its_reason(warehouse) -> None:
    con, _ = warehouse
    status = {s["accession"]: s for s in filing_status(con, [GOOD, BAD])}
    assert (status[GOOD]["status"], status[GOOD]["quarantined"]) == ("warn", False)
    assert (status[BAD]["status"], status[BAD]["quarantined"]) == ("fail", True)
    assert "class_rollforward [fail] class 1-A1 ending_balance: residual 100.0 > tolerance 1.5" in status[BAD]["reasons"]


def test_explain_shows_failures_with_the_printed_fields(warehouse) -> None:
    con, _ = warehouse
    info = explain(con, BAD)
    assert info["quarantined"] and info["status"] == "fail"
    roll = next(f for f in info["failures"] if f["check_name"] == "class_rollforward")
    assert (roll["class"], roll["observed"], roll["expected"], roll["residual"]) == ("1-A1", 235944497, 235944397, 100)
    assert {p["line"] for p in roll["printed"]} >= {141, 158}  # the 1-A1 rows of the per-$1,000 tables
    assert "period_cadence" in info["not_applicable_checks"]
    unknown = explain(con, "0000000000-00-000000")
    assert unknown["status"] is None and "never validated" in unknown["message"]


def test_revalidating_replaces_rows_idempotently(warehouse) -> None:
    con, rows = warehouse
    again = validate_staged(con, [GOOD], "run-2")
    counts = dict(con.execute("SELECT run_id, count(*) FROM dq_check_result GROUP BY run_id").fetchall())
    assert counts["run-2"] == len(again) == sum(1 for r in rows if r["accession"] == GOOD)
    assert con.execute("SELECT count(DISTINCT run_id) FROM dq_check_result WHERE accession = ?",
                       [GOOD]).fetchone()[0] == 1


def test_release_then_revoke_then_fix(warehouse) -> None:
    con, _ = warehouse
    with pytest.raises(ValueError, match="reason"):
        release(con, BAD, "  ", "ops")
    # 1-A1's wrong ending also breaks the ending Total, the OC identity and the per-$1,000 figures (the face
    # derived from the factor moves): releasing one check is not enough
    failed = dict(con.execute("SELECT check_name, count(*) FROM dq_check_result WHERE accession = ? "
                              "AND status = 'fail' GROUP BY ALL", [BAD]).fetchall())
    assert set(failed) == {"class_rollforward", "class_total_inclusion", "overcollateralization", "per_1000"}
    n_fail = sum(failed.values())
    release(con, BAD, "trustee confirmed the printed ending", "j.doe", check_name="class_rollforward")
    st = filing_status(con, [BAD])[0]
    assert (st["status"], st["error_count"], st["released_count"]) == ("fail", n_fail - 1, 1)
    release(con, BAD, "trustee confirmed the whole statement", "j.doe")
    st = filing_status(con, [BAD])[0]
    assert (st["status"], st["error_count"], st["released_count"], st["quarantined"]) == ("warn", 0, n_fail, False)
    assert "(released: j.doe: trustee confirmed the printed ending" in st["reasons"]
    assert [o["check_name"] for o in explain(con, BAD)["overrides"]] == ["class_rollforward", None]
    assert revoke_release(con, BAD) == 1
    assert filing_status(con, [BAD])[0]["status"] == "fail"
    # the main way out: re-parse with the fixed parser and re-validate
    fixed = copy.deepcopy(SEED)
    fixed.update(accession=BAD, cik=999)
    (st,) = revalidate(con, [BAD], run_id="run-fix", parsed=[fixed])
    assert (st["status"], st["error_count"], st["quarantined"]) == ("warn", 0, False)
    assert con.execute("SELECT count(*) FROM dq_check_result WHERE accession = ? AND status = 'fail'",
                       [BAD]).fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM dq_override WHERE accession = ?", [BAD]).fetchone()[0] == 2  # audit kept
