"""ABS-EE asset data end to end: a synthetic deal's 10-Ds and ABS-EEs (``edgar-etl synth --asset-data``)
served by the local EDGAR mirror, backfilled in-process through ``etl.pipeline`` as the CLI runs it.

* discovery picks the ABS-EEs up beside the 10-Ds, each paired with the 10-D of its period;
* the backfill loads both; every asset check passes on the truth, and the warehouse's asset figures are
  the ground truth's (balances to the cent, asset counts, payoffs and charge-offs);
* the same corpus with one asset's ending balance changed in one ABS-EE: that filing is quarantined with
  the cross-check's reason, the next month's with the continuity check's, everything else loads.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from devtools.mirror.server import serve_mirror
from devtools.synth import generate
from etl import pipeline
from etl.config import Settings
from etl.edgar import discovery
from etl.edgar.client import EdgarClient
from etl.warehouse import db

pytestmark = pytest.mark.integration

UA = "ETL Asset Tests asset-tests@example.org"
SEED, MONTHS, ASSETS = 17, 8, 150
INJECTED = Decimal("100.00")


def _truth(mirror: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (mirror / "ground_truth.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One RMBS deal (deal 0) distributing from 2017: 10-Ds, their ABS-EEs, a 10-K."""
    out = tmp_path_factory.mktemp("asset-mirror")
    generate(out, deals=1, months=MONTHS, seed=SEED, start=date(2017, 1, 1), asset_data=ASSETS)
    return out


@pytest.fixture(scope="module")
def injected(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The corpus with the first asset of the fourth ABS-EE ending 100.00 higher; returns the mirror,
    that filing's accession and the next month's."""
    out = tmp_path_factory.mktemp("asset-mirror-injected") / "mirror"
    shutil.copytree(corpus, out)
    ee = [r for r in _truth(out) if r["kind"] == "asset_data"]
    target = out / ee[3]["path"]
    text = target.read_text(encoding="utf-8")
    tag = "reportingPeriodActualEndBalanceAmount"
    m = re.search(rf"<{tag}>([0-9.]+)</{tag}>", text)
    assert m is not None
    changed = f"<{tag}>{Decimal(m.group(1)) + INJECTED}</{tag}>"
    target.write_text(text[:m.start()] + changed + text[m.end():], encoding="utf-8")
    return out, ee[3]["accession"], ee[4]["accession"]


def _settings(url: str, data: Path) -> Settings:
    return Settings(base_url=url, data_url=url, data_dir=data, user_agent=UA, uncapped=True, timeout=10.0,
                    max_retries=2, backoff_base=0.05, backoff_max=0.5).validated()


def _backfill(root: Path, data: Path) -> tuple[dict[str, Any], Settings, list[dict[str, Any]]]:
    manifest = json.loads((root / "manifest.json").read_text())
    with serve_mirror(root) as m:
        settings = _settings(m.url, data)
        entries = pipeline.discover(settings, ciks=[d["cik"] for d in manifest["deal_list"]])
        with EdgarClient(settings) as client:
            pairs = discovery.pair_asset_data(discovery.discover_ciks(client, [manifest["deal_list"][0]["cik"]]))
        out = pipeline.run(settings, entries, "asset-backfill", batch_size=10)
    out["pairs"] = pairs
    return out, settings, [dict(e) for e in entries]


def test_backfill_loads_10ds_and_abs_ees_and_the_cross_check_passes_on_the_truth(corpus, tmp_path) -> None:
    truth = _truth(corpus)
    ee = {r["accession"]: r for r in truth if r["kind"] == "asset_data"}
    reports = {r["accession"]: r for r in truth if r["kind"] == "distribution_report"}
    assert len(ee) == MONTHS and all(r["form"] == "ABS-EE" for r in ee.values())
    out, settings, entries = _backfill(corpus, tmp_path / "data")
    # discovery: the ABS-EEs beside the 10-Ds, each paired with the 10-D of its period
    assert {e["accession"] for e in entries if e["form_type"] == "ABS-EE"} == set(ee)
    assert out["pairs"] == {acc: r["report_accession"] for acc, r in ee.items()}
    clean_reports = {a for a, r in reports.items() if not r["errors"]}
    assert out["validate"]["quarantined"] == sorted(set(reports) - clean_reports)
    con = db.reader(settings)
    try:
        status = dict(con.execute("SELECT accession, status FROM etl_status").fetchall())
        assert {a: status[a] for a in ee} == {a: "loaded" for a in ee}
        results = con.execute("SELECT check_name, status, count(*) FROM dq_check_result "
                              "WHERE check_name LIKE 'asset%' GROUP BY ALL ORDER BY ALL").fetchall()
        assert results == [("asset_continuity", "not_applicable", 1), ("asset_continuity", "pass", MONTHS - 1),
                           ("asset_pool_balance", "pass", MONTHS), ("asset_unique", "pass", MONTHS),
                           ("asset_zero_balance", "pass", MONTHS)]
        got = {r[0]: r[1:] for r in con.execute(
            "SELECT x.accession, x.asset_count, x.asset_ending_balance, x.pool_ending_balance, x.report_accession, "
            "p.paid_off_count, p.charged_off_count FROM dq_asset_context AS x "
            "JOIN mart_asset_prepayment AS p USING (accession)").fetchall()}
        assert set(got) == set(ee)
        for acc, r in ee.items():
            cents = Decimal(r["ending_balance_cents"]) / 100
            assert got[acc] == (r["asset_count"], cents, cents, r["report_accession"], r["paid_off"],
                                r["charged_off"]), acc
        n = con.execute("SELECT count(*), count(DISTINCT (deal_key, asset_number, period_end)) "
                        "FROM fct_asset_period").fetchone()
        assert n[0] == n[1] == sum(r["asset_count"] for r in ee.values())
        assert con.execute("SELECT count(DISTINCT period_end) FROM mart_asset_prepayment").fetchone() == (MONTHS,)
    finally:
        con.close()


def test_an_injected_balance_change_is_quarantined_with_its_reason(injected, tmp_path) -> None:
    root, bad, following = injected
    truth = _truth(root)
    ee = [r["accession"] for r in truth if r["kind"] == "asset_data"]
    reports = {r["accession"] for r in truth if r["kind"] == "distribution_report" and r["errors"]}
    out, settings, _ = _backfill(root, tmp_path / "data")
    assert out["validate"]["quarantined"] == sorted({bad, following} | reports)
    con = db.reader(settings)
    try:
        reasons = dict(con.execute("SELECT accession, reasons FROM dq_filing_status WHERE status = 'fail'").fetchall())
        assert reasons[bad].startswith("asset_pool_balance [fail] "), reasons[bad]
        assert "against the pool ending balance" in reasons[bad]
        assert reasons[following].startswith("asset_continuity [fail] 1 of "), reasons[following]
        status = dict(con.execute("SELECT accession, status FROM etl_status").fetchall())
        assert [status[a] for a in ee] == ["loaded"] * 3 + ["quarantined"] * 2 + ["loaded"] * (MONTHS - 5)
        residual = con.execute("SELECT residual FROM dq_check_result WHERE accession = ? "
                               "AND check_name = 'asset_pool_balance'", [bad]).fetchone()[0]
        assert residual == pytest.approx(float(INJECTED))
        # the quarantined months are not in the facts; the others are
        months = con.execute("SELECT count(DISTINCT period_end) FROM fct_asset_period").fetchone()[0]
        assert months == MONTHS - 2
    finally:
        con.close()
