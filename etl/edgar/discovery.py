"""Which filings exist: EDGAR's daily and quarterly indexes, per-company submissions, the ABS filter.

Three doors, one result type (``IndexEntry``):

* ``discover_day``: the daily ``form.{yyyymmdd}.idx`` (no file on weekends and holidays: empty);
* ``discover_range``: the quarterly ``full-index/{yyyy}/QTR{q}/form.idx``, cut to the dates;
* ``discover_ciks``: ``data.sec.gov/submissions/CIK##########.json`` and its extra pages.

``filter_abs`` then keeps the asset-backed filings: 10-D(/A) and ABS-EE(/A) always; 8-K(/A) and
10-K(/A) only from filers whose SIC code is 6189 ("ASSET-BACKED SECURITIES") or whose CIK is on
the watch-list. An ABS-EE (Schedule AL asset data, since November 2016) is filed by the issuing
entity, the deal's CIK, with the 10-D of the same reporting period: ``pair_asset_data`` pairs
them among discovered entries; the warehouse links them by the envelope's period of report
(``dq_asset_context``). The SIC comes from the submissions JSON and is cached on disk (``SicCache``), so
a run asks the SEC once per CIK, ever.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock

from etl.config import SEC_BASE_URL, SEC_DATA_URL
from etl.edgar.client import EdgarClient, EdgarNotFound
from etl.edgar.sgml import SubmissionHeader

ASSET_DATA_FORMS = frozenset({"ABS-EE", "ABS-EE/A"})  # Regulation AB II asset-level data (EX-102)
ABS_FORMS = frozenset({"10-D", "10-D/A", "10-K", "10-K/A", "8-K", "8-K/A"}) | ASSET_DATA_FORMS
# Regulation AB distribution reports and asset data: only asset-backed issuers file them
ALWAYS_ABS_FORMS = frozenset({"10-D", "10-D/A"}) | ASSET_DATA_FORMS
ABS_SIC = 6189
INDEX_KINDS = ("form", "company", "master")
_MAX_INDEX_LINE = 2000  # a real line is ~150 characters; longer ones are not index lines


@dataclass(frozen=True)
class IndexEntry:
    """One filing as an index lists it (one line per filer: a filing may appear under several CIKs)."""

    form_type: str
    company: str
    cik: int
    date_filed: date
    filename: str  # "edgar/data/{cik}/{accession}.txt", relative to /Archives/
    accession: str


# --------------------------------------------------------------------------- URLs
def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def daily_index_url(day: date, kind: str = "form", base_url: str = SEC_BASE_URL) -> str:
    """``{base}/Archives/edgar/daily-index/{yyyy}/QTR{q}/{kind}.{yyyymmdd}.idx``."""
    if kind not in INDEX_KINDS:
        raise ValueError(f"index kind must be one of {INDEX_KINDS}")
    return (
        f"{base_url.rstrip('/')}/Archives/edgar/daily-index/{day.year}/QTR{quarter_of(day)}/"
        f"{kind}.{day:%Y%m%d}.idx"
    )


def full_index_url(year: int, qtr: int, kind: str = "form", base_url: str = SEC_BASE_URL) -> str:
    """``{base}/Archives/edgar/full-index/{yyyy}/QTR{q}/{kind}.idx``."""
    if kind not in INDEX_KINDS:
        raise ValueError(f"index kind must be one of {INDEX_KINDS}")
    if qtr not in (1, 2, 3, 4) or not 1993 <= year <= 2200:
        raise ValueError(f"no such quarter: {year} Q{qtr}")
    return f"{base_url.rstrip('/')}/Archives/edgar/full-index/{year}/QTR{qtr}/{kind}.idx"


def submissions_url(cik: int, data_url: str = SEC_DATA_URL) -> str:
    """``{data}/submissions/CIK##########.json``."""
    return f"{data_url.rstrip('/')}/submissions/CIK{_cik(cik):010d}.json"


def _cik(cik: int | str) -> int:
    value = int(cik)
    if not 0 < value < 10**10:
        raise ValueError(f"not a CIK: {cik!r}")
    return value


