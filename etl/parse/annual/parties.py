"""Transaction parties and their roles, as 10-Ks name them.

Filings name parties in a few idioms: "U.S. Bank National Association, as Trustee",
"Wilshire Credit Corporation's (the "Company") compliance", signature lines
("/s/ Deloitte & Touche LLP") and cover captions. Names are found by anchoring on the idiom
first and then reading the capitalized words just before it inside a small window, which
keeps the work linear on large filings (no open-ended backtracking over capitalized text).
"""

from __future__ import annotations

import re
from typing import Any

from .textutil import squash

#: Printed role wording -> canonical role (longest wording first when matching).
ROLE_WORDS: dict[str, str] = {
    "master servicer": "master_servicer",
    "special servicer": "special_servicer",
    "primary servicer": "servicer",
    "sub-servicer": "subservicer",
    "subservicer": "subservicer",
    "backup servicer": "backup_servicer",
    "back-up servicer": "backup_servicer",
    "servicer": "servicer",
    "indenture trustee": "indenture_trustee",
    "owner trustee": "owner_trustee",
    "trustee": "trustee",
    "securities administrator": "securities_administrator",
    "trust administrator": "trust_administrator",
    "certificate administrator": "certificate_administrator",
    "paying agent": "paying_agent",
    "custodian": "custodian",
    "depositor": "depositor",
    "sponsor": "sponsor",
    "seller": "seller",
    "originator": "originator",
    "credit risk manager": "credit_risk_manager",
    "issuing entity": "issuing_entity",
    "issuer": "issuing_entity",
}
_ROLE_ALT = "|".join(re.escape(w).replace(r"\ ", r"\s+").replace(r"\-", r"[\s-]?") for w in
                     sorted(ROLE_WORDS, key=len, reverse=True))

SERVICING_PARTICIPANT = "servicing_function_participant"

_SUFFIX = (
    r"(?:Inc\.?|Incorporated|LLC|L\.L\.C\.|LLP|L\.L\.P\.|L\.P\.|LP|N\.A\.|National\s+Association|"
    r"Corp\.?|Corporation|Co\.|Company|Ltd\.?|Limited|FSB|F\.S\.B\.|plc|PLC|S\.A\.|AG)"
)
_WORD = r"(?:[A-Z][\w'’&.\-]*|&)"
_CONNECT = r"(?:of|the|de|du|la)"
#: A company name ending at the end of the window: "Aurora Loan Services, Inc.", "The Bank of New York".
_SEP = r"(?:[ \t]+(?:\n[ \t]*)?|\n[ \t]*)"  # spaces with at most one line break: never a blank line
_NAME_TAIL_RE = re.compile(
    rf"(?<![\w&'’.\-])(?P<name>{_WORD}(?:{_SEP}(?:{_CONNECT}{_SEP})?{_WORD}){{0,9}}(?:,?{_SEP}{_SUFFIX})?)"
    r"(?:['’]s)?[ \t]*,?[ \t]*\n?[ \t]*$"
)

#: Words that are never (the start of) a party's name.
_GENERIC = {
    "the", "a", "an", "company", "companies", "registrant", "trust", "agreement", "agreements",
    "exhibit", "item", "by", "name", "title", "re", "dear", "and", "or", "to", "in", "as", "our",
    "we", "management", "board", "directors", "report", "reports", "certification", "inc", "llc",
    "pursuant", "signature", "signatures", "date", "dated", "series", "its", "such", "each", "any",
    "asserting", "party", "parties", "this", "that", "these", "those", "for", "of", "with",
    "securities", "certificates", "notes", "annual", "statement", "compliance", "officer",
    "executive", "vice", "president", "senior", "chief", "servicing", "criteria", "regulation",
    "ab", "form", "10-k", "part", "schedule", "appendix", "section", "following", "platform",
    "applicable", "related", "transactions", "undersigned", "i", "ii", "iii",
    *(w for role in ROLE_WORDS for w in role.replace("-", " ").split()),
}
_ABBREVIATIONS = {"inc", "corp", "co", "ltd", "n.a", "u.s", "l.p", "l.l.c", "f.s.b", "s.a", "p.c", "no", "st", "mr", "ms", "jr"}
_KEEP_THE = re.compile(r"^The\s+(?:Bank|Chase|Northern|Bank\s+of)\b")


