"""The servicing criteria dimension file and the citation readers built on it."""

from __future__ import annotations

from collections import Counter

import pytest

from etl.parse.annual import load_criteria
from etl.parse.annual.criteria import (
    FRAMEWORK_REG_AB,
    FRAMEWORK_USAP,
    criterion_codes,
    reg_ab_code,
    reg_ab_refs,
    usap_refs,
)

pytestmark = pytest.mark.unit

REG_AB_ALL = [
    *(f"1122(d)(1)({r})" for r in ("i", "ii", "iii", "iv")),
    *(f"1122(d)(2)({r})" for r in ("i", "ii", "iii", "iv", "v", "vi", "vii")),
    *(f"1122(d)(3)({r})" for r in ("i", "ii", "iii", "iv")),
    *(f"1122(d)(4)({r})" for r in ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii",
                                   "xiii", "xiv", "xv")),
]


def test_counts_per_framework() -> None:
    rows = load_criteria()
    assert Counter(r["framework"] for r in rows) == {"USAP": 21, "REG_AB_1122": 30}


def test_usap_codes_and_sections() -> None:
    usap = load_criteria(FRAMEWORK_USAP)
    assert Counter(r["section_code"] for r in usap) == {"I": 4, "II": 4, "III": 6, "IV": 1, "V": 4, "VI": 1, "VII": 1}
    assert usap[0]["code"] == "I.1" and usap[-1]["code"] == "VII.1"
    v2 = next(r for r in usap if r["code"] == "V.2")
    assert v2["section"] == "Mortgagor Loan Accounting"
    assert "ARM" in v2["description"]


def test_reg_ab_codes_are_the_regulations_thirty() -> None:
    assert criterion_codes(FRAMEWORK_REG_AB) == REG_AB_ALL
    reg = load_criteria(FRAMEWORK_REG_AB)
    assert Counter(r["section"] for r in reg) == {
        "General servicing considerations": 4, "Cash collection and administration": 7,
        "Investor remittances and reporting": 4, "Pool asset administration": 15,
    }
    by_code = {r["code"]: r for r in reg}
    assert by_code["1122(d)(2)(vii)"]["description"].startswith("Reconciliations are prepared on a monthly basis")
    assert "Loss mitigation or recovery actions" in by_code["1122(d)(4)(vii)"]["description"]
    assert "Item 1114(a)(1) through (3) or Item 1115" in by_code["1122(d)(4)(xv)"]["description"]


def test_rows_are_complete_and_ordered() -> None:
    for fw in (FRAMEWORK_USAP, FRAMEWORK_REG_AB):
        rows = load_criteria(fw)
        assert [r["ordinal"] for r in rows] == list(range(1, len(rows) + 1))
        for r in rows:
            assert set(r) == {"framework", "code", "section_code", "section", "title", "description", "ordinal"}
            assert len(r["description"]) > 30 and len(r["title"]) < 60


def test_load_returns_copies() -> None:
    first = load_criteria()
    first[0]["code"] = "changed"
    assert load_criteria()[0]["code"] == "I.1"


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("criterion 1122(d)(2)(vii)", ["1122(d)(2)(vii)"]),
        ("1122 (d)(l)(ii) and 1122(d)(1)(iii)", ["1122(d)(1)(ii)", "1122(d)(1)(iii)"]),  # OCR'd "(l)"
        ("Item 1122(d)(3)(i)(C)", ["1122(d)(3)(i)"]),
        ("1122(d)(4)(vii) through 1122(d)(4)(x)",
         ["1122(d)(4)(vii)", "1122(d)(4)(viii)", "1122(d)(4)(ix)", "1122(d)(4)(x)"]),
        ("1122(d)(1)(ii)-(iv)", ["1122(d)(1)(ii)", "1122(d)(1)(iii)", "1122(d)(1)(iv)"]),
        ("no criteria here (d) (4)", []),
    ],
)
def test_reg_ab_citations(text: str, codes: list[str]) -> None:
    assert [r[0] for r in reg_ab_refs(text)] == codes


def test_reg_ab_sub_part_is_kept() -> None:
    [(code, sub, _s, _e)] = reg_ab_refs("1122(d)(3)(i)(C)")
    assert (code, sub) == ("1122(d)(3)(i)", "C")
    assert reg_ab_code("4", "xvi") == "1122(d)(4)(xvi)"  # returned as written; callers warn


def test_usap_citations() -> None:
    assert usap_refs("set forth in Appendix I, Item V.2., relating to ...; see also III.4 and IX.9") == ["V.2", "III.4"]
