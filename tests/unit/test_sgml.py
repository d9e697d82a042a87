"""The SGML envelope parser on real EDGAR envelopes, the seed fixtures, and hostile input."""

from __future__ import annotations

import json
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from etl.edgar.encoding import decode_edgar
from etl.edgar.sgml import (
    UnsafeFilename,
    parse_header,
    parse_submission,
    read_submission,
    safe_filename,
)

pytestmark = pytest.mark.unit

FIX = Path(__file__).resolve().parents[1] / "fixtures"
FORMATS = FIX / "edgar_formats"
HEADERS = FIX / "dev_corpus" / "edgar_headers"
BAD = FIX / "bad"
TREE = FIX / "edgar" / "Archives" / "edgar" / "data" / "1268803"


# --------------------------------------------------------------------------- real envelopes
def test_pem_wrapped_1995_envelope_with_two_documents() -> None:
    s = read_submission(FORMATS / "0000950129-95-001652.txt")
    h = s.header
    assert s.envelope == "sec-document" and s.pem and not s.truncated and s.warnings == ()
    assert h.accession == "0000950129-95-001652"
    assert h.form_type == "24F-2NT"
    assert h.public_document_count == 2
    assert h.period_of_report == date(1995, 10, 31)
    assert h.filed_date == date(1995, 12, 28)
    assert h.fields["SROS"] == "NASD"
    (filer,) = h.filers
    assert filer.role == "FILER"
    assert filer.cik == 810271
    assert filer.name == "COMMON SENSE TRUST"
    assert filer.sic_code is None  # "STANDARD INDUSTRIAL CLASSIFICATION:	 []"
    assert (filer.state_of_incorporation, filer.fiscal_year_end) == ("MA", "1031")
    assert (filer.sec_act, filer.sec_file_number, filer.film_number) == ("1933 Act", "033-11716", "95605520")
    assert [(d.type, d.sequence, d.description) for d in s.documents] == [
        ("24F-2NT", 1, "VKAC COMMON SENSE TRUST - GROWTH FUND - 24F-2"),
        ("EX-99.11", 2, "OPINION OF SULLIVAN & WORCESTER"),
    ]
    assert len(s.documents) == h.public_document_count
    assert s.documents[0].text.lstrip().startswith("<PAGE>   1")
    for d in s.documents:  # the wrappers are gone, the PEM trailer too
        assert "<TEXT>" not in d.text and "</TEXT>" not in d.text and "PRIVACY-ENHANCED" not in d.text


def test_pem_form4_subject_company_and_reporting_owner() -> None:
    s = read_submission(FORMATS / "0001094891-00-000193.txt")
    h = s.header
    assert (h.accession, h.form_type, h.filed_date) == ("0001094891-00-000193", "4", date(2000, 3, 14))
    subject, owner = h.filers
    assert (subject.role, subject.cik, subject.sic_code) == ("SUBJECT COMPANY", 911787, 3540)
    assert subject.sic_description == "METALWORKING MACHINERY & EQUIPMENT"
    assert subject.former_names == ("PRODUCTIVITY TECHNOLOGIES CORP /DE",)
    assert (owner.role, owner.cik, owner.name, owner.relationship) == (
        "REPORTING-OWNER", 1050609, "FOSTER ALAN H", "DIRECTOR")
    assert h.primary_filer is subject and h.cik == 911787
    (doc,) = s.documents
    assert (doc.type, doc.sequence, doc.description) == ("4", 1, "FORM 4 - FEBRUARY 29,2000")
    assert doc.text.rstrip().endswith("March 13, 2000")


