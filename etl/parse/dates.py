"""Dates as trustees print them, normalised to ISO (YYYY-MM-DD)."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MON = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
_NUMERIC_RE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/])")
_ISO_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DMY_RE = re.compile(rf"(?<!\d)(\d{{1,2}})[- ]({_MON})[- ,]+(\d{{4}}|\d{{2}})(?!\d)", re.I)
_MDY_RE = re.compile(rf"\b({_MON})\s+(\d{{1,2}}),?\s+(\d{{4}})(?!\d)", re.I)
ANY_DATE_RE = re.compile(
    "|".join(p.pattern for p in (_NUMERIC_RE, _ISO_RE, _DMY_RE, _MDY_RE)), re.I
)
_FULL_DATE_RE = re.compile(rf"^\s*(?:{ANY_DATE_RE.pattern})\s*$", re.I)


def _year(y: str) -> int:
    # Two-digit years in ABS reports are 1990s-2030s: pivot at 70.
    n = int(y)
    if len(y) == 2:
        return 1900 + n if n >= 70 else 2000 + n
    return n


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _month(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")[:3]]


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as YYYY-MM-DD, or None ("12/26/03" -> "2003-12-26")."""
    best: tuple[int, str] | None = None
    for rx, kind in ((_NUMERIC_RE, "mdy"), (_ISO_RE, "iso"), (_DMY_RE, "dmy"), (_MDY_RE, "mdy-name")):
        m = rx.search(text)
        if not m:
            continue
        if kind == "mdy":
            iso = _iso(_year(m.group(3)), int(m.group(1)), int(m.group(2)))
        elif kind == "iso":
            iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif kind == "dmy":
            iso = _iso(_year(m.group(3)), _month(m.group(2)), int(m.group(1)))
        else:
            iso = _iso(int(m.group(3)), _month(m.group(1)), int(m.group(2)))
        if iso and (best is None or m.start() < best[0]):
            best = (m.start(), iso)
    return best[1] if best else None


def is_date(text: str) -> bool:
    """The whole cell is one date (not a label that contains one)."""
    return bool(_FULL_DATE_RE.match(text)) and parse_date(text) is not None


def find_dates(text: str) -> list[str]:
    """Every date in ``text``, in order, normalised."""
    out = []
    for m in ANY_DATE_RE.finditer(text):
        iso = parse_date(m.group(0))
        if iso:
            out.append(iso)
    return out
