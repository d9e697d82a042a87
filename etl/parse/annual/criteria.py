"""The servicing criteria dimension (USAP minimum servicing standards and Reg AB Item 1122(d)).

The list lives in ``servicing_criteria.yaml`` so the warehouse dimension
``dim_servicing_criterion`` and the parsers share one source; this module loads it once and
normalizes the many ways filings cite a criterion ("1122 (d)(l)(ii)", "Item V.2.").
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

FRAMEWORK_USAP = "USAP"
FRAMEWORK_REG_AB = "REG_AB_1122"
FRAMEWORKS = (FRAMEWORK_USAP, FRAMEWORK_REG_AB)

_REQUIRED = ("framework", "code", "section_code", "section", "title", "description")


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, Any], ...]:
    raw = yaml.safe_load(resources.files(__package__).joinpath("servicing_criteria.yaml").read_text("utf-8"))
    rows = []
    seen = set()
    ordinals = dict.fromkeys(FRAMEWORKS, 0)
    for item in raw["criteria"]:
        missing = [k for k in _REQUIRED if not item.get(k)]
        if missing:
            raise ValueError(f"servicing_criteria.yaml: {item.get('code')!r} lacks {missing}")
        fw = item["framework"]
        if fw not in ordinals:
            raise ValueError(f"servicing_criteria.yaml: unknown framework {fw!r}")
        key = (fw, item["code"])
        if key in seen:
            raise ValueError(f"servicing_criteria.yaml: duplicate {key}")
        seen.add(key)
        ordinals[fw] += 1
        rows.append({k: str(item[k]) for k in _REQUIRED} | {"ordinal": ordinals[fw]})
    return tuple(rows)


def load_criteria(framework: str | None = None) -> list[dict[str, Any]]:
    """Every criterion (or one framework's), in framework order, as fresh dicts.

    Keys: framework, code, section_code, section, title, description, ordinal.
    """
    return [copy.deepcopy(r) for r in _load() if framework is None or r["framework"] == framework]


def criterion_codes(framework: str) -> list[str]:
    """Codes of one framework in order, e.g. ["I.1", ..., "VII.1"]."""
    return [r["code"] for r in _load() if r["framework"] == framework]


# ------------------------------------------------------------------------- Reg AB references

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}

#: "1122(d)(2)(vii)", "1122 (d)(l)(iii)", "Item 1122(d)(3)(i)(C)", "(d)(4)(xv)" after a first full cite.
REG_AB_REF_RE = re.compile(
    r"(?:(?:Item\s+)?1122\s*)?\(\s*d\s*\)\s*\(\s*(?P<sec>[1-4lI])\s*\)\s*\(\s*(?P<item>[ivxlIVXL]{1,6})\s*\)"
    r"(?:\s*\(\s*(?P<sub>[A-D])\s*\))?"
)

#: "1122(d)(4)(vii) through 1122(d)(4)(xiii)", "1122(d)(4)(vii)-(xiii)".
REG_AB_RANGE_RE = re.compile(
    REG_AB_REF_RE.pattern.replace("?P<sec>", "?P<sec1>").replace("?P<item>", "?P<item1>").replace("?P<sub>", "?P<sub1>")
    + r"\s*(?:through|thru|to|-|–|—)\s*"
    + r"(?:(?:(?:Item\s+)?1122\s*)?\(\s*d\s*\)\s*\(\s*(?P<sec2>[1-4lI])\s*\)\s*)?\(\s*(?P<item2>[ivxlIVXL]{1,6})\s*\)"
)


def _roman_to_int(s: str) -> int | None:
    s = s.lower()
    if not re.fullmatch(r"[ivxl]+", s):
        return None
    total, prev = 0, 0
    for ch in reversed(s):
        v = _ROMAN[ch]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


def _int_to_roman(n: int) -> str:
    out = []
    for value, sym in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def reg_ab_code(sec: str, item: str) -> str | None:
    """Canonical code "1122(d)(S)(roman)" from the two parts of a citation, or None.

    OCR'd filings write "(l)" for "(1)"; the section is read accordingly.
    """
    sec = "1" if sec in ("l", "I") else sec
    n = _roman_to_int(item)
    if n is None or sec not in "1234":
        return None
    return f"1122(d)({sec})({_int_to_roman(n)})"


def reg_ab_refs(text: str) -> list[tuple[str, str | None, int, int]]:
    """Every Reg AB criterion cited in ``text``: (code, sub-part letter or None, start, end).

    Ranges ("(d)(4)(vii) through (d)(4)(xiii)") expand to every criterion between; codes not
    in the regulation (e.g. "(d)(4)(xvi)") are returned as written so callers can warn.
    """
    order = criterion_codes(FRAMEWORK_REG_AB)
    out: list[tuple[str, str | None, int, int]] = []
    covered: list[tuple[int, int]] = []
    for m in REG_AB_RANGE_RE.finditer(text):
        a = reg_ab_code(m.group("sec1"), m.group("item1"))
        b = reg_ab_code(m.group("sec2") or m.group("sec1"), m.group("item2"))
        if a in order and b in order and order.index(a) <= order.index(b):
            for code in order[order.index(a): order.index(b) + 1]:
                out.append((code, None, m.start(), m.end()))
            covered.append((m.start(), m.end()))
    for m in REG_AB_REF_RE.finditer(text):
        if any(s <= m.start() < e for s, e in covered):
            continue
        cited = reg_ab_code(m.group("sec"), m.group("item"))
        if cited is None:
            continue
        out.append((cited, m.group("sub"), m.start(), m.end()))
    out.sort(key=lambda r: r[2])
    return out


#: USAP citations: "Item V.2.", "V.2", "criterion III.4".
USAP_REF_RE = re.compile(r"(?<![A-Za-z.])(?P<sec>VII|VI|IV|V|III|II|I)\.\s?(?P<num>\d{1,2})(?!\d)")


def usap_refs(text: str) -> list[str]:
    """USAP codes cited in ``text`` that exist in the dimension, in order, without repeats."""
    known = set(criterion_codes(FRAMEWORK_USAP))
    out: list[str] = []
    for m in USAP_REF_RE.finditer(text):
        code = f"{m.group('sec')}.{int(m.group('num'))}"
        if code in known and code not in out:
            out.append(code)
    return out
