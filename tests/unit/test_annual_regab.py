"""Regulation AB 10-Ks (EX-33 / EX-34 / EX-35) on submissions written for these tests.

No real 2006+ 10-K is among the fixtures, so ``tests/fixtures/annual/written_for_tests_*``
are fictional submissions that follow the regulation's structure: one in EDGAR text with a
fixed-width criteria checklist, one with every document in HTML and an HTML checklist.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from etl.parse.annual import parse_annual, split_sgml
from etl.parse.annual.criteria import FRAMEWORK_REG_AB, criterion_codes

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "annual"
TEXT_2007 = FIXTURES / "written_for_tests_regab_10k_2007.txt"
HTML_2008 = FIXTURES / "written_for_tests_regab_10k_2008_html.txt"

SERVICER = "Lanternfield Loan Servicing LLC"
TRUSTEE = "Ashgrove Trust Company, National Association"
MASTER = "Quillgate Bank, National Association"
AUTO_SERVICER = "Orchard Motor Credit LLC"
INDENTURE_TRUSTEE = "Brightwater Bank, N.A."


def _statuses(parsed: dict, party: str) -> dict[str, str]:
    return {r["criterion"]: r["status"] for r in parsed["servicing_assessments"] if r["party"] == party}


def _codes(*spans: tuple[str, int, int]) -> set[str]:
    """Criteria of section S numbered a..b, e.g. ("4", 4, 13) -> (d)(4)(iv) .. (d)(4)(xiii)."""
    order = criterion_codes(FRAMEWORK_REG_AB)
    out = set()
    for sec, a, b in spans:
        in_sec = [c for c in order if c.startswith(f"1122(d)({sec})")]
        out.update(in_sec[a - 1: b])
    return out


@pytest.fixture(scope="module")
def text_2007() -> dict:
    return parse_annual(TEXT_2007.read_text())


@pytest.fixture(scope="module")
def html_2008() -> dict:
    return parse_annual(HTML_2008.read_text())


def test_fixtures_say_they_were_written_for_the_tests() -> None:
    for path in (TEXT_2007, HTML_2008):
        assert path.name.startswith("written_for_tests_")
        text = path.read_text()
        assert text.startswith("WRITTEN FOR THE TESTS")
        docs = split_sgml(text)
        assert len(docs) >= 6
        assert all("Written for the tests" in d["text"] for d in docs)
        assert {d["type"][:5] for d in docs} >= {"10-K", "EX-33", "EX-34", "EX-35"}


# ------------------------------------------------------------------------------- text submission

def test_text_cover(text_2007: dict) -> None:
    assert text_2007["annual_report"] == {
        "fiscal_year_end": "2007-12-31",
        "holders_of_record": 17,
        "closing_date": "2007-04-26",
        "distribution_report_dates": ["2007-05-25", "2007-06-25", "2007-07-25", "2007-08-27", "2007-09-25",
                                      "2007-10-25", "2007-11-26", "2007-12-26"],
        "trust": "FICTITIOUS HARBOR MORTGAGE TRUST 2007-HE2",
        "trust_printed": "Fictitious Harbor Mortgage Trust 2007-HE2",
        "depositor": "Fictitious Harbor Acceptance Corp.",
        "commission_file_number": "333-999901-03",
        "depositor_file_number": "333-999901",
        "era": "reg_ab",
        "signed_date": "2008-03-28",
    }
    assert text_2007["warnings"] == []


def test_text_parties(text_2007: dict) -> None:
    got = {(p["name"], p["role"]) for p in text_2007["parties"]}
    assert got == {
        ("Fictitious Harbor Acceptance Corp.", "depositor"),
        ("Fictitious Harbor Mortgage Trust 2007-HE2", "issuing_entity"),
        ("Fictitious Harbor Funding LLC", "sponsor"),
        (SERVICER, "servicer"),
        (MASTER, "master_servicer"),
        (MASTER, "securities_administrator"),
        (TRUSTEE, "trustee"),
        ("Kestrel Document Custody Inc.", "custodian"),
        ("Pemberton & Lisle LLP", "accountant"),
        ("Oakridge Vance LLP", "accountant"),
    }


def test_text_every_criterion_per_assessing_party(text_2007: dict) -> None:
    rows = text_2007["servicing_assessments"]
    assert len(rows) == 90
    assert {r["framework"] for r in rows} == {"REG_AB_1122"}
    for party in (SERVICER, TRUSTEE, MASTER):
        assert list(_statuses(text_2007, party)) == criterion_codes(FRAMEWORK_REG_AB)
    assert all(r["applicable"] is (r["status"] != "not_applicable") for r in rows)


def test_text_servicer_material_noncompliance_4_vii(text_2007: dict) -> None:
    st = _statuses(text_2007, SERVICER)
    assert {c for c, s in st.items() if s == "exception"} == {"1122(d)(4)(vii)"}
    assert {c for c, s in st.items() if s == "not_applicable"} == {"1122(d)(1)(iii)", "1122(d)(4)(xv)"}
    row = next(r for r in text_2007["servicing_assessments"]
               if r["party"] == SERVICER and r["criterion"] == "1122(d)(4)(vii)")
    assert (row["sample_size"], row["sample_exceptions"]) == (60, 4)  # "four of the sixty"
    assert "referral to foreclosure counsel" in row["detail"]
    sub = next(r for r in text_2007["servicing_assessments"]
               if r["party"] == SERVICER and r["criterion"] == "1122(d)(3)(i)")
    assert sub["status"] == "compliant"
    assert sub["detail"] == "sub-part(s) C not applicable"


def test_text_trustee_checklist_fixed_width(text_2007: dict) -> None:
    st = _statuses(text_2007, TRUSTEE)
    applicable = _codes(("1", 1, 1), ("2", 1, 7), ("3", 1, 4))
    assert {c for c, s in st.items() if s == "compliant"} == applicable
    assert {c for c, s in st.items() if s == "not_applicable"} == set(criterion_codes(FRAMEWORK_REG_AB)) - applicable
    assert "exception" not in st.values()  # "has not identified any material instance of noncompliance"


def test_text_master_servicer_prose_exclusions_with_a_range(text_2007: dict) -> None:
    st = _statuses(text_2007, MASTER)
    na = {"1122(d)(1)(iii)", "1122(d)(2)(vi)", "1122(d)(4)(xv)"} | _codes(("4", 4, 13))
    assert {c for c, s in st.items() if s == "not_applicable"} == na
    assert "exception" not in st.values()  # "No material instances of noncompliance were identified"


def test_text_attestations(text_2007: dict) -> None:
    got = {a["party"]: a for a in text_2007["attestations"]}
    assert set(got) == {SERVICER, TRUSTEE, MASTER}
    assert got[SERVICER]["accountant"] == "Pemberton & Lisle LLP"
    assert got[SERVICER]["opinion"] == "qualified"
    assert [e["criterion"] for e in got[SERVICER]["exceptions"]] == ["1122(d)(4)(vii)"]
    assert "4 of the 60 loans" in got[SERVICER]["exceptions"][0]["detail"]
    for party in (TRUSTEE, MASTER):
        assert got[party]["accountant"] == "Oakridge Vance LLP"
        assert got[party]["opinion"] == "unqualified"
        assert got[party]["exceptions"] == []


def test_text_compliance_statements(text_2007: dict) -> None:
    got = {(s["party"], s["role"]): s for s in text_2007["compliance_statements"]}
    assert set(got) == {(SERVICER, "servicer"), (MASTER, "master_servicer")}
    assert got[(SERVICER, "servicer")]["in_default"] is False
    failure = got[(MASTER, "master_servicer")]
    assert failure["in_default"] is True  # "except as set forth below"
    assert "one Business Day after the Master Servicer Remittance Date" in failure["detail"]


def test_text_insurance_respectively(text_2007: dict) -> None:
    assert text_2007["insurance"] == [
        {"type": "fidelity_bond", "amount": 25_000_000, "start": "2007-01-01", "end": "2007-12-31", "party": SERVICER},
        {"type": "errors_and_omissions", "amount": 15_000_000, "start": "2007-01-01", "end": "2007-12-31",
         "party": SERVICER},
    ]


def test_text_without_sgml_tags_splits_on_exhibit_headings(text_2007: dict) -> None:
    stripped = re.sub(r"(?m)^<[^>\n]*>.*$", "", TEXT_2007.read_text())
    assert "<DOCUMENT>" not in stripped
    again = parse_annual(stripped)
    assert again["servicing_assessments"] == text_2007["servicing_assessments"]
    assert again["compliance_statements"] == text_2007["compliance_statements"]
    assert again["annual_report"]["era"] == "reg_ab"


# ------------------------------------------------------------------------------- HTML submission

def test_html_cover(html_2008: dict) -> None:
    report = html_2008["annual_report"]
    assert report["fiscal_year_end"] == "2008-12-31"
    assert report["trust"] == "FICTITIOUS ORCHARD AUTO RECEIVABLES TRUST 2008-1"
    assert report["depositor"] == "Fictitious Orchard Auto Receivables Corp."
    assert report["commission_file_number"] == "333-999902-01"
    assert report["closing_date"] == "2008-03-13"
    assert report["holders_of_record"] is None  # Item 5 omitted
    assert report["distribution_report_dates"] == []
    assert report["era"] == "reg_ab"
    assert html_2008["warnings"] == []


def test_html_parties(html_2008: dict) -> None:
    got = {(p["name"], p["role"]) for p in html_2008["parties"]}
    assert got == {
        ("Fictitious Orchard Auto Receivables Corp.", "depositor"),
        ("Fictitious Orchard Auto Receivables Trust 2008-1", "issuing_entity"),
        (AUTO_SERVICER, "sponsor"),
        (AUTO_SERVICER, "servicer"),
        (INDENTURE_TRUSTEE, "indenture_trustee"),
        ("Wilmore Delaware Trust Company", "owner_trustee"),
        ("Fenwick Marsh LLP", "accountant"),
    }


def test_html_checklist_with_spanning_headers(html_2008: dict) -> None:
    st = _statuses(html_2008, AUTO_SERVICER)
    assert len(st) == 30
    assert {c for c, s in st.items() if s == "not_applicable"} == {
        "1122(d)(1)(iii)", "1122(d)(4)(ix)", "1122(d)(4)(x)", "1122(d)(4)(xi)", "1122(d)(4)(xii)", "1122(d)(4)(xv)"}
    assert st["1122(d)(4)(ii)"] == "compliant"  # performed by a vendor it is responsible for
    assert {c for c, s in st.items() if s == "exception"} == {"1122(d)(2)(vii)"}
    row = next(r for r in html_2008["servicing_assessments"]
               if r["party"] == AUTO_SERVICER and r["criterion"] == "1122(d)(2)(vii)")
    assert (row["sample_size"], row["sample_exceptions"]) == (45, 3)
    assert "not resolved within 90 calendar days" in row["detail"]


def test_html_indenture_trustee_prose_ranges(html_2008: dict) -> None:
    st = _statuses(html_2008, INDENTURE_TRUSTEE)
    na = _codes(("1", 2, 4), ("4", 1, 15)) | {"1122(d)(2)(iii)", "1122(d)(2)(vi)"}
    assert {c for c, s in st.items() if s == "not_applicable"} == na
    assert {c for c, s in st.items() if s == "compliant"} == set(criterion_codes(FRAMEWORK_REG_AB)) - na


def test_html_adverse_attestation_and_statement(html_2008: dict) -> None:
    got = {a["party"]: a for a in html_2008["attestations"]}
    assert got[AUTO_SERVICER]["opinion"] == "adverse"  # "has not complied"
    assert [e["criterion"] for e in got[AUTO_SERVICER]["exceptions"]] == ["1122(d)(2)(vii)"]
    assert got[INDENTURE_TRUSTEE]["opinion"] == "unqualified"
    assert {a["accountant"] for a in got.values()} == {"Fenwick Marsh LLP"}
    [statement] = html_2008["compliance_statements"]
    assert (statement["party"], statement["role"], statement["in_default"]) == (AUTO_SERVICER, "servicer", False)


def test_html_documents_argument_matches_the_envelope(html_2008: dict) -> None:
    docs = split_sgml(HTML_2008.read_text())
    via_docs = parse_annual(docs[0]["text"], documents=docs)
    for key in ("annual_report", "parties", "servicing_assessments", "attestations", "compliance_statements"):
        assert via_docs[key] == html_2008[key], key


def test_html_primary_document_alone_warns_instead_of_guessing() -> None:
    primary = split_sgml(HTML_2008.read_text())[0]["text"]
    alone = parse_annual(primary)
    assert alone["annual_report"]["commission_file_number"] == "333-999902-01"
    assert alone["servicing_assessments"] == []
    assert "annual: Item 1122 cited but no EX-33 assessment report found" in alone["warnings"]


def test_document_objects_and_one_party_with_two_reports() -> None:
    """Objects with type/text attributes are accepted; two EX-33 of one party merge into one row
    per criterion (the staging key is accession, party, criterion)."""
    from types import SimpleNamespace

    docs = split_sgml(TEXT_2007.read_text())
    ex33_servicer = next(d for d in docs if d["type"] == "EX-33.1")
    second_platform = {
        "type": "EX-33.4", "filename": "second.txt",
        "text": ("Lanternfield Loan Servicing LLC (the \"Company\") is responsible for assessing compliance with "
                 "the servicing criteria of Item 1122(d) for its second-lien platform, excluding criteria "
                 "1122(d)(4)(xv) and 1122(d)(4)(xiv), which the Company has determined are not applicable. "
                 "The Company has complied in all material respects with the applicable servicing criteria.\n"),
    }
    objects = [SimpleNamespace(**d) for d in (*docs, second_platform)]
    out = parse_annual("", documents=objects)
    rows = [r for r in out["servicing_assessments"] if r["party"] == SERVICER]
    assert len(rows) == 30
    st = {r["criterion"]: r["status"] for r in rows}
    assert st["1122(d)(4)(xv)"] == "not_applicable"  # not applicable in both reports
    assert st["1122(d)(4)(xiv)"] == "compliant"  # applicable in the first
    assert st["1122(d)(1)(iii)"] == "compliant"  # applicable in the second
    assert st["1122(d)(4)(vii)"] == "exception"
    assert ex33_servicer["type"] == "EX-33.1"
    keys = [(r["party"], r["criterion"]) for r in out["servicing_assessments"]]
    assert len(keys) == len(set(keys))
