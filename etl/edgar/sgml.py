"""Parse an EDGAR full submission (the ``.txt`` SGML envelope) into header facts and documents.

Handles the shapes EDGAR has served since 1993: the modern ``<SEC-DOCUMENT>``/``<SEC-HEADER>``
envelope, the same wrapped in a 1990s-2000s PEM block, a bare ``.hdr.sgml`` header (such as
``<ACCEPTANCE-DATETIME>`` + key/value lines), stored copies whose line breaks were collapsed to
spaces and whose tags were stripped, documents without any header, and a bare document with no
envelope at all. Input is hostile until proven otherwise: bytes that are not UTF-8 are decoded
by the documented fallback (``etl.edgar.encoding``), a ``<FILENAME>`` is never a path (see
``safe_filename``), and the work done is linear in the input and capped in size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from etl.edgar.encoding import decode_edgar

MAX_INPUT_BYTES = 512 * 1024 * 1024  # the largest real submissions are a few hundred MB
MAX_DOCUMENTS = 5_000  # real submissions hold at most a few hundred documents
MAX_HEADER_CHARS = 1024 * 1024  # headers are KBs; a 1 MB cap keeps hostile input linear
_META_SCAN_CHARS = 16 * 1024  # <TYPE>/<SEQUENCE>/... sit in the first lines of a document

ACCESSION_RE = re.compile(r"[0-9]{10}-[0-9]{2}-[0-9]{6}")


class UnsafeFilename(ValueError):
    """A declared ``<FILENAME>`` that cannot be made into a plain file name."""


_FILENAME_OK = re.compile(r"[^A-Za-z0-9._-]")


def safe_filename(name: str | None) -> str:
    """A plain file name (no directories) from an untrusted ``<FILENAME>``.

    Rejected (``UnsafeFilename``): empty names, NUL bytes, absolute paths (``/x``, ``\\x``,
    ``C:x``), and any ``..`` component: those are attacks or garbage, not names to clean.
    Cleaned: surrounding blanks and control characters are dropped, a ``dir/`` prefix is
    dropped (EDGAR folders are flat), characters outside ``[A-Za-z0-9._-]`` become ``_``.
    """
    if name is None:
        raise UnsafeFilename("no file name")
    if "\x00" in name:
        raise UnsafeFilename(f"NUL byte in file name {name!r}")
    cleaned = "".join(ch for ch in name if ch.isprintable()).strip()
    if not cleaned:
        raise UnsafeFilename(f"empty file name {name!r}")
    unified = cleaned.replace("\\", "/")
    if unified.startswith("/") or re.match(r"^[A-Za-z]:", unified):
        raise UnsafeFilename(f"absolute path as file name: {name!r}")
    parts = [p.strip() for p in unified.split("/")]
    if any(p == ".." for p in parts):
        raise UnsafeFilename(f"parent-directory component in file name: {name!r}")
    parts = [p for p in parts if p and p != "."]
    if not parts:
        raise UnsafeFilename(f"no file name in {name!r}")
    base = _FILENAME_OK.sub("_", parts[-1]).lstrip(".")
    if not base or set(base) <= {"_", "."}:
        raise UnsafeFilename(f"nothing usable in file name {name!r}")
    return base[:200]


# --------------------------------------------------------------------------- dataclasses
@dataclass(frozen=True)
class Filer:
    """One company block of the header (FILER, SUBJECT COMPANY, FILED BY, REPORTING-OWNER...)."""

    role: str
    cik: int | None = None
    name: str | None = None
    sic_code: int | None = None
    sic_description: str | None = None
    irs_number: str | None = None
    state_of_incorporation: str | None = None
    fiscal_year_end: str | None = None
    form_type: str | None = None
    sec_act: str | None = None
    sec_file_number: str | None = None
    film_number: str | None = None
    business_city: str | None = None
    business_state: str | None = None
    relationship: str | None = None
    former_names: tuple[str, ...] = ()

    # Short names the warehouse columns use (dim_filing.sic, dim_filing.file_number).
    @property
    def sic(self) -> int | None:
        return self.sic_code

    @property
    def file_number(self) -> str | None:
        return self.sec_file_number


@dataclass(frozen=True)
class SubmissionHeader:
    """Facts of the ``<SEC-HEADER>``; every field is ``None`` when absent."""

    accession: str | None = None
    form_type: str | None = None
    public_document_count: int | None = None
    period_of_report: date | None = None
    filed_date: date | None = None
    date_of_change: date | None = None
    acceptance_datetime: datetime | None = None  # EDGAR time (US Eastern), naive
    items: tuple[str, ...] = ()
    filers: tuple[Filer, ...] = ()
    depositor_cik: int | None = None
    sponsor_cik: int | None = None
    abs_asset_class: str | None = None
    fields: dict[str, str] = field(default_factory=dict)  # other top-level values, first seen

    @property
    def primary_filer(self) -> Filer | None:
        """The filer the submission is about: the first FILER, else the SUBJECT COMPANY."""
        for role in ("FILER", "SUBJECT COMPANY", "ISSUER"):
            for f in self.filers:
                if f.role == role:
                    return f
        return self.filers[0] if self.filers else None

    @property
    def cik(self) -> int | None:
        f = self.primary_filer
        return f.cik if f else None

    @property
    def is_empty(self) -> bool:
        return self.accession is None and self.form_type is None and not self.filers


@dataclass(frozen=True)
class Document:
    """One ``<DOCUMENT>``; binaries (uuencoded files, PDFs) are flagged and their bytes dropped."""

    type: str | None
    sequence: int | None
    filename: str | None  # as declared: untrusted, see safe_name
    description: str | None
    text: str
    is_binary: bool = False
    binary_kind: str | None = None  # "uuencode" or "pdf"
    binary_name: str | None = None  # the name in "begin 644 name"
    truncated: bool = False

    @property
    def safe_name(self) -> str | None:
        """``safe_filename(filename)``, or ``None`` when the declared name is unusable."""
        try:
            return safe_filename(self.filename)
        except UnsafeFilename:
            return None


@dataclass(frozen=True)
class Submission:
    header: SubmissionHeader
    documents: tuple[Document, ...]
    envelope: str  # "sec-document", "header-only", "documents-only" or "bare"
    pem: bool = False
    encoding: str = "utf-8"
    truncated: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def primary_document(self) -> Document | None:
        """The document whose TYPE is the submission's form type, else the first one."""
        form = self.header.form_type
        for d in self.documents:
            if form and d.type == form:
                return d
        return self.documents[0] if self.documents else None

    def documents_of_type(self, prefix: str) -> list[Document]:
        """Documents whose TYPE starts with ``prefix`` (``"EX-99"`` finds EX-99.1, EX-99.2...)."""
        return [d for d in self.documents if (d.type or "").upper().startswith(prefix.upper())]


