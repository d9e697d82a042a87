"""The dimensional model on real load steps: keys, idempotency, amendments, quarantine, readers."""

from __future__ import annotations

import copy
import threading

import duckdb
import pytest
from warehouse_fixtures import load, roll_forward, seed_parsed, staged_record

from etl import pipeline
from etl.config import Settings
from etl.warehouse import db

pytestmark = pytest.mark.sql


@pytest.fixture
def wh_settings(tmp_path) -> Settings:
    return Settings(base_url="http://127.0.0.1:9", data_url="http://127.0.0.1:9", data_dir=tmp_path / "data")

SEED_ACC = "0001019965-04-000001"
JAN_ACC = "0001019965-04-000020"
JAN_AMEND_ACC = "0001019965-04-000031"

# grain of every model, as its header comment states it
KEYS = {
    "dim_filing": ["filing_key"],
    "dim_deal": ["deal_key"],
    "dim_class": ["class_key"],
    "dim_pool": ["pool_key"],
    "dim_party": ["party_key"],
    "dim_date": ["date_key"],
    "dim_servicing_criterion": ["criterion_key"],
    "fct_class_distribution": ["deal_key", "class_key", "date_key"],
    "fct_pool_period": ["deal_key", "pool_key", "date_key"],
    "fct_delinquency": ["deal_key", "pool_key", "bucket", "date_key"],
    "fct_servicer_compliance": ["deal_key", "party_key", "fiscal_year", "criterion"],
    "mart_deal_performance": ["deal_key", "distribution_date"],
    "mart_class_factor_history": ["class_key", "distribution_date"],
}


def _two_months(tmp_path):
    dec = seed_parsed()
    jan = roll_forward(dec, JAN_ACC, "2004-01-26")
    return [staged_record(dec, "8-K", "2004-01-05", tmp_path), staged_record(jan, "8-K", "2004-02-02", tmp_path)]


def test_seed_loads_and_keys_are_unique(wh_settings, tmp_path) -> None:
    out = load(wh_settings, _two_months(tmp_path), "run1")
    assert out["validate"]["fail"] == 0, out["validate"]
    con = db.reader(wh_settings)
    for table, key in KEYS.items():
        cols = ", ".join(key)
        n, distinct = con.execute(f"SELECT count(*), count(DISTINCT ({cols})) FROM {table}").fetchone()
        assert n == distinct, f"{table}: key ({cols}) not unique"
    rows = con.execute("SELECT class, beginning_balance, principal, ending_balance FROM v_class_distribution "
                       "WHERE distribution_date = DATE '2003-12-26' AND class = '1-A1'").fetchall()
    assert rows == [("1-A1", 239771286, 3826889, 235944397)]
    n = con.execute("SELECT count(DISTINCT distribution_date) FROM fct_class_distribution").fetchone()[0]
    assert n == 2
    perf = con.execute("SELECT distribution_date, ending_balance, round(smm, 8) FROM mart_deal_performance "
                       "ORDER BY 1").fetchall()
    # December: 4,743,030 prepayments / (504,910,262 - 460,023) = 0.00940237...
    assert perf[0][1] == 499707209
    assert perf[0][2] == pytest.approx(4743030 / (504910262 - 460023), abs=1e-8)
    con.close()


def test_surrogate_keys_stable_across_rebuilds(wh_settings, tmp_path) -> None:
    recs = _two_months(tmp_path)
    load(wh_settings, recs[:1], "run1")
    con = db.reader(wh_settings)
    before = dict(con.execute("SELECT cik || '|' || class, class_key FROM dim_class").fetchall())
    con.close()
    load(wh_settings, recs[1:], "run2")
    con = db.reader(wh_settings)
    after = dict(con.execute("SELECT cik || '|' || class, class_key FROM dim_class").fetchall())
    con.close()
    assert before and all(after[k] == v for k, v in before.items())


def test_same_load_twice_gives_identical_tables(wh_settings, tmp_path) -> None:
    recs = _two_months(tmp_path)
    load(wh_settings, recs, "nightly-2004-02-02")
    with db.writer(wh_settings) as con:
        work1 = db.table_checksums(con)
    con = db.reader(wh_settings)
    pub1 = db.table_checksums(con)
    con.close()
    load(wh_settings, recs, "nightly-2004-02-02")  # the same run again (Airflow re-run: same run id)
    with db.writer(wh_settings) as con:
        work2 = db.table_checksums(con)
    con = db.reader(wh_settings)
    pub2 = db.table_checksums(con)
    con.close()
    assert len(pub1) > 20
    assert work1 == work2
    assert pub1 == pub2


