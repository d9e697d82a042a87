"""Readers shared by both eras: who a report is about, the verdict of a compliance statement,
the accountants' opinion, the noncompliance paragraphs, and the insurance coverage.

The wording of these reports is fixed by the servicing agreements and by the attestation
standards, so a handful of phrasings ("is not in default", "has fulfilled all of its
obligations", "except for the material noncompliance", "had in effect a fidelity bond in the
amount of $...") carry the facts; the functions below key on them and report what they could
not decide instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .parties import accountant_name, aliased_names, as_role_mentions, canonical_role, name_before
from .textutil import (
    DATE_PATTERN,
    DATE_RE,
    MONEY_RE,
    date_from_match,
    money_from_match,
    paragraphs,
    sentences,
    squash,
)

MAX_DETAIL = 1200

#: Aliases that stand for the party a report is about.
_PARTY_ALIASES = {"company", "asserting party", "bank", "servicer", "master servicer", "trustee",
                  "custodian", "securities administrator", "trust administrator", "paying agent",
                  "special servicer", "subservicer", "sub-servicer", "indenture trustee", "corporation",
                  "certificate administrator", "issuer", "administrator"}


def subject_party(text: str, index_hint: tuple[str, str] | None = None) -> tuple[str | None, str | None]:
    """(name, role) of the party a report speaks for.

    Order: the exhibit index entry ("99.1 ... a. Aurora Loan Services Inc., as Master Servicer"),
    a "NAME (the "Company")" definition, "NAME is responsible for assessing", "NAME has complied",
    "NAME, as ROLE" inside the report. Role is None when the report does not say.
    """
    if index_hint and index_hint[0]:
        return index_hint
    head = text[:8000]
    for a in aliased_names(head):
        if a["alias"].lower() in _PARTY_ALIASES:
            role = a["role"]
            if role is None:  # "X (the "Company"), as servicer ..."
                near = re.search(r"^\([^)]*\),?\s+as\s+(?:the\s+)?(master\s+servicer|servicer|trustee|custodian"
                                 r"|securities\s+administrator)\b", head[a["pos"]: a["pos"] + 200], re.IGNORECASE)
                role = canonical_role(near.group(1)) if near else None
            return a["name"], role
    for rx in (r"\s+(?:is|are)\s+responsible\s+for\s+assessing", r"\s+(?:has|have)\s+complied\b",
               r"\s+(?:had|has)\s+in\s+effect\b"):
        m = re.search(rx, head, re.IGNORECASE)
        if m:
            name = name_before(head, m.start())
            if name:
                return name, None
    mentions = as_role_mentions(head, limit=5)
    if mentions:
        return mentions[0]["name"], mentions[0]["role"]
    return None, None


def role_in_text(text: str) -> str | None:
    """Role a statement speaks as ("the Master Servicer has fulfilled" -> master_servicer)."""
    m = re.search(
        r"\b(?:the\s+)?(master\s+servicer|special\s+servicer|securities\s+administrator|trust\s+administrator"
        r"|servicer|trustee|custodian|paying\s+agent)\s+(?:is\s+not\s+in\s+default|has\s+fulfilled|has\s+not\s+fulfilled"
        r"|is\s+in\s+default|has\s+failed)",
        text, re.IGNORECASE)
    return canonical_role(m.group(1)) if m else None


# ------------------------------------------------------------------------ compliance statement

_NEGATED_CTX = re.compile(r"\b(?:nothing|not\s+aware|no\s+knowledge|believe\s+that|if\s+there|whether)\b", re.IGNORECASE)
_DEFAULT_RES = [
    re.compile(r"(?<!not\s)\bis\s+in\s+(?:material\s+)?default\b", re.IGNORECASE),
    re.compile(r"\bhas\s+not\s+fulfilled\b|\bdid\s+not\s+fulfill\b", re.IGNORECASE),
    re.compile(r"\bexcept\s+(?:as|for)\b[^.;]{0,160}?\b(?:below|following|noted|described|set\s+forth|attached|disclosed|identified)\b",
               re.IGNORECASE),
    re.compile(r"\bthe\s+following\s+(?:material\s+)?(?:failures?|defaults?|exceptions?|instances?\s+of\s+non-?compliance)\b",
               re.IGNORECASE),
    re.compile(r"\b(?:has|have)\s+failed\s+to\s+(?:fulfill|perform|comply)\b", re.IGNORECASE),
]
_NO_DEFAULT_RES = [
    re.compile(r"\bis\s+not\s+in\s+(?:material\s+)?default\b", re.IGNORECASE),
    re.compile(r"\bhas\s+fulfilled\s+all\b|\bfulfilled\s+all\s+(?:of\s+)?its\b", re.IGNORECASE),
    re.compile(r"\bno\s+(?:material\s+)?(?:default|failure)s?\b[^.]{0,80}\b(?:occurred|exist|known)\b", re.IGNORECASE),
    re.compile(r"\bthere\s+(?:has|have)\s+been\s+no\s+(?:material\s+)?(?:defaults?|failures?)\b", re.IGNORECASE),
]


def statement_verdict(text: str) -> tuple[bool | None, str | None]:
    """(in_default, detail) of a servicer compliance statement; (None, None) if undecided.

    Conditional boilerplate ("if there is a default ..., a description ... has been reported")
    and negated beliefs ("nothing ... to believe that its Servicer has failed") do not count.
    """
    sents = sentences(text)
    for i, s in enumerate(sents):
        for rx in _DEFAULT_RES:
            m = rx.search(s)
            if m and not _NEGATED_CTX.search(s[: m.start()]):
                detail = " ".join(sents[i: i + 3])
                return True, squash(detail)[:MAX_DETAIL]
    for rx in _NO_DEFAULT_RES:  # the most explicit wording ("is not in default") first
        for s in sents:
            if rx.search(s):
                return False, squash(s)[:MAX_DETAIL]
    return None, None


# ------------------------------------------------------------------------ accountants' opinion

_ADVERSE_RE = re.compile(
    r"\b(?:has|have)\s+not\s+complied\b|\bdid\s+not\s+comply\b|\bdoes\s+not\s+comply\b|\badverse\s+opinion\b"
    r"|\bis\s+not\s+fairly\s+stated\b|\bbecause\s+of\s+the\s+(?:significance\s+of\s+the\s+)?(?:material\s+)?non-?compliance",
    re.IGNORECASE,
)
_QUALIFIED_RE = re.compile(
    r"\bexcept\s+for\s+(?:the\s+)?(?:effects?\s+of\s+)?(?:the\s+)?(?:material\s+)?(?:non-?compliance|instances?|matters?|exceptions?)",
    re.IGNORECASE,
)


def opinion(text: str) -> str | None:
    """ "unqualified" / "qualified" / "adverse" from the opinion paragraph; None if absent."""
    m = re.search(r"\bin\s+our\s+opinion\b", text, re.IGNORECASE)
    if not m:
        return None
    para = text[m.start(): m.start() + 1500].split("\n\n")[0]
    if _ADVERSE_RE.search(para):
        return "adverse"
    if _QUALIFIED_RE.search(para):
        return "qualified"
    return "unqualified"


def accountant(text: str) -> str | None:
    """The firm that signed an accountants' report."""
    return accountant_name(text)


