"""Form ABS-EE asset data on the real load steps: staged per asset class from Parquet, checked against the
10-D of the same period and the month before, quarantined on a failure, and on to fct_asset_period and the
loan-level marts.

The 10-Ds are the seed (December 2003) and its synthetic next month (warehouse_fixtures); the ABS-EEs are
EX-102 files written from Schedule AL's element names (devtools.synth.absee) inside a real SGML envelope, read
by the pipeline's own parse step for an ABS-EE (etl.absee.load), with balances chosen here by hand.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
from warehouse_fixtures import load, roll_forward, seed_parsed, staged_record

from devtools.synth.absee import asset_data_documents
from devtools.synth.edgar import Document, Filer, Filing, envelope
from etl import pipeline
from etl.absee.arrow import ASSET_SCHEMA
from etl.absee.fields import CLASSES
from etl.absee.load import ASSET_TABLES, parse_asset_filing
from etl.config import Settings
from etl.edgar.sgml import parse_submission
from etl.warehouse import db, schema

pytestmark = pytest.mark.sql

CIK = 1268803
DEC_ACC, JAN_ACC = "0001019965-04-000001", "0001019965-04-000020"
DEC_EE, JAN_EE = "0001019965-04-000002", "0001019965-04-000021"
DEC_TOTAL = 499_707_209  # the seed's Total pool ending balance (whole dollars: tolerance 0.50)

KEYS = {
    "fct_asset_period": ["deal_key", "asset_number", "period_end"],
    "mart_asset_stratification": ["deal_key", "period_end", "stratum", "band"],
    "mart_asset_roll_rates": ["deal_key", "period_end", "from_bucket", "to_bucket"],
    "mart_asset_prepayment": ["deal_key", "period_end"],
}


@pytest.fixture
def wh_settings(tmp_path) -> Settings:
    return Settings(base_url="http://127.0.0.1:9", data_url="http://127.0.0.1:9", data_dir=tmp_path / "data")


def _money(x: int | Decimal) -> str:
    return f"{Decimal(x):.2f}"


def asset(number: str, begin: int, end: int, *, code: str = "", charge_off: int = 0, days: int = 0,
          sched: int | None = None, credit_score: int = 700) -> dict[str, Any]:
    """One asset's figures for a period (whole dollars, written with cents)."""
    sched = max(0, begin - end) if sched is None and not code else (sched or 0)
    actual = begin - end - charge_off if code else begin - end
    return {"number": number, "begin": begin, "end": end, "code": code, "charge_off": charge_off, "days": days,
            "sched": sched, "actual": actual, "credit_score": credit_score}