def test_1990s_header_only_envelope() -> None:
    s = read_submission(FORMATS / "1990sheader.txt")
    h = s.header
    assert (h.accession, h.form_type, h.public_document_count) == ("0001012325-98-000004", "4", 1)
    assert (h.period_of_report, h.filed_date) == (date(1998, 10, 31), date(1998, 11, 20))
    assert [(f.role, f.cik) for f in h.filers] == [("SUBJECT COMPANY", 1035972), ("REPORTING-OWNER", 1012325)]
    assert h.filers[0].name == "MORTON INTERNATIONAL INC /IN/"
    assert (h.filers[0].sic_code, h.filers[0].sec_file_number) == (2890, "001-12825")
    assert h.filers[0].former_names == ("NEW MORTON INTERNATIONAL INC",)
    assert h.filers[0].business_city == "CHICAGO"
    assert s.documents == ()


def test_multiple_filers_modern_header() -> None:
    s = read_submission(FORMATS / "MultipleFilersHeader.txt")
    h = s.header
    assert s.envelope == "header-only"
    assert h.accession == "0001104659-23-069855"
    assert h.form_type == "10-D"
    assert h.acceptance_datetime == datetime(2023, 6, 9, 14, 56, 16)
    assert (h.period_of_report, h.filed_date, h.date_of_change) == (
        date(2023, 5, 31), date(2023, 6, 9), date(2023, 6, 9))
    assert (h.depositor_cik, h.sponsor_cik, h.abs_asset_class) == (1171040, 36644, "Credit card")
    assert [(f.cik, f.name, f.sic_code, f.sec_file_number) for f in h.filers] == [
        (1396730, "First National Master Note Trust", 6189, "333-140273-01"),
        (1171040, "FIRST NATIONAL FUNDING LLC", 6189, "000-50139"),
    ]
    assert h.filers[1].state_of_incorporation == "NE"


def test_documents_without_header() -> None:
    s = read_submission(FORMATS / "0000899681-95-000096.txt")
    assert s.envelope == "documents-only" and s.header.is_empty
    assert [(d.type, d.sequence) for d in s.documents] == [("S-3/A", 1), ("EX-99", 2)]
    assert "PAGE AMERICA GROUP, INC." in s.documents[0].text


# Line breaks collapsed and tags stripped: the labels still cut the header into facts.
COLLAPSED = {
    "001": ("0001056404-05-002911", "8-K", date(2005, 8, 29), date(2005, 8, 25), [1322622], 6189),
    "002": ("0000931763-99-001524", "8-K", date(1999, 5, 10), date(1998, 9, 15), [1085199], None),
    "003": ("0000936988-05-000041", "8-K", date(2005, 12, 15), date(2005, 11, 30), [838440, 936988], 6189),
    "004": ("0000839947-09-000079", "10-D", date(2009, 7, 15), date(2009, 6, 25),
            [1108348, 921864, 839947], 6189),
    "005": ("0001193125-19-088236", "10-K", date(2019, 3, 27), date(2018, 12, 31),
            [1108348, 1522616, 921864], 6189),
}


@pytest.mark.parametrize("name", sorted(COLLAPSED))
def test_collapsed_abs_headers(name: str) -> None:
    accession, form, filed, period, ciks, sic = COLLAPSED[name]
    notes = json.loads((HEADERS / f"{name}.json").read_text())
    assert accession in notes["url"]
    s = read_submission(HEADERS / f"{name}.txt")
    h = s.header
    assert (h.accession, h.form_type, h.filed_date, h.period_of_report) == (accession, form, filed, period)
    assert [f.cik for f in h.filers][: len(ciks)] == ciks
    assert h.filers[0].sic_code == sic
    assert h.filers[0].role == "FILER"


def test_collapsed_header_details() -> None:
    h1 = read_submission(HEADERS / "001.txt").header
    assert h1.items == ("Other Events", "Financial Statements and Exhibits")
    assert h1.acceptance_datetime == datetime(2005, 8, 29, 9, 22, 52)
    f = h1.filers[0]
    assert f.name == "STRUCTURED ADJUSTABLE RATE MORTGAGE LOAN TRUST SERIES 2005-7"
    assert (f.sec_file_number, f.fiscal_year_end, f.state_of_incorporation) == ("333-120575-17", "1231", "DE")
    h2 = read_submission(HEADERS / "002.txt").header
    assert h2.items == () and h2.filers[0].sec_act is None  # blank ITEM INFORMATION / SEC ACT
    h3 = read_submission(HEADERS / "003.txt").header
    assert h3.public_document_count == 17
    assert h3.filers[0].former_names == ("MBNA AMERICA BANK N A", "MARYLAND BANK NA")
    h5 = read_submission(HEADERS / "005.txt").header
    assert h5.abs_asset_class == "Credit card"
    assert h5.filers[1].state_of_incorporation == "X1"
    assert h5.filers[1].name == "Citibank, N.A., as depositor of Citibank Credit Card Issuance Trust"