# --------------------------------------------------------------------------- header
_TOP_LABELS = {
    "ACCESSION NUMBER",
    "CONFORMED SUBMISSION TYPE",
    "PUBLIC DOCUMENT COUNT",
    "CONFORMED PERIOD OF REPORT",
    "ITEM INFORMATION",
    "FILED AS OF DATE",
    "DATE AS OF CHANGE",
    "EFFECTIVENESS DATE",
    "ABS ASSET CLASS",
    "ABS RULE",
    "GROUP MEMBERS",
    "SROS",
    "PERIOD START",
}
_SECTION_LABELS = {
    "FILER",
    "SUBJECT COMPANY",
    "FILED BY",
    "ISSUER",
    "REPORTING-OWNER",
    "SERIAL COMPANY",
    "DEPOSITOR",
    "SECURITIZER",
    "SPONSOR",
}
_SUB_LABELS = {
    "COMPANY DATA",
    "OWNER DATA",
    "FILING VALUES",
    "BUSINESS ADDRESS",
    "MAIL ADDRESS",
    "FORMER COMPANY",
    "FORMER NAME",
}
_FILER_LABELS = {
    "COMPANY CONFORMED NAME",
    "CENTRAL INDEX KEY",
    "STANDARD INDUSTRIAL CLASSIFICATION",
    "IRS NUMBER",
    "STATE OF INCORPORATION",
    "FISCAL YEAR END",
    "ORGANIZATION NAME",
    "FORM TYPE",
    "SEC ACT",
    "SEC FILE NUMBER",
    "FILM NUMBER",
    "STREET 1",
    "STREET 2",
    "CITY",
    "STATE",
    "ZIP",
    "BUSINESS PHONE",
    "FORMER CONFORMED NAME",
    "DATE OF NAME CHANGE",
}
_ALL_LABELS = _TOP_LABELS | _SECTION_LABELS | _SUB_LABELS | _FILER_LABELS
# Longest first so "STATE OF INCORPORATION" wins over "STATE"; the look-behind keeps
# "FORM TYPE" from matching inside another word.
_LABEL_RE = re.compile(
    r"(?<![A-Za-z0-9-])("
    + "|".join(re.escape(x) for x in sorted(_ALL_LABELS, key=len, reverse=True))
    + r"):"
)
_GENERIC_LINE_RE = re.compile(r"^([A-Z][A-Z0-9 &/().,'-]{0,60}?):(.*)$")
_TAG_LINE_RE = re.compile(r"^<(/?)([A-Za-z0-9-]{1,60})>(.*)$")
_FILER_TAGS = {"REPORTING-OWNER", "SUBJECT-COMPANY", "FILER", "FILED-BY", "ISSUER"}
_DATE8 = re.compile(r"(?<![0-9])([0-9]{8})(?![0-9])")
_ACCEPT_COLLAPSED = re.compile(r"hdr\.sgml\s*:\s*[0-9]{8}\s+([0-9]{14})(?![0-9])")