def quarters_between(start: date, end: date) -> list[tuple[int, int]]:
    """Every (year, quarter) that overlaps ``[start, end]``."""
    out: list[tuple[int, int]] = []
    y, q = start.year, quarter_of(start)
    while (y, q) <= (end.year, quarter_of(end)):
        out.append((y, q))
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out


# --------------------------------------------------------------------------- index files
_ACCESSION = re.compile(r"[0-9]{10}-[0-9]{2}-[0-9]{6}")
_ACCESSION_IN_FILE = re.compile(r"([0-9]{10}-[0-9]{2}-[0-9]{6})\.txt$")
_FIXED_LINE = re.compile(
    r"^(?P<left>.*?)\s+(?P<cik>[0-9]{1,10})\s+(?P<date>[0-9]{8}|[0-9]{4}-[0-9]{2}-[0-9]{2})\s+"
    r"(?P<file>edgar/\S+)\s*$"
)


def _date(value: str) -> date:
    return datetime.strptime(value.replace("-", ""), "%Y%m%d").date()


def _split_form_first(left: str, col: int | None) -> tuple[str, str]:
    """(form, company) from the left part of a form-sorted line."""
    # The header's column is right for the daily files; newer and quarterly files pad the
    # form column wider than their header says, so fall back to the first run of 2+ blanks.
    if col and len(left) > col and left[col - 1] == " " and left[col] != " ":
        return left[:col].strip(), left[col:].strip()
    m = re.match(r"^(\S+(?: \S+)*?) {2,}(\S.*)$", left)
    if m:
        return m.group(1), m.group(2).strip()
    parts = left.split(None, 1)
    return (parts[0], parts[1].strip()) if len(parts) == 2 else (left.strip(), "")


def _split_company_first(left: str, col: int | None) -> tuple[str, str]:
    """(form, company) from the left part of a company-sorted line."""
    if col and len(left) > col and left[col - 1] == " " and left[col] != " ":
        return left[col:].strip(), left[:col].strip()
    m = re.match(r"^(.*\S) {2,}(\S+(?: \S+)*) *$", left)
    if m:
        return m.group(2), m.group(1).strip()
    parts = left.rsplit(None, 1)
    return (parts[1], parts[0].strip()) if len(parts) == 2 else (left.strip(), "")


def parse_index(text: str) -> list[IndexEntry]:
    """Entries of a daily or quarterly ``form``/``company``/``master`` index file.

    Lines that do not parse (blank lines, a filename without an accession) are skipped:
    the index is the SEC's, and one odd line must not cost the day.
    """
    lines = text.splitlines()
    layout, col, start = "form", None, 0
    for i, line in enumerate(lines[:60]):
        if "Company Name" in line and ("Form Type" in line or "|" in line):
            if "|" in line:
                layout = "master"
            elif line.index("Form Type") < line.index("Company Name"):
                layout, col = "form", line.index("Company Name")
            else:
                layout, col = "company", line.index("Form Type")
        if len(line) >= 20 and set(line.strip()) == {"-"}:
            start = i + 1
            break
    if start == 0 and any("|" in ln for ln in lines[:5]):
        layout = "master"

    out: list[IndexEntry] = []
    for line in lines[start:]:
        if not line.strip() or len(line) > _MAX_INDEX_LINE:
            continue
        if layout == "master" or line.count("|") == 4:
            parts = line.split("|")
            if len(parts) != 5 or not parts[0].strip().isdigit():
                continue
            cik_s, company, form, filed, filename = (p.strip() for p in parts)
        else:
            m = _FIXED_LINE.match(line)
            if not m:
                continue
            splitter = _split_company_first if layout == "company" else _split_form_first
            form, company = splitter(m.group("left"), col)
            cik_s, filed, filename = m.group("cik"), m.group("date"), m.group("file")
        acc = _ACCESSION_IN_FILE.search(filename)
        if not acc or not form:
            continue
        try:
            out.append(IndexEntry(form, company, _cik(cik_s), _date(filed), filename, acc.group(1)))
        except ValueError:
            continue
    return out


