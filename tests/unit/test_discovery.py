"""Index parsing on the real EDGAR index files, submissions JSON, and the ABS filter with its SIC cache."""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from etl.config import Settings
from etl.edgar.client import EdgarNotFound
from etl.edgar.discovery import (
    IndexEntry,
    SicCache,
    daily_index_url,
    filter_abs,
    full_index_url,
    is_abs,
    names_a_deal,
    parse_index,
    parse_submissions,
    quarters_between,
    submissions_url,
)
from etl.edgar.rawstore import probed_store
from etl.edgar.sgml import read_submission

pytestmark = pytest.mark.unit

FIX = Path(__file__).resolve().parents[1] / "fixtures"
FORMATS = FIX / "edgar_formats"
TREE = FIX / "edgar"


# --------------------------------------------------------------------------- real index files
def test_real_daily_form_index() -> None:
    text = (FORMATS / "form.20200318.idx").read_text()
    entries = parse_index(text)
    data_lines = [ln for ln in text.splitlines()[10:] if ln.strip()]
    assert len(entries) == len(data_lines) == 4084  # every line, none dropped
    forms = Counter(e.form_type for e in entries)
    assert forms["4"] == 2040
    assert forms["8-K"] == 232 and forms["8-K/A"] == 13
    assert forms["10-K"] == 68 and forms["10-K/A"] == 2
    assert forms["10-D/A"] == 1 and forms["10-D"] == 0
    assert forms["1-A POS"] == 2 and forms["SEC STAFF"] == 96  # form types with blanks
    assert entries[0] == IndexEntry(
        form_type="1-A",
        company="DLP Positive Note Fund LLC",
        cik=1806014,
        date_filed=date(2020, 3, 18),
        filename="edgar/data/1806014/0001140361-20-006155.txt",
        accession="0001140361-20-006155",
    )
    (bench,) = [e for e in entries if e.form_type == "10-D/A"]
    assert bench == IndexEntry("10-D/A", "BENCHMARK 2019-B12 MORTGAGE TRUST", 1781089, date(2020, 3, 18),
                               "edgar/data/1781089/0001628297-20-000181.txt", "0001628297-20-000181")
    # A daily index may list older filings (SEC staff letters): dates are read, not assumed.
    assert {e.date_filed for e in entries if e.form_type == "SEC STAFF"} > {date(2020, 3, 18)}


def test_real_daily_company_index_with_broken_header_line() -> None:
    entries = parse_index((FORMATS / "company.20221003.idx").read_text())
    assert len(entries) == 4925
    forms = Counter(e.form_type for e in entries)
    assert (forms["8-K"], forms["10-D"], forms["10-D/A"], forms["NT 10-K"]) == (280, 7, 12, 3)
    by_company = {e.company: e for e in entries}
    assert by_company["5E Advanced Materials, Inc."] == IndexEntry(
        "8-K", "5E Advanced Materials, Inc.", 1888654, date(2022, 10, 3),
        "edgar/data/1888654/0001193125-22-256658.txt", "0001193125-22-256658")
    assert by_company["36Kr Holdings Inc."].form_type == "SC 13D/A"
    assert by_company["AmeriCredit Automobile Receivables Trust 2018-2"].form_type == "10-D/A"


def test_fixture_indexes_agree_across_layouts() -> None:
    daily = TREE / "Archives/edgar/daily-index/2004/QTR1"
    form = parse_index((daily / "form.20040105.idx").read_text())
    company = parse_index((daily / "company.20040105.idx").read_text())
    master = parse_index((daily / "master.20040105.idx").read_text())
    assert len(form) == 10
    assert set(form) == set(company) == set(master)
    seed = IndexEntry("8-K", "AAMES MORTGAGE TRUST 2003-1", 1268803, date(2004, 1, 5),
                      "edgar/data/1268803/0001019965-04-000001.txt", "0001019965-04-000001")
    assert seed in form
    # The quarterly file pads the form column to 17 under a 12-wide header, with ISO dates.
    quarter = parse_index((TREE / "Archives/edgar/full-index/2004/QTR1/form.idx").read_text())
    assert len(quarter) == 17
    assert set(form) < set(quarter)
    assert IndexEntry("10-K", "AAMES MORTGAGE TRUST 2003-1", 1268803, date(2004, 3, 30),
                      "edgar/data/1268803/0001019965-04-000147.txt", "0001019965-04-000147") in quarter


