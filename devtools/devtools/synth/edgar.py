"""The EDGAR side of the mirror: SGML envelopes, accession numbers, index files, submissions JSON.

Formats are copied from the real examples in tests/fixtures/edgar_formats: the
tab-aligned SEC header, the fixed-width form.idx (Form Type at 0, Company Name at 12,
CIK at 74, Date Filed at 86, File Name at 98 padded to 52), and the data.sec.gov
submissions JSON with its column arrays and ``files`` pages.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from devtools.synth.schedule import MONTH_ABBR, MONTH_NAME

SUBMISSIONS_PAGE = 40  # filings in "recent" and in each older page (real EDGAR: 1000+)

DAILY_HEADER = (
    "Description:           Daily Index of EDGAR Dissemination Feed by Form Type\n"
    "Last Data Received:    {received}\n"
    "Comments:              webmaster@sec.gov\n"
    "Anonymous FTP:         ftp://ftp.sec.gov/edgar/\n"
    " \n \n \n \n"
)
FULL_HEADER = (
    "Description:           Master Index of EDGAR Dissemination Feed by Form Type\n"
    "Last Data Received:    {received}\n"
    "Comments:              webmaster@sec.gov\n"
    "Anonymous FTP:         ftp://ftp.sec.gov/edgar/\n"
    " \n \n \n \n"
)
COLUMNS = "Form Type   Company Name                                                  CIK         Date Filed  File Name\n"
DASHES = "-" * 141 + "\n"

_PEM_KEY = (
    " MFgwCgYEVQgBAQICAf8DSgAwRwJAW2sNKK9AVtBzYZmr6aGjlWyK3XmZv3dTINen\n"
    " TWSM7vrzLADbmYQaionwg5sDW3P6oaM5D3tdezXMm7z1T+B+twIDAQAB\n"
)


@dataclass(frozen=True)
class Document:
    """One <DOCUMENT> of a submission."""

    type: str
    filename: str
    description: str
    text: str


@dataclass(frozen=True)
class Filer:
    """The FILER block of the header (and the company facts of the submissions JSON)."""

    cik: int
    name: str
    sic: str
    sic_description: str
    state: str
    irs: str
    file_number: str
    street: str
    city: str
    state_code: str
    zip_code: str
    phone: str
    fiscal_year_end: str = "1231"


@dataclass
class Filing:
    """A submission about to be written: header facts plus its documents."""

    accession: str
    form: str
    filer: Filer
    filed: date
    accepted: str  # YYYYMMDDHHMMSS
    period: date | None
    documents: list[Document]
    film_number: str
    items: tuple[str, ...] = ()
    owner: Filer | None = None  # the reporting owner of a Form 4
    extra: dict[str, Any] = field(default_factory=dict)


def _pem_mic(accession: str) -> str:
    raw = hashlib.sha512(accession.encode()).digest()[:64]
    b = base64.b64encode(raw).decode()
    return f" {b[:64]}\n {b[64:]}\n"


def _company_block(f: Filer, form: str, film: str, title: str = "COMPANY DATA") -> list[str]:
    lines = [
        f"\t{title}:\t",
        f"\t\tCOMPANY CONFORMED NAME:\t\t\t{f.name}",
        f"\t\tCENTRAL INDEX KEY:\t\t\t{f.cik:010d}",
    ]
    if f.sic:
        lines.append(f"\t\tSTANDARD INDUSTRIAL CLASSIFICATION:\t{f.sic_description} [{f.sic}]")
    if f.irs:
        lines.append(f"\t\tIRS NUMBER:\t\t\t\t{f.irs.replace('-', '')}")
    if f.state:
        lines.append(f"\t\tSTATE OF INCORPORATION:\t\t\t{f.state}")
    lines += [
        f"\t\tFISCAL YEAR END:\t\t\t{f.fiscal_year_end}",
        "",
        "\tFILING VALUES:",
        f"\t\tFORM TYPE:\t\t{form}",
        "\t\tSEC ACT:\t\t1934 Act",
        f"\t\tSEC FILE NUMBER:\t{f.file_number}",
        f"\t\tFILM NUMBER:\t\t{film}",
        "",
        "\tBUSINESS ADDRESS:\t",
        f"\t\tSTREET 1:\t\t{f.street.upper()}",
        f"\t\tCITY:\t\t\t{f.city.upper()}",
        f"\t\tSTATE:\t\t\t{f.state_code}",
        f"\t\tZIP:\t\t\t{f.zip_code}",
        f"\t\tBUSINESS PHONE:\t\t{''.join(ch for ch in f.phone if ch.isdigit())}",
        "",
        "\tMAIL ADDRESS:\t",
        f"\t\tSTREET 1:\t\t{f.street.upper()}",
        f"\t\tCITY:\t\t\t{f.city.upper()}",
        f"\t\tSTATE:\t\t\t{f.state_code}",
        f"\t\tZIP:\t\t\t{f.zip_code}",
    ]
    return lines


def envelope(f: Filing) -> str:
    """The full submission text file (``{accession}.txt``) in EDGAR's SGML format."""
    filed = f.filed.strftime("%Y%m%d")
    pem = f.filed.year <= 2010  # older submissions carry the PEM wrapper
    out: list[str] = []
    if pem:
        out += ["-----BEGIN PRIVACY-ENHANCED MESSAGE-----", "Proc-Type: 2001,MIC-CLEAR",
                "Originator-Name: webmaster@www.sec.gov", "Originator-Key-Asymmetric:", _PEM_KEY.rstrip("\n"),
                "MIC-Info: RSA-MD5,RSA,", _pem_mic(f.accession).rstrip("\n"), ""]
    out += [
        f"<SEC-DOCUMENT>{f.accession}.txt : {filed}",
        f"<SEC-HEADER>{f.accession}.hdr.sgml : {filed}",
        f"<ACCEPTANCE-DATETIME>{f.accepted}",
        f"ACCESSION NUMBER:\t\t{f.accession}",
        f"CONFORMED SUBMISSION TYPE:\t{f.form}",
        f"PUBLIC DOCUMENT COUNT:\t\t{len(f.documents)}",
    ]
    if f.period is not None:
        out.append(f"CONFORMED PERIOD OF REPORT:\t{f.period.strftime('%Y%m%d')}")
    out += [f"ITEM INFORMATION:\t\t{item}" for item in f.items]
    out += [f"FILED AS OF DATE:\t\t{filed}", f"DATE AS OF CHANGE:\t\t{filed}", ""]
    if f.owner is not None:
        out += ["REPORTING-OWNER:\t", ""]
        out += _company_block(f.owner, f.form, f.film_number, "OWNER DATA")
        out += ["", "ISSUER:\t\t", ""]
        out += _company_block(f.filer, f.form, f.film_number)
    else:
        out += ["FILER:", ""]
        out += _company_block(f.filer, f.form, f.film_number)
    out.append("</SEC-HEADER>")
    for seq, d in enumerate(f.documents, start=1):
        out += ["<DOCUMENT>", f"<TYPE>{d.type}", f"<SEQUENCE>{seq}", f"<FILENAME>{d.filename}",
                f"<DESCRIPTION>{d.description}", "<TEXT>", d.text.rstrip("\n"), "</TEXT>", "</DOCUMENT>"]
    out.append("</SEC-DOCUMENT>")
    if pem:
        out.append("-----END PRIVACY-ENHANCED MESSAGE-----")
    return "\n".join(out) + "\n"


