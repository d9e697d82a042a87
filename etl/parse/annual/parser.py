"""``parse_annual``: a 10-K of an ABS trust in, structured compliance facts out.

The function is pure (text in, dict out) and total: an unknown layout yields empty lists and
warnings, never an exception, and work is bounded by capping the input size, so one odd filing
cannot stop a batch. Each stage runs under its own guard so a failure in, say, the insurance
reader still leaves the parties and assessments of the filing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from . import compliance, cover, regab, usap
from .criteria import FRAMEWORK_REG_AB, FRAMEWORK_USAP, criterion_codes
from .documents import ASSESSMENT, ATTESTATION, BODY, STATEMENT, Section, build_sections
from .parties import (
    SERVICING_PARTICIPANT,
    accountant_name,
    add_party,
    as_role_mentions,
    same_party,
)
from .textutil import fiscal_year_start, parse_date, parse_sample

#: Inputs beyond this are cut (with a warning): real 10-K submissions of ABS trusts are a few MB.
MAX_TEXT_CHARS = 12_000_000
MAX_DOCUMENTS = 400
#: How much of each exhibit is read for "NAME, as ROLE" (platform transaction lists follow).
EXHIBIT_PARTY_WINDOW = 4000

T = TypeVar("T")

#: Roles that take part in servicing: a report's unnamed role is looked up among these only
#: (the sponsor is often also the servicer; its report speaks as servicer).
SERVICING_ROLES = ("master_servicer", "servicer", "subservicer", "special_servicer", "backup_servicer",
                   "trustee", "indenture_trustee", "securities_administrator", "trust_administrator",
                   "certificate_administrator", "paying_agent", "custodian")


def _guard(warnings: list[str], what: str, fn: Callable[[], T], default: T) -> T:
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - a parser stage must never stop the batch
        warnings.append(f"annual: {what} failed ({type(exc).__name__}: {exc})")
        return default


def _empty_report() -> dict[str, Any]:
    return {
        "fiscal_year_end": None,
        "holders_of_record": None,
        "closing_date": None,
        "distribution_report_dates": [],
        "trust": None,
        "trust_printed": None,
        "depositor": None,
        "commission_file_number": None,
        "depositor_file_number": None,
        "era": None,
        "signed_date": None,
    }


def parse_annual(text: str, documents: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Parse an ABS annual report (10-K) into the annual CLI/staging keys.

    ``text`` is the primary document or the whole SGML submission; ``documents`` optionally
    lists the submission's documents (dicts with ``type``, ``filename``, ``text``, or objects
    with those attributes) so EX-33, EX-34 and EX-35 are read one by one; when given, they
    are what is read and ``text`` is not. Keys: annual_report, parties, servicing_assessments,
    insurance, compliance_statements, attestations, warnings.
    """
    warnings: list[str] = []
    out: dict[str, Any] = {
        "annual_report": _empty_report(),
        "parties": [],
        "servicing_assessments": [],
        "insurance": [],
        "compliance_statements": [],
        "attestations": [],
        "warnings": warnings,
    }
    if not isinstance(text, str):
        warnings.append(f"annual: text is {type(text).__name__}, not str; nothing parsed")
        text = ""
    if len(text) > MAX_TEXT_CHARS:
        warnings.append(f"annual: input of {len(text)} characters cut to {MAX_TEXT_CHARS}")
        text = text[:MAX_TEXT_CHARS]
    documents = _clean_documents(documents, warnings)
    _guard(warnings, "parse", lambda: _parse(text, documents, out, warnings), None)
    return out


def _as_dict(doc: Any) -> dict[str, Any] | None:
    """A document as a dict: dicts as given, objects with ``type``/``text`` attributes
    (such as ``etl.edgar.sgml.Document``) read attribute by attribute."""
    if isinstance(doc, dict):
        return doc
    if hasattr(doc, "text"):
        return {k: getattr(doc, k, None) for k in ("type", "filename", "description", "text")}
    return None


def _clean_documents(documents: Any, warnings: list[str]) -> list[dict[str, Any]] | None:
    if documents is None:
        return None
    if not isinstance(documents, list):
        warnings.append("annual: documents is not a list; ignored")
        return None
    docs = [d for d in [_as_dict(x) for x in documents][:MAX_DOCUMENTS] if d is not None]
    if len(docs) < len(documents):
        warnings.append("annual: some documents were neither dicts nor documents, or beyond the limit; ignored")
    budget = MAX_TEXT_CHARS
    cleaned = []
    for d in docs:
        t = d.get("text")
        t = t if isinstance(t, str) else ""
        if len(t) > budget:
            warnings.append(f"annual: document {d.get('filename') or d.get('type')} cut to the size limit")
            t = t[:budget]
        budget -= len(t)
        cleaned.append({**d, "text": t})
    return cleaned