def _dedupe(entries: Iterable[IndexEntry]) -> list[IndexEntry]:
    seen: set[tuple[int, str]] = set()
    out: list[IndexEntry] = []
    for e in entries:
        if (e.cik, e.accession) not in seen:
            seen.add((e.cik, e.accession))
            out.append(e)
    return out


# --------------------------------------------------------------------------- submissions JSON
@dataclass(frozen=True)
class CompanySubmissions:
    """A filer's submissions JSON: identity, SIC, and its filings as index entries."""

    cik: int
    name: str
    sic: int | None
    sic_description: str | None
    entries: tuple[IndexEntry, ...]
    pages: tuple[dict[str, Any], ...]  # the "files" list: name, filingFrom, filingTo, filingCount


def _sic_value(value: object) -> int | None:
    s = str(value or "").strip()
    return int(s) if s.isdigit() else None


def submission_rows(columns: Mapping[str, Any], cik: int, company: str) -> list[IndexEntry]:
    """Index entries from the column arrays of ``filings.recent`` or of an extra page."""
    accs = columns.get("accessionNumber") or []
    forms = columns.get("form") or []
    dates = columns.get("filingDate") or []
    out: list[IndexEntry] = []
    for acc, form, filed in zip(accs, forms, dates, strict=False):
        if not isinstance(acc, str) or not _ACCESSION.fullmatch(acc):  # the whole value, nothing around it
            continue
        try:
            day = _date(str(filed))
        except ValueError:
            continue
        out.append(IndexEntry(str(form), company, cik, day, f"edgar/data/{cik}/{acc}.txt", acc))
    return out


def parse_submissions(doc: Mapping[str, Any], cik: int | None = None) -> CompanySubmissions:
    """The ``recent`` part of a submissions JSON (extra pages are listed in ``pages``)."""
    cik = _cik(doc.get("cik") or cik or 0)
    name = str(doc.get("name") or "")
    filings = doc.get("filings") or {}
    recent = filings.get("recent") or {}
    return CompanySubmissions(
        cik=cik,
        name=name,
        sic=_sic_value(doc.get("sic")),
        sic_description=doc.get("sicDescription") or None,
        entries=tuple(submission_rows(recent, cik, name)),
        pages=tuple(p for p in (filings.get("files") or []) if isinstance(p, dict)),
    )


def _page_overlaps(page: Mapping[str, Any], start: date | None, end: date | None) -> bool:
    try:
        lo = _date(str(page.get("filingFrom")))
        hi = _date(str(page.get("filingTo")))
    except ValueError:
        return True  # no usable range: fetch it rather than miss filings
    return not ((start and hi < start) or (end and lo > end))


def fetch_submissions(
    client: EdgarClient, cik: int, start: date | None = None, end: date | None = None
) -> CompanySubmissions:
    """A filer's submissions JSON plus the extra pages whose date range meets ``[start, end]``."""
    doc = client.get_json(submissions_url(cik, client.settings.data_url))
    subs = parse_submissions(doc, cik)
    entries = list(subs.entries)
    for page in subs.pages:
        name = str(page.get("name") or "")
        if not re.fullmatch(r"CIK[0-9]{10}-submissions-[0-9]{3}\.json", name):
            continue  # names come from the JSON: never let them steer the URL
        if _page_overlaps(page, start, end):
            entries += submission_rows(client.get_json(client.data_url(f"submissions/{name}")), subs.cik, subs.name)
    return CompanySubmissions(subs.cik, subs.name, subs.sic, subs.sic_description, tuple(entries), subs.pages)


