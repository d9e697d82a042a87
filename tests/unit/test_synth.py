"""The synthetic EDGAR corpus: layout of the mirror, determinism, and the identities its figures obey."""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from devtools.synth import cusip_check_digit, generate, is_valid_cusip, plan_corpus
from devtools.synth.commands import register
from devtools.synth.schedule import distribution_date, is_business_day

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REAL_DAILY = FIXTURES / "edgar_formats" / "form.20200318.idx"
REAL_SUBMISSION = FIXTURES / "edgar_formats" / "company_submission.json"
SEED_8K = FIXTURES / "seeds" / "aames031dec03.txt"

# deals x months chosen so the corpus crosses 2006 (8-K -> 10-D) and has deals with > 40 filings
ARGS = {"deals": 9, "months": 40, "seed": 20240601, "inject_errors": 0.2}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "mirror"
    generate(out, **ARGS)
    return out


@pytest.fixture(scope="module")
def truth(corpus: Path) -> list[dict[str, Any]]:
    with (corpus / "ground_truth.jsonl").open() as fh:
        return [json.loads(line) for line in fh]


def _tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _parse_form_idx(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header lines and rows of a form.idx, cut at the columns of the real EDGAR file."""
    lines = path.read_text(encoding="latin-1").split("\n")
    dash = next(i for i, line in enumerate(lines) if set(line) == {"-"})
    rows = []
    for line in lines[dash + 1:]:
        if not line.strip():
            continue
        rows.append({"form": line[0:12].strip(), "company": line[12:74].strip(), "cik": line[74:86].strip(),
                     "date": line[86:98].strip(), "path": line[98:].strip()})
    return lines[: dash + 1], rows


def _originals_by_deal(truth: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    by_deal: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in truth:
        if r["kind"] == "distribution_report" and not r.get("amends"):
            by_deal[r["cik"]].append(r)
    for reports in by_deal.values():
        reports.sort(key=lambda r: r["period_index"])
    return by_deal


def _unit(r: dict[str, Any]) -> float:
    return 1.0 if r["amount_decimals"] == 0 else 0.01


# -- determinism ------------------------------------------------------------------------


def test_same_seed_same_bytes(corpus: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(again, **ARGS)
    assert _tree_digest(again) == _tree_digest(corpus)


def test_other_seed_other_corpus(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    generate(a, deals=2, months=3, seed=1)
    generate(b, deals=2, months=3, seed=2)
    assert (a / "ground_truth.jsonl").read_bytes() != (b / "ground_truth.jsonl").read_bytes()


def test_max_filings_cuts_a_prefix(corpus: Path, tmp_path: Path) -> None:
    capped = tmp_path / "capped"
    summary = generate(capped, **ARGS, max_filings=60)
    assert summary.filings == 60 and summary.capped
    manifest = json.loads((capped / "manifest.json").read_text())
    assert manifest["filings"] == 60 and sum(manifest["by_form"].values()) == 60
    full = (corpus / "ground_truth.jsonl").read_text().splitlines()
    cut = (capped / "ground_truth.jsonl").read_text().splitlines()
    assert len(cut) == 60
    assert cut[:55] == full[:55]  # the tail may differ only where an amendment no longer fits
    for line in cut:
        assert (capped / json.loads(line)["path"]).is_file()


def test_refuses_a_foreign_directory(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a corpus")
    with pytest.raises(FileExistsError):
        generate(tmp_path, deals=1, months=1, seed=1)


# -- the mirror tree ----------------------------------------------------------------------


def test_manifest_counts(corpus: Path, truth: list[dict[str, Any]]) -> None:
    manifest = json.loads((corpus / "manifest.json").read_text())
    assert manifest["seed"] == ARGS["seed"] and manifest["deals"] == 9 and manifest["months"] == 40
    assert manifest["filings"] == len(truth)
    by_form: dict[str, int] = defaultdict(int)
    for r in truth:
        by_form[r["form"]] += 1
    assert manifest["by_form"] == dict(by_form)
    assert manifest["distribution_reports"] == 9 * 40
    assert {"8-K", "10-D", "10-K", "4"} <= set(by_form)
    assert by_form["8-K/A"] + by_form["10-D/A"] == manifest["amendments"] > 0
    assert manifest["layouts"] == {"seed": 3, "ctslink": 3, "html": 3}
    assert len(manifest["deal_list"]) == 9 and all(d["cik"] >= 9_000_000 for d in manifest["deal_list"])


def test_forms_follow_regulation_ab(truth: list[dict[str, Any]]) -> None:
    for r in truth:
        if r["kind"] == "distribution_report":
            dist = date.fromisoformat(r["distribution_date"])
            assert r["form"].rstrip("/A") == ("10-D" if dist >= date(2006, 1, 1) else "8-K")
            assert date.fromisoformat(r["filed_date"]) > dist
            assert r["period_of_report"] == r["distribution_date"]


def test_every_filing_is_a_file_with_a_real_sgml_header(corpus: Path, truth: list[dict[str, Any]]) -> None:
    for r in truth:
        path = corpus / r["path"]
        assert path.parts[-4:-1] == ("edgar", "data", str(r["cik"]))
        assert path.name == f"{r['accession']}.txt"
        assert re.fullmatch(r"\d{10}-\d{2}-\d{6}", r["accession"])
    sample = [r for r in truth if r["kind"] == "distribution_report"][::37]
    for r in sample:
        text = (corpus / r["path"]).read_text()
        assert text.count("<SEC-DOCUMENT>") == 1 and text.rstrip().endswith(
            ("</SEC-DOCUMENT>", "-----END PRIVACY-ENHANCED MESSAGE-----"))
        header = text[text.index("<SEC-HEADER>"):text.index("</SEC-HEADER>")]
        fields = dict(re.findall(r"^\t*([A-Z][A-Z ]+):\t+(.*)$", header, flags=re.M))
        assert fields["ACCESSION NUMBER"] == r["accession"]
        assert fields["CONFORMED SUBMISSION TYPE"] == r["form"] == fields["FORM TYPE"]
        assert int(fields["PUBLIC DOCUMENT COUNT"]) == text.count("<DOCUMENT>")
        assert fields["CONFORMED PERIOD OF REPORT"] == r["distribution_date"].replace("-", "")
        assert fields["FILED AS OF DATE"] == r["filed_date"].replace("-", "")
        assert fields["COMPANY CONFORMED NAME"] == r["deal_name"]
        assert fields["CENTRAL INDEX KEY"] == f"{r['cik']:010d}"
        assert fields["STANDARD INDUSTRIAL CLASSIFICATION"] == "ASSET-BACKED SECURITIES [6189]"
        assert re.fullmatch(r"333-\d{6}-\d{2}", fields["SEC FILE NUMBER"])
        assert f"<FILENAME>{r['document']}" in text
        for tag in ("<TYPE>", "<SEQUENCE>", "<DESCRIPTION>", "<TEXT>", "</TEXT>", "</DOCUMENT>"):
            assert tag in text


def test_daily_and_full_index_files(corpus: Path, truth: list[dict[str, Any]]) -> None:
    real_header, real_rows = _parse_form_idx(REAL_DAILY)
    assert real_rows[0]["cik"] == "1806014"  # the helper cuts the real file correctly
    daily: dict[str, set[tuple[str, str, str]]] = {}
    for path in sorted((corpus / "Archives/edgar/daily-index").rglob("form.*.idx")):
        header, rows = _parse_form_idx(path)
        assert [h for h in header if not h.startswith("Last Data")] == \
            [h for h in real_header if not h.startswith("Last Data")]
        day = path.name.split(".")[1]
        q = (int(day[4:6]) - 1) // 3 + 1
        assert path.parent.name == f"QTR{q}" and path.parent.parent.name == day[:4]
        for line in path.read_text(encoding="latin-1").split("\n")[10:]:
            if line:
                assert len(line) == 150 and line[86:98].strip() == day
        assert [(r["form"], r["company"].upper()) for r in rows] == \
            sorted((r["form"], r["company"].upper()) for r in rows)
        daily[day] = {(r["form"], r["cik"], r["path"]) for r in rows}
    full: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for path in sorted((corpus / "Archives/edgar/full-index").rglob("form.idx")):
        header, rows = _parse_form_idx(path)
        assert header[0] == "Description:           Master Index of EDGAR Dissemination Feed by Form Type"
        for r in rows:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["date"])
            full[r["date"]].add((r["form"], r["cik"], r["path"]))
    for r in truth:
        key = (r["form"], str(r["cik"]), r["path"].removeprefix("Archives/"))
        assert key in daily[r["filed_date"].replace("-", "")]
        assert key in full[r["filed_date"]]
    noise = [r for r in truth if r["kind"] == "noise"]
    assert {r["form"] for r in noise} == {"4", "8-K"}
    assert all(r["sic"] != "6189" for r in noise)
    assert sum(len(v) for v in daily.values()) == sum(len(v) for v in full.values())


def test_submissions_json_and_pages(corpus: Path, truth: list[dict[str, Any]]) -> None:
    real = json.loads(REAL_SUBMISSION.read_text())
    by_cik: dict[int, set[str]] = defaultdict(set)
    for r in truth:
        by_cik[r["cik"]].add(r["accession"])
    paged = 0
    for cik, accessions in by_cik.items():
        doc = json.loads((corpus / f"submissions/CIK{cik:010d}.json").read_text())
        assert set(real) <= set(doc)
        recent = doc["filings"]["recent"]
        assert list(recent) == list(real["filings"]["recent"])
        seen = list(recent["accessionNumber"])
        dates = list(recent["filingDate"])
        for page in doc["filings"]["files"]:
            paged += 1
            cols = json.loads((corpus / "submissions" / page["name"]).read_text())
            assert list(cols) == list(recent) and len(cols["accessionNumber"]) == page["filingCount"]
            assert page["filingFrom"] == min(cols["filingDate"]) and page["filingTo"] == max(cols["filingDate"])
            seen += cols["accessionNumber"]
            dates += cols["filingDate"]
        assert set(seen) == accessions and len(seen) == len(accessions)
        assert dates == sorted(dates, reverse=True)  # newest first, like data.sec.gov
        if cik < 9_980_000:
            assert doc["sic"] == "6189" and doc["name"].startswith("SYNTHETIC ")
    assert paged > 0  # deals with more than 40 filings spill into -submissions-001.json pages


# -- identities of the figures ------------------------------------------------------------


def test_cusips_valid() -> None:
    assert cusip_check_digit("86359A6H") == "1" and is_valid_cusip("86359A6H1")
    assert cusip_check_digit("86359A6S") == "7" and not is_valid_cusip("86359A6S8")  # the seed's misprint
    assert is_valid_cusip("68389FAY0") and is_valid_cusip("037833100")


def test_all_printed_cusips_have_check_digits(truth: list[dict[str, Any]]) -> None:
    cusips = {c["cusip"] for r in truth if r["kind"] == "distribution_report" for c in r["classes"]}
    cusips.discard(None)
    assert len(cusips) > 100
    assert all(is_valid_cusip(c) for c in cusips)


def test_class_and_pool_roll_forwards(truth: list[dict[str, Any]]) -> None:
    for reports in _originals_by_deal(truth).values():
        prev = None
        for r in reports:
            eps = _unit(r) / 2
            classes = {c["class"]: c for c in r["classes"]}
            for c in r["classes"]:
                assert c["total_distribution"] == pytest.approx(c["interest"] + c["principal"], abs=eps)
                if c["class"] != "A-IO":
                    assert c["beginning_balance"] - c["principal"] - c["realized_loss"] == \
                        pytest.approx(c["ending_balance"], abs=eps)
                if prev and c["class"] != "A-IO":
                    assert c["beginning_balance"] == prev["classes"][c["class"]]["ending_balance"]
                    assert c["cumulative_realized_loss"] == pytest.approx(
                        prev["classes"][c["class"]]["cumulative_realized_loss"] + c["realized_loss"], abs=eps)
                if prev and c["pass_through_rate"] is not None and prev["classes"][c["class"]][
                        "next_pass_through_rate"] is not None and c["beginning_balance"]:
                    assert c["pass_through_rate"] == prev["classes"][c["class"]]["next_pass_through_rate"]
            pools = {p["pool"]: p for p in r["pools"]}
            for p in r["pools"]:
                assert p["beginning_balance"] - p["scheduled_principal"] - p["prepayments"] \
                    - p["liquidation_proceeds"] - p["current_realized_loss"] == pytest.approx(p["ending_balance"], abs=eps)
                assert p["principal_remittance"] == pytest.approx(
                    p["scheduled_principal"] + p["prepayments"] + p["liquidation_proceeds"], abs=eps)
                assert p["loan_count"] <= p["beginning_loan_count"]
                if prev:
                    assert p["beginning_balance"] == prev["pools"][p["pool"]]["ending_balance"]
                    assert p["beginning_loan_count"] == prev["pools"][p["pool"]]["loan_count"]
            singles = [p for p in r["pools"] if p["pool"] != "Total"]
            total = pools["Total"]
            for key in ("beginning_balance", "ending_balance", "principal_remittance", "current_realized_loss"):
                assert sum(p[key] for p in singles) == pytest.approx(total[key], abs=eps)
            # certificates are paid the pools' principal; X holds pool - certificates
            assert sum(c["principal"] for c in r["classes"]) == pytest.approx(total["principal_remittance"], abs=eps)
            certs = sum(c["ending_balance"] for c in r["classes"]
                        if c["class"] not in ("A-IO", "X", "P", "R"))
            assert total["ending_balance"] - certs == pytest.approx(classes["X"]["ending_balance"], abs=eps)
            assert r["deal"]["overcollateralization_amount"] == classes["X"]["ending_balance"]
            # losses: the classes' losses are the pools' losses
            assert sum(c["realized_loss"] for c in r["classes"]) == pytest.approx(total["current_realized_loss"],
                                                                                  abs=eps)
            prev = {"classes": classes, "pools": pools}


def test_interest_accrual_and_waterfall(truth: list[dict[str, Any]]) -> None:
    checked = 0
    for reports in _originals_by_deal(truth).values():
        for r in reports:
            eps = _unit(r) / 2 + 1e-6
            dist = date.fromisoformat(r["distribution_date"])
            start = date.fromisoformat(r["accrual_start"])
            assert r["accrual_days"] == (dist - start).days
            coupon = 0.0
            for c in r["classes"]:
                if c["interest_basis"] != "accrual":
                    continue
                days, basis = (c["accrual_days"], 360) if c["day_count"] == "actual/360" else (30, 360)
                expected = c["beginning_balance"] * c["pass_through_rate"] / 100 * days / basis
                assert c["interest"] == pytest.approx(expected, abs=eps), (r["accession"], c["class"])
                coupon += c["interest"]
                checked += 1
            classes = {c["class"]: c for c in r["classes"]}
            nia = r["pools"][-1]["net_interest_available"]
            caps = r["deal"]["cap_payment_basis_risk"] + r["deal"]["cap_payment_class_x"]
            assert nia + caps == pytest.approx(coupon + classes["X"]["interest"], abs=eps)
            assert classes["P"]["interest"] == r["deal"]["prepayment_premium"]
            for p in r["pools"]:
                n = 1 if p["pool"] != "Total" else len(r["pools"])
                assert p["gross_interest"] - p["servicing_fee"] == pytest.approx(
                    p["interest_remittance"], abs=_unit(r) * n + 1e-6)
    assert checked > 1000


def test_totals_add_up_within_rounding(truth: list[dict[str, Any]]) -> None:
    for r in truth:
        if r["kind"] != "distribution_report":
            continue
        classes = {c["class"]: c for c in r["classes"]}
        for t in r["class_totals"]:
            rows = [classes[name] for name in t["includes"]]
            tolerance = _unit(r) * (0.5 * len(rows) + 0.01)
            assert t["value"] == pytest.approx(sum(c[t["measure"]] for c in rows), abs=tolerance)
        if r["layout"] == "seed":  # the seed's balance Total leaves out A-IO, X, P and R
            beg = next(t for t in r["class_totals"] if t["measure"] == "beginning_balance")
            assert not {"A-IO", "X", "P", "R"} & set(beg["includes"])


def test_distribution_calendar(truth: list[dict[str, Any]]) -> None:
    for reports in _originals_by_deal(truth).values():
        dates = [date.fromisoformat(r["distribution_date"]) for r in reports]
        for d in dates:
            assert d == distribution_date(d.year, d.month) and is_business_day(d) and 25 <= d.day <= 28
        for a, b in zip(dates, dates[1:], strict=False):
            assert (b.year * 12 + b.month) - (a.year * 12 + a.month) == 1
    assert distribution_date(2003, 12) == date(2003, 12, 26)  # Christmas, as in the seed


def test_annual_reports_list_the_years_distributions(truth: list[dict[str, Any]]) -> None:
    dates: dict[tuple[int, int], list[str]] = defaultdict(list)
    for r in truth:
        if r["kind"] == "distribution_report" and not r.get("amends"):
            dates[(r["cik"], int(r["distribution_date"][:4]))].append(r["distribution_date"])
    annual = {(r["cik"], r["fiscal_year"]): r for r in truth if r["kind"] == "annual_report"}
    assert set(annual) == set(dates)  # one 10-K per deal-year
    for key, r in annual.items():
        assert r["distribution_dates"] == sorted(dates[key])
        assert r["style"] == ("reg_ab" if key[1] >= 2006 else "pre_reg_ab")
        assert date.fromisoformat(r["filed_date"]).year == key[1] + 1
        assert {p["role"] for p in r["parties"]} >= {"depositor", "servicer", "trustee"}


# -- errors and amendments -------------------------------------------------------------------


def test_injected_errors_at_the_requested_rate(corpus: Path, truth: list[dict[str, Any]]) -> None:
    originals = [r for r in truth if r["kind"] == "distribution_report" and not r.get("amends")]
    injected = [r for r in originals if any(e["injected"] for e in r["errors"])]
    assert 0.13 < len(injected) / len(originals) < 0.27
    kinds = {e["kind"] for r in injected for e in r["errors"]}
    assert kinds == {"transposed_digits", "changed_rate", "dropped_class_row", "total_changed",
                     "pool_ending_changed"}
    for r in injected[:40]:
        text = (corpus / r["path"]).read_text()
        for e in r["errors"]:
            if e["kind"] == "dropped_class_row":
                cusip = next(c["cusip"] for c in r["classes"] if c["class"] == e["entity"])
                assert cusip not in text
            elif e["measure"] == "pass_through_rate":
                assert f"{e['printed_value']:.5f}%" in text
            else:
                v = e["printed_value"]
                printed = f"{v:,.0f}" if r["amount_decimals"] == 0 else f"{v:,.2f}"
                assert printed in text
                assert e["true_value"] != e["printed_value"]


def test_injected_changes_lie_outside_rounding(truth: list[dict[str, Any]]) -> None:
    # a Total of up to ~16 whole-dollar rows may be 8 dollars off by rounding alone: a mistake
    # smaller than that is not one any check can see (regression: Total 751,368 for 751,369)
    for r in truth:
        for e in r.get("errors") or []:
            if e["kind"] in ("total_changed", "pool_ending_changed", "transposed_digits"):
                assert abs(e["true_value"] - e["printed_value"]) > (8 if r["amount_decimals"] == 0 else 0.5), e


def test_changed_digit_of_a_whole_dollar_figure_is_never_the_units_digit() -> None:
    import random

    from devtools.synth.errors import _change_digit

    rng = random.Random(3)
    for _ in range(500):
        assert abs(_change_digit(751369, 1, rng) - 751369) >= 10
        assert abs(_change_digit(75136912, 100, rng) - 75136912) >= 100


def test_no_injected_errors_without_the_option(tmp_path: Path) -> None:
    generate(tmp_path / "clean", deals=3, months=30, seed=7)
    rows = [json.loads(line) for line in (tmp_path / "clean" / "ground_truth.jsonl").read_text().splitlines()]
    with_errors = {r["accession"] for r in rows if r["kind"] == "distribution_report" and r["errors"]}
    errors = [e for r in rows if r["kind"] == "distribution_report" for e in r["errors"]]
    # only the mistakes a 10-D/A later corrects: one per amended report, none injected
    assert errors and with_errors == {r["amends"] for r in rows if r.get("amends")}
    assert len(errors) == len(with_errors)
    assert all(not e["injected"] for e in errors)


def test_amendments_restate_the_same_period(corpus: Path, truth: list[dict[str, Any]]) -> None:
    by_acc = {r["accession"]: r for r in truth}
    amendments = [r for r in truth if r.get("amends")]
    assert amendments
    for a in amendments:
        o = by_acc[a["amends"]]
        assert o["amended_by"] == a["accession"]
        assert a["form"] == o["form"] + "/A"
        assert (a["cik"], a["distribution_date"]) == (o["cik"], o["distribution_date"])
        assert a["filed_date"] > o["filed_date"]
        assert a["classes"] == o["classes"] and a["errors"] == []
        corrected = [e for e in o["errors"] if not e["injected"]]
        assert len(corrected) == 1
        assert "EXPLANATORY NOTE" in (corpus / a["path"]).read_text()


# -- layouts --------------------------------------------------------------------------------------


def test_seed_layout_reproduces_the_seed_headings(corpus: Path, truth: list[dict[str, Any]]) -> None:
    seed = SEED_8K.read_text().split("\n")
    headings = [line for line in seed[78:287] if line and not re.search(r"\d", line)
                and not line.startswith(("1-A", "2-A", "A-IO", "M-", "B ", "X", "P ", "R ", "TOTAL", "Total"))]
    r = next(r for r in truth if r["kind"] == "distribution_report" and r["layout"] == "seed"
             and not r["errors"] and len(r["pools"]) == 3)
    text = (corpus / r["path"]).read_text().split("\n")
    for h in headings:
        if "Pool" not in h:
            assert h in text, h
    beg = next(line for line in text if line.startswith(r["classes"][0]["class"] + " "))
    assert len(beg) == 79 and beg[25:34] == r["classes"][0]["cusip"]
    assert beg[:59].endswith(f"{r['classes'][0]['beginning_balance']:,}")
    assert "* Notional Balance" in text and any(line.startswith("X*") for line in text)
    in_body = [r for r in truth if r.get("report_in_body")]
    assert in_body and all(r["form"] in ("8-K", "8-K/A") and r["layout"] == "seed" for r in in_body)
    text = (corpus / in_body[0]["path"]).read_text()
    assert text.count("<DOCUMENT>") == 1 and "STATEMENT TO CERTIFICATEHOLDERS" in text
    assert any(r.get("layout") == "seed" and r["form"] == "8-K" and not r["report_in_body"] for r in truth)


def test_ctslink_and_html_layouts(corpus: Path, truth: list[dict[str, Any]]) -> None:
    cts = next(r for r in truth if r["kind"] == "distribution_report" and r["layout"] == "ctslink")
    text = (corpus / cts["path"]).read_text()
    assert "<S>          <C>" in text and "Certificateholder Distribution Summary" in text
    first = cts["classes"][0]
    assert f"{first['beginning_balance']:,.2f}" in text and cts["amount_decimals"] == 2
    row = next(line for line in text.split("\n") if first["cusip"] in line)
    assert row[15:24] == first["cusip"] and len(row) == 104
    html = next(r for r in truth if r["kind"] == "distribution_report" and r["layout"] == "html"
                and r["form"] == "10-D")
    text = (corpus / html["path"]).read_text()
    assert html["document"].endswith(".htm") and "<TYPE>EX-99.1" in text
    assert "<td>$</td>" in text and 'colspan="' in text
    fee = html["pools"][0]["servicing_fee"]
    assert f"({fee:,.2f})" in text  # deductions in parentheses


def test_plan_corpus_reaches_the_requested_size(tmp_path: Path) -> None:
    deals, months = plan_corpus(400, 24)
    assert months == 24 and deals * months < 400
    summary = generate(tmp_path / "sized", deals=deals, months=months, seed=3, max_filings=400)
    assert summary.filings == 400 and summary.capped


def test_cli_subcommand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["synth", "--deals", "2", "--months", "3", "--seed", "5", "--out",
                              str(tmp_path / "m"), "--inject-errors", "0.5", "--max-filings", "5"])
    assert args.func(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["filings"] == 5 and out["capped"]
    assert (tmp_path / "m" / "manifest.json").is_file()


def test_first_period_accrues_from_closing(truth: list[dict[str, Any]]) -> None:
    first = [r for r in truth if r["kind"] == "distribution_report" and r["period_index"] == 0]
    assert first
    for r in first:
        start = date.fromisoformat(r["accrual_start"])
        assert timedelta(days=20) <= date.fromisoformat(r["distribution_date"]) - start <= timedelta(days=40)
        for c in r["classes"]:
            if c["class"] not in ("A-IO",):
                assert c["beginning_balance"] == c["original_balance"]