def abs_ee(acc: str, period_of_report: str, period_end: date, assets: list[dict[str, Any]], tmp: Path,
           asset_class: str = "autoloan", form: str = "ABS-EE", filed: str | None = None,
           cik: int = CIK) -> dict[str, Any]:
    """An ABS-EE's staged record, through the pipeline's parse step for asset data."""
    el = CLASSES[asset_class].canonical
    begin = date(period_end.year, period_end.month, 1)
    values = []
    for a in assets:
        canonical = {
            "asset_number": a["number"], "period_begin": f"{begin:%m-%d-%Y}", "period_end": f"{period_end:%m-%d-%Y}",
            "begin_balance": _money(a["begin"]), "end_balance": _money(a["end"]), "zero_balance_code": a["code"],
            "charge_off": _money(a["charge_off"]), "recovery": _money(0), "days_past_due": str(a["days"]),
            "delinquency_status": str(min(a["days"] // 30, 3)), "scheduled_principal": _money(a["sched"]),
            "actual_principal": _money(a["actual"]), "unscheduled_principal": _money(0),
            "credit_score": str(a["credit_score"]), "original_balance": _money(a["begin"] + 1000),
            "original_term": "60", "zero_balance_date": f"{period_end:%m-%d-%Y}" if a["code"] else ""}
        v = {el[k]: text for k, text in canonical.items() if k in el}
        v["vehicleValueAmount"] = _money(a["begin"] + 1000)
        values.append(v)
    docs = [Document(*d) for d in asset_data_documents(asset_class, "AAMES MORTGAGE TRUST 2003-1",
                                                       list(range(len(assets))), values, seed=1,
                                                       period_end=period_end)]
    filer = Filer(cik, "AAMES MORTGAGE TRUST 2003-1", "6189", "ASSET-BACKED SECURITIES", "DE", "", "333-106925-11",
                  "1 Example Way", "New York", "NY", "10019", "(212) 555-0100")
    filed = filed or period_of_report
    filing = Filing(acc, form, filer, date.fromisoformat(filed), "20040105120000",
                    date.fromisoformat(period_of_report), docs, "04000001")
    raw = envelope(filing).encode()
    sha = hashlib.sha256(raw).hexdigest()
    sub = parse_submission(raw)
    header = {"accession": acc, "cik": cik, "form_type": form, "period_of_report": period_of_report,
              "filed_date": filed, "company_name": "AAMES MORTGAGE TRUST 2003-1", "sic": 6189,
              "file_number": "333-106925-11", "document_count": len(docs), "documents_json": "[]"}
    parsed = parse_asset_filing(sub, header, path=str(tmp / f"{acc}.txt"), out_dir=tmp / "assets",  # type: ignore[arg-type]
                                sha256=sha)
    assert parsed["error"] is None, parsed["error"]
    return {"fetch": {"accession": acc, "cik": cik, "form_type": form, "company": "AAMES MORTGAGE TRUST 2003-1",
                      "date_filed": filed, "url": f"http://127.0.0.1/Archives/edgar/data/{cik}/{acc}.txt",
                      "path": str(tmp / f"{acc}.txt"), "sha256": sha, "size": len(raw), "status": "fetched"},
            "header": header, "parsed": parsed}


def dec_assets(total: int = DEC_TOTAL) -> list[dict[str, Any]]:
    """Five auto loans ending December 2003 at the seed's pool balance; one paid off in the period."""
    return [asset("A1", 150_000_000, 149_000_000),
            asset("A2", 120_000_000, 119_500_000, days=35),
            asset("A3", 110_000_000, 109_900_000, credit_score=590),
            asset("A4", total - 149_000_000 - 119_500_000 - 109_900_000 + 1_000,
                  total - 149_000_000 - 119_500_000 - 109_900_000),
            asset("A5", 2_000_000, 0, code="1", sched=10_000)]


def jan_assets(dec: list[dict[str, Any]], total: int) -> list[dict[str, Any]]:
    """January: A2 rolls to 60 days, A3 is charged off, A4 takes the rest of the pool balance."""
    by = {a["number"]: a["end"] for a in dec}
    a1, a2 = by["A1"] - 1_000_000, by["A2"] - 400_000
    return [asset("A1", by["A1"], a1), asset("A2", by["A2"], a2, days=65),
            asset("A3", by["A3"], 0, code="4", charge_off=by["A3"] // 2, sched=0),
            asset("A4", by["A4"], total - a1 - a2)]


def records(tmp: Path, dec_change: int = 0) -> list[dict[str, Any]]:
    """Both months of 10-D and ABS-EE, the December asset data off the pool by ``dec_change`` dollars."""
    dec, jan = seed_parsed(), roll_forward(seed_parsed(), JAN_ACC, "2004-01-26")
    jan_total = next(p["ending_balance"] for p in jan["pools"] if p["pool"] == "Total")
    d_assets = dec_assets()
    j_assets = jan_assets(d_assets, jan_total)
    if dec_change:
        d_assets[0] = {**d_assets[0], "end": d_assets[0]["end"] + dec_change}
    return [staged_record(dec, "8-K", "2004-01-05", tmp),
            abs_ee(DEC_EE, "2003-12-26", date(2003, 11, 30), d_assets, tmp, filed="2004-01-05"),
            staged_record(jan, "8-K", "2004-02-02", tmp),
            abs_ee(JAN_EE, "2004-01-26", date(2003, 12, 31), j_assets, tmp, filed="2004-02-02")]


def checks(con: duckdb.DuckDBPyConnection, acc: str) -> dict[str, tuple[str, str]]:
    return {r[0]: (r[1], r[2]) for r in con.execute(
        "SELECT check_name, status, detail FROM dq_check_result WHERE accession = ? AND check_name LIKE 'asset%'",
        [acc]).fetchall()}


def test_staged_asset_tables_have_the_readers_columns() -> None:
    con = duckdb.connect()
    schema.apply(con, ("macros", "raw", "staging"))
    arrow = [f.name for f in ASSET_SCHEMA if f.name != "asset_class"]
    for table in ASSET_TABLES.values():
        assert schema.table_columns(con, table) == ["accession", *arrow], table


def test_asset_data_loads_checks_against_the_10d_and_fills_the_marts(wh_settings, tmp_path) -> None:
    out = load(wh_settings, records(tmp_path), "run1")
    assert out["validate"]["fail"] == 0, out["validate"]
    con = db.reader(wh_settings)
    dec = checks(con, DEC_EE)
    assert dec["asset_pool_balance"][0] == "pass"
    assert "499,707,209 against the pool ending balance 499,707,209 of " + DEC_ACC in dec["asset_pool_balance"][1]
    assert dec["asset_continuity"][0] == "not_applicable"  # the deal's first asset data
    assert {k: v[0] for k, v in checks(con, JAN_EE).items()} == {
        "asset_pool_balance": "pass", "asset_continuity": "pass", "asset_unique": "pass", "asset_zero_balance": "pass"}
    assert con.execute("SELECT status FROM etl_status WHERE accession = ?", [JAN_EE]).fetchone() == ("loaded",)
    # raw EX-103 kept, one staged row per asset
    assert con.execute("SELECT document_type, text LIKE 'ASSET RELATED DOCUMENT%' FROM stg_asset_exhibit "
                       "WHERE accession = ?", [DEC_EE]).fetchall() == [("EX-103", True)]
    assert con.execute("SELECT count(*) FROM stg_asset_autoloan").fetchone() == (9,)
    assert con.execute("SELECT form_type, report_kind, report_document, dq_status FROM dim_filing "
                       "WHERE accession = ?", [JAN_EE]).fetchone() == ("ABS-EE", "asset_data", "exh102-20031231.xml",
                                                                       "pass")
    for table, key in KEYS.items():
        cols = ", ".join(key)
        n, distinct = con.execute(f"SELECT count(*), count(DISTINCT ({cols})) FROM {table}").fetchone()
        assert n == distinct > 0, f"{table}: key ({cols}) not unique"
    fct = {(str(r[0]), r[1]): r[2:] for r in con.execute(
        "SELECT period_end, asset_number, dq_bucket, end_balance, prepayment, defaulted_balance, report_accession "
        "FROM fct_asset_period").fetchall()}
    assert fct[("2003-11-30", "A5")][:3] == ("paid_off", 0, 2_000_000 - 10_000)
    assert fct[("2003-12-31", "A3")][0] == "charged_off" and fct[("2003-12-31", "A3")][3] == 109_900_000
    assert fct[("2003-12-31", "A2")][0] == "60-89" and fct[("2003-12-31", "A1")][4] == JAN_ACC
    smm = con.execute("SELECT smm, cpr, mdr, cdr, loss_severity FROM mart_asset_prepayment "
                      "ORDER BY period_end").fetchall()
    dec_base = DEC_TOTAL + 1_000 + 1_000_000 + 500_000 + 100_000 + 2_000_000 - (1_000_000 + 500_000 + 100_000 + 1_000)
    dec_base -= 10_000  # beginning less scheduled principal (A5's scheduled 10,000)
    assert smm[0][0] == pytest.approx((2_000_000 - 10_000) / dec_base)
    assert smm[0][1] == pytest.approx(1 - (1 - smm[0][0]) ** 12)
    assert smm[1][2] > 0 and smm[1][4] == pytest.approx(0.5, abs=1e-8)
    rolls = {(r[0], r[1]): r[2:] for r in con.execute(
        "SELECT from_bucket, to_bucket, asset_count, roll_rate FROM mart_asset_roll_rates").fetchall()}
    assert rolls[("30-59", "60-89")] == (1, 1.0)
    assert rolls[("current", "charged_off")] == (1, pytest.approx(1 / 3))
    strat = con.execute("SELECT stratum, round(sum(balance_share), 9) FROM mart_asset_stratification "
                        "GROUP BY ALL ORDER BY 1").fetchall()
    assert strat == [("credit_score", 2), ("ltv", 2), ("original_term", 2), ("state", 2)]  # 2 periods, 1 each
    bands = con.execute("SELECT band, asset_count FROM mart_asset_stratification WHERE stratum = 'credit_score' "
                        "AND period_end = DATE '2003-11-30' ORDER BY band_order").fetchall()
    assert bands == [("580-619", 1), ("700-739", 3)]  # A5 ended at 0: not outstanding
    con.close()


def test_an_injected_balance_change_quarantines_the_abs_ee_with_its_reason(wh_settings, tmp_path) -> None:
    out = load(wh_settings, records(tmp_path, dec_change=100), "run1")
    assert out["validate"]["quarantined"] == [DEC_EE, JAN_EE]
    con = db.reader(wh_settings)
    reason = con.execute("SELECT reasons FROM dq_filing_status WHERE accession = ?", [DEC_EE]).fetchone()[0]
    assert reason.startswith("asset_pool_balance [fail] 5 assets end at 499,707,309 against the pool ending "
                             "balance 499,707,209"), reason
    status = con.execute("SELECT stage, status, reason FROM etl_status WHERE accession = ?", [DEC_EE]).fetchone()
    assert status[:2] == ("validate", "quarantined") and "asset_pool_balance" in status[2]
    # January's A1 begins where it truly ended, not where the altered December says: continuity fails there
    jan = checks(con, JAN_EE)
    assert jan["asset_continuity"][0] == "fail" and "asset A1 begins at 149,000,000, ended at 149,000,100" in \
        jan["asset_continuity"][1]
    assert jan["asset_pool_balance"][0] == "pass"
    # the 10-Ds load; the quarantined asset data stays out of the facts
    assert con.execute("SELECT count(*) FROM dq_filing_status WHERE status = 'fail'").fetchone() == (2,)
    assert con.execute("SELECT count(*) FROM fct_pool_period WHERE is_total").fetchone() == (2,)
    assert con.execute("SELECT count(*) FROM fct_asset_period").fetchone() == (0,)
    con.close()
    # an operator's release lets the asset data into the facts, the failed check kept on record
    rel = pipeline.release(wh_settings, [DEC_EE], "servicer confirmed the balance", "analyst", "rel-1")
    assert rel["released"] == [DEC_EE] and rel["unknown"] == []
    con = db.reader(wh_settings)
    assert con.execute("SELECT DISTINCT period_end, dq_warning FROM fct_asset_period").fetchall() == [
        (date(2003, 11, 30), True)]
    assert checks(con, DEC_EE)["asset_pool_balance"][0] == "fail"
    con.close()


def test_repeated_asset_numbers_and_codes_without_zero_balance_fail(wh_settings, tmp_path) -> None:
    rows = dec_assets()
    rows[1] = {**rows[1], "number": "A1"}  # A2 filed as A1 again
    rows[2] = {**rows[2], "code": "1"}  # a zero-balance code on a balance of 109,900,000
    out = load(wh_settings, [staged_record(seed_parsed(), "8-K", "2004-01-05", tmp_path),
                             abs_ee(DEC_EE, "2003-12-26", date(2003, 11, 30), rows, tmp_path)], "run1")
    assert out["validate"]["quarantined"] == [DEC_EE]
    con = db.reader(wh_settings)
    got = checks(con, DEC_EE)
    assert got["asset_unique"] == ("fail", "1 asset numbers filed more than once in a period: asset A1 x2")
    assert got["asset_zero_balance"][0] == "fail"
    assert "asset A3 has zero-balance code 1 but ends at 109,900,000" in got["asset_zero_balance"][1]
    assert got["asset_pool_balance"][0] == "pass"
    con.close()


def test_a_10d_staged_after_its_abs_ee_revalidates_it(wh_settings, tmp_path) -> None:
    first = load(wh_settings, [abs_ee(DEC_EE, "2003-12-26", date(2003, 11, 30), dec_assets(DEC_TOTAL + 7),
                                      tmp_path)], "run1")
    assert first["validate"]["fail"] == 0
    con = db.reader(wh_settings)
    assert checks(con, DEC_EE)["asset_pool_balance"][0] == "not_applicable"
    con.close()
    second = load(wh_settings, [staged_record(seed_parsed(), "8-K", "2004-01-05", tmp_path)], "run2")
    assert second["validate"]["quarantined"] == [DEC_EE]  # the 10-D's run re-checked the ABS-EE
    con = db.reader(wh_settings)
    status, detail = checks(con, DEC_EE)["asset_pool_balance"]
    assert status == "fail" and "499,707,216 against the pool ending balance 499,707,209" in detail
    con.close()


def test_an_abs_ee_without_ex102_is_recorded_with_its_reason(tmp_path) -> None:
    filer = Filer(CIK, "AAMES MORTGAGE TRUST 2003-1", "6189", "ASSET-BACKED SECURITIES", "DE", "", "333-1",
                  "1 Example Way", "New York", "NY", "10019", "(212) 555-0100")
    filing = Filing(DEC_EE, "ABS-EE", filer, date(2004, 1, 5), "20040105120000", date(2003, 12, 26),
                    [Document("ABS-EE", "absee.htm", "FORM ABS-EE", "cover")], "04000001")
    header = {"accession": DEC_EE, "cik": CIK, "form_type": "ABS-EE", "period_of_report": "2003-12-26",
              "filed_date": "2004-01-05", "company_name": "X"}
    parsed = parse_asset_filing(parse_submission(envelope(filing).encode()), header,  # type: ignore[arg-type]
                                path="x", out_dir=tmp_path)
    assert parsed["error"] == "ABS-EE without an EX-102 asset data exhibit"
    assert not list(tmp_path.glob("*.parquet"))


def test_cmbs_properties_are_staged_with_their_loans(tmp_path) -> None:
    rec = abs_ee(DEC_EE, "2003-12-26", date(2003, 11, 30), dec_assets(), tmp_path, asset_class="cmbs")
    data = rec["parsed"]["asset_data"]
    assert data["asset_class"] == "cmbs" and data["properties"] == 1 + 2 + 3 + 1 + 2  # properties_of(i)
    assert pq.read_table(data["properties_parquet"]).num_rows == data["properties"]


def test_a_hostile_ex102_stages_nothing_and_says_why(tmp_path) -> None:
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE assetData [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
            '<assetData xmlns="http://www.sec.gov/edgar/document/absee/autoloan/assetdata"><assets>'
            '<assetNumber>&b;</assetNumber></assets></assetData>\n')
    filer = Filer(CIK, "AAMES MORTGAGE TRUST 2003-1", "6189", "ASSET-BACKED SECURITIES", "DE", "", "333-1",
                  "1 Example Way", "New York", "NY", "10019", "(212) 555-0100")
    filing = Filing(DEC_EE, "ABS-EE", filer, date(2004, 1, 5), "20040105120000", date(2003, 12, 26),
                    [Document("ABS-EE", "absee.htm", "FORM ABS-EE", "cover"),
                     Document("EX-102", "ex102.xml", "ASSET DATA FILE", f"<XML>\n{bomb}</XML>")], "04000001")
    header = {"accession": DEC_EE, "cik": CIK, "form_type": "ABS-EE", "period_of_report": "2003-12-26",
              "filed_date": "2004-01-05", "company_name": "X"}
    parsed = parse_asset_filing(parse_submission(envelope(filing).encode()), header,  # type: ignore[arg-type]
                                path="x", out_dir=tmp_path)
    assert parsed["error"] is not None and "DOCTYPE" in parsed["error"], parsed["error"]
    assert "asset_data" not in parsed and not list(tmp_path.glob("*.parquet"))


def test_every_asset_check_passes_and_fails_and_is_not_applicable_where_it_can_be(wh_settings, tmp_path) -> None:
    recs = records(tmp_path)
    jan = roll_forward(seed_parsed(), JAN_ACC, "2004-01-26")
    jan_total = next(p["ending_balance"] for p in jan["pools"] if p["pool"] == "Total")
    bad = jan_assets(dec_assets(), jan_total)
    bad[0] = {**bad[0], "end": bad[0]["end"] + 1}  # off the pool by 1
    bad[1] = {**bad[1], "number": "A1"}  # A2 as A1: twice, and not beginning where A1 ended
    bad[3] = {**bad[3], "code": "1"}  # a code on a balance
    recs[3] = abs_ee(JAN_EE, "2004-01-26", date(2003, 12, 31), bad, tmp_path, filed="2004-02-02")
    # another deal's debt securities, no 10-D: pool balance, continuity and zero balance not applicable
    recs.append(abs_ee("0000000009-04-000001", "2004-01-26", date(2003, 12, 31), dec_assets(), tmp_path,
                       asset_class="debtsec", cik=9))
    load(wh_settings, recs, "run1")
    con = db.reader(wh_settings)
    seen: dict[str, set[str]] = {}
    for name, status in con.execute("SELECT check_name, status FROM dq_check_result "
                                    "WHERE check_name LIKE 'asset%'").fetchall():
        seen.setdefault(name, set()).add(status)
    con.close()
    assert seen == {"asset_pool_balance": {"pass", "fail", "not_applicable"},
                    "asset_continuity": {"fail", "not_applicable"},
                    "asset_unique": {"pass", "fail"},  # an ABS-EE without records is not staged
                    "asset_zero_balance": {"pass", "fail", "not_applicable"}}
