"""parse_annual never raises, says what it could not read, and stays fast on big or odd input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from etl.parse.annual import parse_annual
from etl.parse.annual import parser as annual_parser
from etl.parse.annual.compliance import opinion, statement_verdict, subject_party
from etl.parse.annual.cover import normalize_trust_name
from etl.parse.annual.regab import applicability
from etl.parse.annual.textutil import html_to_text, parse_date, parse_sample, to_int

pytestmark = pytest.mark.unit

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "aames03110k.txt"
KEYS = {"annual_report", "parties", "servicing_assessments", "insurance", "compliance_statements",
        "attestations", "warnings"}


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n", "not a filing at all", "<html><body><table><tr><td>x", "\x00\x01\x02" * 100,
     "<DOCUMENT><TYPE>EX-33<TEXT></DOCUMENT>", "EXHIBIT 99.1\n\nWe have examined\n"],
)
def test_unknown_layouts_give_empty_lists_and_warnings(text: str) -> None:
    out = parse_annual(text)
    assert set(out) == KEYS
    assert out["servicing_assessments"] == [] and out["insurance"] == [] and out["compliance_statements"] == []
    assert out["warnings"]


@pytest.mark.parametrize("documents", ["not a list", [None, 3, {"type": "EX-35", "text": None}], []])
def test_odd_documents_argument(documents) -> None:
    out = parse_annual("", documents=documents)
    assert set(out) == KEYS
    assert out["compliance_statements"] == [] or out["compliance_statements"][0]["party"] is None
    assert out["warnings"]


def test_non_string_text() -> None:
    out = parse_annual(None)  # type: ignore[arg-type]
    assert out["warnings"][0].startswith("annual: text is NoneType")


def test_a_failing_stage_is_a_warning_not_an_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_a, **_k):
        raise RuntimeError("broken reader")

    monkeypatch.setattr(annual_parser.compliance, "insurance", boom)
    out = parse_annual(SEED.read_text())
    assert out["insurance"] == []
    assert any("broken reader" in w for w in out["warnings"])
    assert len(out["servicing_assessments"]) == 21  # the rest of the filing still parsed


def test_oversized_input_is_cut_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(annual_parser, "MAX_TEXT_CHARS", 1000)
    out = parse_annual(SEED.read_text())
    assert any("cut to 1000" in w for w in out["warnings"])


@pytest.mark.parametrize(
    "text",
    [
        SEED.read_text() * 400,  # ~8 MB of real filing
        "Alpha Beta Gamma Delta, as Servicer " * 150_000,  # capitalised runs before role anchors
        "1122(d)(4)(vii) through 1122(d)(4)(xv), " * 100_000,
        "<table>" + "<tr><td>1122(d)(1)(i)</td><td colspan=9>X</td></tr>" * 40_000 + "</table>",
        "(" * 2_000_000,
        "two of the thirty-five errors and omissions $5,000,000 from January 1, 2003 through " * 40_000,
    ],
    ids=["seed-x400", "caps", "refs", "html-rows", "parens", "prose"],
)
def test_bounded_time_on_big_inputs(text: str) -> None:
    start = time.monotonic()
    out = parse_annual(text)
    assert time.monotonic() - start < 30
    assert set(out) == KEYS


def test_unknown_criterion_is_warned() -> None:
    text = (
        "Exhibit 33.1\n\nExample Servicing LLC (the \"Company\") is responsible for assessing compliance with "
        "Item 1122(d) criteria. The Company has identified the following material instance of noncompliance:\n\n"
        "1122(d)(4)(xvi) - something went wrong in 2 of 10 files.\n"
    )
    out = parse_annual(text)
    assert any("1122(d)(4)(xvi)" in w for w in out["warnings"])
    assert {r["status"] for r in out["servicing_assessments"]} == {"compliant"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Servicer has fulfilled all of its obligations under the Agreement in all material respects.", False),
        ("The Master Servicer is not in default of its obligations.", False),
        ("Nothing has led me to believe that the Servicer has failed to perform its duties. "
         "The Servicer is not in default.", False),
        ("Except as set forth below, the Servicer has fulfilled all of its obligations. One report was late.", True),
        ("The Servicer has not fulfilled its obligation to deliver reports.", True),
        ("Hello.", None),
    ],
)
def test_statement_verdicts(text: str, expected: bool | None) -> None:
    assert statement_verdict(text)[0] is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In our opinion, the Company complied, in all material respects, with the criteria.", "unqualified"),
        ("In our opinion, except for the material noncompliance described above, the Company complied.", "qualified"),
        ("In our opinion, because of the material noncompliance described above, the Company has not complied.",
         "adverse"),
        ("We express no view.", None),
    ],
)
def test_opinions(text: str, expected: str | None) -> None:
    assert opinion(text) == expected


def test_text_helpers() -> None:
    assert to_int("thirty-five") == 35
    assert to_int("one hundred and two") == 102
    assert to_int("1,204") == 1204
    assert to_int("several") is None
    assert parse_sample("In two of the thirty-five ARM loans selected") == (35, 2)
    assert parse_sample("2 out of 35 ARM loans") == (35, 2)
    assert parse_sample("one of the following") == (None, None)
    assert parse_date("February 26,2004") == "2004-02-26"
    assert parse_date("Date: 3/30/04") == "2004-03-30"
    assert parse_date("February 30, 2004") is None
    assert normalize_trust_name("GreenPoint MTA Trust 2006-AR1, Mortgage Pass-Through Certificates Series 2006-AR1") \
        == "GREENPOINT MTA TRUST 2006-AR1"


def test_html_rows_become_cell_lines() -> None:
    text = html_to_text("<table><tr><th colspan=2>A</th><th>B</th></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>")
    assert "| A | A | B |" in text
    assert "| 1 | 2 | 3 |" in text


@pytest.mark.parametrize(
    ("text", "name"),
    [  # wording of real EX-34 openings on EDGAR (short excerpts)
        ("We have examined Litton Loan Servicing LP (\u201cthe Company\u2019s\u201d) compliance with the",
         "Litton Loan Servicing LP"),
        ("We have examined the\ncompliance of American Home Mortgage Servicing, Inc., a Delaware corporation,\n"
         "(the \"Company\") with the servicing criteria", "American Home Mortgage Servicing, Inc."),
        ("examined management's assertion, included in the accompanying Certification\nRegarding Compliance with "
         "Applicable Servicing Criteria (the \"Management\nCertification\"), that Aurora Loan Services LLC (the "
         "\"Company\"), a wholly-owned\nsubsidiary of Lehman Brothers Bank FSB, complied", "Aurora Loan Services LLC"),
    ],
)
def test_report_subject_in_real_wording(text: str, name: str) -> None:
    assert subject_party(text)[0] == name


def test_real_exclusion_list_with_ocr_and_ranges() -> None:
    text = (
        "as of and for the year ended December 31, 2007, except\nfor criteria 1122(d)(l)(ii), 1122(d)(l)(iii), "
        "1122(d)(2)(vi), 1122(d)(3)(i)(C),\n1122(d)(4)(i), 1122(d)(4)(ii), 1122(d)(4)(iv), 1122(d)(4)(v), "
        "1122(d)(4)(vii)\nthrough 1122(d)(4)(xiii), and 1122(d)(4)(xv), which the Company has determined\n"
        "are not applicable to the activities performed by them."
    )
    na, partial = applicability(text)
    assert na == {"1122(d)(1)(ii)", "1122(d)(1)(iii)", "1122(d)(2)(vi)", "1122(d)(4)(i)", "1122(d)(4)(ii)",
                  "1122(d)(4)(iv)", "1122(d)(4)(v)", "1122(d)(4)(vii)", "1122(d)(4)(viii)", "1122(d)(4)(ix)",
                  "1122(d)(4)(x)", "1122(d)(4)(xi)", "1122(d)(4)(xii)", "1122(d)(4)(xiii)", "1122(d)(4)(xv)"}
    assert partial == {"1122(d)(3)(i)": ["C"]}
