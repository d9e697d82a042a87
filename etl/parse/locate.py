"""Find the distribution report inside whatever was handed over: a whole EDGAR submission
(SGML envelope), a bare text or HTML document, or a document cut off part-way.

Decoding and size limits live here so that nothing downstream sees bytes: a binary file,
undecodable bytes or a 50 MB document come back as a warning or an error, never a crash.
The envelope is split by ``etl.edgar.sgml`` (the pipeline's one envelope parser), or handed
over already split by it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from etl.edgar.sgml import Submission, parse_submission

# Only this much of one document is scanned: real reports are well under it, and it bounds
# time and memory on a pathological input.
MAX_DOC_BYTES = 4 * 1024 * 1024
# Whole submissions larger than this are cut before splitting (the report is near the top).
MAX_SUBMISSION_BYTES = 64 * 1024 * 1024

_HTML_RE = re.compile(r"<(?:html|body|tr|td|th|div|p|br|font|pre|span)\b[^>]*>", re.I)
_UUENCODE_RE = re.compile(rb"^begin \d{3} ", re.M)
# Control bytes that text documents do not contain (tab, LF, FF and CR are fine). Deleted in
# one C-level ``bytes.translate`` pass instead of one ``count`` pass per byte value.
_CTRL_BYTES = bytes(c for c in range(1, 32) if c not in (9, 10, 12, 13))

_HDR = {
    "accession": re.compile(r"ACCESSION NUMBER:\s*(\d{10}-\d{2}-\d{6})"),
    "form_type": re.compile(r"CONFORMED SUBMISSION TYPE:\s*([\w/-]+)"),
    "filed_date": re.compile(r"FILED AS OF DATE:\s*(\d{8})"),
    "period": re.compile(r"CONFORMED PERIOD OF REPORT:\s*(\d{8})"),
}
_FILER_RE = re.compile(
    r"COMPANY CONFORMED NAME:\s*(?P<name>.+?)\s*(?:\n|\s{2,}|(?=CENTRAL INDEX KEY:))"
    r".*?CENTRAL INDEX KEY:\s*(?P<cik>\d+)"
    r"(?:\s*STANDARD INDUSTRIAL CLASSIFICATION:\s*(?P<sicname>[^\[\n]*?)\s*\[(?P<sic>\d*)\])?",
    re.S,
)
_FORM_IN_TEXT_RE = re.compile(r"\bFORM\s+(8-K|10-D|10-K|10-Q|10-K405)(?:/A)?\b", re.I)
_ANNUAL_RE = re.compile(r"annual\s+report\s+pursuant\s+to\s+section\s+13", re.I)

# Document types that can hold the report, best first, per form.
_REPORT_TYPES = ("EX-99", "EX-20", "EX-19", "EX-10", "EX-28")
_SKIP_TYPES = ("GRAPHIC", "ZIP", "PDF", "XML", "EX-101", "EX-102", "JSON", "XSD", "EXCEL", "COVER")


@dataclass
class Document:
    """One document of a filing, decoded."""

    type: str
    sequence: int | None
    filename: str
    description: str
    text: str
    is_html: bool


@dataclass
class Located:
    """What the envelope said and which documents may hold the report, best first."""

    header: dict[str, Any] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)
    all_text: str = ""
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes near the start: not a text or HTML document."""
    head = data[:65536]
    if not head:
        return False
    if b"\x00" in head or head.startswith((b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xd0\xcf\x11\xe0")):
        return True
    ctrl = len(head) - len(head.translate(None, _CTRL_BYTES))
    return ctrl > len(head) * 0.02


def decode(data: bytes, warnings: list[str]) -> str:
    """UTF-8 when valid, else Windows-1252 with undecodable bytes replaced (and said so)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        bad = text.count("\ufffd")
        warnings.append(
            "not valid UTF-8; decoded as Windows-1252"
            + (f" with {bad} undecodable byte(s) replaced" if bad else "")
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _cap(data: bytes, limit: int, what: str, warnings: list[str]) -> bytes:
    if len(data) > limit:
        warnings.append(f"{what} is {len(data) / 1e6:.1f} MB; only the first {limit // (1024 * 1024)} MB were scanned")
        return data[:limit]
    return data


def parse_header(text: str) -> dict[str, Any]:
    """Accession, form, filing date and filers from an SEC header (also when line breaks
    were collapsed, as on stored copies of the page)."""
    out: dict[str, Any] = {}
    for key, rx in _HDR.items():
        m = rx.search(text)
        if m:
            out[key] = m.group(1)
    if "filed_date" in out:
        d = out["filed_date"]
        out["filed_date"] = f"{d[:4]}-{d[4:6]}-{d[6:]}"
    filers = []
    for m in _FILER_RE.finditer(text):
        sic = m.group("sic")
        filers.append({"name": m.group("name").strip(), "cik": int(m.group("cik")),
                       "sic": int(sic) if sic else None})
    out["filers"] = filers
    return out


def _make_doc(dtype: str, seq: str | int | None, filename: str, desc: str, raw: bytes | str,
              warnings: list[str]) -> Document:
    if isinstance(raw, bytes):
        raw = _cap(raw, MAX_DOC_BYTES, f"document {filename or dtype or '?'}", warnings)
        if _UUENCODE_RE.search(raw[:2000]) or looks_binary(raw):
            text = ""
        else:
            text = decode(raw, warnings)
    else:
        if len(raw) > MAX_DOC_BYTES:
            warnings.append(f"document {filename or dtype} is over {MAX_DOC_BYTES // (1024 * 1024)} MB; "
                            "only the start was scanned")
            raw = raw[:MAX_DOC_BYTES]
        text = raw
    try:
        seq_no = int(seq) if seq not in (None, "") else None
    except (TypeError, ValueError):
        seq_no = None
    return Document(dtype.strip().upper(), seq_no, filename.strip(), desc.strip(), text,
                    bool(_HTML_RE.search(text[:20000])))


def _from_submission(sub: Submission, oversized: bool, warnings: list[str]) -> tuple[dict[str, Any], list[Document]]:
    """Header facts and the text documents of a split envelope.

    A submission split from more than ``MAX_SUBMISSION_BYTES`` keeps only the documents that
    start within that many characters, as reading no more than its first bytes would.
    """
    h = sub.header
    header: dict[str, Any] = {
        "accession": h.accession,
        "form_type": h.form_type,
        "filed_date": h.filed_date.isoformat() if h.filed_date else None,
        "filers": [{"name": f.name, "cik": f.cik, "sic": f.sic_code} for f in h.filers],
    }
    docs: list[Document] = []
    scanned = 0
    for d in sub.documents:
        if oversized and scanned >= MAX_SUBMISSION_BYTES:
            break
        scanned += len(d.text)
        if not d.is_binary:
            docs.append(_make_doc(d.type or "", d.sequence, d.filename or "", d.description or "", d.text,
                                  warnings))
    return header, docs


def _rank(doc: Document, form: str) -> int:
    t = doc.type
    if not doc.text or any(t.startswith(s) for s in _SKIP_TYPES):
        return 99
    if form.startswith("10-D") and t.startswith("EX-99.1"):
        return 0
    for i, prefix in enumerate(_REPORT_TYPES):
        if t.startswith(prefix):
            return 1 + i
    if t.startswith(("8-K", "10-D")) or t == "":
        return 10
    return 20


def find_report_documents(data: bytes, path: str = "", submission: Submission | None = None) -> Located:
    """Decode ``data`` and list the documents that may hold the report, best first.

    ``submission`` is ``etl.edgar.sgml.parse_submission(data)`` when the caller has split the
    envelope already; it is split here otherwise. Input without an envelope is read as one document.
    """
    loc = Located()
    if not data or not data.strip():
        loc.error = "empty input"
        return loc
    oversized = len(data) > MAX_SUBMISSION_BYTES
    data = _cap(data, MAX_SUBMISSION_BYTES, "input", loc.warnings)
    has_envelope = b"<DOCUMENT>" in data[:2_000_000] or b"<SEC-DOCUMENT>" in data[:10000]
    if not has_envelope and looks_binary(data):
        loc.error = "binary input (not a text or HTML document)"
        return loc
    if has_envelope:
        if submission is None:
            submission, oversized = parse_submission(data), False
        loc.header, docs = _from_submission(submission, oversized, loc.warnings)
        if not docs:
            binary = b"<PDF>" in data or b"\nbegin 6" in data or b"\nbegin 7" in data
            loc.error = ("only binary documents in the submission (uuencoded or PDF), no text or HTML"
                         if binary else "SGML envelope without documents")
            return loc
    else:
        name = PurePath(path).name if path else ""
        doc = _make_doc("", None, name, "", data, loc.warnings)
        if not doc.text.strip():
            loc.error = "no text could be read from the input"
            return loc
        loc.header = parse_header(doc.text[:20000]) if "ACCESSION NUMBER:" in doc.text[:20000] else {}
        docs = [doc]
    form = (loc.header.get("form_type") or "").upper()
    if not form:
        for d in docs[:3]:
            m = _FORM_IN_TEXT_RE.search(d.text[:6000])
            if m:
                form = m.group(1).upper()
                if form.startswith("10-K") and not _ANNUAL_RE.search(d.text[:8000]):
                    continue
                break
        if form:
            loc.header["form_type"] = form
            loc.header["form_from_text"] = True
    loc.all_text = "\n".join(d.text for d in docs if d.text)
    ranked = sorted((d for d in docs if _rank(d, form) < 99), key=lambda d: (_rank(d, form), d.sequence or 0))
    loc.documents = ranked
    if not ranked:
        loc.error = "no text or HTML document in the submission"
    return loc