def _parse(text: str, documents: list[dict[str, Any]] | None, out: dict[str, Any], warnings: list[str]) -> None:
    sections: list[Section] = _guard(warnings, "splitting documents", lambda: build_sections(text, documents), [])
    body_parts = [s.text for s in sections if s.kind == BODY]
    body = "\n".join(body_parts) if body_parts else (sections[0].text if sections else "")
    if not body.strip() and not any(s.kind != BODY for s in sections):
        warnings.append("annual: empty input")
        return

    report = out["annual_report"]
    _guard(warnings, "cover page", lambda: _cover(body, sections, report, warnings), None)
    fy_end = report["fiscal_year_end"]
    fy_start = fiscal_year_start(fy_end)

    index: dict[str, tuple[str, str]] = _guard(warnings, "exhibit index", lambda: exhibit_index(body), {})
    parties: list[dict[str, Any]] = out["parties"]
    _guard(warnings, "parties", lambda: _parties(body, sections, report, parties), None)

    reader = _RegAbReader if report["era"] == "reg_ab" else _UsapReader
    what = "Reg AB exhibits" if report["era"] == "reg_ab" else "USAP exhibits"
    _guard(warnings, what, lambda: reader(sections, index, parties, out, warnings, fy_start, fy_end).read(), None)

    _guard(warnings, "statements", lambda: _statements(sections, index, parties, out, warnings), None)

    for p in parties:
        p.setdefault("source", "")
    if not parties:
        warnings.append("annual: no parties found")
    if not out["servicing_assessments"]:
        warnings.append("annual: no servicing criteria assessment found")
    if not out["compliance_statements"]:
        warnings.append("annual: no servicer compliance statement found")


# ----------------------------------------------------------------------------------- cover

def _cover(body: str, sections: list[Section], report: dict[str, Any], warnings: list[str]) -> None:
    report["fiscal_year_end"] = cover.fiscal_year_end(body)
    nums = cover.commission_file_numbers(body)
    report["commission_file_number"] = nums.get("issuing_entity") or nums.get("registrant") or nums.get("depositor")
    report["depositor_file_number"] = nums.get("depositor")
    report["depositor"] = cover.depositor(body)
    printed = cover.trust_printed(body)
    report["trust_printed"] = printed
    report["trust"] = cover.normalize_trust_name(printed)
    report["closing_date"] = cover.closing_date(body)
    report["holders_of_record"] = cover.holders_of_record(body)
    report["distribution_report_dates"] = cover.distribution_report_dates(body)
    all_text_head = body + "\n".join(s.text[:20000] for s in sections if s.kind != BODY)
    report["era"] = "reg_ab" if cover.is_reg_ab(all_text_head, [s.doc_type for s in sections]) else "pre_reg_ab"
    report["signed_date"] = _signed_date(body)
    for key in ("fiscal_year_end", "commission_file_number", "trust", "depositor"):
        if not report[key]:
            warnings.append(f"annual: {key} not found")


def _signed_date(body: str) -> str | None:
    """The "Date:" line of the signature block."""
    i = body.lower().find("signature")
    if i < 0:
        return None
    m = re.search(r"\n\s*Date:?\s*([^\n]{4,40})", body[i: i + 8000])
    return parse_date(m.group(1)) if m else None


def exhibit_index(body: str) -> dict[str, tuple[str, str]]:
    """Exhibit number -> (party, role) from the exhibit list of Item 15 / the exhibit index.

    Handles "99.1 Annual Statement of Compliance" followed by "a. Aurora Loan Services Inc.,
    as Master Servicer" (key "99.1.a") and one-line entries "33.1 Report ... of X, as Servicer".
    """
    out: dict[str, tuple[str, str]] = {}
    current = None
    for line in body.split("\n")[:20000]:
        m = re.match(r"^[ \t|]*(?:Exhibit[ \t]+)?\(?(?P<num>\d{1,3}\.\d{1,3}(?:\.[a-z])?)\)?[ \t|]+(?P<rest>\S.*)$", line, re.IGNORECASE)
        sub = re.match(r"^[ \t|]*(?P<letter>[a-z])[.)][ \t]+(?P<rest>\S.*)$", line)
        if m:
            current = m.group("num").lower()
            rest, key = m.group("rest"), current
        elif sub and current:
            rest, key = sub.group("rest"), f"{current}.{sub.group('letter')}"
        else:
            continue
        mentions = as_role_mentions(rest, limit=1)
        if mentions and key not in out:
            out[key] = (mentions[0]["name"], mentions[0]["role"])
    return out


