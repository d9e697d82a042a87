"""Class (tranche) designations and CUSIPs, recognised by shape rather than by trustee.

Trustees print the same class as ``1-A1``, ``Class A-1 Notes``, ``A-IO*`` or
``Class A (2003-04)``; the warehouse needs one designation per class, plus the flags that
change how totals are checked (notional and residual classes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# One designation: an optional group number, 1-3 letters, then optional number/letter
# parts joined by hyphens: A, A-1, 1-A1, M-2, A-IO, B6, A-2A, X-A, A-R, R-1, I-A-1, AF-1.
_DESIG = r"(?:\d{1,2}-?)?[A-Z]{1,3}(?:-?\d{1,2}[A-Z]{0,2})?(?:-[A-Z0-9]{1,4}){0,2}"
_MARKS = r"(?:\*{1,3}|\(\d{1,2}\)|\u2020)?"
_DESIG_RE = re.compile(rf"^({_DESIG})({_MARKS})$")
_SERIES = r"(?:\s*\((?:\d{4}-\d{1,2}|\d{4}-[A-Z]{1,2}\d?)\))?"
_CLASS_WORDS = r"(?:Notes?|Certificates?|Bonds?|Certs?\.?)"
_LABEL_RE = re.compile(
    rf"^(?:(?:Class(?:es)?|Tranche)\s+)?({_DESIG})({_MARKS})({_SERIES})\s*(?:{_CLASS_WORDS})?\s*:?$",
)
# "Class I A-1", "Class II B": a loan group in roman numerals before the designation (only
# after "Class", where it cannot be a word of prose)
_GROUP = r"(?:[IVX]{1,4}\s+(?=[A-Z]{1,3}(?:-?\d|\b)))?"
_PREFIXED_RE = re.compile(
    rf"^(?:Class|Tranche)\s+({_GROUP}{_DESIG}(?:\s+(?:ARM|FRN))?)({_MARKS})({_SERIES})\s*(?:{_CLASS_WORDS})?\s*:?$", re.I)
_WORD_CLASS_RE = re.compile(r"^(?:Asset[- ]Backed\s+)?(Certificates)\s*:?$", re.I)
# A designation inside a longer label: "Original Class A Principal Balance",
# "Class A-2B interest rate:", "A-1 Notes Balance", "Certificates Balance".
_IN_LABEL_CLASS_RE = re.compile(rf"\b(?:Class|Tranche)\s+({_GROUP}{_DESIG})({_MARKS})({_SERIES})(?:\s+{_CLASS_WORDS})?(?=[\s:,]|$)")
_IN_LABEL_SUFFIX_RE = re.compile(rf"^({_DESIG})({_MARKS})\s+{_CLASS_WORDS}\b")
_IN_LABEL_WORD_RE = re.compile(r"^(Certificates)\b(?=\s+\w)", re.I)

# The issuance line of auto/equipment statements:
# "$298,600,000 Class A-1 0.27000% Asset Backed Notes due April 01, 2016".
_NOTE_DESC_RE = re.compile(
    rf"^\$\s?(?P<amt>\d{{1,3}}(?:,\d{{3}})+(?:\.\d{{2}})?)\s+"
    rf"(?:Class\s+(?P<desig>{_DESIG})\s+)?"
    r"(?:(?P<rate>\d{1,2}\.\d{1,6})\s?%\s+|(?:[A-Z][A-Za-z-]{2,15}\s?\+\s?\d{1,2}\.\d{1,6}\s?%\s+))?"
    r"(?P<rest>(?:[\w\-]+\s+){0,5}?(?P<kind>Notes?|Certificates?|Bonds?)\b.*)$",
    re.I,  # "Class A-3a": a lower-case series letter
)

_CLASS_AFTER_KIND_RE = re.compile(rf"(?:Notes?|Certificates?|Bonds?),?\s+Class\s+({_DESIG})\s*$", re.I)

# Pure-letter words that are designations only when the report says "Class" before them.
_NOT_BARE = frozenset(
    {
        "NA", "NO", "OF", "OR", "TO", "IN", "ON", "AT", "BY", "AN", "AS", "IS", "IT", "US", "ID",
        "DE", "MD", "NY", "CA", "TX", "PA", "NJ", "IL", "MN", "CT", "DC", "VA", "FL", "GA", "MA",
        "THE", "AND", "FOR", "SEN", "SUB", "RES", "SEQ", "MEZ", "PT", "FIX", "FLT", "VAR", "AFC",
        "WAC", "PAC", "TAC", "SUP", "NTL", "STP", "LLC", "INC", "USA", "REO", "ARM", "USD", "APR",
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "XI", "XII", "QTR", "CPR", "CDR",
        "SMM", "BK", "FC", "DQ", "PIF", "YTD", "LTD", "EX", "PO BOX", "TEL", "FAX", "ATTN", "MO",
    }
)
_IOPO_RE = re.compile(r"^[A-Z](?:IO|PO)$")  # AIO, APO: interest-only / principal-only
_FORM_NAMES = frozenset({"8-K", "10-K", "10-D", "10-Q", "8K", "10K", "S-3", "S-1", "S-11"})
_EXHIBIT_RE = re.compile(r"^EX-\d{1,3}(?:\.\d{1,2})?$", re.I)  # an exhibit's type ("EX-1", "EX-99"), never a class
_RESIDUAL_RE = re.compile(r"^(?:[A-Z]{1,2}-)?R(?:-?(?:\d{1,2}|[IVX]{1,3}))?$|^R[LX]$|^RES(?:IDUAL)?$")
_NOTIONAL_DESC = frozenset({"IO", "NTL", "NOTIONAL", "IO/NTL", "SEN/IO", "SUB/IO"})


@dataclass(frozen=True, slots=True)
class ClassName:
    """A recognised class designation and what its printed marks say about it."""

    designation: str
    mark: str = ""
    remainder: str = ""

    @property
    def starred(self) -> bool:
        return "*" in self.mark


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def bare_designation(token: str) -> ClassName | None:
    """A lone token that can be a class designation in a table's class column."""
    t = token.strip()
    if not t or len(t) > 14 or t in _FORM_NAMES or _EXHIBIT_RE.match(t):
        return None
    m = _DESIG_RE.match(t)
    if not m:
        return None
    desig = m.group(1)
    if desig in _NOT_BARE or (desig.isalpha() and len(desig) > 2 and not _IOPO_RE.match(desig)):
        return None
    return ClassName(desig, m.group(2))


