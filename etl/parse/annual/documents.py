"""Cut a 10-K submission into the pieces the annual parsers read.

A 10-K arrives either as a full SGML submission (``<DOCUMENT><TYPE>EX-33`` ...), as a list
of its documents, or as one primary document with the exhibits pasted in under headings
("EXHIBIT 99.1.a -- Master Servicer's Annual Statement of Compliance"), as the pre-2006
seed does. Every route ends in the same list of ``Section`` objects, each classified by what
it is (compliance statement, management's assessment, accountants' attestation, 10-K body)
from its exhibit number when that is telling (EX-33/34/35) and otherwise from its wording,
because pre-Regulation AB filers numbered these exhibits freely (99.1, 99.2, 99.3 ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .textutil import html_to_text, looks_like_html, normalize_newlines

BODY = "body"
STATEMENT = "statement"  # servicer compliance statement (EX-35, "Annual Statement of Compliance")
ASSESSMENT = "assessment"  # management's assertion / report on assessment (EX-33)
ATTESTATION = "attestation"  # accountants' report (EX-34, "Independent Accountants' Report")
OTHER = "other"


@dataclass
class Section:
    """One document or exhibit of the submission, as text."""

    text: str
    doc_type: str = ""  # SGML <TYPE> when known ("10-K", "EX-33.1")
    exhibit: str = ""  # exhibit number as cited ("99.1.a", "33.1"); "" for the body
    title: str = ""
    filename: str = ""
    kind: str = OTHER
    from_heading: bool = False  # cut out of a larger text at an "EXHIBIT n" line


def _tag(block: str, name: str) -> str:
    m = re.search(rf"<{name}>[ \t]*([^\n<]*)", block, re.IGNORECASE)
    return m.group(1).strip() if m else ""


def split_sgml(text: str, max_documents: int = 500) -> list[dict[str, Any]]:
    """Documents of an EDGAR SGML submission as dicts (type, filename, description, text).

    Returns [] when ``text`` holds no ``<DOCUMENT>`` block.
    """
    docs: list[dict[str, Any]] = []
    pos = 0
    lower = text.lower()
    while len(docs) < max_documents:
        start = lower.find("<document>", pos)
        if start < 0:
            break
        end = lower.find("</document>", start)
        end = len(text) if end < 0 else end
        block = text[start:end]
        lb = block.lower()
        t0 = lb.find("<text>")
        body = block[t0 + 6:] if t0 >= 0 else block
        t1 = body.lower().rfind("</text>")
        if t1 >= 0:
            body = body[:t1]
        head = block[: t0 if t0 >= 0 else 2000]
        docs.append({
            "type": _tag(head, "TYPE"),
            "filename": _tag(head, "FILENAME"),
            "description": _tag(head, "DESCRIPTION"),
            "text": body,
        })
        pos = end + 1
    return docs


def to_plain(text: str) -> str:
    """Plain text of a document: HTML is flattened, ``<PAGE>``-style SGML markers dropped."""
    text = text or ""
    if looks_like_html(text):
        text = html_to_text(text)
    text = normalize_newlines(text)
    return re.sub(r"(?im)^[ \t]*</?(?:PAGE|PRE|TABLE|S|C|FN|CAPTION)>[ \t]*$", "", text)


#: "EXHIBIT 99.1.a -- ...", "Exhibit 33.1", "EXHIBIT 35(b)".
_HEADING_RE = re.compile(
    r"^[ \t|]*EXHIBIT[ \t]+(?P<num>\d{1,3}(?:\.\d{1,3})*(?:[.\-]?[a-z](?![a-z])|\([a-z0-9]{1,3}\))?)"
    r"\.?(?P<rest>(?:[ \t]*[-–—:|][^\n]{0,200}|[ \t]+[^\n]{0,200})?)$",
    re.IGNORECASE | re.MULTILINE,
)


def exhibit_number(doc_type: str) -> str:
    """"EX-33.1" -> "33.1"; "EX-99" -> "99"; "" when not an exhibit type."""
    m = re.match(r"\s*EX-(\d{1,3}(?:\.\d{1,3})*(?:\.?[a-z])?)", doc_type or "", re.IGNORECASE)
    return m.group(1).lower() if m else ""


def _norm_exhibit(num: str) -> str:
    num = num.lower().strip(".")
    num = re.sub(r"\(([a-z0-9]{1,3})\)", r".\1", num)
    return re.sub(r"(?<=\d)-?([a-z])$", r".\1", num)


def _is_heading(text: str, m: re.Match[str]) -> bool:
    """A heading stands after a blank line (or is written in capitals); a line of prose that
    happens to start with "Exhibit 35.2." after a line break is not one."""
    if m.group(0).lstrip(" \t|").startswith("EXHIBIT"):
        return True
    before = text[: m.start()].rstrip(" \t")
    return not before or before.endswith("\n\n") or bool(re.search(r"\n[ \t|]*\n$", before))


def split_exhibit_headings(text: str) -> list[Section]:
    """Cut one text at "EXHIBIT n" heading lines: the part before is the body.

    An exhibit cited again (an index line that looks like a heading) keeps its longest part.
    """
    marks = [m for m in _HEADING_RE.finditer(text) if _is_heading(text, m)]
    if not marks:
        return [Section(text=text)]
    sections = [Section(text=text[: marks[0].start()])]
    by_num: dict[str, Section] = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        num = _norm_exhibit(m.group("num"))
        sec = Section(text=text[m.start():end], exhibit=num, title=" ".join(m.group(0).split()), from_heading=True)
        prev = by_num.get(num)
        if prev is None or len(sec.text) > len(prev.text):
            by_num[num] = sec
    sections.extend(by_num.values())
    return sections


# --------------------------------------------------------------------------- classification

_ATTEST_RE = re.compile(
    r"independent\s+(?:registered\s+public\s+accounting\s+firm|accountants?['’]?|auditors?['’]?)"
    r"|report\s+of\s+independent|we\s+have\s+examined",
    re.IGNORECASE,
)
_STATEMENT_TITLE_RE = re.compile(
    r"statements?\s+(?:of|as\s+to)\s+compliance|officer['’]?s['’]?\s+certificate|compliance\s+certificate"
    r"|certificate\s+(?:of|as\s+to)\s+compliance|servicer\s+compliance\s+statement",
    re.IGNORECASE,
)
_STATEMENT_BODY_RE = re.compile(
    r"not\s+in\s+default|fulfilled\s+all\s+(?:of\s+)?its\s+(?:material\s+)?obligations|has\s+fulfilled",
    re.IGNORECASE,
)
_ASSESS_RE = re.compile(
    r"management['’]?s\s+(?:assertion|report\s+on\s+assessment|assessment)"
    r"|report\s+on\s+(?:an\s+)?assessment\s+of\s+compliance|responsible\s+for\s+assessing\s+compliance"
    r"|assessment\s+of\s+compliance\s+with\s+(?:the\s+)?(?:applicable\s+)?servicing\s+criteria"
    r"|(?:has|have)\s+complied\s+in\s+all\s+material\s+respects|minimum\s+servicing\s+standards",
    re.IGNORECASE,
)


def classify(sec: Section) -> str:
    """What a section is: EX-33/34/35 by number; other exhibits by their wording."""
    num = sec.exhibit or exhibit_number(sec.doc_type)
    major = num.split(".")[0] if num else ""
    head = sec.text[:6000]
    by_number = {"35": (STATEMENT, _STATEMENT_BODY_RE), "34": (ATTESTATION, _ATTEST_RE), "33": (ASSESSMENT, _ASSESS_RE)}
    if major in by_number:
        kind, signal = by_number[major]
        # a heading cut from a body may be an exhibit-index line: trust the number only with content
        if not sec.from_heading or signal.search(sec.text):
            return kind
        return OTHER
    if not num:  # the primary document (10-K) or the text before the first exhibit heading
        return BODY
    if re.search(r"we\s+have\s+examined", head, re.IGNORECASE) or (
        _ATTEST_RE.search(head[:1500]) and re.search(r"in\s+our\s+opinion", sec.text, re.IGNORECASE)
    ):
        return ATTESTATION
    if _STATEMENT_TITLE_RE.search(head[:1500]) and _STATEMENT_BODY_RE.search(sec.text):
        return STATEMENT
    if _ASSESS_RE.search(head):
        return ASSESSMENT
    if _STATEMENT_BODY_RE.search(head):
        return STATEMENT
    return OTHER


def build_sections(text: str, documents: list[dict[str, Any]] | None) -> list[Section]:
    """Sections of a 10-K from its documents, its SGML envelope, or its exhibit headings."""
    if documents is None and re.search(r"<DOCUMENT>", text[:200000] if text else "", re.IGNORECASE):
        documents = split_sgml(text)
    sections: list[Section] = []
    if documents:
        for doc in documents:
            if not isinstance(doc, dict):
                continue
            dtype = str(doc.get("type") or "")
            plain = to_plain(str(doc.get("text") or ""))
            num = exhibit_number(dtype)
            major = num.split(".")[0] if num else ""
            if major in ("33", "34", "35"):
                parts = [Section(text=plain, exhibit=num, title=str(doc.get("description") or ""))]
            else:  # a 10-K body or a catch-all exhibit may hold several reports under headings
                parts = split_exhibit_headings(plain)
                if num and parts and not parts[0].exhibit:
                    parts[0].exhibit = num
            for p in parts:
                p.doc_type = dtype
                p.filename = str(doc.get("filename") or "")
                sections.append(p)
    else:
        sections = split_exhibit_headings(to_plain(text))
    whole_docs = {s.exhibit for s in sections if s.exhibit and not s.from_heading}
    kept: list[Section] = []
    for sec in sections:
        sec.kind = classify(sec)
        if sec.from_heading and (sec.exhibit in whole_docs or sec.kind == OTHER) and kept:
            # an index entry or an unrecognised piece: give its text back to what it was cut from
            kept[-1].text += "\n" + sec.text
            continue
        kept.append(sec)
    return kept