def test_amendment_supersedes_original(wh_settings, tmp_path) -> None:
    """The trustee misprints M-1's interest in January and files an 8-K/A with the right figure."""
    recs = _two_months(tmp_path)
    jan = recs[1]["parsed"]
    amended = copy.deepcopy(jan)
    amended["accession"] = JAN_AMEND_ACC
    m1 = next(c for c in jan["classes"] if c["class"] == "M-1")
    right_interest = m1["interest"]
    m1["interest"] -= 100  # the original's misprint (its total distribution printed consistently)
    m1["total_distribution"] -= 100
    recs.append(staged_record(amended, "8-K/A", "2004-02-20", tmp_path))
    load(wh_settings, recs, "run1")
    con = db.reader(wh_settings)
    rows = dict(con.execute("SELECT accession, (is_current, superseded_by, dq_status) FROM dim_filing").fetchall())
    assert rows[JAN_ACC] == (False, JAN_AMEND_ACC, "fail")  # kept, quarantined, superseded
    assert rows[JAN_AMEND_ACC] == (True, None, "warn")  # warn: M-6's misprinted CUSIP, every month
    fact = con.execute("SELECT accession, interest FROM fct_class_distribution WHERE class = 'M-1' "
                       "AND distribution_date = DATE '2004-01-26'").fetchall()
    assert fact == [(JAN_AMEND_ACC, right_interest)]
    changes = con.execute("SELECT class, measure, old_value, new_value FROM mart_amendment_changes "
                          "WHERE superseded_accession = ?", [JAN_ACC]).fetchall()
    assert sorted(changes) == [("M-1", "interest", right_interest - 100, right_interest),
                               ("M-1", "total_distribution", right_interest - 100, right_interest)]
    con.close()


def test_valid_amendment_supersedes_valid_original(wh_settings, tmp_path) -> None:
    """When both versions pass their checks, the later filing is the current one."""
    recs = _two_months(tmp_path)
    amended = copy.deepcopy(recs[1]["parsed"])
    amended["accession"] = JAN_AMEND_ACC
    for d in amended["delinquencies"]:
        if d["bucket"] == "90+":
            d["count"] = (d.get("count") or 0) + 1
    recs.append(staged_record(amended, "8-K/A", "2004-02-20", tmp_path))
    load(wh_settings, recs, "run1")
    con = db.reader(wh_settings)
    cur = dict(con.execute("SELECT accession, is_current FROM dim_filing").fetchall())
    assert cur[JAN_ACC] is False and cur[JAN_AMEND_ACC] is True
    accs = {r[0] for r in con.execute("SELECT DISTINCT accession FROM fct_delinquency "
                                      "WHERE distribution_date = DATE '2004-01-26'").fetchall()}
    assert accs == {JAN_AMEND_ACC}
    con.close()


def test_quarantined_filing_stays_out_of_facts_until_fixed(wh_settings, tmp_path) -> None:
    recs = _two_months(tmp_path)
    bad = recs[1]["parsed"]
    for c in bad["classes"]:
        if c["class"] == "1-A1":
            c["ending_balance"] += 90000  # roll-forward broken by 90,000: an error, not rounding
    out = load(wh_settings, recs, "run1")
    assert out["validate"]["quarantined"] == [JAN_ACC]
    con = db.reader(wh_settings)
    assert con.execute("SELECT count(*) FROM fct_class_distribution WHERE accession = ?", [JAN_ACC]).fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM stg_class_period WHERE accession = ?", [JAN_ACC]).fetchone()[0] > 0
    status, reasons = con.execute("SELECT status, reasons FROM dq_filing_status WHERE accession = ?", [JAN_ACC]).fetchone()
    assert status == "fail" and "rollforward" in str(reasons)
    con.close()
    # an operator releases it with a reason: it enters the facts, the failed checks stay recorded
    released = pipeline.release(wh_settings, [JAN_ACC, "0000000000-00-000000"], "confirmed with trustee",
                                "ops-analyst", "rel1")
    assert released["released"] == [JAN_ACC] and released["unknown"] == ["0000000000-00-000000"]
    con = db.reader(wh_settings)
    assert con.execute("SELECT count(*) FROM fct_class_distribution WHERE accession = ?", [JAN_ACC]).fetchone()[0] > 0
    con.close()


def test_reader_keeps_a_consistent_snapshot_while_loads_publish(wh_settings, tmp_path) -> None:
    recs = _two_months(tmp_path)
    load(wh_settings, recs[:1], "run1")
    reader = duckdb.connect(str(wh_settings.warehouse), read_only=True)
    before = reader.execute("SELECT count(*) FROM fct_class_distribution").fetchone()[0]
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            load(wh_settings, recs[1:], "run2")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    t = threading.Thread(target=writer)
    t.start()
    while t.is_alive():  # the open session keeps answering from its snapshot throughout
        assert reader.execute("SELECT count(*) FROM fct_class_distribution").fetchone()[0] == before
        t.join(0.05)
    assert not errors, errors
    assert reader.execute("SELECT count(*) FROM fct_class_distribution").fetchone()[0] == before
    reader.close()
    fresh = duckdb.connect(str(wh_settings.warehouse), read_only=True)
    assert fresh.execute("SELECT count(*) FROM fct_class_distribution").fetchone()[0] > before
    fresh.close()