def clean_name(raw: str | None) -> str | None:
    """Trim list markers, leading role/generic words and trailing punctuation off a name."""
    if not raw:
        return None
    s = squash(raw).strip(" ,;:|")
    s = re.sub(r"['’]s$", "", s)
    s = re.sub(r"\s*\((?:the\s+)?[\"“”'][^)]{0,40}\)$", "", s)
    tokens = s.split()
    for i in range(len(tokens) - 2, -1, -1):  # "Related Transactions. Fictitious ..." : a sentence ended
        tok = tokens[i]
        if tok.endswith(".") and tok.lower().strip(".") not in _ABBREVIATIONS and not re.fullmatch(r"(?:[A-Za-z]\.)+", tok):
            tokens = tokens[i + 1:]
            break
    while tokens and not _KEEP_THE.match(" ".join(tokens)) and (
        tokens[0].lower().strip(".,:;") in _GENERIC or not tokens[0][:1].isalnum() and tokens[0] != "&"
    ):
        tokens.pop(0)
    while tokens and tokens[-1].lower() in {"of", "the", "and", "&", "de", "for"}:
        tokens.pop()
    s = " ".join(tokens).strip(" ,;:")
    if not s or len(s) < 3:
        return None
    words = [t.lower().strip(".,") for t in s.split()]
    if all(w in _GENERIC for w in words):
        return None
    if not re.search(r"[A-Za-z]{2}", s):
        return None
    return s


#: ", a Delaware corporation," / ", a wholly-owned subsidiary of X Bank," between a name and its alias.
_APPOSITIVE_RE = re.compile(
    r",?\s+an?\s+(?:[\w.&'’\-]+\s+){0,8}?(?:corporation|company|association|partnership|bank|subsidiary"
    r"(?:\s+of\s+[^,()]{1,80})?)\s*,?\s*$",
    re.IGNORECASE,
)


def name_before(text: str, end: int, window: int = 200) -> str | None:
    """The company name that ends right before ``text[end]`` (within ``window`` characters)."""
    chunk = text[max(0, end - window): end]
    chunk = re.sub(r"\s*\((?:the\s+)?[\"“”'‘’][^()]{0,40}[\"“”'‘’]?\)\s*,?\s*$", "", chunk)
    chunk = _APPOSITIVE_RE.sub("", chunk)
    m = _NAME_TAIL_RE.search(chunk)
    return clean_name(m.group("name")) if m else None


def name_key(name: str) -> str:
    """Comparison key: "Aurora Loan Services, Inc." and "AURORA LOAN SERVICES INC" match."""
    s = re.sub(r"[^a-z0-9& ]", " ", name.lower())
    s = re.sub(r"\b(?:the|inc|incorporated|llc|corp|corporation|co|company|n a|na|national association|lp|l p)\b", " ", s)
    return " ".join(s.split())


def canonical_role(wording: str) -> str | None:
    """ "Master Servicer" -> "master_servicer"; None for wording that is not a role."""
    w = " ".join(wording.lower().replace("-", " ").split())
    for printed, role in ROLE_WORDS.items():
        if w == " ".join(printed.replace("-", " ").split()):
            return role
    return None


_AS_ROLE_RE = re.compile(
    rf",?[ \t\n]+(?:in[ \t\n]+its[ \t\n]+capacity[ \t\n]+)?as[ \t\n]+(?:the[ \t\n]+)?(?P<role>{_ROLE_ALT})\b",
    re.IGNORECASE,
)