def test_odd_lines_are_skipped_not_fatal() -> None:
    text = (
        "Form Type   Company Name                                                  CIK         Date Filed  File Name\n"
        + "-" * 141 + "\n"
        + "8-K         GOOD CO                                                       123         20040105    "
        "edgar/data/123/0000000123-04-000001.txt\n"
        + "8-K         NO ACCESSION                                                  124         20040105    "
        "edgar/data/124/notes.txt\n"
        + "garbage\n" + "x" * 5000 + "\n"
        + "8-K         BAD DATE                                                      125         20041399    "
        "edgar/data/125/0000000125-04-000001.txt\n"
    )
    assert [e.company for e in parse_index(text)] == ["GOOD CO"]


# --------------------------------------------------------------------------- URLs
def test_urls() -> None:
    assert daily_index_url(date(2004, 1, 5)) == (
        "https://www.sec.gov/Archives/edgar/daily-index/2004/QTR1/form.20040105.idx")
    assert daily_index_url(date(2004, 11, 30), "master", "http://127.0.0.1:8000") == (
        "http://127.0.0.1:8000/Archives/edgar/daily-index/2004/QTR4/master.20041130.idx")
    assert full_index_url(2004, 1) == "https://www.sec.gov/Archives/edgar/full-index/2004/QTR1/form.idx"
    assert submissions_url(1268803) == "https://data.sec.gov/submissions/CIK0001268803.json"
    assert quarters_between(date(2003, 11, 1), date(2004, 4, 1)) == [(2003, 4), (2004, 1), (2004, 2)]
    for bad in (lambda: daily_index_url(date(2004, 1, 5), "crawler"), lambda: full_index_url(2004, 5),
                lambda: submissions_url(0), lambda: submissions_url(10**10)):
        with pytest.raises(ValueError):
            bad()


# --------------------------------------------------------------------------- submissions JSON
def test_real_submissions_json() -> None:
    doc = json.loads((FORMATS / "company_submission.json").read_text())
    subs = parse_submissions(doc)
    assert (subs.cik, subs.name, subs.sic) == (1318605, "Tesla, Inc.", 3711)
    assert len(subs.entries) == len(doc["filings"]["recent"]["accessionNumber"]) == 1001
    first = subs.entries[0]
    assert (first.form_type, first.accession, first.date_filed) == ("4", "0001790565-22-000015", date(2022, 11, 30))
    assert first.filename == "edgar/data/1318605/0001790565-22-000015.txt"
    assert [p["name"] for p in subs.pages] == ["CIK0001318605-submissions-001.json"]


def test_fixture_submissions_json_of_the_trust() -> None:
    subs = parse_submissions(json.loads((TREE / "submissions/CIK0001268803.json").read_text()))
    assert (subs.cik, subs.sic, subs.name) == (1268803, 6189, "AAMES MORTGAGE TRUST 2003-1")
    assert [(e.form_type, e.accession, e.date_filed) for e in subs.entries] == [
        ("10-K", "0001019965-04-000147", date(2004, 3, 30)),
        ("8-K", "0001019965-04-000001", date(2004, 1, 5)),
    ]
    real_keys = set(json.loads((FORMATS / "company_submission.json").read_text()))
    assert set(json.loads((TREE / "submissions/CIK0001268803.json").read_text())) == real_keys


# --------------------------------------------------------------------------- ABS filter
@pytest.mark.parametrize(
    "form, cik, sic, watch, expected",
    [
        ("10-D", 1, None, (), True),
        ("10-D/A", 1, 2834, (), True),
        ("8-K", 1, 6189, (), True),
        ("8-K/A", 1, 6189, (), True),
        ("10-K", 1, 2834, (), False),
        ("10-K/A", 1, None, (1,), True),
        ("8-K", 1, None, (), False),
        ("10-Q", 1, 6189, (1,), False),
        ("ABS-EE", 1, None, (), True),  # asset-level data (issue 17): only ABS issuers file it
        ("ABS-EE/A", 1, 2834, (), True),
        (" 8-k ", 1, 6189, (), True),
    ],
)
def test_is_abs(form: str, cik: int, sic: int | None, watch: tuple[int, ...], expected: bool) -> None:
    assert is_abs(form, cik, sic, watch) is expected