def class_label(text: str) -> ClassName | None:
    """A cell that names exactly one class: ``Class A-1 Notes``, ``A-IO*``, ``Certificates``."""
    t = _clean(text)
    if not t or len(t) > 48 or _EXHIBIT_RE.match(t):
        return None
    m = _PREFIXED_RE.match(t)
    if m and m.group(1) not in _FORM_NAMES:
        series = m.group(3).strip()
        desig = m.group(1).upper() if m.group(1).isalpha() else m.group(1)
        return ClassName(f"{desig} {series}" if series else desig, m.group(2))
    m = _LABEL_RE.match(t)
    if m:
        desig = m.group(1)
        if desig in _FORM_NAMES:
            return None
        has_words = t != m.group(1) + m.group(2)
        if not has_words and (desig in _NOT_BARE or (desig.isalpha() and len(desig) > 2
                                                        and not _IOPO_RE.match(desig))):
            return None
        if has_words and desig in _NOT_BARE - {"I", "II", "III", "IV", "V", "VI"}:
            return None
        series = m.group(3).strip()
        return ClassName(f"{desig} {series}" if series else desig, m.group(2))
    m = _WORD_CLASS_RE.match(t)
    if m:
        return ClassName("Certificates")
    return None


_POINTING_TAIL_RE = re.compile(
    r"\s*\b(?:in respect of|with respect to|allocable to|allocated to|payable to|paid to|for|of|on|to)"
    r"(?:\s+(?:the|each))?\s*:?\s*$", re.I)


def class_in_label(text: str) -> ClassName | None:
    """The class a longer label is about, with the rest of the label kept as ``remainder``."""
    t = _clean(text)
    m = _IN_LABEL_CLASS_RE.search(t)
    if m and m.group(1) not in _FORM_NAMES and m.group(1) not in {"OF", "AND", "THE"}:
        series = m.group(3).strip()
        desig = m.group(1)
        rest = _clean(t[: m.start()] + " " + t[m.end():])
        # "Amount of principal being paid ... in respect of the Class I-A-1 Notes:": the words
        # that only point at the class are not the measure's
        rest = _POINTING_TAIL_RE.sub("", rest) or rest
        return ClassName(f"{desig} {series}" if series else desig, m.group(2), rest)
    m = _IN_LABEL_SUFFIX_RE.match(t)
    if m and m.group(1) not in _NOT_BARE:
        return ClassName(m.group(1), m.group(2), _clean(t[m.end():]))
    m = _IN_LABEL_WORD_RE.match(t)
    if m:
        return ClassName("Certificates", "", _clean(t[m.end():]))
    return None


def is_residual(designation: str, description: str | None = None) -> bool:
    """Residual classes (R, R-1, A-R, "RES") hold no principal; totals leave them out."""
    if description and description.strip().upper() in {"RES", "RESIDUAL", "R"}:
        return True
    return bool(_RESIDUAL_RE.match(designation.split(" ")[0]))


def is_notional_description(description: str | None) -> bool:
    return bool(description and description.strip().upper() in _NOTIONAL_DESC)


# --- CUSIP ---------------------------------------------------------------------------
_CUSIP_RE = re.compile(r"^[0-9A-Z]{8}[0-9A-Z]$")