def _hint(index: dict[str, tuple[str, str]], sec: Section) -> tuple[str, str] | None:
    num = sec.exhibit
    while num:
        if num in index:
            return index[num]
        num = num.rsplit(".", 1)[0] if "." in num else ""
    return None


# ----------------------------------------------------------------------------------- parties

def _parties(body: str, sections: list[Section], report: dict[str, Any], parties: list[dict[str, Any]]) -> None:
    add_party(parties, report["depositor"], "depositor", "cover")
    if report["era"] == "reg_ab":
        issuing = cover.name_above(body, r"\(\s*Exact\s+name\s+of\s+issuing\s+entity")
        add_party(parties, issuing, "issuing_entity", "cover")
        sponsor = cover.name_above(body, r"\(\s*Exact\s+name\s+of\s+sponsor")
        add_party(parties, sponsor, "sponsor", "cover")
    for mention in as_role_mentions(body):
        add_party(parties, mention["name"], mention["role"], "body")
    for s in sections:
        if s.kind in (STATEMENT, ASSESSMENT, ATTESTATION):
            for mention in as_role_mentions(s.text[:EXHIBIT_PARTY_WINDOW], limit=10):
                add_party(parties, mention["name"], mention["role"], f"exhibit {s.exhibit}".strip())


def _role_for(parties: list[dict[str, Any]], name: str | None, role: str | None) -> str:
    if role:
        return role
    if name:
        known = [p["role"] for p in parties if same_party(p["name"], name) and p["role"] in SERVICING_ROLES]
        if known:
            return cast(str, known[0])
    return SERVICING_PARTICIPANT


def _canonical_name(parties: list[dict[str, Any]], name: str | None) -> str | None:
    """The spelling already recorded for a party, so one party has one name across keys."""
    if not name:
        return name
    for p in parties:
        if same_party(p["name"], name):
            return cast(str, p["name"])
    return name


# ----------------------------------------------------------------------------------- statements

def _statements(sections: list[Section], index: dict[str, Any], parties: list[dict[str, Any]], out: dict[str, Any], warnings: list[str]) -> None:
    for s in sections:
        if s.kind != STATEMENT:
            continue
        name, role = compliance.subject_party(s.text, _hint(index, s))
        role = role or compliance.role_in_text(s.text)
        name = _canonical_name(parties, name)
        role = _role_for(parties, name, role)
        in_default, detail = compliance.statement_verdict(s.text)
        where = s.exhibit or s.filename or "statement"
        if name is None:
            warnings.append(f"annual: compliance statement {where}: party not found")
        if in_default is None:
            warnings.append(f"annual: compliance statement {where}: no default/no-default wording found")
        add_party(parties, name, role, f"exhibit {s.exhibit}".strip())
        out["compliance_statements"].append({
            "party": name, "role": role, "in_default": in_default, "detail": detail,
            "exhibit": s.exhibit or None,
        })


# ------------------------------------------------------------------------ servicing assessments

@dataclass
class _Finding:
    """What one party's reports say, criterion by criterion (its reports merged: several
    platforms, or the accountant's findings on top of management's)."""

    party: str
    role: str | None = None
    exceptions: dict[str, dict[str, Any]] = field(default_factory=dict)  # criterion -> first exception found
    not_applicable: set[str] = field(default_factory=set)
    partial: dict[str, list[str]] = field(default_factory=dict)  # criterion -> sub-parts not applicable
    uncoded: str | None = None  # noncompliance reported without a criterion cited (USAP)