def _to_date(value: str) -> date | None:
    m = _DATE8.search(value)
    if not m:
        return None
    try:
        return datetime.strptime(m.group(1), "%Y%m%d").date()
    except ValueError:
        return None


def _to_datetime(value: str) -> datetime | None:
    m = re.search(r"[0-9]{14}", value)
    if not m:
        return None
    try:
        return datetime.strptime(m.group(0), "%Y%m%d%H%M%S")
    except ValueError:
        return None


def _first_int(value: str, max_digits: int = 10) -> int | None:
    m = re.search(rf"[0-9]{{1,{max_digits}}}", value)
    return int(m.group(0)) if m else None


def _first_token(value: str) -> str | None:
    parts = value.split()
    return parts[0] if parts else None


def _tokens(text: str) -> list[tuple[str, str, str]]:
    """``(kind, key, value)`` items of a header: kind is "tag", "endtag", "kv" or "prefix".

    Line mode reads one ``KEY: value`` per line (unknown keys too). Collapsed copies (one long
    line, tags stripped) are cut at every known label instead.
    """
    out: list[tuple[str, str, str]] = []
    collapsed = text.count("\n") < 3 and len(text) > 200
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        tag = _TAG_LINE_RE.match(line)
        if tag and not collapsed:
            out.append(("endtag" if tag.group(1) else "tag", tag.group(2).upper(), tag.group(3).strip()))
            continue
        if collapsed:
            matches = list(_LABEL_RE.finditer(line))
            if not matches:
                out.append(("prefix", "", line))
                continue
            if matches[0].start() > 0:
                out.append(("prefix", "", line[: matches[0].start()].strip()))
            for i, m in enumerate(matches):
                end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
                out.append(("kv", m.group(1), line[m.end() : end].strip()))
            continue
        lm = _LABEL_RE.match(line)
        if lm:
            out.append(("kv", lm.group(1), line[lm.end() :].strip()))
            continue
        g = _GENERIC_LINE_RE.match(line)
        if g:
            out.append(("kv", " ".join(g.group(1).split()), g.group(2).strip()))
        else:
            out.append(("prefix", "", line))
    return out


def _sic(value: str) -> tuple[int | None, str | None]:
    m = re.search(r"\[\s*([0-9]{3,4})\s*\]", value)
    desc = value.split("[", 1)[0].strip() or None
    return (int(m.group(1)) if m else None), desc