# --------------------------------------------------------------------------- SIC cache + filter
class SicCache:
    """CIK -> SIC code (``None`` = the SEC has none) in a small JSON file under ``cache_dir``.

    Writers merge under a file lock and replace the file atomically, so parallel workers
    neither lose each other's answers nor leave a half-written file.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._data: dict[int, int | None] = self._read()

    def _read(self) -> dict[int, int | None]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}
        if not isinstance(raw, dict):
            return {}
        return {int(k): (int(v) if isinstance(v, int) else None) for k, v in raw.items() if str(k).isdigit()}

    def __contains__(self, cik: int) -> bool:
        return cik in self._data

    def get(self, cik: int) -> int | None:
        return self._data.get(cik)

    def update(self, values: Mapping[int, int | None]) -> None:
        if not values:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.path) + ".lock", timeout=30):
            merged = self._read()
            merged.update(values)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".sic-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump({str(k): v for k, v in sorted(merged.items())}, fh, indent=0)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            self._data = merged

    def record_header(self, header: SubmissionHeader) -> None:
        """Learn the SIC of every filer named in a parsed submission header."""
        self.update({f.cik: f.sic_code for f in header.filers if f.cik and f.sic_code is not None})


def sic_cache_for(client: EdgarClient) -> SicCache:
    return SicCache(client.settings.cache_dir / "cik_sic.json")


def is_abs(form_type: str, cik: int, sic: int | None, watchlist: Iterable[int] = ()) -> bool:
    """The ABS rule: 10-D(/A) and ABS-EE(/A) always; 8-K(/A), 10-K(/A) from SIC 6189 or
    watch-listed filers."""
    form = form_type.strip().upper()
    if form in ALWAYS_ABS_FORMS:
        return True
    if form not in ABS_FORMS:
        return False
    return cik in set(watchlist) or sic == ABS_SIC


def lookup_sic(client: EdgarClient, cik: int, cache: SicCache | None = None) -> int | None:
    """A filer's SIC, from the cache or (once) from its submissions JSON."""
    cache = cache or sic_cache_for(client)
    if cik in cache:
        return cache.get(cik)
    try:
        sic = _sic_value(client.get_json(submissions_url(cik, client.settings.data_url)).get("sic"))
    except EdgarNotFound:
        sic = None  # no submissions file: not a filer we can classify; remembered as such
    cache.update({cik: sic})
    return sic


# A deal's registrant name ends in its vintage and series ("AAMES MORTGAGE TRUST 2003-1",
# "... TRUST 2004-HE1", "... SERIES 2005-A"); an operating company's name does not.
_DEAL_SERIES = re.compile(r"\b(?:19|20)[0-9]{2}-[A-Z0-9]{1,8}\b")


def names_a_deal(company: str) -> bool:
    """Whether an index's company name reads like an ABS deal: a vintage-year series."""
    return bool(_DEAL_SERIES.search(company.upper()))


def probe_sic(client: EdgarClient, entry: IndexEntry, cache: SicCache) -> int | None:
    """An unknown filer's SIC from its own filing, for a filer whose name reads like a deal.

    The filing's SGML header names each filer's SIC, and the filing is one request like the
    submissions JSON, but one the run needs anyway when the filer is an ABS issuer: it goes to
    the probed store (``rawstore.probed_store``), so its fetch later costs nothing. Any other unknown filer is asked by its
    submissions JSON, so an operating company's filing is never fetched; a filing that cannot
    be read, or whose header names no SIC for the filer, falls back to the JSON too. A probed
    filing of a filer that proves not to be ABS is dropped in memory, never stored."""
    from etl.edgar.rawstore import RawStore, looks_complete, probed_store
    from etl.edgar.sgml import parse_header

    if not names_a_deal(entry.company) or RawStore(client.settings).has(entry.cik, entry.accession):
        return lookup_sic(client, entry.cik, cache)
    try:
        body = client.get_bytes(client.archives_url(f"edgar/data/{entry.cik}/{entry.accession}.txt"),
                                validate=looks_complete)
        header = parse_header(body[:200_000].decode("latin-1"))
    except Exception:  # noqa: BLE001 - any failure: the submissions JSON decides, the fetch comes later
        return lookup_sic(client, entry.cik, cache)
    cache.record_header(header)
    if entry.cik not in cache:
        return lookup_sic(client, entry.cik, cache)
    sic = cache.get(entry.cik)
    if sic == ABS_SIC:
        probed_store(client.settings).put(entry.cik, entry.accession, body)
    return sic