def as_role_mentions(text: str, limit: int = 2000) -> list[dict[str, Any]]:
    """Every "NAME, as ROLE" in ``text``: [{"name", "role", "pos"}]."""
    out = []
    for m in _AS_ROLE_RE.finditer(text):
        name = name_before(text, m.start())
        role = canonical_role(m.group("role"))
        if name and role:
            out.append({"name": name, "role": role, "pos": m.start()})
            if len(out) >= limit:
                break
    return out


_ALIAS_RE = re.compile(
    r"\(\s*(?:the\s+)?[\"“”'‘’](?:the\s+)?(?P<alias>[A-Z][A-Za-z \-]{1,40}?)(?:['’]s)?[\"“”'‘’]\s*(?:or\s+[^)]{0,40})?\)",
)


def aliased_names(text: str, limit: int = 50) -> list[dict[str, Any]]:
    """ "NAME (the "Company")" definitions: [{"name", "alias", "role", "pos"}] in order."""
    out = []
    for m in _ALIAS_RE.finditer(text):
        name = name_before(text, m.start())
        if not name:
            continue
        alias = " ".join(m.group("alias").split())
        out.append({"name": name, "alias": alias, "role": canonical_role(alias), "pos": m.start()})
        if len(out) >= limit:
            break
    return out


_FIRM_SUFFIX = r"(?:LLP|L\.L\.P\.|LLC|P\.C\.|P\.A\.|PLLC|Chartered|CPAs?|&\s+Co\.?|&\s+Company)"
_SIGNED_FIRM_RE = re.compile(
    rf"/s/[ \t]*(?P<name>[A-Z][A-Za-z&.,'’ \-]{{1,70}}?{_FIRM_SUFFIX})(?![A-Za-z])"
)
_FIRM_LINE_RE = re.compile(
    rf"^[ \t|]*(?P<name>[A-Z][A-Za-z&.,'’ \-]{{1,70}}?,?[ \t]+{_FIRM_SUFFIX})[ \t|]*$", re.MULTILINE
)
_KNOWN_FIRMS_RE = re.compile(
    r"\b(?P<name>Deloitte\s+&\s+Touche\s+LLP|KPMG\s+LLP|Ernst\s+&\s+Young\s+LLP|PricewaterhouseCoopers\s+LLP"
    r"|Grant\s+Thornton\s+LLP|BDO\s+(?:Seidman|USA),?\s+LLP|McGladrey\s+(?:&\s+Pullen,?\s+)?LLP"
    r"|Crowe\s+(?:Chizek\s+and\s+Company\s+LLC|Horwath\s+LLP|LLP)|Moss\s+Adams\s+LLP|Arthur\s+Andersen\s+LLP)"
)


def accountant_name(text: str) -> str | None:
    """The accounting firm signing a report: "/s/ FIRM LLP", a firm line, or a well-known firm."""
    for rx in (_SIGNED_FIRM_RE, _FIRM_LINE_RE, _KNOWN_FIRMS_RE):
        for m in rx.finditer(text):
            name = squash(m.group("name")).strip(" ,")
            if len(name) >= 4 and not re.match(r"(?i)name|title|by\b", name):
                return name
    return None


def add_party(parties: list[dict[str, Any]], name: str | None, role: str | None, source: str = "") -> None:
    """Append a party unless the same (name, role) is already there (names compared by key)."""
    if not name or not role:
        return
    key = name_key(name)
    if not key:
        return
    for p in parties:
        if p["role"] == role and name_key(p["name"]) == key:
            return
    parties.append({"name": name, "role": role, "source": source})


def same_party(a: str | None, b: str | None) -> bool:
    """Names refer to one party: equal keys ("Aurora Loan Services, Inc." = "AURORA LOAN SERVICES INC").

    Not prefixes: a depositor "X Receivables Corp." and its trust "X Receivables Trust 2008-1"
    share one.
    """
    if not a or not b:
        return False
    ka = name_key(a)
    return bool(ka) and ka == name_key(b)
