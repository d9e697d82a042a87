"""Every check, through Great Expectations, passes on the seed, fails on a corrupted copy, and is not
applicable where its data is absent. Hand-built parsed dicts (no parser): the seed typed in from the
8-K and a synthetic next month rolled forward from it; all variants are validated as ONE batch, the
way the pipeline validates a run's filings.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from etl.quality import checks_by_name, validate_parsed

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "quality"
SEED = json.loads((FIXTURES / "seed_parsed.json").read_text())
MONTH2 = json.loads((FIXTURES / "month2_parsed.json").read_text())


def cls(p: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in p["classes"] if c["class"] == name)


def pool(p: dict[str, Any], name: str) -> dict[str, Any]:
    return next(q for q in p["pools"] if q["pool"] == name)


def total(p: dict[str, Any], measure: str, section_prefix: str = "STATEMENT") -> dict[str, Any]:
    return next(t for t in p["class_totals"] if t["measure"] == measure and t["section"].startswith(section_prefix))


def set_(obj: dict[str, Any], **values: Any) -> None:
    obj.update(values)


# name -> (mutation of the seed, the check that must flag it, its scope key in the result, status)
SEED_MUTATIONS: dict[str, tuple[Callable[[dict], None], str, str, str]] = {
    "ending_off_by_100": (lambda p: set_(cls(p, "1-A1"), ending_balance=235944497), "class_rollforward", "1-A1", "fail"),
    "total_distribution_typo": (lambda p: set_(cls(p, "1-A2"), total_distribution=146992),
                                "class_total_distribution", "1-A2", "fail"),
    "interest_total_changed": (lambda p: set_(total(p, "interest"), value=3104997), "class_total", "interest", "fail"),
    "balance_total_changed": (lambda p: set_(total(p, "beginning_balance"), value=498553991),
                              "class_total_inclusion", "beginning_balance", "fail"),
    "pool_ending_transposed": (lambda p: set_(pool(p, "1"), ending_balance=427301356), "pool_rollforward", "1", "fail"),
    "pool_total_gross_interest": (lambda p: set_(pool(p, "Total"), gross_interest=3257339),
                                  "pool_total", "gross_interest", "fail"),
    "remittance_misread": (lambda p: set_(pool(p, "2"), principal_remittance=1376614),
                           "pool_principal_remittance", "2", "fail"),
    "group_principal_moved": (lambda p: (set_(cls(p, "1-A1"), principal=3826989, ending_balance=235944297,
                                              total_distribution=4097206),
                                         set_(cls(p, "2-A"), principal=1376064, ending_balance=57262551,
                                              total_distribution=1451237)),
                              "class_principal_linkage", "1", "fail"),
    "oc_balance_misread": (lambda p: set_(cls(p, "X"), beginning_balance=6365361), "overcollateralization", "X",
                           "fail"),
    "rate_changed": (lambda p: set_(cls(p, "M-2"), pass_through_rate=2.68875), "interest_accrual", "M-2", "fail"),
    "servicing_fee_changed": (lambda p: set_(pool(p, "1"), servicing_fee=181233), "servicing_fee", "1", "fail"),
    "trustee_fee_changed": (lambda p: set_(pool(p, "2"), trustee_fee=396), "net_interest", "2", "fail"),
    "cap_payment_changed": (lambda p: p["deal"].update(cap_payment_basis_risk=18829), "interest_waterfall",
                            "interest", "fail"),
    "per_1000_transposed": (lambda p: (set_(cls(p, "2-A"), interest_per_1000=1.297875),
                                       next(f for f in p["fields"] if f["entity"] == "2-A"
                                            and f["measure"] == "interest_per_1000").update(raw="1.297875")),
                            "per_1000", "2-A", "fail"),
    "bankruptcies_misread": (lambda p: set_(next(d for d in p["delinquencies"] if d["bucket"] == "bankruptcy"),
                                            count=200), "delinquency_footnote", "loan_count", "fail"),
    "delinquency_column_shift": (lambda p: set_(next(d for d in p["delinquencies"] if d["bucket"] == "90+"),
                                                count=577179), "delinquency_pool_bound", "loan_count", "fail"),
    "cusip_typo": (lambda p: set_(cls(p, "1-A1"), cusip="86359A6H2"), "cusip_check_digit", "1-A1", "warn"),
    # issue 12: a column of the per-$1,000 table under no header, and one under a label no measure claims
    "unread_column": (lambda p: p["fields"].append(_unclaimed(p, "")), "extraction_completeness",
                      "unread_figures", "fail"),
    "unmapped_label": (lambda p: p["fields"].append(_unclaimed(p, "Days in Accrual Period")),
                       "extraction_unmapped_label", "Days in Accrual Period", "warn"),
    "class_row_without_interest": (lambda p: set_(cls(p, "X"), interest=None), "extraction_completeness", "X",
                                   "fail"),
}


def _unclaimed(p: dict[str, Any], label: str) -> dict[str, Any]:
    """A figure of 1-A1's row in the seed's first per-$1,000 table that no measure claims."""
    first = next(f for f in p["fields"] if f["entity"] == "1-A1")
    return {**first, "label": label, "measure": None, "value": 31, "raw": "31", "column": 9}


def _m2_class_beginning(p: dict) -> None:
    set_(cls(p, "M-1"), beginning_balance=34330000, ending_balance=34330000)


# name -> (mutation of month 2, check, scope key, status); each is paired with its own copy of the seed
MONTH2_MUTATIONS: dict[str, tuple[Callable[[dict], None], str, str, str]] = {
    "class_beginning_differs": (_m2_class_beginning, "period_class_continuity", "M-1", "fail"),
    "pool_beginning_differs": (lambda p: set_(pool(p, "1"), beginning_balance=427300356), "period_pool_continuity",
                               "1", "fail"),
    "cumulative_loss_jumps": (lambda p: (set_(pool(p, "2"), cumulative_realized_loss=18673),
                                         set_(pool(p, "Total"), cumulative_realized_loss=18673)),
                              "period_cumulative_loss", "2", "fail"),
    "loan_count_rises": (lambda p: (set_(pool(p, "1"), loan_count=3990), set_(pool(p, "Total"), loan_count=4291)),
                         "period_loan_count", "1", "warn"),
    "off_calendar_date": (lambda p: set_(p, distribution_date="2004-01-28"), "period_cadence", "distribution_date",
                          "warn"),
}


def _sparse(p: dict[str, Any]) -> None:
    """A report that prints only part of its class table: every other check has no data."""
    p.update(pools=[], class_totals=[], delinquencies=[], deal={}, fields=[])
    for c in p["classes"]:
        c["cusip"] = None
        for k in [k for k in c if k.endswith("_per_1000")]:
            c[k] = None
    set_(cls(p, "1-A1"), ending_balance=None, total_distribution=None)


def _filing(base: dict[str, Any], name: str, cik: int) -> dict[str, Any]:
    p = copy.deepcopy(base)
    p.pop("_comment", None)
    p.update(accession=f"{name}-{base['distribution_date']}", cik=cik, path=f"hand/{name}/{base['distribution_date']}")
    return p


def _scope_key(check: dict[str, Any]) -> str | None:
    s = check["scope"]
    return s.get("class") if s.get("class") not in (None, "Total") else s.get("pool") if s.get("pool") not in (
        None, "Total") else s.get("measure")


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, Any]]:
    batch = [_filing(SEED, "seed", 1), _filing(MONTH2, "seed", 1)]
    sparse = _filing(SEED, "sparse", 2)
    _sparse(sparse)
    batch.append(sparse)
    for i, (name, (mutate, *_)) in enumerate(SEED_MUTATIONS.items()):
        p = _filing(SEED, name, 100 + i)
        mutate(p)
        batch.append(p)
    for i, (name, (mutate, *_)) in enumerate(MONTH2_MUTATIONS.items()):
        batch.append(_filing(SEED, name, 200 + i))
        p = _filing(MONTH2, name, 200 + i)
        mutate(p)
        batch.append(p)
    batch += [_annual("seed", 1, ["2003-11-25", "2003-12-26"]), _annual("no-dates", 2, [])]
    return {r["path"]: r for r in validate_parsed(batch)}


def _annual(name: str, cik: int, dates: list[str]) -> dict[str, Any]:
    """A 10-K of the deal listing the distribution reports filed in its year (issue 6's completeness)."""
    return {"path": f"hand/{name}/10-K", "accession": f"{name}-10-K", "cik": cik, "kind": "annual_report",
            "form_type": "10-K", "annual_report": {"fiscal_year_end": "2003-12-31", "distribution_report_dates": dates},
            "parties": [], "servicing_assessments": [], "insurance": []}


def flagged(result: dict[str, Any]) -> set[tuple[str, str | None, str]]:
    return {(c["name"], _scope_key(c), c["status"]) for c in result["checks"] if c["status"] in ("fail", "warn")}


def test_annual_completeness_finds_the_missing_month(results) -> None:
    k = results["hand/seed/10-K"]
    rows = {c["scope"].get("section"): c["status"] for c in k["checks"] if c["name"] == "annual_completeness"}
    assert rows == {"2003-11-25": "warn", "2003-12-26": "pass"}  # November is not in the batch
    none = [c["status"] for c in results["hand/no-dates/10-K"]["checks"] if c["name"] == "annual_completeness"]
    assert none == ["not_applicable"]


def test_seed_raises_no_error_only_the_m6_cusip_warning(results) -> None:
    seed = results["hand/seed/2003-12-26"]
    assert seed["status"] == "warn"
    assert flagged(seed) == {("cusip_check_digit", "M-6", "warn")}
    m6 = next(c for c in seed["checks"] if c["name"] == "cusip_check_digit" and c["scope"].get("class") == "M-6")
    assert (m6["observed"], m6["expected"], m6["residual"], m6["tolerance"]) == (8, 7, 1, 0)


def test_month2_passes_every_cross_period_check_against_the_seed(results) -> None:
    m2 = results["hand/seed/2004-01-26"]
    assert flagged(m2) == {("cusip_check_digit", "M-6", "warn")}
    statuses = {(c["name"], c["status"]) for c in m2["checks"] if c["name"].startswith("period_")}
    assert statuses == {("period_class_continuity", "pass"), ("period_pool_continuity", "pass"),
                        ("period_cumulative_loss", "pass"), ("period_loan_count", "pass"), ("period_cadence", "pass")}


def test_one_month_alone_makes_cross_period_checks_not_applicable(results) -> None:
    seed = results["hand/seed/2003-12-26"]
    for name in ("period_class_continuity", "period_pool_continuity", "period_cumulative_loss",
                 "period_loan_count", "period_cadence"):
        (row,) = [c for c in seed["checks"] if c["name"] == name]
        assert row["status"] == "not_applicable" and row["scope"] == {"level": "report"}


@pytest.mark.parametrize("name", sorted(SEED_MUTATIONS))
def test_seed_mutation_is_caught_by_its_named_check(results, name) -> None:
    _, check, key, status = SEED_MUTATIONS[name]
    res = results[f"hand/{name}/2003-12-26"]
    assert (check, key, status) in flagged(res), flagged(res)
    assert res["status"] == ("fail" if status == "fail" else "warn")


@pytest.mark.parametrize("name", sorted(MONTH2_MUTATIONS))
def test_month2_mutation_is_caught_by_its_named_check(results, name) -> None:
    _, check, key, status = MONTH2_MUTATIONS[name]
    res = results[f"hand/{name}/2004-01-26"]  # paths name the month the copy was made from
    assert (check, key, status) in flagged(res), flagged(res)
    # its seed copy is untouched by the later month's corruption
    assert flagged(results[f"hand/{name}/2003-12-26"]) == {("cusip_check_digit", "M-6", "warn")}


def test_off_calendar_date_only_warns_and_accrual_still_finds_the_day_count(results) -> None:
    res = results["hand/off_calendar_date/2004-01-26"]
    assert res["status"] == "warn"
    cadence = next(c for c in res["checks"] if c["name"] == "period_cadence")
    assert (cadence["observed"], cadence["expected"], cadence["residual"]) == (33, 31, 2)
    a1 = next(c for c in res["checks"] if c["name"] == "interest_accrual" and c["scope"].get("class") == "1-A1")
    assert a1["status"] == "pass" and "31 days implied by" in a1["detail"]


def test_residuals_reported_for_a_failure_are_the_corruption(results) -> None:
    res = results["hand/ending_off_by_100/2003-12-26"]
    row = next(c for c in res["checks"] if c["name"] == "class_rollforward" and c["scope"].get("class") == "1-A1")
    assert (row["observed"], row["expected"], row["residual"], row["tolerance"]) == (235944497, 235944397, 100, 1.5)
    res = results["hand/oc_balance_misread/2003-12-26"]
    rows = {c["scope"]["measure"]: (c["status"], c["residual"]) for c in res["checks"]
            if c["name"] == "overcollateralization"}
    assert rows == {"beginning_balance": ("fail", 9000), "ending_balance": ("pass", 0)}
    res = results["hand/balance_total_changed/2003-12-26"]
    row = next(c for c in res["checks"] if c["name"] == "class_total_inclusion"
               and c["scope"].get("measure") == "beginning_balance")
    assert (row["residual"], row["tolerance"]) == (90, 5.0)


def test_every_check_is_exercised_with_pass_fail_and_not_applicable(results) -> None:
    seen: dict[str, set[str]] = {}
    for res in results.values():
        for c in res["checks"]:
            seen.setdefault(c["name"], set()).add(c["status"])
    for name, check in checks_by_name().items():
        if check.view.startswith("dq_asset_"):  # ABS-EE asset data: tests/sql/test_asset_warehouse.py
            continue
        bad = "fail" if check.severity == "error" else "warn"
        assert {"pass", bad, "not_applicable"} <= seen.get(name, set()), (name, seen.get(name))
    assert "fail" not in seen["cusip_check_digit"] and "fail" not in seen["period_cadence"]
