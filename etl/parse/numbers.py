"""Number forms printed in distribution reports, read exactly or refused (never guessed).

A figure that analysts reconcile to the dollar must either be read as printed or be
reported as unreadable: ``353,986.674.62`` or ``00`` become ``None`` with a reason, so a
later check can flag the filing instead of loading a wrong amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Kinds of a parsed value token. "num" is any plain or grouped number, "pct" carried a %,
# "zero" is a dash printed for zero, "na" an explicit not-applicable, "garbled" looks like
# a number but is not a valid one.
NUM, PCT, ZERO, NA, GARBLED = "num", "pct", "zero", "na", "garbled"

_DASHES = frozenset({"-", "--", "---", "\u2014", "\u2013", "\u2012", "\u2015", "\u2212", "- -"})
_NA = frozenset({"n/a", "na", "n.a.", "n.a", "nm", "n/m"})
_FOOTNOTE_RE = re.compile(r"(?:\*+|\(\d{1,2}\)|\([a-z]\)|\u2020+)$")
_VALID_RE = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")
_DIGITS_CLOSE = frozenset("0123456789%)")
_CORE_RE = re.compile(
    r"^(?P<lead>[\s$(\-\u2212]*)(?P<num>[\d.,]*\d[\d.,]*|[-\u2014\u2013])(?P<trail>[\s)%\-]*)$"
)


@dataclass(frozen=True, slots=True)
class Number:
    """One numeric token: its value (None when not valid), how it was printed, and why."""

    value: float | int | None
    kind: str
    raw: str
    decimals: int | None = None
    negative: bool = False
    dollar: bool = False
    grouped: bool = False
    footnote: str | None = None
    problem: str | None = None

    @property
    def is_valid(self) -> bool:
        return self.kind in (NUM, PCT, ZERO)


def is_dash(text: str) -> bool:
    """A dash (hyphen, en or em dash) printed in place of a zero."""
    return text.strip() in _DASHES


def is_na(text: str) -> bool:
    return text.strip().lower() in _NA


@lru_cache(maxsize=1 << 16)
def parse_number(raw: str) -> Number | None:
    """Parse one printed figure (cached: reports repeat the same cells); None when the text is not number-like at all.

    Returns a ``Number`` whose ``value`` is None (kind ``garbled``) when the text looks like
    a figure but cannot be one, e.g. two decimal points or a malformed digit grouping.
    """
    text = raw.strip()
    if not text:
        return None
    if text in _DASHES:
        return Number(0, ZERO, raw)
    if text.lower() in _NA:
        return Number(None, NA, raw)
    footnote = None
    m = _FOOTNOTE_RE.search(text)
    if m and m.start() > 0 and text[m.start() - 1] in _DIGITS_CLOSE:
        footnote = m.group(0)
        text = text[: m.start()]
    m = _CORE_RE.match(text)
    if not m:
        return None
    lead, core, trail = m.group("lead"), m.group("num"), m.group("trail")
    if lead.count("(") > 1 or trail.count(")") > 1:
        return None
    dollar = "$" in lead
    pct = "%" in trail
    negative = "(" in lead or "-" in lead or "\u2212" in lead or trail.rstrip(")% ").endswith("-")
    if core in _DASHES or not any(c.isdigit() for c in core):
        if core.strip() in _DASHES:
            return Number(0, ZERO, raw, dollar=dollar)
        return None
    if core[-1] in ".," or core[0] == ",":
        return None  # "5." or "1934," ends a sentence; it is not a figure
    kind = PCT if pct else NUM
    grouped = "," in core
    if not _VALID_RE.match(core) or core.count(".") > 1:
        return Number(None, GARBLED, raw, negative=negative, dollar=dollar, grouped=grouped,
                      footnote=footnote, problem=f"not a valid number: {raw.strip()!r}")
    int_part, _, frac = core.partition(".")
    if len(int_part) > 1 and int_part.startswith("0") and not grouped:
        return Number(None, GARBLED, raw, negative=negative, dollar=dollar, footnote=footnote,
                      problem=f"leading zero in a figure: {raw.strip()!r}")
    digits = int_part.replace(",", "") or "0"
    decimals = len(frac) if "." in core else 0
    value: float | int = int(digits) if decimals == 0 else float(f"{digits}.{frac}")
    if negative and value:
        value = -value
    return Number(value, kind, raw, decimals=decimals, negative=negative, dollar=dollar,
                  grouped=grouped, footnote=footnote)


def looks_numeric(text: str) -> bool:
    """Could this cell be a figure (valid or garbled)? Used while tokenising."""
    return parse_number(text) is not None