class TreeClient:
    """Stands in for EdgarClient.get_json by reading the fixture tree; counts what it is asked."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.asked: Counter[str] = Counter()

    def data_url(self, path: str) -> str:
        return f"{self.settings.data_url}/{path}"

    def archives_url(self, path: str) -> str:
        return f"{self.settings.base_url}/Archives/{path}"

    def _read(self, url: str) -> bytes:
        path = url.removeprefix(self.settings.data_url + "/").removeprefix(self.settings.base_url + "/")
        self.asked[path] += 1
        file = TREE / path
        if not file.is_file():
            raise EdgarNotFound(url)
        return file.read_bytes()

    def get_json(self, url: str) -> Any:
        return json.loads(self._read(url))

    def get_bytes(self, url: str, validate: Any = None) -> bytes:
        body = self._read(url)
        if validate is not None:
            validate(body)
        return body


def _settings(tmp_path: Path, watch: frozenset[int] = frozenset()) -> Settings:
    return Settings(base_url="http://127.0.0.1:1", data_url="http://127.0.0.1:1", data_dir=tmp_path,
                    watchlist_ciks=watch)


def test_filter_abs_asks_once_per_cik_and_caches(tmp_path: Path) -> None:
    entries = parse_index((TREE / "Archives/edgar/daily-index/2004/QTR1/form.20040105.idx").read_text())
    client = TreeClient(_settings(tmp_path))
    kept = filter_abs(client, entries)  # type: ignore[arg-type]
    assert [(e.form_type, e.cik, e.accession) for e in kept] == [("8-K", 1268803, "0001019965-04-000001")]
    # Only 8-K/10-K filers are looked up, each once (89bio files two of them); 4, 10-Q and
    # 424B2 filers never. The trust, named like a deal, by its own filing's header (which then
    # waits in the probed store for the fetch); the operating companies by their submissions JSON.
    assert client.asked == Counter({"Archives/edgar/data/1268803/0001019965-04-000001.txt": 1} | {
        f"submissions/CIK{c:010d}.json": 1 for c in (1785173, 1404123, 824142, 1781755)})
    assert probed_store(client.settings).has(1268803, "0001019965-04-000001")  # type: ignore[arg-type]
    cache = json.loads((tmp_path / "cache" / "cik_sic.json").read_text())
    assert cache == {"1268803": 6189, "1404123": None, "1781755": None, "1785173": 2834, "824142": None}
    # A later run (new client, same cache dir) asks nothing.
    again = TreeClient(_settings(tmp_path))
    assert filter_abs(again, entries) == kept  # type: ignore[arg-type]
    assert again.asked == Counter()


@pytest.mark.parametrize(("company", "expected"), [
    ("AAMES MORTGAGE TRUST 2003-1", True), ("CWABS INC ASSET-BACKED CERTIFICATES SERIES 2004-HE1", True),
    ("Benchmark 2019-B12 Mortgage Trust", True), ("GREENFIELD REALTY TRUST", False),
    ("NORTHERN TRUST CORP", False), ("89BIO, INC.", False), ("3M CO", False), ("CLANCY SYSTEMS INTERNATIONAL INC", False),
])
def test_names_a_deal(company: str, expected: bool) -> None:
    assert names_a_deal(company) is expected


def test_probe_falls_back_to_the_json_for_an_unreadable_filing(tmp_path: Path) -> None:
    """A deal-named filer whose filing cannot be had (absent here) is asked by its submissions JSON."""
    entry = IndexEntry(form_type="8-K", company="AAMES MORTGAGE TRUST 2003-1", cik=1268803,
                       date_filed=date(2004, 1, 5), filename="edgar/data/1268803/0001019965-04-000999.txt",
                       accession="0001019965-04-000999")
    client = TreeClient(_settings(tmp_path))
    assert filter_abs(client, [entry]) == [entry]  # type: ignore[arg-type]
    assert client.asked == Counter({"Archives/edgar/data/1268803/0001019965-04-000999.txt": 1,
                                    "submissions/CIK0001268803.json": 1})
    assert not probed_store(client.settings).has(1268803, "0001019965-04-000999")  # type: ignore[arg-type]


def test_filter_abs_keeps_10d_without_lookup(tmp_path: Path) -> None:
    real = parse_index((FORMATS / "form.20200318.idx").read_text())
    candidates = [e for e in real if e.form_type in ("10-D/A", "ABS-EE/A", "ABS-15G")]
    client = TreeClient(_settings(tmp_path))
    kept = filter_abs(client, candidates)  # type: ignore[arg-type]
    assert [(e.form_type, e.company) for e in kept] == [("10-D/A", "BENCHMARK 2019-B12 MORTGAGE TRUST"),
                                                       ("ABS-EE/A", "BENCHMARK 2019-B12 MORTGAGE TRUST")]
    assert client.asked == Counter()


def test_filter_abs_takes_a_10d_filer_as_an_abs_issuer_without_lookup(tmp_path: Path) -> None:
    """A filer listed with a 10-D (or ABS-EE) in the same listing is an ABS issuer: its 8-K and
    10-K are kept with no SIC lookup; an 8-K filer with no such filing is still looked up."""
    from datetime import date

    def entry(form: str, cik: int, acc: str) -> IndexEntry:
        return IndexEntry(form_type=form, company="SOME TRUST 2019-1", cik=cik, date_filed=date(2020, 3, 18),
                          filename=f"edgar/data/{cik}/{acc}.txt", accession=acc)

    entries = [entry("10-K", 777, "0000000777-20-000001"), entry("10-D", 777, "0000000777-20-000002"),
               entry("8-K", 888, "0000000888-20-000001")]
    client = TreeClient(_settings(tmp_path))
    kept = filter_abs(client, entries)  # type: ignore[arg-type]
    assert [(e.form_type, e.cik) for e in kept] == [("10-K", 777), ("10-D", 777)]
    # 888's filing (named like a deal) is tried first; the tree has none, so its JSON decides
    assert client.asked == Counter({"Archives/edgar/data/888/0000000888-20-000001.txt": 1,
                                    "submissions/CIK0000000888.json": 1})


def test_filter_abs_watchlist_wins_without_lookup(tmp_path: Path) -> None:
    entries = parse_index((TREE / "Archives/edgar/daily-index/2004/QTR1/form.20040105.idx").read_text())
    client = TreeClient(_settings(tmp_path, frozenset({824142})))
    kept = filter_abs(client, entries)  # type: ignore[arg-type]
    assert ("8-K", 824142) in [(e.form_type, e.cik) for e in kept]
    assert "submissions/CIK0000824142.json" not in client.asked


def test_sic_cache_learns_from_submission_headers(tmp_path: Path) -> None:
    cache = SicCache(tmp_path / "cik_sic.json")
    cache.record_header(read_submission(FORMATS / "MultipleFilersHeader.txt").header)
    cache.record_header(read_submission(FORMATS / "0001094891-00-000193.txt").header)
    reread = SicCache(tmp_path / "cik_sic.json")
    assert reread.get(1396730) == 6189 and reread.get(1171040) == 6189 and reread.get(911787) == 3540
    assert 1050609 not in reread  # an owner without SIC teaches nothing
    (tmp_path / "broken.json").write_text("{not json")
    assert 1 not in SicCache(tmp_path / "broken.json")  # a damaged cache is an empty cache


def test_fixture_tree_is_what_the_script_builds(tmp_path: Path) -> None:
    sys.path.insert(0, str(FIX))
    try:
        import build_edgar_fixtures
    finally:
        sys.path.remove(str(FIX))
    built = build_edgar_fixtures.build(tmp_path / "edgar")
    committed = sorted(p.relative_to(TREE) for p in TREE.rglob("*") if p.is_file())
    assert built == committed
    for rel in built:
        assert (tmp_path / "edgar" / rel).read_bytes() == (TREE / rel).read_bytes(), rel


def test_pair_asset_data_links_each_abs_ee_to_its_deals_10d() -> None:
    from etl.edgar.discovery import IndexEntry, pair_asset_data

    def e(form: str, cik: int, day: str, acc: str) -> IndexEntry:
        return IndexEntry(form, "TRUST", cik, date.fromisoformat(day), f"edgar/data/{cik}/{acc}.txt", acc)

    entries = [
        e("10-D", 1, "2020-03-16", "0000000001-20-000001"), e("ABS-EE", 1, "2020-03-16", "0000000001-20-000002"),
        e("10-D/A", 1, "2020-03-16", "0000000001-20-000003"),  # same day: the amendment wins
        e("10-D", 2, "2020-03-10", "0000000002-20-000001"), e("ABS-EE", 2, "2020-03-12", "0000000002-20-000002"),
        e("ABS-EE/A", 2, "2020-01-02", "0000000002-20-000003"),  # filed before its 10-D: the next one
        e("ABS-EE", 3, "2020-03-16", "0000000003-20-000001"),  # another deal's 10-D never pairs
        e("10-D", 4, "2020-03-16", "0000000004-20-000001"),
    ]
    assert pair_asset_data(entries) == {"0000000001-20-000002": "0000000001-20-000003",
                                        "0000000002-20-000002": "0000000002-20-000001",
                                        "0000000002-20-000003": None,
                                        "0000000003-20-000001": None}