# ------------------------------------------------------------------------ noncompliance

_NONCOMPLIANCE_RE = re.compile(
    r"material\s+(?:instances?\s+of\s+)?non-?compliance|material\s+weakness|not\s+in\s+compliance",
    re.IGNORECASE,
)
_NONE_FOUND_RE = re.compile(
    r"\b(?:no|not\s+identif\w+\s+any|did\s+not\s+(?:identify|disclose)\s+any|without\s+any)\s+(?:material\s+)?"
    r"(?:instances?\s+of\s+)?non-?compliance",
    re.IGNORECASE,
)
_OPINION_TAIL_RE = re.compile(r"^\s*in\s+our\s+opinion|^\s*except\s+for\s+the\s+material", re.IGNORECASE)


def noncompliance_passages(text: str, ref_finder: Callable[[str], list[tuple[str, str | None, int, int]]]
                           ) -> list[tuple[str, str, str | None]]:
    """(criterion code, detail, sub-part) for each criterion cited as materially noncompliant.

    A passage starts at a paragraph that speaks of material noncompliance (and does not say
    there was none) and runs on through the following paragraphs that cite criteria. Each
    criterion gets the text from its citation to the next citation, prefixed by the sentence
    that introduces it, so "Item V.2., relating to ... In two of the thirty-five ..." stays whole.
    """
    paras = paragraphs(text)
    out: list[tuple[str, str, str | None]] = []
    seen: set[str] = set()
    i = 0
    while i < len(paras):
        p = paras[i]
        if not _NONCOMPLIANCE_RE.search(p) or _NONE_FOUND_RE.search(p) or _OPINION_TAIL_RE.search(p):
            i += 1
            continue
        block = [p]
        j = i + 1
        while j < len(paras) and ref_finder(paras[j]) and not _OPINION_TAIL_RE.search(paras[j]):
            block.append(paras[j])
            j += 1
        for part in block:
            part = squash(part)
            refs = ref_finder(part)
            for k, (code, sub, start, _end) in enumerate(refs):
                if code in seen:
                    continue
                nxt = refs[k + 1][2] if k + 1 < len(refs) else len(part)
                if nxt - start < 40 and k + 1 < len(refs):  # a list of citations: share the text
                    nxt = len(part)
                lead_start = max(part.rfind(". ", 0, start), 0)
                lead = part[lead_start:start] if start - lead_start < 400 else ""
                detail = squash(lead.lstrip(". ") + part[start:nxt])
                seen.add(code)
                out.append((code, detail[:MAX_DETAIL], sub))
        i = j
    return out