# --------------------------------------------------------------------------- seed fixtures
SEEDS = {
    "0001019965-04-000001": ("8-K", date(2003, 12, 26), date(2004, 1, 5), "aames031dec03.txt"),
    "0001019965-04-000147": ("10-K", date(2003, 12, 31), date(2004, 3, 30), "aames03110k.txt"),
}


@pytest.mark.parametrize("accession", sorted(SEEDS))
def test_seed_submissions(accession: str) -> None:
    form, period, filed, filename = SEEDS[accession]
    s = read_submission(TREE / f"{accession}.txt")
    h = s.header
    assert s.envelope == "sec-document" and not s.truncated and s.warnings == ()
    assert (h.accession, h.form_type, h.period_of_report, h.filed_date) == (accession, form, period, filed)
    assert h.public_document_count == 1
    (f,) = h.filers
    assert (f.cik, f.name, f.sic_code, f.sic_description) == (
        1268803, "AAMES MORTGAGE TRUST 2003-1", 6189, "ASSET-BACKED SECURITIES")
    assert (f.fiscal_year_end, f.form_type, f.sec_act, f.sec_file_number) == ("1231", form, "1934 Act", "333-106925-11")
    (doc,) = s.documents
    assert (doc.type, doc.sequence, doc.filename, doc.safe_name) == (form, 1, filename, filename)
    # The document comes back byte for byte as the seed.
    assert doc.text == (FIX / "seeds" / filename).read_text()
    assert s.primary_document is doc
    # The folder copy of the header parses to the same facts.
    nodash = accession.replace("-", "")
    hdr = read_submission(TREE / nodash / f"{accession}.hdr.sgml").header
    assert hdr == h


def test_seed_8k_items() -> None:
    h = read_submission(TREE / "0001019965-04-000001.txt").header
    assert h.items == ("Other events", "Financial statements and exhibits")


# --------------------------------------------------------------------------- hostile input
def test_filenames_are_never_paths() -> None:
    s = read_submission(BAD / "traversal_filenames.txt")
    assert [d.safe_name for d in s.documents] == [None, None, None, "ex99_3.txt", None]
    for bad in ("../../../../etc/passwd", "/etc/shadow", "C:\\Windows\\system32\\evil.txt", ".."):
        with pytest.raises(UnsafeFilename):
            safe_filename(bad)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("aames031dec03.txt", "aames031dec03.txt"),
        ("  ex99.htm\t", "ex99.htm"),
        ("dir/ex99.htm", "ex99.htm"),
        ("./ex99.htm", "ex99.htm"),
        ("ex 99;rm -rf.htm", "ex_99_rm_-rf.htm"),
        (".hidden", "hidden"),
        ("caf\u00e9.txt", "caf_.txt"),
        ("bell\x07.txt", "bell.txt"),
    ],
)
def test_safe_filename_cleans(raw: str, expected: str) -> None:
    assert safe_filename(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "   ", "evil\x00.txt", "../x", "a/../../b", "/abs", "\\\\server\\share",
                                 "D:evil", "...", "./.."])
def test_safe_filename_rejects(raw: str | None) -> None:
    with pytest.raises(UnsafeFilename):
        safe_filename(raw)


