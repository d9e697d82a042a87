"""Small formatting helpers shared by the fixed-width and HTML renderers."""

from __future__ import annotations

from datetime import date

from devtools.synth.schedule import MONTH_ABBR, MONTH_NAME


def amt(value: int, unit: int) -> str:
    """Minor units as printed: ``1,234`` for whole dollars, ``1,234.56`` for cents."""
    neg = value < 0
    v = -value if neg else value
    s = f"{v:,}" if unit == 1 else f"{v // 100:,}.{v % 100:02d}"
    return "-" + s if neg else s


def paren(value: int, unit: int) -> str:
    """A deduction printed as accountants do: ``(1,234.56)``; zero stays ``0.00``/``-``."""
    if value == 0:
        return "-"
    return f"({amt(abs(value), unit)})"


def rate(value: float | None) -> str:
    return "" if value is None else f"{value:.5f}%"


def row(*fields: tuple[int, str] | tuple[int, str, str]) -> str:
    """Lay out fields on one line: ``(end, text)`` right-aligned to end at column ``end``
    (exclusive), ``(start, text, "l")`` left-aligned from column ``start``; a field that
    would collide is pushed right by one space, as a printer would."""
    out = ""
    for f in fields:
        if len(f) == 3:
            start = f[0]
        else:
            start = f[0] - len(f[1])
        if out and start <= len(out):
            start = len(out) + 1
        out += " " * (start - len(out)) + f[1]
    return out


def mdy_short(d: date) -> str:
    """12/26/03"""
    return f"{d.month:02d}/{d.day:02d}/{d.year % 100:02d}"


def mdy(d: date) -> str:
    """12/26/2003"""
    return f"{d.month:02d}/{d.day:02d}/{d.year}"


def mdy_loose(d: date) -> str:
    """8/25/2000 (CTSLink)"""
    return f"{d.month}/{d.day}/{d.year}"


def dmy_abbr(d: date) -> str:
    """26-Dec-03"""
    return f"{d.day:02d}-{MONTH_ABBR[d.month - 1]}-{d.year % 100:02d}"


def long_date(d: date) -> str:
    """December 26, 2003"""
    return f"{MONTH_NAME[d.month - 1]} {d.day}, {d.year}"


def ymd(d: date) -> str:
    return d.strftime("%Y%m%d")