class _AssessmentReader:
    """Management's assessments and the accountants' attestations of one framework's 10-K, into
    one ``servicing_assessments`` row per assessed party and criterion. The frameworks differ in
    where the criteria come from, what an assessment report states, and what an attestation of an
    unassessed party means; the rest is this class."""

    framework: str
    attestations_first: bool  # USAP filings lead with the accountants' reports
    no_party_attestation: str  # warning texts, "{where}" the exhibit
    no_party_assessment: str

    def __init__(self, sections: list[Section], index: dict[str, tuple[str, str]], parties: list[dict[str, Any]],
                 out: dict[str, Any], warnings: list[str], fy_start: str | None, fy_end: str | None) -> None:
        self.sections, self.index, self.parties, self.out = sections, index, parties, out
        self.warnings, self.fy_start, self.fy_end = warnings, fy_start, fy_end
        self.findings: list[_Finding] = []

    # -- what each framework says differently
    def criteria(self) -> list[str]:
        raise NotImplementedError

    def exceptions_in(self, text: str) -> list[dict[str, Any]]:
        raise NotImplementedError

    def where(self, s: Section) -> str:
        return s.exhibit

    def assessment(self, s: Section, name: str, role: str | None) -> None:
        """Record one management's assessment report of party ``name``."""
        raise NotImplementedError

    def unassessed(self, name: str, role: str | None) -> _Finding | None:
        """The finding an attestation of a party with no assessment report goes to (None: dropped)."""
        raise NotImplementedError

    def before_rows(self, f: _Finding) -> None:
        """Hook before a party's rows are written."""

    def finish(self) -> None:
        """Hook after every row is written."""

    # -- shared
    def read(self) -> None:
        codes = self.criteria()
        steps = (self._attestations, self._assessments)
        for step in steps if self.attestations_first else reversed(steps):
            step()
        for f in self.findings:
            self.before_rows(f)
            self._rows(f, codes)
        self.finish()

    def find(self, name: str) -> _Finding | None:
        return next((f for f in self.findings if same_party(f.party, name)), None)

    def _subject(self, s: Section) -> tuple[str | None, str | None]:
        name, role = compliance.subject_party(s.text, _hint(self.index, s))
        return _canonical_name(self.parties, name), role

    def _assessments(self) -> None:
        for s in self.sections:
            if s.kind != ASSESSMENT:
                continue
            name, role = self._subject(s)
            if not name:
                self.warnings.append(self.no_party_assessment.format(where=self.where(s)))
                continue
            self.assessment(s, name, role)
            self.out["insurance"].extend(_insurance(self.warnings, s.text, name, self.fy_start, self.fy_end))

    def _attestations(self) -> None:
        for s in self.sections:
            if s.kind != ATTESTATION:
                continue
            name, role = self._subject(s)
            firm = accountant_name(s.text)
            excs = self.exceptions_in(s.text)
            add_party(self.parties, firm, "accountant", f"exhibit {s.exhibit}".strip())
            self.out["attestations"].append({
                "party": name, "accountant": firm, "opinion": compliance.opinion(s.text),
                "exceptions": [{"criterion": e["criterion"], "detail": e["detail"]} for e in excs],
                "framework": self.framework, "date": _report_date(s.text), "exhibit": s.exhibit or None,
            })
            if not name:
                self.warnings.append(self.no_party_attestation.format(where=self.where(s)))
                continue
            target = self.find(name) or self.unassessed(name, role)
            if target is None:
                continue
            target.role = target.role or role
            for e in excs:  # the accountant found what management did not report
                target.exceptions.setdefault(e["criterion"], e)

    def _rows(self, f: _Finding, codes: list[str]) -> None:
        for code in codes:
            e = f.exceptions.get(code)
            if e:
                status, detail = "exception", e["detail"]
            elif code in f.not_applicable:
                status, detail = "not_applicable", None
            else:
                status, detail = "compliant", None
            if code in f.partial and status != "not_applicable":
                note = f"sub-part(s) {', '.join(f.partial[code])} not applicable"
                detail = f"{detail} ({note})" if detail else note
            size, bad = (e["sample_size"], e["sample_exceptions"]) if e else (None, None)
            if e and size is None and len(f.exceptions) == 1 and f.uncoded:
                size, bad = parse_sample(f.uncoded)
            self.out["servicing_assessments"].append({
                "party": f.party, "criterion": code, "status": status, "detail": detail,
                "sample_size": size, "sample_exceptions": bad,
                "framework": self.framework, "applicable": status != "not_applicable",
            })


