"""Truth tests: every fact DOMAIN.md lists for the seed 10-K (AAMES MORTGAGE TRUST 2003-1, fiscal 2003)."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.parse.annual import parse_annual
from etl.parse.annual.criteria import FRAMEWORK_USAP, criterion_codes, load_criteria
from etl.parse.annual.usap import parse_appendix

pytestmark = pytest.mark.unit

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "aames03110k.txt"
SERVICER = "Wilshire Credit Corporation"


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text()


@pytest.fixture(scope="module")
def parsed(seed_text: str) -> dict:
    return parse_annual(seed_text)


def test_cover_facts(parsed: dict) -> None:
    report = parsed["annual_report"]
    assert report["fiscal_year_end"] == "2003-12-31"
    assert report["trust"] == "AAMES MORTGAGE TRUST 2003-1"
    assert report["trust_printed"] == "AAMES MORTGAGE TRUST PASS-THROUGH CERTIFICATES SERIES 2003-1"
    assert report["depositor"] == "Structured Asset Securities Corporation"
    assert report["commission_file_number"] == "333-106925-11"
    assert report["closing_date"] == "2003-10-30"
    assert report["holders_of_record"] == 40  # printed "Forty (40)"
    assert report["distribution_report_dates"] == ["2003-11-25", "2003-12-26"]
    assert report["era"] == "pre_reg_ab"
    assert report["signed_date"] == "2004-03-30"  # "3/30/04"


def test_no_warnings_on_the_seed(parsed: dict) -> None:
    assert parsed["warnings"] == []


def test_parties_and_roles(parsed: dict) -> None:
    got = {(p["name"], p["role"]) for p in parsed["parties"]}
    assert got == {
        ("Structured Asset Securities Corporation", "depositor"),
        ("Aurora Loan Services Inc.", "master_servicer"),
        (SERVICER, "servicer"),
        ("U.S. Bank National Association", "trustee"),
        ("Deloitte & Touche LLP", "accountant"),
    }
    assert len(parsed["parties"]) == 5  # "Aurora Loan Services, Inc." in the certification is the same party


def test_master_servicer_statement_no_default(parsed: dict) -> None:
    [statement] = parsed["compliance_statements"]
    assert statement["party"] == "Aurora Loan Services Inc."
    assert statement["role"] == "master_servicer"
    # item 3 says "nothing ... to believe that its Servicer has failed to perform": not a default
    assert statement["in_default"] is False
    assert "is not in default" in statement["detail"]


def test_every_usap_criterion_assessed_for_the_servicer(parsed: dict) -> None:
    rows = parsed["servicing_assessments"]
    assert [r["criterion"] for r in rows] == criterion_codes(FRAMEWORK_USAP)
    assert len(rows) == 21
    assert {r["party"] for r in rows} == {SERVICER}
    assert {r["framework"] for r in rows} == {"USAP"}


def test_v2_is_the_only_exception_two_of_thirty_five(parsed: dict) -> None:
    rows = {r["criterion"]: r for r in parsed["servicing_assessments"]}
    v2 = rows["V.2"]
    assert v2["status"] == "exception"
    assert v2["sample_size"] == 35  # "thirty-five", in words
    assert v2["sample_exceptions"] == 2  # "two"
    assert "interest rate adjustments" in v2["detail"]
    assert "ARM" in v2["detail"]
    others = [r for code, r in rows.items() if code != "V.2"]
    assert {r["status"] for r in others} == {"compliant"}
    assert all(r["detail"] is None and r["sample_size"] is None for r in others)


def test_accountants_report(parsed: dict) -> None:
    [att] = parsed["attestations"]
    assert att["party"] == SERVICER
    assert att["accountant"] == "Deloitte & Touche LLP"
    assert att["opinion"] == "qualified"  # "except for the material noncompliance ..."
    assert [e["criterion"] for e in att["exceptions"]] == ["V.2"]
    assert att["date"] == "2004-03-26"


def test_insurance_coverage_and_periods(parsed: dict) -> None:
    assert parsed["insurance"] == [
        {"type": "errors_and_omissions", "amount": 5_000_000, "start": "2003-01-01", "end": "2003-12-31",
         "party": SERVICER},
        {"type": "fidelity_bond", "amount": 10_000_000, "start": "2003-01-01", "end": "2003-09-30",
         "party": SERVICER},
        {"type": "fidelity_bond", "amount": 20_000_000, "start": "2003-10-01", "end": "2003-12-31",
         "party": SERVICER},
    ]


def test_appendix_lists_the_21_standards_of_the_dimension(seed_text: str) -> None:
    appendix = parse_appendix(seed_text)
    assert [a["code"] for a in appendix] == criterion_codes(FRAMEWORK_USAP)
    sections = {a["section"] for a in appendix}
    assert sections == {"Custodial Bank Accounts", "Mortgage Payments", "Disbursements",
                        "Investor Accounting and Reporting", "Mortgagor Loan Accounting", "Delinquencies",
                        "Insurance Policies"}
    dim = {c["code"]: c for c in load_criteria(FRAMEWORK_USAP)}
    for a in appendix:  # the dimension's texts are the appendix's (VI.1's "undated" typo aside)
        assert dim[a["code"]]["section"] == a["section"]
        assert a["text"].split(" ", 1)[1][:40] == dim[a["code"]]["description"][:40]


def test_same_result_in_an_sgml_envelope_or_as_documents(seed_text: str, parsed: dict) -> None:
    envelope = (
        "<SEC-DOCUMENT>0001019965-04-000147.txt : 20040330\n<DOCUMENT>\n<TYPE>10-K\n<SEQUENCE>1\n"
        f"<FILENAME>aames03110k.txt\n<TEXT>\n{seed_text}\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n"
    )
    as_docs = parse_annual(seed_text, documents=[{"type": "10-K", "filename": "aames03110k.txt", "text": seed_text}])
    for other in (parse_annual(envelope), as_docs):
        assert other["annual_report"] == parsed["annual_report"]
        assert other["servicing_assessments"] == parsed["servicing_assessments"]
        assert other["insurance"] == parsed["insurance"]
        assert other["compliance_statements"] == parsed["compliance_statements"]
        assert other["warnings"] == []