@dataclass
class _HeaderDraft:
    """Mutable twin of ``SubmissionHeader`` while the tokens are read."""

    accession: str | None = None
    envelope_accession: str | None = None  # from "<SEC-DOCUMENT>0001...txt : date" if no label
    form_type: str | None = None
    public_document_count: int | None = None
    period_of_report: date | None = None
    filed_date: date | None = None
    date_of_change: date | None = None
    acceptance_datetime: datetime | None = None
    items: list[str] = field(default_factory=list)
    depositor_cik: int | None = None
    sponsor_cik: int | None = None
    abs_asset_class: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    filers: list[dict[str, Any]] = field(default_factory=list)

    def start_filer(self, role: str) -> dict[str, Any]:
        filer: dict[str, Any] = {"role": role, "former_names": []}
        self.filers.append(filer)
        return filer

    def top_level(self, key: str, value: str) -> None:
        if key == "ITEM INFORMATION":
            if value:
                self.items.append(value)
        elif key == "ACCESSION NUMBER":
            m = ACCESSION_RE.search(value)
            self.accession = m.group(0) if m else None
        elif key == "CONFORMED SUBMISSION TYPE":
            self.form_type = value or None
        elif key == "PUBLIC DOCUMENT COUNT":
            self.public_document_count = _first_int(value, 6)
        elif key == "CONFORMED PERIOD OF REPORT":
            self.period_of_report = _to_date(value)
        elif key == "FILED AS OF DATE":
            self.filed_date = _to_date(value)
        elif key == "DATE AS OF CHANGE":
            self.date_of_change = _to_date(value)
        elif key == "ABS ASSET CLASS":
            self.abs_asset_class = value or None
        else:
            self.fields.setdefault(key, value)

    def freeze(self) -> SubmissionHeader:
        filers = []
        for f in self.filers:
            filers.append(Filer(**{**f, "former_names": tuple(f["former_names"])}))
        return SubmissionHeader(
            accession=self.accession or self.envelope_accession,
            form_type=self.form_type,
            public_document_count=self.public_document_count,
            period_of_report=self.period_of_report,
            filed_date=self.filed_date,
            date_of_change=self.date_of_change,
            acceptance_datetime=self.acceptance_datetime,
            items=tuple(self.items),
            filers=tuple(filers),
            depositor_cik=self.depositor_cik,
            sponsor_cik=self.sponsor_cik,
            abs_asset_class=self.abs_asset_class,
            fields=self.fields,
        )


_ENVELOPE_ACCESSION = re.compile("(" + ACCESSION_RE.pattern + r")\.(?:txt|hdr\.sgml)")


def parse_header(text: str) -> SubmissionHeader:
    """Header facts from the text of a ``<SEC-HEADER>`` (or a collapsed copy of one)."""
    draft = _HeaderDraft()
    cur: dict[str, Any] | None = None  # the filer block being read
    sub: str | None = None  # its sub-block (COMPANY DATA, FILING VALUES, BUSINESS ADDRESS...)
    for kind, key, value in _tokens(text[:MAX_HEADER_CHARS]):
        if kind == "prefix":  # text between labels: in collapsed copies, the stripped tags' values
            if draft.acceptance_datetime is None and (m := _ACCEPT_COLLAPSED.search(value)):
                draft.acceptance_datetime = _to_datetime(m.group(1))
            if draft.envelope_accession is None and (m := _ENVELOPE_ACCESSION.search(value)):
                draft.envelope_accession = m.group(1)
        elif kind in ("tag", "endtag"):
            if key in _FILER_TAGS:
                role = key if key == "REPORTING-OWNER" else key.replace("-", " ")
                cur, sub = (draft.start_filer(role) if kind == "tag" else None), None
            elif kind == "endtag":
                continue
            elif key == "ACCEPTANCE-DATETIME":
                draft.acceptance_datetime = _to_datetime(value)
            elif key == "DEPOSITOR-CIK":
                draft.depositor_cik = _first_int(value)
            elif key == "SPONSOR-CIK":
                draft.sponsor_cik = _first_int(value)
            elif key == "RELATIONSHIP" and cur is not None:
                cur["relationship"] = value or None
            elif key in ("SEC-DOCUMENT", "SEC-HEADER", "IMS-HEADER") and (m := ACCESSION_RE.search(value)):
                draft.envelope_accession = draft.envelope_accession or m.group(0)
        elif key in _SECTION_LABELS:
            cur, sub = draft.start_filer(key), None
        elif key in _SUB_LABELS:
            sub = key
            if cur is None:  # a company block without its section line (truncated copies)
                cur = draft.start_filer("FILER")
        elif key in _TOP_LABELS:
            draft.top_level(key, value)
        elif cur is not None and key in _FILER_LABELS:
            _assign_filer_field(cur, sub, key, value)
        else:
            draft.fields.setdefault(key, value)
    return draft.freeze()