def test_cp1252_bytes_decode_by_documented_fallback() -> None:
    s = read_submission(BAD / "cp1252_bytes.txt")
    assert s.encoding == "cp1252"
    assert any("cp1252" in w for w in s.warnings)
    assert s.documents[0].text == "The \u201cTrustee\u201d said \u2013 caf\u00e9 \x81 done."
    assert decode_edgar("caf\u00e9".encode()) == ("caf\u00e9", "utf-8")


def test_truncated_envelope_keeps_what_arrived() -> None:
    s = read_submission(BAD / "truncated_envelope.txt")
    assert s.truncated
    assert s.header.accession == "0009999999-99-000001"
    first, second = s.documents
    assert (first.text, first.truncated) == ("complete first document", False)
    assert second.truncated and second.text.endswith("239,771,")
    assert second.filename == "ex991.txt"


def test_unclosed_header() -> None:
    s = read_submission(BAD / "unclosed_header.txt")
    assert s.truncated and s.documents == ()
    assert (s.header.accession, s.header.form_type, s.header.filed_date) == (
        "0009999999-99-000001", "8-K", date(1999, 1, 1))


def test_binaries_flagged_and_skipped_text_kept() -> None:
    s = read_submission(BAD / "binaries.txt")
    html, graphic, pdf, xml = s.documents
    assert (html.is_binary, html.text) == (False, "<HTML><BODY><P>Kept HTML</P></BODY></HTML>")
    assert (graphic.is_binary, graphic.binary_kind, graphic.binary_name, graphic.text) == (
        True, "uuencode", "logo.jpg", "")
    assert (pdf.is_binary, pdf.binary_kind, pdf.binary_name, pdf.text) == (True, "pdf", "report.pdf", "")
    assert xml.text == '<?xml version="1.0"?>\n<root>kept xml</root>'
    assert [d.type for d in s.documents_of_type("EX-")] == ["EX-99.1", "EX-101.INS"]


def test_bare_document_without_envelope() -> None:
    s = read_submission(BAD / "bare_document.txt")
    assert s.envelope == "bare" and s.header.is_empty
    (doc,) = s.documents
    assert doc.text == (BAD / "bare_document.txt").read_text()
    seed = parse_submission((FIX / "seeds" / "aames031dec03.txt").read_bytes())
    assert seed.envelope == "bare" and len(seed.documents) == 1 and seed.header.accession is None


def test_nul_and_crlf() -> None:
    s = read_submission(BAD / "nul_and_crlf.txt")
    assert s.documents[0].text == "line one\nline two"
    assert "NUL bytes removed" in s.warnings
    assert s.header.form_type == "8-K"


def test_document_without_text_section() -> None:
    s = read_submission(BAD / "tags_without_text.txt")
    (doc,) = s.documents
    assert (doc.type, doc.sequence, doc.text) == ("8-K", None, "no text tag here")
    assert any("no <TEXT>" in w for w in s.warnings)


def test_huge_input_is_linear_and_capped() -> None:
    doc = "<DOCUMENT>\n<TYPE>EX-99\n<SEQUENCE>{}\n<TEXT>\n" + ("x" * 79 + "\n") * 100 + "</TEXT>\n</DOCUMENT>\n"
    body = "".join(doc.format(i) for i in range(3000))  # 24 MB, 3,000 documents
    t0 = time.perf_counter()
    s = parse_submission(body.encode())
    assert len(s.documents) == 3000 and s.documents[-1].sequence == 2999
    # Hostile: a million empty documents, a header of endless labels: capped, not quadratic.
    flood = ("<DOCUMENT>\n" * 1_000_000).encode()
    capped = parse_submission(flood, max_documents=1000)
    assert len(capped.documents) == 1000 and capped.truncated
    labels = parse_header("CITY: X " * 300_000)  # 2.4 MB of one collapsed line
    assert labels.accession is None
    cut = parse_submission(b"<SEC-DOCUMENT>x\n" + b"y" * 5_000_000, max_bytes=1_000_000)
    assert cut.truncated and any("cut at" in w for w in cut.warnings)
    assert time.perf_counter() - t0 < 20