class _UsapReader(_AssessmentReader):
    """Before Regulation AB: accountants' reports on management's assertion against the USAP
    minimum servicing standards listed in the filing's appendix."""

    framework = FRAMEWORK_USAP
    attestations_first = True
    no_party_attestation = "annual: accountants' report {where}: servicer not found"
    no_party_assessment = "annual: management's assertion {where}: servicer not found"

    def criteria(self) -> list[str]:
        appendix = usap.parse_appendix("\n".join(s.text for s in self.sections))
        known = criterion_codes(FRAMEWORK_USAP)
        if not appendix:
            if any(s.kind in (ASSESSMENT, ATTESTATION) for s in self.sections):
                self.warnings.append("annual: no appendix of minimum servicing standards; used the USAP dimension")
            return list(known)
        codes = [a["code"] for a in appendix]
        extra = [c for c in codes if c not in known]
        if extra:
            self.warnings.append(f"annual: appendix lists standards not in the USAP dimension: {extra}")
        return codes

    def exceptions_in(self, text: str) -> list[dict[str, Any]]:
        return usap.exceptions_in(text)

    def unassessed(self, name: str, role: str | None) -> _Finding:
        self.findings.append(_Finding(name))  # an accountant's report alone is an assessment
        return self.findings[-1]

    def assessment(self, s: Section, name: str, role: str | None) -> None:
        f = self.find(name) or self.unassessed(name, role)
        f.role = f.role or role
        for e in usap.exceptions_in(s.text):
            f.exceptions.setdefault(e["criterion"], e)
        f.uncoded = f.uncoded or usap.uncoded_noncompliance(s.text)

    def before_rows(self, f: _Finding) -> None:
        add_party(self.parties, f.party, _role_for(self.parties, f.party, f.role), "assessment")
        if f.uncoded and not f.exceptions:
            self.warnings.append(f"annual: {f.party}: noncompliance reported without a standard cited")


class _RegAbReader(_AssessmentReader):
    """Regulation AB (2006 on): EX-33 assessments and EX-34 attestations against Item 1122(d)."""

    framework = FRAMEWORK_REG_AB
    attestations_first = False
    no_party_attestation = "annual: attestation {where}: party not found"
    no_party_assessment = "annual: assessment {where}: party not found"

    def criteria(self) -> list[str]:
        return criterion_codes(FRAMEWORK_REG_AB)

    def exceptions_in(self, text: str) -> list[dict[str, Any]]:
        return regab.exceptions_in(text)

    def where(self, s: Section) -> str:
        return s.exhibit or s.filename

    def unassessed(self, name: str, role: str | None) -> None:
        self.warnings.append(f"annual: attestation for {name} has no matching assessment (EX-33)")
        return None

    def assessment(self, s: Section, name: str, role: str | None) -> None:
        role = _role_for(self.parties, name, role)
        add_party(self.parties, name, role, f"exhibit {s.exhibit}".strip())
        na, partial = regab.applicability(s.text)
        excs = {e["criterion"]: e for e in regab.exceptions_in(s.text)}  # the last mention of a criterion
        for bad in regab.unknown_refs(s.text):
            self.warnings.append(f"annual: assessment {s.exhibit}: cites {bad}, not a criterion of Item 1122(d)")
        same = self.find(name)
        if same is None:
            self.findings.append(_Finding(name, exceptions=excs, not_applicable=na, partial=partial))
            return
        # one party, several platforms: one row per criterion, the worst finding wins
        same.not_applicable &= na
        for code, subs in partial.items():
            same.partial.setdefault(code, []).extend(x for x in subs if x not in same.partial[code])
        for code, e in excs.items():
            same.exceptions.setdefault(code, e)

    def finish(self) -> None:
        if not self.findings and any(s.kind == BODY and re.search(r"1122\s*\(d\)", s.text) for s in self.sections):
            self.warnings.append("annual: Item 1122 cited but no EX-33 assessment report found")


def _insurance(warnings: list[str], text: str, party: str | None, fy_start: str | None,
               fy_end: str | None) -> list[dict[str, Any]]:
    """Coverage rows of one report; a failure here must not cost the report's assessments."""
    try:
        return compliance.insurance(text, party, fy_start, fy_end)
    except Exception as exc:  # noqa: BLE001
        warnings.append(f"annual: insurance of {party} failed ({type(exc).__name__}: {exc})")
        return []


def _report_date(text: str) -> str | None:
    """Date printed under the signature of a report (its last date line)."""
    tail = text[-1500:]
    dates = re.findall(r"^[ \t]*((?:January|February|March|April|May|June|July|August|September|October|November|December)"
                       r"\s+\d{1,2},\s*\d{4})[ \t]*$", tail, re.MULTILINE)
    return parse_date(dates[-1]) if dates else None



__all__ = ["exhibit_index", "parse_annual"]