# ------------------------------------------------------------------------ insurance

_EO_RE = re.compile(r"errors?\s*(?:and|&)\s*omissions?|\bE\s*&\s*O\b", re.IGNORECASE)
_FID_RE = re.compile(r"fidelity\s+bond|fidelity\s+(?:insurance|coverage)|blanket\s+bond", re.IGNORECASE)
_PERIOD_RE = re.compile(
    rf"(?:from|for\s+the\s+period(?:\s+from)?|between)\s+{DATE_PATTERN}\s*(?:through|thru|to|until|and|-)\s*{DATE_PATTERN}",
    re.IGNORECASE,
)


def _period(span: str) -> tuple[str | None, str | None]:
    dates = [d for d in (date_from_match(m) for m in DATE_RE.finditer(span)) if d]
    if _PERIOD_RE.search(span) and len(dates) >= 2:
        return dates[0], dates[1]
    return None, None


def insurance(text: str, default_party: str | None, fy_start: str | None, fy_end: str | None) -> list[dict[str, Any]]:
    """Errors-and-omissions and fidelity-bond coverage stated in a management report.

    An amount without its own "from ... through ..." period covers the fiscal year (the
    assertion is "as of and for" the year). "... in the amount of $X and $Y, respectively"
    pairs amounts with the policy types in the order named.
    """
    rows: list[dict[str, Any]] = []
    for sent in sentences(text):
        if not (_EO_RE.search(sent) or _FID_RE.search(sent)) or not MONEY_RE.search(sent):
            continue
        party = default_party
        subj = re.search(r"\s+(?:had|has|maintained|maintains|carried|carries)\s+(?:in\s+effect|in\s+force)\b", sent)
        if subj:
            party = name_before(sent, subj.start()) or default_party
        kinds = sorted([(m.start(), "errors_and_omissions") for m in _EO_RE.finditer(sent)]
                       + [(m.start(), "fidelity_bond") for m in _FID_RE.finditer(sent)])
        amounts = list(MONEY_RE.finditer(sent))
        respectively = re.search(r"\brespectively\b", sent, re.IGNORECASE)
        if respectively and len(kinds) >= 2 and len(amounts) >= 2:
            start, end = _period(sent)
            for (_, kind), am in zip(kinds, amounts, strict=False):
                rows.append(_coverage(kind, money_from_match(am), start or fy_start, end or fy_end, party))
            continue
        for n, am in enumerate(amounts):
            before = [k for k in kinds if k[0] < am.start()]
            named = before[-1][1] if before else (kinds[0][1] if kinds else None)
            if named is None:
                continue
            span_end = amounts[n + 1].start() if n + 1 < len(amounts) else len(sent)
            start, end = _period(sent[am.end(): span_end])
            rows.append(_coverage(named, money_from_match(am), start or fy_start, end or fy_end, party))
    return rows


def _coverage(kind: str, amount: Any, start: str | None, end: str | None, party: str | None) -> dict[str, Any]:
    return {"type": kind, "amount": amount, "start": start, "end": end, "party": party}
