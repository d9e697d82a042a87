"""Distribution-report parser: every figure of every section, in any trustee's layout,
with where it was printed.

Public API: ``parse_path(path)`` and ``parse_bytes(data, path, submission=None)``, both returning
the dict described in docs/CONTRACTS.md (``etl.contracts.ParsedReport``). Neither raises on bad
input: an unreadable document comes back with ``kind`` "unknown" and an ``error`` saying why.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from etl.contracts import ParsedReport
from etl.edgar.sgml import Submission
from etl.parse.assemble import (
    ACCRUAL_RE,
    CLASS_KEYS,
    DIST_DATE_RE,
    RECORD_DATE_RE,
    REPORT_DATE_RE,
    Builder,
    assemble,
)
from etl.parse.locate import Document, Located, find_report_documents

if TYPE_CHECKING:
    from etl.parse.tokens import Row

__all__ = ["parse_bytes", "parse_path"]

# Candidate documents read per submission; the report is nearly always among the first.
MAX_CANDIDATES = 6
_ANNUAL_FORMS = ("10-K", "10-K405", "10-KSB", "10-K/A", "10-K405/A")
_TAG_RE = re.compile(r"<[^>]{0,2000}>")
_TRUST_LINE_RE = re.compile(r"^[^\n]{0,100}\bTRUST\b[^\n]{0,60}$", re.I | re.M)


def _empty(path: str) -> ParsedReport:
    return {
        "path": path, "kind": "unknown", "form_type": None, "cik": None, "accession": None,
        "filed_date": None, "deal_name": None, "document": None, "distribution_date": None,
        "record_date": None, "accrual_start": None, "accrual_end": None, "amount_decimals": None,
        "classes": [], "class_totals": [], "pools": [], "deal": {}, "delinquencies": [],
        "fields": [], "tables": [], "warnings": [], "error": None,
    }


def parse_path(path: str | Path) -> ParsedReport:
    """Parse the file at ``path`` (a submission or a bare report); never raises."""
    p = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        out = _empty(p)
        out["error"] = f"cannot read file: {exc.strerror or exc}"
        return out
    return parse_bytes(data, p)


def parse_bytes(data: bytes, path: str = "", submission: Submission | None = None) -> ParsedReport:
    """Parse one filing or document given as bytes; never raises.

    ``submission``: the envelope of ``data`` already split (``etl.edgar.sgml.parse_submission``),
    so that a caller that needs the envelope too splits it once; split here when not given.
    """
    out = _empty(path)
    try:
        _parse(data, path, out, submission)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch
        out["kind"] = "unknown"
        out["error"] = f"parser failure: {type(exc).__name__}: {exc}"
    return out


def _header_facts(loc: Located, out: ParsedReport) -> None:
    h = loc.header
    out["form_type"] = h.get("form_type")
    out["accession"] = h.get("accession")
    out["filed_date"] = h.get("filed_date")
    filers = h.get("filers") or []
    if filers:
        abs_filers = [f for f in filers if f.get("sic") == 6189] or filers
        out["cik"] = abs_filers[0].get("cik")
        out["deal_name"] = abs_filers[0].get("name")


def _rows(doc: Document, warnings: list[str]) -> list[Row]:
    if doc.is_html:
        from etl.parse.html_tables import rows_from_html

        return rows_from_html(doc.text, warnings)
    from etl.parse.text_tables import rows_from_text

    return rows_from_text(doc.text, warnings)


def _truncated(doc: Document) -> bool:
    tail = doc.text[-200:].rstrip(" \t")
    if doc.is_html:
        return not tail.rstrip().endswith(">")
    return not tail.endswith("\n")


def _score(b: Builder) -> int:
    with_values = sum(
        1 for c in b.classes.values() if any(c.get(k) is not None for k in CLASS_KEYS)
    )
    mapped = sum(1 for f in b.fields if f["measure"])
    return with_values * 20 + mapped


def _parse(data: bytes, path: str, out: ParsedReport, submission: Submission | None) -> None:
    loc = find_report_documents(data, path, submission)
    out["warnings"].extend(loc.warnings)
    if loc.error:
        out["error"] = loc.error
        return
    _header_facts(loc, out)
    form = (out["form_type"] or "").upper()
    if form in _ANNUAL_FORMS or form.startswith("10-K"):
        out["kind"] = "annual_report"
        _annual(loc, out)
        return
    best: tuple[int, Document, Builder] | None = None
    for doc in loc.documents[:MAX_CANDIDATES]:
        warns: list[str] = []
        rows = _rows(doc, warns)
        b = assemble(rows, doc.filename or Path(path).name or doc.type, _truncated(doc))
        b.warnings[:0] = warns
        score = _score(b)
        if best is None or score > best[0]:
            best = (score, doc, b)
        if score >= 200:
            break
    if best is None:
        out["error"] = "no document to read"
        return
    _, doc, b = best
    out["document"] = doc.filename or (Path(path).name if path else None)
    out["warnings"].extend(b.warnings)
    _dates(doc.text, out)
    if out["deal_name"] is None:
        m = _TRUST_LINE_RE.search(doc.text[:6000])
        if m:
            out["deal_name"] = " ".join(m.group(0).split()).strip(" |")
    out["classes"] = list(b.classes.values())
    # the records are TypedDicts (etl.parse.assemble); the contract keeps them open dicts
    out["class_totals"] = cast(list[dict[str, Any]], b.class_totals)
    out["pools"] = list(b.pools.values())
    out["deal"] = b.deal
    out["delinquencies"] = [{k: v for k, v in d.items() if k != "label"} for d in b.delinq.values()]
    out["fields"] = cast(list[dict[str, Any]], b.fields)
    out["tables"] = cast(list[dict[str, Any]], b.tables)
    if b.amount_decimals:
        out["amount_decimals"] = 2 if b.amount_decimals.get(2, 0) > 0 and \
            b.amount_decimals.get(2, 0) >= b.amount_decimals.get(0, 0) / 4 else \
            b.amount_decimals.most_common(1)[0][0]
    if out["classes"] or out["pools"] or out["deal"] or out["delinquencies"]:
        out["kind"] = "distribution_report"
    else:
        out["error"] = "no distribution report found: no class, pool or deal figures were recognised"


def _dates(text: str, out: ParsedReport) -> None:
    from etl.parse.dates import parse_date

    head = text[:400_000]
    if "<" in head and ">" in head:
        head = html.unescape(_TAG_RE.sub(" ", head))
    m = DIST_DATE_RE.search(head) or REPORT_DATE_RE.search(head)
    if m:
        out["distribution_date"] = parse_date(m.group("d"))
    m = RECORD_DATE_RE.search(head)
    if m:
        out["record_date"] = parse_date(m.group("d"))
    m = ACCRUAL_RE.search(head)
    if m:
        out["accrual_start"] = parse_date(m.group("d"))
        out["accrual_end"] = parse_date(m.group("e"))


def _annual(loc: Located, out: ParsedReport) -> None:
    """10-K: the annual parser (``etl.parse.annual``) reads the body."""
    from etl.parse.annual import parse_annual  # on the first 10-K: reading 10-Ds alone does not import it

    out["document"] = loc.documents[0].filename if loc.documents else None
    try:
        extra = parse_annual(loc.all_text)
    except Exception as exc:  # noqa: BLE001 - the annual parser's failure is reported, not raised
        out["warnings"].append(f"annual report parser failed: {type(exc).__name__}: {exc}")
        return
    if isinstance(extra, dict):
        for k, v in extra.items():
            if k in ("path", "kind"):
                continue
            if k == "warnings" and isinstance(v, list):
                out["warnings"].extend(v)
                continue
            if v is not None or k not in out:
                cast(dict[str, Any], out)[k] = v