def cusip_check_digit(first8: str) -> int | None:
    """The check digit of a CUSIP's first eight characters (modulus 10, double-add-double)."""
    total = 0
    for i, ch in enumerate(first8):
        if ch.isdigit():
            v = ord(ch) - 48
        elif "A" <= ch <= "Z":
            v = ord(ch) - 55
        elif ch == "*":
            v = 36
        elif ch == "@":
            v = 37
        elif ch == "#":
            v = 38
        else:
            return None
        if i % 2 == 1:
            v *= 2
        total += v // 10 + v % 10
    return (10 - total % 10) % 10


def looks_like_cusip(token: str) -> bool:
    """Nine letters/digits mixing both, as printed in a CUSIP column (placeholders included);
    or two of them joined by '/', a class's registered and Rule 144A / Reg S CUSIPs."""
    t = token.strip()
    if "/" in t and len(t) == 19 and t[9] == "/":
        return looks_like_cusip(t[:9]) and looks_like_cusip(t[10:])
    if len(t) != 9 or not _CUSIP_RE.match(t):
        return False
    digits = sum(c.isdigit() for c in t)
    return 2 <= digits <= 8


def cusip_is_valid(token: str) -> bool:
    """True when the ninth character is the check digit of the first eight (of each CUSIP
    of a pair)."""
    t = token.strip()
    if len(t) == 19 and t[9] == "/":
        return cusip_is_valid(t[:9]) and cusip_is_valid(t[10:])
    if len(t) != 9 or not t[8].isdigit():
        return False
    check = cusip_check_digit(t[:8])
    return check is not None and check == int(t[8])


_NAMED_NOTE_RE = re.compile(
    r"^(?P<rate>\d{1,2}\.\d{1,6})\s?%\s+(?P<name>(?:[A-Z][\w-]*\s+){1,3}?(?:Notes?|Certificates?|Bonds?))$")
_GENERIC_NOTE_WORDS = frozenset({
    "asset", "backed", "asset-backed", "floating", "fixed", "rate", "variable", "class", "the", "series",
    "trust", "mortgage", "pass-through", "pass", "through", "transition", "contract",
})


def named_note(text: str) -> tuple[str, float] | None:
    """(name, coupon %) of a note the report names with its coupon in its title lines
    ("3.35% Exchange Note"): a class with no designation letters, known by its name."""
    m = _NAMED_NOTE_RE.match(_clean(text))
    if not m:
        return None
    words = m.group("name").split()
    if "class" in (w.lower() for w in words) or all(w.lower() in _GENERIC_NOTE_WORDS for w in words[:-1]):
        return None
    if class_label(" ".join(words)) is not None:
        return None  # "2.036250% A Certificate": a rate, then the next row's class
    return " ".join(words), float(m.group("rate"))


_TITLE_COUPON_RE = re.compile(
    rf"^(?:Class\s+(?P<desig>{_DESIG})\s+)?(?P<rate>\d{{1,2}}\.\d{{1,6}})\s?%\s+"
    r"(?P<words>(?:[\w\-]+\s+){0,5}?)(?P<kind>Notes?|Certificates?|Bonds?)\b(?:\s+due\b.*)?$", re.I)


def title_coupon(text: str) -> tuple[str, float] | None:
    """(class, coupon %) of a note's title line with no amount ("Class A-1 2.72404% Asset
    Backed Notes", "3.31% Asset Backed Certificates"), or None."""
    m = _TITLE_COUPON_RE.match(_clean(text))
    if not m:
        return None
    desig = m.group("desig")
    if desig is None:
        words = m.group("words").split()
        if not m.group("kind").lower().startswith("certificate") or not all(
                w.lower() in _GENERIC_NOTE_WORDS for w in words):
            return None  # "3.35% Exchange Note" is a named note (``named_note``)
        desig = "Certificates"
    elif desig in _FORM_NAMES or desig in _NOT_BARE:
        return None
    return desig, float(m.group("rate"))


def named_in_label(text: str, names: list[str]) -> ClassName | None:
    """The named note (see ``named_note``) a label is about, singular or plural, with the
    rest of the label as ``remainder``."""
    for name in names:
        stem = re.escape(name.rstrip("s") if name.endswith(("Notes", "Bonds")) else name.removesuffix("s"))
        m = re.search(rf"\b{stem}s?\b", text, re.I)
        if m:
            return ClassName(name, "", _clean(text[: m.start()] + " " + text[m.end():]))
    return None


def note_description(text: str) -> tuple[str, float, float | None] | None:
    """(class, original balance, coupon %) from an issuance line, or None."""
    m = _NOTE_DESC_RE.match(_clean(text))
    if not m:
        return None
    desig = m.group("desig")
    if desig is None:
        after = _CLASS_AFTER_KIND_RE.search(m.group("rest"))  # "... Backed Notes, Class A-1"
        named = class_label(f"Class {after.group(1)}") if after else None
        desig = named.designation if named else None
    if desig is None:
        if not m.group("kind").lower().startswith("certificate"):
            return None
        desig = "Certificates"
    elif desig in _FORM_NAMES:
        return None
    amount = float(m.group("amt").replace(",", ""))
    rate = float(m.group("rate")) if m.group("rate") else None
    return desig, (int(amount) if amount.is_integer() else amount), rate
