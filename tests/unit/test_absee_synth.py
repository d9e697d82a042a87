"""``edgar-etl synth --asset-data N``: ABS-EE filings whose ground truth matches the 10-D of the same deal and
period, read back through the product's reader (no warehouse here)."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from devtools.synth import generate
from devtools.synth.absee import DEAL_ASSET_CLASSES, _allocate
from etl.absee import AssetDataReader, read_assets
from etl.edgar.sgml import read_submission

pytestmark = pytest.mark.unit


def _truth(root: Path) -> list[dict]:
    return [json.loads(line) for line in (root / "ground_truth.jsonl").read_text().splitlines()]


def test_allocate_splits_exactly() -> None:
    assert _allocate(100, [1.0, 1.0, 1.0]) == [34, 33, 33]
    assert sum(_allocate(10**12 + 7, [0.3, 1.7, 0.9, 1.1])) == 10**12 + 7


def test_abs_ee_ground_truth_matches_the_10d_pool_balance(tmp_path: Path) -> None:
    summary = generate(tmp_path, deals=5, months=4, seed=3, start=date(2017, 1, 1), asset_data=40)
    truth = _truth(tmp_path)
    reports = {r["accession"]: r for r in truth if r["kind"] == "distribution_report"}
    ee = [r for r in truth if r["kind"] == "asset_data"]
    assert summary.asset_data_filings == len(ee) == 20
    assert {r["asset_class"] for r in ee} == set(DEAL_ASSET_CLASSES)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["asset_data"] == 40 and manifest["asset_data_filings"] == 20
    for r in ee:
        rep = reports[r["report_accession"]]
        assert (rep["cik"], rep["period_of_report"], rep["filed_date"]) == (r["cik"], r["period_of_report"],
                                                                            r["filed_date"])
        total = next(p for p in rep["pools"] if p["pool"] == "Total")
        assert Decimal(str(total["ending_balance"])) == Decimal(r["ending_balance_cents"]) / 100
        sub = read_submission(tmp_path / r["path"])
        assert [d.type for d in sub.documents] == ["ABS-EE", "EX-102", "EX-103"]
        with _stream(sub.documents[1].text) as reader:
            assets = list(reader)
        assert reader.asset_class == r["asset_class"] and len(assets) == r["asset_count"]
        assert sum(a.end_balance for a in assets) == Decimal(r["ending_balance_cents"]) / 100
        assert sum(a.begin_balance for a in assets) == Decimal(r["beginning_balance_cents"]) / 100
        assert not [a.problems for a in assets if a.problems]


def _stream(text: str) -> AssetDataReader:
    return read_assets(io.BytesIO(text.encode()))


def test_assets_roll_from_month_to_month_and_leave_with_a_code(tmp_path: Path) -> None:
    generate(tmp_path, deals=1, months=6, seed=5, start=date(2017, 1, 1), asset_data=300)
    ee = [r for r in _truth(tmp_path) if r["kind"] == "asset_data"]
    previous: dict[str, Decimal] = {}
    left = 0
    for r in ee:
        with _stream(read_submission(tmp_path / r["path"]).documents[1].text) as reader:
            assets = list(reader)
        for a in assets:
            assert a.asset_number is not None and a.end_balance is not None
            if a.asset_number in previous:
                assert a.begin_balance == previous[a.asset_number]
            assert (a.zero_balance_code is not None) == (a.end_balance == 0)
        left += sum(1 for a in assets if a.zero_balance_code)
        assert len(assets) == len({a.asset_number for a in assets})
        assert set(previous) - {a.asset_number for a in assets} <= {n for n, b in previous.items() if b == 0}
        previous = {a.asset_number: a.end_balance for a in assets}  # type: ignore[misc]
    assert left == sum(r["paid_off"] + r["charged_off"] for r in ee) > 0


def test_a_corpus_without_asset_data_is_unchanged(tmp_path: Path) -> None:
    generate(tmp_path / "a", deals=2, months=3, seed=9, start=date(2017, 1, 1))
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert "asset_data" not in manifest and "ABS-EE" not in manifest["by_form"]
    generate(tmp_path / "b", deals=2, months=3, seed=9, start=date(2017, 1, 1), asset_data=0)
    assert (tmp_path / "a" / "ground_truth.jsonl").read_bytes() == (tmp_path / "b" / "ground_truth.jsonl").read_bytes()