def _assign_filer_field(cur: dict[str, Any], sub: str | None, key: str, value: str) -> None:
    if key == "FORMER CONFORMED NAME":
        if value:
            cur["former_names"].append(value)
    elif key == "DATE OF NAME CHANGE":
        return
    elif sub in ("BUSINESS ADDRESS", "MAIL ADDRESS"):
        if sub == "BUSINESS ADDRESS" and key == "CITY":
            cur["business_city"] = value or None
        elif sub == "BUSINESS ADDRESS" and key == "STATE":
            cur["business_state"] = _first_token(value)
    elif key in ("COMPANY CONFORMED NAME", "ORGANIZATION NAME"):
        cur.setdefault("name", value or None)
    elif key == "CENTRAL INDEX KEY":
        cur["cik"] = _first_int(value)
    elif key == "STANDARD INDUSTRIAL CLASSIFICATION":
        cur["sic_code"], cur["sic_description"] = _sic(value)
    elif key == "IRS NUMBER":
        cur["irs_number"] = _first_token(value)
    elif key == "STATE OF INCORPORATION":
        cur["state_of_incorporation"] = _first_token(value)
    elif key == "FISCAL YEAR END":
        m = re.search(r"(?<![0-9])[0-9]{4}(?![0-9])", value)
        cur["fiscal_year_end"] = m.group(0) if m else None
    elif key == "FORM TYPE":
        cur["form_type"] = value or None
    elif key == "SEC ACT":
        cur["sec_act"] = value or None
    elif key == "SEC FILE NUMBER":
        cur["sec_file_number"] = _first_token(value)
    elif key == "FILM NUMBER":
        cur["film_number"] = _first_token(value)


# --------------------------------------------------------------------------- documents
# Case-sensitive on purpose: EDGAR's own tags are upper case, while the documents they wrap
# may hold "<document>" or SVG "</text>" of their own.
_DOC_MARK_RE = re.compile(r"^(</?DOCUMENT>|</SEC-DOCUMENT>)[ \t]*$", re.MULTILINE)
_META_RE = re.compile(r"^<(TYPE|SEQUENCE|FILENAME|DESCRIPTION)>(.*)$", re.IGNORECASE)
_TEXT_OPEN_RE = re.compile(r"^<TEXT>[ \t]*\n?", re.MULTILINE)
_UU_BEGIN_RE = re.compile(r"\Abegin [0-7]{3,4} (\S[^\n]*)")
_WRAPPER_RE = re.compile(r"\A\s*<(XML|XBRL)>[ \t]*\n?(.*?)\n?</\1>\s*\Z", re.DOTALL | re.IGNORECASE)


def _parse_document(block: str, truncated: bool, warnings: list[str]) -> Document:
    meta: dict[str, str] = {}
    text_m = _TEXT_OPEN_RE.search(block, 0, min(len(block), _META_SCAN_CHARS))
    meta_part = block[: text_m.start()] if text_m else block[:_META_SCAN_CHARS]
    for line in meta_part.split("\n"):
        m = _META_RE.match(line.strip())
        if m:
            meta.setdefault(m.group(1).upper(), m.group(2).strip())
    if text_m:
        body = block[text_m.end() :]
        close = body.rfind("</TEXT>")
        if close >= 0:
            body = body[:close]
        else:
            truncated = True
        if body.endswith("\n"):
            body = body[:-1]
    else:  # keep whatever is not a meta tag: better some text than none
        body = "\n".join(ln for ln in block.split("\n") if not _META_RE.match(ln.strip())).strip("\n")
        warnings.append(f"document {meta.get('SEQUENCE', '?')} has no <TEXT> section")

    seq_raw = meta.get("SEQUENCE", "")
    sequence = int(seq_raw) if seq_raw.isdigit() and len(seq_raw) < 7 else None
    kind, binary_name = None, None
    head = body.lstrip()[:4096]
    if head[:5].upper() == "<PDF>":
        kind = "pdf"
        uu = _UU_BEGIN_RE.search(head[5:].lstrip())
        binary_name = uu.group(1).strip() if uu else None
    else:
        uu = _UU_BEGIN_RE.search(head)
        if uu:
            kind, binary_name = "uuencode", uu.group(1).strip()
    if kind:
        body = ""
    else:
        wrapped = _WRAPPER_RE.match(body)
        if wrapped:
            body = wrapped.group(2)
    return Document(
        type=meta.get("TYPE") or None,
        sequence=sequence,
        filename=meta.get("FILENAME") or None,
        description=meta.get("DESCRIPTION") or None,
        text=body,
        is_binary=kind is not None,
        binary_kind=kind,
        binary_name=binary_name,
        truncated=truncated,
    )


def _split_documents(
    text: str, max_documents: int, warnings: list[str]
) -> tuple[list[Document], int | None, bool]:
    """Documents, offset of the first ``<DOCUMENT>`` (or None), and whether one was cut off."""
    docs: list[Document] = []
    first: int | None = None
    start: int | None = None
    any_truncated = False
    for m in _DOC_MARK_RE.finditer(text):
        mark = m.group(1).upper()
        if mark == "<DOCUMENT>":
            if first is None:
                first = m.start()
            if start is not None:  # a new document before the previous one closed
                docs.append(_parse_document(text[start : m.start()], True, warnings))
                any_truncated = True
            start = m.end() + 1
        elif start is not None:  # </DOCUMENT> or </SEC-DOCUMENT>
            docs.append(_parse_document(text[start : m.start()], False, warnings))
            start = None
        if len(docs) >= max_documents:
            warnings.append(f"stopped after {max_documents} documents")
            return docs, first, True
    if start is not None:
        docs.append(_parse_document(text[start:], True, warnings))
        any_truncated = True
    return docs, first, any_truncated