class Accessions:
    """Accession numbers ``{agent:010d}-{yy}-{seq:06d}``: one counter per filing agent and year."""

    def __init__(self) -> None:
        self._next: dict[tuple[int, int], int] = {}

    def next(self, agent_cik: int, filed: date) -> str:
        key = (agent_cik, filed.year)
        seq = self._next.get(key, 1)
        self._next[key] = seq + 1
        return f"{agent_cik:010d}-{filed.year % 100:02d}-{seq:06d}"


def index_line(form: str, name: str, cik: int, filed: str, path: str) -> str:
    """One fixed-width row of form.idx (columns of the real file)."""
    return f"{form:<12}{name:<62}{cik:<12}{filed:<12}{path:<52}\n"


@dataclass
class _IndexRow:
    form: str
    name: str
    cik: int
    filed: date
    path: str


class MirrorWriter:
    """Writes submissions as they come; keeps only the small index and JSON rows in memory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.archives = root / "Archives" / "edgar"
        self._rows: list[_IndexRow] = []
        self._subs: dict[int, list[dict[str, Any]]] = {}
        self._filers: dict[int, Filer] = {}
        self._made_dirs: set[int] = set()

    def write(self, filing: Filing, index_ciks: tuple[Filer, ...] | None = None) -> tuple[str, int]:
        """Write the submission under every filer it is indexed under; return (relative path, size)."""
        text = envelope(filing).encode("utf-8")
        filers = index_ciks or (filing.filer,)
        first_rel = ""
        for filer in filers:
            d = self.archives / "data" / str(filer.cik)
            if filer.cik not in self._made_dirs:
                d.mkdir(parents=True, exist_ok=True)
                self._made_dirs.add(filer.cik)
            (d / f"{filing.accession}.txt").write_bytes(text)
            rel = f"edgar/data/{filer.cik}/{filing.accession}.txt"
            first_rel = first_rel or rel
            self._rows.append(_IndexRow(filing.form, filer.name, filer.cik, filing.filed, rel))
            self._filers.setdefault(filer.cik, filer)
            main = filing.documents[0]
            acc = filing.accepted
            self._subs.setdefault(filer.cik, []).append({
                "accessionNumber": filing.accession,
                "filingDate": filing.filed.isoformat(),
                "reportDate": filing.period.isoformat() if filing.period else "",
                "acceptanceDateTime": f"{acc[:4]}-{acc[4:6]}-{acc[6:8]}T{acc[8:10]}:{acc[10:12]}:{acc[12:14]}.000Z",
                "act": "34",
                "form": filing.form,
                "fileNumber": filing.filer.file_number,
                "filmNumber": filing.film_number,
                "items": ",".join(filing.extra.get("item_codes", ())),
                "size": len(text),
                "isXBRL": 0,
                "isInlineXBRL": 0,
                "primaryDocument": main.filename,
                "primaryDocDescription": main.description,
            })
        return "Archives/" + first_rel, len(text)

    def finish(self) -> dict[str, int]:
        """Write daily and quarterly form indexes and the submissions JSON; return file counts."""
        by_day: dict[date, list[_IndexRow]] = {}
        for r in self._rows:
            by_day.setdefault(r.filed, []).append(r)
        by_quarter: dict[tuple[int, int], list[_IndexRow]] = {}

        def key(r: _IndexRow) -> tuple[str, str, int, str]:
            return (r.form, r.name.upper(), r.cik, r.path)

        for day, rows in sorted(by_day.items()):
            q = (day.month - 1) // 3 + 1
            by_quarter.setdefault((day.year, q), []).extend(rows)
            d = self.archives / "daily-index" / str(day.year) / f"QTR{q}"
            d.mkdir(parents=True, exist_ok=True)
            received = f"{MONTH_ABBR[day.month - 1]} {day.day:2d}, {day.year}"
            body = [DAILY_HEADER.format(received=received), COLUMNS, DASHES]
            body += [index_line(r.form, r.name, r.cik, r.filed.strftime("%Y%m%d"), r.path)
                     for r in sorted(rows, key=key)]
            (d / f"form.{day.strftime('%Y%m%d')}.idx").write_text("".join(body), encoding="latin-1")
        for (year, q), rows in sorted(by_quarter.items()):
            d = self.archives / "full-index" / str(year) / f"QTR{q}"
            d.mkdir(parents=True, exist_ok=True)
            last = max(r.filed for r in rows)
            received = f"{MONTH_NAME[last.month - 1]} {last.day}, {last.year}"
            body = [FULL_HEADER.format(received=received), COLUMNS, DASHES]
            body += [index_line(r.form, r.name, r.cik, r.filed.isoformat(), r.path) for r in sorted(rows, key=key)]
            (d / "form.idx").write_text("".join(body), encoding="latin-1")
        n_sub = self._write_submissions()
        return {"daily_index_files": len(by_day), "full_index_files": len(by_quarter), "submissions_files": n_sub}

    def _write_submissions(self) -> int:
        d = self.root / "submissions"
        d.mkdir(parents=True, exist_ok=True)
        n = 0
        for cik, rows in sorted(self._subs.items()):
            filer = self._filers[cik]
            rows = sorted(rows, key=lambda r: (r["filingDate"], r["accessionNumber"]), reverse=True)
            recent, older = rows[:SUBMISSIONS_PAGE], rows[SUBMISSIONS_PAGE:]
            files = []
            for i in range(0, len(older), SUBMISSIONS_PAGE):
                page = older[i:i + SUBMISSIONS_PAGE]
                name = f"CIK{cik:010d}-submissions-{i // SUBMISSIONS_PAGE + 1:03d}.json"
                _dump(d / name, _columns(page))
                n += 1
                files.append({"name": name, "filingCount": len(page), "filingFrom": page[-1]["filingDate"],
                              "filingTo": page[0]["filingDate"]})
            doc = {
                "cik": str(cik), "entityType": "other" if filer.sic == "6189" else "operating",
                "sic": filer.sic, "sicDescription": _sic_title(filer.sic_description),
                "insiderTransactionForOwnerExists": 0, "insiderTransactionForIssuerExists": 0,
                "name": filer.name, "tickers": [], "exchanges": [], "ein": filer.irs.replace("-", ""),
                "description": "", "website": "", "investorWebsite": "", "category": "Non-accelerated filer",
                "fiscalYearEnd": filer.fiscal_year_end, "stateOfIncorporation": filer.state,
                "stateOfIncorporationDescription": filer.state,
                "addresses": {kind: {"street1": filer.street.upper(), "street2": None, "city": filer.city.upper(),
                                     "stateOrCountry": filer.state_code, "zipCode": filer.zip_code,
                                     "stateOrCountryDescription": filer.state_code}
                              for kind in ("mailing", "business")},
                "phone": filer.phone, "flags": "", "formerNames": [],
                "filings": {"recent": _columns(recent), "files": files},
            }
            _dump(d / f"CIK{cik:010d}.json", doc)
            n += 1
        return n


def _sic_title(desc: str) -> str:
    small = {"and", "of", "&"}
    return " ".join(w if w in small else w.capitalize() for w in desc.lower().split())


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    keys = ("accessionNumber", "filingDate", "reportDate", "acceptanceDateTime", "act", "form", "fileNumber",
            "filmNumber", "items", "size", "isXBRL", "isInlineXBRL", "primaryDocument", "primaryDocDescription")
    return {k: [r[k] for r in rows] for k in keys}


def _dump(path: Path, obj: Any) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(obj, indent=1), encoding="utf-8")
    os.replace(tmp, path)