def filter_abs(client: EdgarClient, entries: Iterable[IndexEntry], cache: SicCache | None = None) -> list[IndexEntry]:
    """Keep the ABS filings. An 8-K/10-K filer whose SIC is not known yet is classified here
    (``probe_sic``): by its own filing when its name reads like a deal, so an ABS issuer costs no
    request beyond its filings; otherwise by its submissions JSON."""
    entries = list(entries)
    watch = client.settings.watchlist_ciks
    cache = cache or sic_cache_for(client)
    # Only ABS issuers file 10-Ds and ABS-EEs, so a filer listed with one of those here is an ABS
    # issuer: its 8-Ks and 10-Ks need no SIC lookup (one request less per post-2006 deal).
    issuers = {e.cik for e in entries if e.form_type.strip().upper() in ALWAYS_ABS_FORMS}
    out: list[IndexEntry] = []
    for e in entries:
        form = e.form_type.strip().upper()
        if form not in ABS_FORMS:
            continue
        if form in ALWAYS_ABS_FORMS or e.cik in watch or e.cik in issuers:
            out.append(e)
            continue
        sic = cache.get(e.cik) if e.cik in cache else probe_sic(client, e, cache)
        if sic == ABS_SIC:
            out.append(e)
    return out


# --------------------------------------------------------------------------- discovery
def discover_day(client: EdgarClient, day: date) -> list[IndexEntry]:
    """Every filing in the daily form index of ``day``; no index (weekend, holiday) = []."""
    try:
        text = client.get_text(daily_index_url(day, "form", client.settings.base_url))
    except EdgarNotFound:
        return []
    return _dedupe(parse_index(text))


def discover_range(client: EdgarClient, start: date, end: date) -> list[IndexEntry]:
    """Filings dated ``start..end`` (inclusive) from the quarterly full indexes."""
    if end < start:
        raise ValueError("end before start")
    out: list[IndexEntry] = []
    for year, qtr in quarters_between(start, end):
        try:
            text = client.get_text(full_index_url(year, qtr, "form", client.settings.base_url))
        except EdgarNotFound:
            continue  # a quarter not published yet
        out += [e for e in parse_index(text) if start <= e.date_filed <= end]
    return _dedupe(out)


def discover_ciks(
    client: EdgarClient, ciks: Iterable[int], start: date | None = None, end: date | None = None
) -> list[IndexEntry]:
    """Filings of the given filers (optionally dated ``start..end``) from their submissions JSON.

    Their SIC codes come along for free and go into the SIC cache.
    """
    cache = sic_cache_for(client)
    out: list[IndexEntry] = []
    learned: dict[int, int | None] = {}
    for cik in ciks:
        try:
            subs = fetch_submissions(client, _cik(cik), start, end)
        except EdgarNotFound:
            learned[_cik(cik)] = None
            continue
        learned[subs.cik] = subs.sic
        out += [e for e in subs.entries if (not start or e.date_filed >= start) and (not end or e.date_filed <= end)]
    cache.update(learned)
    return _dedupe(out)


def pair_asset_data(entries: Iterable[IndexEntry]) -> dict[str, str | None]:
    """ABS-EE accession -> the accession of its deal's 10-D of the same reporting period (or None).

    An index gives no period of report, so the pairing is by filing: the same CIK (the issuing
    entity), the 10-D(/A) filed the same day, else the latest filed before it, else the first
    after it within 31 days (a 10-D/A beats the 10-D of the same day). The warehouse re-links by
    the envelopes' period of report once both are fetched (``dq_asset_context``).
    """
    entries = list(entries)
    reports: dict[int, list[IndexEntry]] = {}
    for e in entries:
        if e.form_type.strip().upper() in ("10-D", "10-D/A"):
            reports.setdefault(e.cik, []).append(e)
    out: dict[str, str | None] = {}
    for e in entries:
        if e.form_type.strip().upper() not in ASSET_DATA_FORMS:
            continue
        own = reports.get(e.cik, [])

        def rank(r: IndexEntry, e: IndexEntry = e) -> tuple[int, int, bool, str]:
            gap = (e.date_filed - r.date_filed).days
            return (0 if gap == 0 else 1 if gap > 0 else 2, abs(gap), not r.form_type.upper().endswith("/A"),
                    r.accession)

        near = [r for r in own if -31 <= (e.date_filed - r.date_filed).days <= 62]
        out[e.accession] = min(near, key=rank).accession if near else None
    return out