# --------------------------------------------------------------------------- submission
_PEM_BEGIN = "-----BEGIN PRIVACY-ENHANCED MESSAGE-----"
_HEADER_OPEN_RE = re.compile(r"^<(SEC-HEADER|IMS-HEADER)>[^\n]*$", re.MULTILINE)
_HEADER_CLOSE_RE = re.compile(r"^</(SEC-HEADER|IMS-HEADER)>", re.MULTILINE)
_SECDOC_RE = re.compile(r"^<SEC-DOCUMENT>[^\n]*$", re.MULTILINE)
_SECDOC_CLOSE_RE = re.compile(r"^</SEC-DOCUMENT>", re.MULTILINE)


def parse_submission(
    data: bytes | str, *, max_bytes: int = MAX_INPUT_BYTES, max_documents: int = MAX_DOCUMENTS
) -> Submission:
    """Parse a full submission; never raises on malformed input, says what it tolerated."""
    warnings: list[str] = []
    truncated = False
    if isinstance(data, bytes):
        if len(data) > max_bytes:
            data = data[:max_bytes]
            truncated = True
            warnings.append(f"input cut at {max_bytes} bytes")
        text, encoding = decode_edgar(data)
        if encoding != "utf-8":
            warnings.append("not valid UTF-8: decoded as cp1252 (undefined bytes as Latin-1)")
    else:
        text, encoding = data[:max_bytes], "str"
    if "\x00" in text:
        text = text.replace("\x00", "")
        warnings.append("NUL bytes removed")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")

    pem = text.lstrip()[: len(_PEM_BEGIN)] == _PEM_BEGIN
    documents, first_doc, docs_truncated = _split_documents(text, max_documents, warnings)
    truncated = truncated or docs_truncated

    head_m = _HEADER_OPEN_RE.search(text, 0, first_doc if first_doc is not None else len(text))
    secdoc_m = _SECDOC_RE.search(text, 0, first_doc if first_doc is not None else len(text))
    header_text = ""
    if head_m:
        start = (secdoc_m.start() if secdoc_m and secdoc_m.start() < head_m.start() else head_m.start())
        end_m = _HEADER_CLOSE_RE.search(
            text, head_m.end(), first_doc if first_doc is not None else len(text)
        )
        if end_m:
            end = end_m.start()
        else:
            end = first_doc if first_doc is not None else len(text)
            warnings.append("header not closed (</SEC-HEADER> missing)")
            truncated = truncated or first_doc is None
        header_text = text[start:end]
    else:
        before = text[: first_doc if first_doc is not None else len(text)][:MAX_HEADER_CHARS]
        if "ACCESSION NUMBER:" in before or "CONFORMED SUBMISSION TYPE:" in before:
            header_text = before
    header = parse_header(header_text) if header_text else SubmissionHeader()

    if secdoc_m and not _SECDOC_CLOSE_RE.search(text):
        truncated = True
        warnings.append("envelope not closed (</SEC-DOCUMENT> missing)")

    if secdoc_m or head_m:
        envelope = "sec-document"
    elif not header.is_empty:
        envelope = "header-only"
        if not documents:
            warnings.append("header without <DOCUMENT> tags: documents not separable")
    elif documents:
        envelope = "documents-only"
    else:
        envelope = "bare"
        documents = [Document(type=None, sequence=1, filename=None, description=None, text=text)]
    if any(d.truncated for d in documents):
        truncated = True
    return Submission(
        header=header,
        documents=tuple(documents),
        envelope=envelope,
        pem=pem,
        encoding=encoding,
        truncated=truncated,
        warnings=tuple(warnings),
    )


def read_submission(path: str | Path, **kwargs: int) -> Submission:
    """``parse_submission`` of a file on disk, reading no more than the size cap."""
    p = Path(path)
    limit = kwargs.get("max_bytes", MAX_INPUT_BYTES)
    with p.open("rb") as fh:
        data = fh.read(limit + 1)
    return parse_submission(data, **kwargs)
