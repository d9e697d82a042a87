"""Pre-Regulation AB servicing compliance: USAP minimum servicing standards (I.1 ... VII.1).

Until 2006 a servicer's 10-K exhibits were management's assertion on the Mortgage Bankers
Association's Uniform Single Attestation Program standards, the independent accountants'
report on that assertion, and the (master) servicer's annual statement of compliance. The
standards list is usually attached as "Appendix I"; when it is, its codes are the ones
assessed, otherwise the dimension's list is used.
"""

from __future__ import annotations

import re
from typing import Any

from .compliance import noncompliance_passages
from .criteria import FRAMEWORK_USAP, USAP_REF_RE, criterion_codes, usap_refs
from .textutil import parse_sample, squash

_APPENDIX_RE = re.compile(
    r"^[ \t]*(?:APPENDIX|EXHIBIT|SCHEDULE|ATTACHMENT)[ \t]+(?:I|1|A)\b[^\n]{0,80}\n"
    r"(?:[^\n]*\n){0,8}?[^\n]*(?:MINIMUM\s+SERVICING\s+STANDARDS|UNIFORM\s+SINGLE\s+ATTESTATION)",
    re.IGNORECASE | re.MULTILINE,
)
_SECTION_RE = re.compile(r"^[ \t]*(?P<roman>VIII|VII|VI|IV|V|III|II|I|IX|X)\.[ \t]+(?P<title>[A-Z][^\n]{2,80})$",
                         re.MULTILINE)
_ITEM_RE = re.compile(r"^[ \t]*(?P<num>\d{1,2})\.[ \t]+\S", re.MULTILINE)


def parse_appendix(text: str) -> list[dict[str, Any]]:
    """The USAP standards listed in the filing's appendix: [{"code", "section", "text"}] in order.

    Returns [] when the filing carries no such appendix.
    """
    m = _APPENDIX_RE.search(text)
    if not m:
        return []
    body = text[m.start(): m.start() + 60000]
    stop_at = re.search(r"^[ \t]*(?:EXHIBIT[ \t]+\d|APPENDIX[ \t]+I?I\b|<PAGE>|</?DOCUMENT>|SIGNATURES?\s*$|SECURITIES\s+AND\s+EXCHANGE|PART\s+I\b)",
                        body[m.end() - m.start():], re.MULTILINE)
    if stop_at:
        body = body[: m.end() - m.start() + stop_at.start()]
    sections = list(_SECTION_RE.finditer(body))
    out: list[dict[str, Any]] = []
    for i, s in enumerate(sections):
        end = sections[i + 1].start() if i + 1 < len(sections) else len(body)
        chunk = body[s.end(): end]
        items: list[re.Match[str]] = []
        for it in _ITEM_RE.finditer(chunk):  # standards are numbered 1, 2, 3 ...: a restart ends the list
            if int(it.group("num")) != len(items) + 1:
                break
            items.append(it)
        for j, it in enumerate(items):
            stop = items[j + 1].start() if j + 1 < len(items) else len(chunk)
            out.append({
                "code": f"{s.group('roman')}.{int(it.group('num'))}",
                "section": squash(s.group("title")),
                "text": squash(chunk[it.start(): stop])[:2000],
            })
    return out


def usap_ref_spans(text: str) -> list[tuple[str, str | None, int, int]]:
    """USAP citations with positions, in the shape ``noncompliance_passages`` expects."""
    known = set(criterion_codes(FRAMEWORK_USAP))
    out: list[tuple[str, str | None, int, int]] = []
    for m in USAP_REF_RE.finditer(text):
        code = f"{m.group('sec')}.{int(m.group('num'))}"
        if code in known:
            out.append((code, None, m.start(), m.end()))
    return out


def exceptions_in(text: str) -> list[dict[str, Any]]:
    """Materially noncompliant standards a report cites: [{"criterion", "detail", sample...}]."""
    out = []
    for code, detail, _sub in noncompliance_passages(text, usap_ref_spans):
        size, bad = parse_sample(detail)
        out.append({"criterion": code, "detail": detail, "sample_size": size, "sample_exceptions": bad})
    return out


def uncoded_noncompliance(text: str) -> str | None:
    """A noncompliance finding that cites no standard (management's own wording), if any."""
    for para in re.split(r"\n[ \t]*\n", text):
        p = squash(para)
        if re.search(r"non-?compliance|not\s+in\s+accordance|exceptions?\s+noted|out\s+of\s+\d+|\bof\s+the\s+\w+[- ]?\w*\s+loans", p, re.I) \
                and not usap_refs(p) and parse_sample(p) != (None, None):
            return p
    return None
