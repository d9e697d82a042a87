"""Hostile and odd filings through the real pipeline: recorded, bounded, contained.

Every file of ``tests/fixtures/bad/`` plus three generated at test time (HTML tables nested
5,000 deep, a 50 MB document, a zero-byte body) is wrapped at a real EDGAR path of a loopback
mirror with its daily index and submissions JSON, then run through discover -> fetch -> parse
-> stage -> validate -> publish. The module checks that:

* the run completes and every filing ends with a status and a reason a person can act on
  (``etl_status``, ``fetch_log``, ``stg_report.warnings``/``parse_error``, dq results);
* no filing takes long (fetch + parse timed per filing, batch of one);
* the 50 MB document is read in a child process whose peak memory grows by less than 1 GB;
* nothing is written outside ``data/`` and no declared ``<FILENAME>`` becomes a path;
* the figures of the number-notation report are read exactly.

The eight fixtures written for the SGML layer all claim accession 0009999999-99-000001 in
their header; they are served under eight other accessions, which also checks that the
fetched key, not the untrusted header, names a filing.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from devtools.mirror.server import serve_mirror
from devtools.synth.edgar import COLUMNS, DAILY_HEADER, DASHES, index_line
from etl import pipeline
from etl.config import Settings
from etl.edgar.client import clear_blocks
from etl.parse import parse_bytes
from etl.warehouse import db

pytestmark = pytest.mark.integration

BAD = Path(__file__).resolve().parents[1] / "fixtures" / "bad"
UA = "ETL Reliability Tests reliability-tests@example.org"
DAY = date(2006, 2, 27)
RUN_ID = "hostile"
AS_OF = datetime(2006, 2, 28, 6, 0)
PER_FILING_S = 15.0  # fetch + parse of one ordinary filing, generous for a loaded 2-core box
LARGE_S = 90.0  # fetch (gzip on the mirror) + parse of the 50 MB document
LARGE_MB = 50
MAX_RSS_GROWTH_KB = 1024 * 1024  # 1 GB
WATCHED = 9999950  # an operating company an operator put on the watch list
TRAVERSAL_NAMES = ("edgar-etl-hostile-traversal.txt", "edgar-etl-hostile-absolute.txt",
                   "edgar-etl-hostile-backslash.txt", "passwd", "shadow", "evil.txt")
SGML_FIXTURES = ("bare_document", "binaries", "cp1252_bytes", "nul_and_crlf", "tags_without_text",
                 "traversal_filenames", "truncated_envelope", "unclosed_header")
# where each filing must end: (stage, status, pattern its reason must match)
EXPECTED: dict[str, tuple[str, str, str]] = {
    "earnings_8k_non_abs": ("parse", "no_report", "no distribution report found"),
    "empty_document": ("parse", "no_report", "no text or HTML document in the submission"),
    "uuencoded_only": ("parse", "no_report", "only binary documents"),
    "deep_nesting": ("parse", "no_report", "no distribution report found"),
    "zero_bytes": ("fetch", "failed", "not an EDGAR full submission"),
    "bare_document": ("fetch", "failed", "not an EDGAR full submission"),
    "truncated_envelope": ("fetch", "failed", "full submission cut short"),
    "unclosed_header": ("fetch", "failed", "full submission cut short"),
    "binaries": ("parse", "no_report", "no distribution report found"),
    "cp1252_bytes": ("parse", "no_report", "no distribution report found"),
    "nul_and_crlf": ("parse", "no_report", "no distribution report found"),
    "tags_without_text": ("parse", "no_report", "no distribution report found"),
    "traversal_filenames": ("parse", "no_report", "no distribution report found"),
}
# distribution reports: parsed, then loaded or quarantined by the checks
REPORTS = ("number_notations", "cp1252_report", "traversal_report", "xml_bomb_ex102", "large_50mb")

LARGE_DRIVER = r"""
import json, resource, sys, time
from pathlib import Path

cfg = json.loads(sys.argv[1])
from etl import pipeline
from etl.config import Settings
import etl.edgar.client, etl.edgar.rawstore, etl.edgar.sgml, etl.parse, etl.parse.html_tables  # noqa: F401

settings = Settings(base_url=cfg["url"], data_url=cfg["url"], data_dir=Path(cfg["data_dir"]), user_agent=cfg["ua"],
                    uncapped=True, timeout=30.0, max_retries=1, backoff_base=0.05, backoff_max=0.2).validated()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.monotonic()
fetched = pipeline.fetch_batch(settings, [cfg["entry"]], cfg["run_id"])
staged = pipeline.parse_batch(settings, fetched, cfg["run_id"], batch=cfg["batch"])
print(json.dumps({"before_kb": before, "after_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "seconds": time.monotonic() - t0, "staged": staged, "status": fetched[0]["status"],
                  "reason": fetched[0].get("reason")}))
"""


@dataclass(frozen=True)
class Spec:
    """One hostile filing as the mirror serves it."""

    name: str
    cik: int
    accession: str
    form: str
    company: str
    body: bytes


def _header_field(body: bytes, label: str) -> str | None:
    m = re.search(rb"^" + label.encode() + rb":\s*(\S[^\r\n]*)", body, re.M)
    return m.group(1).decode().strip() if m else None


def from_fixture(name: str, **override: Any) -> Spec:
    body = (BAD / f"{name}.txt").read_bytes()
    values = {"name": name, "cik": int(_header_field(body, "\t\tCENTRAL INDEX KEY") or 0),
              "accession": _header_field(body, "ACCESSION NUMBER"),
              "form": _header_field(body, "CONFORMED SUBMISSION TYPE"),
              "company": _header_field(body, "\t\tCOMPANY CONFORMED NAME"), "body": body}
    values.update(override)
    return Spec(**values)


def envelope(acc: str, cik: int, company: str, documents: list[tuple[str, str, str]]) -> bytes:
    """A modern 10-D envelope around (type, filename, text) documents."""
    head = (f"<SEC-DOCUMENT>{acc}.txt : {DAY:%Y%m%d}\n<SEC-HEADER>{acc}.hdr.sgml : {DAY:%Y%m%d}\n"
            f"ACCESSION NUMBER:\t\t{acc}\nCONFORMED SUBMISSION TYPE:\t10-D\nPUBLIC DOCUMENT COUNT:\t\t{len(documents)}\n"
            f"CONFORMED PERIOD OF REPORT:\t{DAY:%Y%m%d}\nFILED AS OF DATE:\t\t{DAY:%Y%m%d}\n\nFILER:\n\n\tCOMPANY DATA:\t\n"
            f"\t\tCOMPANY CONFORMED NAME:\t\t\t{company}\n\t\tCENTRAL INDEX KEY:\t\t\t{cik:010d}\n"
            "\t\tSTANDARD INDUSTRIAL CLASSIFICATION:\tASSET-BACKED SECURITIES [6189]\n</SEC-HEADER>\n")
    docs = "".join(f"<DOCUMENT>\n<TYPE>{t}\n<SEQUENCE>{i}\n<FILENAME>{fn}\n<TEXT>\n{text}</TEXT>\n</DOCUMENT>\n"
                   for i, (t, fn, text) in enumerate(documents, 1))
    return (head + docs + "</SEC-DOCUMENT>\n").encode()


def deep_nesting(depth: int = 5000) -> Spec:
    html = ("<HTML><BODY><P>HOSTILE NESTED TRUST 2006-1</P><P>Distribution Date: 02/27/2006</P>"
            + "<TABLE><TR><TD>" * depth + "A-1 1,000.00" + "</TD></TR></TABLE>" * depth + "</BODY></HTML>\n")
    acc = "0009999907-06-000001"
    return Spec("deep_nesting", 9999907, acc, "10-D", "HOSTILE NESTED TRUST 2006-1",
                envelope(acc, 9999907, "HOSTILE NESTED TRUST 2006-1", [("EX-99.1", "nested.htm", html)]))


def large_document(megabytes: int = LARGE_MB) -> Spec:
    """A report followed by ~50 MB of agreement text in the same exhibit (one string, built once)."""
    report = ("HOSTILE LARGE TRUST 2006-1\nDistribution Date: 02/27/2006\n\n"
              "Class      Beginning Balance      Principal      Interest      Ending Balance\n"
              "A-1          3,000,000.00        300,000.00     15,000.00      2,700,000.00\n\n")
    para = ("Section {n}. The Servicer shall, in accordance with the Pooling and Servicing Agreement dated as "
            "of January 1, 2006, remit to the Trustee on each Remittance Date all amounts on deposit in the "
            "Collection Account, less the Servicing Fee of 0.50% per annum, as further described herein.\n")
    count = megabytes * 1024 * 1024 // len(para.format(n=0)) + 1  # the shortest paragraph: at least 50 MB
    text = report + "".join(para.format(n=n) for n in range(count))
    acc = "0009999908-06-000001"
    return Spec("large_50mb", 9999908, acc, "10-D", "HOSTILE LARGE TRUST 2006-1",
                envelope(acc, 9999908, "HOSTILE LARGE TRUST 2006-1", [("EX-99.1", "large.txt", text)]))


def all_specs() -> list[Spec]:
    specs = [from_fixture(n) for n in ("earnings_8k_non_abs", "empty_document", "uuencoded_only",
                                       "number_notations", "cp1252_report", "traversal_report", "xml_bomb_ex102")]
    # the same earnings release from a company nobody watches: discovery must drop it
    earn = specs[0].body.replace(b"0009999950", b"0009999951")
    specs.append(Spec("earnings_8k_unwatched", 9999951, "0009999951-06-000001", "8-K", "NORTHWIND SOFTWARE CORP", earn))
    for i, name in enumerate(SGML_FIXTURES):  # header says ...-99-000001 in every one of them
        specs.append(from_fixture(name, cik=9999999, accession=f"0009999999-99-{100 + i:06d}", form="8-K",
                                  company="HOSTILE TEST TRUST"))
    specs += [deep_nesting(), large_document(),
              Spec("zero_bytes", 9999909, "0009999909-06-000001", "10-D", "HOSTILE ZERO TRUST 2006-1", b"")]
    return specs


def write_mirror(root: Path, specs: list[Spec]) -> None:
    """Each filing at its EDGAR path, the day's form index, and the filers' submissions JSON."""
    lines = []
    for s in specs:
        path = f"edgar/data/{s.cik}/{s.accession}.txt"
        target = root / "Archives" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(s.body)
        lines.append(index_line(s.form, s.company, s.cik, f"{DAY:%Y%m%d}", path))
    idx = root / "Archives/edgar/daily-index" / str(DAY.year) / f"QTR{(DAY.month - 1) // 3 + 1}" / f"form.{DAY:%Y%m%d}.idx"
    idx.parent.mkdir(parents=True, exist_ok=True)
    idx.write_text(DAILY_HEADER.format(received=f"{DAY:%b %d, %Y}") + COLUMNS + DASHES + "".join(sorted(lines)),
                   encoding="latin-1")
    subs = root / "submissions"
    subs.mkdir(parents=True, exist_ok=True)
    for cik, sic, name in ((9999950, "7372", "NORTHWIND SOFTWARE CORP"), (9999951, "7372", "NORTHWIND SOFTWARE CORP"),
                           (9999999, "6189", "HOSTILE TEST TRUST")):
        (subs / f"CIK{cik:010d}.json").write_text(json.dumps(
            {"cik": str(cik), "name": name, "sic": sic, "filings": {"recent": {}, "files": []}}))


def tree(root: Path, skip: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``root`` except ``skip``: path -> (size, mtime)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        if Path(dirpath) == skip or skip in Path(dirpath).parents:
            dirnames[:] = []
            continue
        for name in [*dirnames, *filenames]:
            p = Path(dirpath) / name
            if p == skip:
                continue
            st = p.lstat()
            out[str(p.relative_to(root))] = (st.st_size if p.is_file() else 0, st.st_mtime_ns)
    return out


# ---------------------------------------------------------------------------- the run
@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    clear_blocks()
    base = tmp_path_factory.mktemp("hostile")
    specs = all_specs()
    write_mirror(base / "mirror", specs)
    data = base / "data"
    before = tree(base, data)
    by_acc = {s.accession: s for s in specs}
    timings: dict[str, float] = {}
    with serve_mirror(base / "mirror") as mirror:
        settings = Settings(base_url=mirror.url, data_url=mirror.url, data_dir=data, user_agent=UA, uncapped=True,
                            timeout=30.0, max_retries=1, backoff_base=0.05, backoff_max=0.2,
                            watchlist_ciks=frozenset({WATCHED})).validated()
        entries = pipeline.discover(settings, day=DAY)
        staged: list[str] = []
        large: dict[str, Any] = {}
        for i, entry in enumerate(entries):
            spec = by_acc[entry["accession"]]
            t0 = time.monotonic()
            if spec.name == "large_50mb":
                large = _large_in_child(mirror.url, data, entry, i)
                staged.append(large["staged"])
            else:  # a batch of one: the DAG's fetch and parse tasks, timed per filing
                staged.append(pipeline.parse_batch(settings, pipeline.fetch_batch(settings, [entry], RUN_ID),
                                                   RUN_ID, batch=i))
            timings[spec.name] = time.monotonic() - t0
        t0 = time.monotonic()
        st = pipeline.stage(settings, staged, RUN_ID)
        dq = pipeline.validate(settings, st["accessions"], RUN_ID, as_of=AS_OF)
        pub = pipeline.publish(settings, RUN_ID)
        timings["load steps"] = time.monotonic() - t0
        paths = mirror.stats()["paths"]
    yield {"base": base, "settings": settings, "specs": {s.name: s for s in specs}, "entries": entries,
           "timings": timings, "large": large, "stage": st, "validate": dq, "publish": pub, "paths": paths,
           "before": before, "after": tree(base, data)}
    clear_blocks()


def _large_in_child(url: str, data: Path, entry: dict[str, Any], batch: int) -> dict[str, Any]:
    cfg = {"url": url, "data_dir": str(data), "ua": UA, "entry": entry, "run_id": RUN_ID, "batch": batch}
    out = subprocess.run([sys.executable, "-c", LARGE_DRIVER, json.dumps(cfg)], capture_output=True, text=True,
                         timeout=LARGE_S * 2)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def rows(settings: Settings, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = db.reader(settings)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def by_name(run: dict[str, Any], sql: str) -> dict[str, tuple[Any, ...]]:
    """Rows keyed by the fixture name of their accession (first column)."""
    names = {s.accession: n for n, s in run["specs"].items()}
    return {names[r[0]]: r[1:] for r in rows(run["settings"], sql)}


# ------------------------------------------------------------------------------- tests
def test_discovery_keeps_abs_and_watched_filers_only(run) -> None:
    discovered = {e["accession"] for e in run["entries"]}
    specs = run["specs"]
    assert specs["earnings_8k_unwatched"].accession not in discovered  # SIC 7372, not watched
    assert discovered == {s.accession for n, s in specs.items() if n != "earnings_8k_unwatched"}
    assert not any("9999951" in p for p in run["paths"] if p.startswith("/Archives/edgar/data/"))


def test_every_filing_ends_with_a_status_and_a_reason(run) -> None:
    status = by_name(run, "SELECT accession, stage, status, reason FROM etl_status")
    assert set(status) == {n for n in run["specs"] if n != "earnings_8k_unwatched"}
    for name, (stage, st, pattern) in EXPECTED.items():
        got_stage, got_status, reason = status[name]
        assert (got_stage, got_status) == (stage, st), (name, status[name])
        assert re.search(pattern, reason or ""), (name, reason)
    fetch_log = by_name(run, "SELECT accession, error_kind, reason FROM fetch_log")
    assert set(fetch_log) == {n for n, e in EXPECTED.items() if e[0] == "fetch"}
    assert all(kind == "EdgarUnavailable" and "gave up after 2 attempts" in why for kind, why in fetch_log.values())
    for name in REPORTS:
        stage, st, reason = status[name]
        assert st in ("loaded", "quarantined"), (name, status[name])
        assert st == "loaded" or reason, f"{name} quarantined without a reason"
    # no parse step raised: the parser said what it could not read instead
    assert rows(run["settings"], "SELECT count(*) FROM pipeline_error") == [(0,)]
    assert run["stage"]["parse_failed"] == 0
    assert run["publish"]["filings"] == len(status) - len(fetch_log)


def test_warnings_say_what_was_tolerated(run) -> None:
    rep = by_name(run, "SELECT accession, kind, parse_error, warnings, document FROM stg_report")
    assert any("nested deeper than" in w for w in rep["deep_nesting"][2])
    assert any("only the start was scanned" in w for w in rep["large_50mb"][2])
    assert rep["large_50mb"][0] == "distribution_report"
    # the envelope's claim is kept as a warning; the fetched key names the filing
    # the SGML fixtures the fetch accepted are staged (those it refused have no stg_report row)
    staged = {n for n in SGML_FIXTURES if EXPECTED[n][0] == "parse"}
    assert staged and {n for n in SGML_FIXTURES if n in rep} == staged
    for name in sorted(staged):
        assert any("envelope header names accession 0009999999-99-000001" in w for w in rep[name][2]), name
    assert rows(run["settings"], "SELECT count(*) FROM stg_report WHERE accession = '0009999999-99-000001'") == [(0,)]
    # a declared file name is data: stored as printed, never used as a path
    assert rep["traversal_report"][3] == "../../../../edgar-etl-hostile-traversal.txt"
    docs = json.loads(rows(run["settings"], "SELECT documents_json FROM filing_header WHERE accession = ?",
                           [run["specs"]["traversal_report"].accession])[0][0])
    assert [d["filename"] for d in docs] == ["../../../../edgar-etl-hostile-traversal.txt",
                                             "/tmp/edgar-etl-hostile-absolute.txt",
                                             "..\\..\\..\\edgar-etl-hostile-backslash.txt"]


def test_no_filing_hangs(run) -> None:
    slow = {n: round(t, 2) for n, t in run["timings"].items()
            if t > (LARGE_S if n == "large_50mb" else 120.0 if n == "load steps" else PER_FILING_S)}
    assert not slow, f"over the time bound: {slow}"
    assert run["large"]["seconds"] < LARGE_S


def test_50mb_document_memory_is_bounded(run) -> None:
    large = run["large"]
    assert large["status"] == "fetched", large
    assert run["settings"].raw_dir.joinpath("9999908", "0009999908-06-000001.txt").stat().st_size > LARGE_MB * 1024 * 1024
    growth_kb = large["after_kb"] - large["before_kb"]
    assert growth_kb < MAX_RSS_GROWTH_KB, f"peak memory grew by {growth_kb / 1024:.0f} MB"


def test_nothing_written_outside_the_data_folder(run) -> None:
    base, settings = run["base"], run["settings"]
    assert run["after"] == run["before"], "files outside data/ changed"
    candidates = {base, base.parent, base.parent.parent, Path.cwd(), Path.cwd().parent, Path("/"), Path("/tmp"),
                  settings.data_dir, settings.raw_dir, settings.staging_dir}
    for folder in candidates:
        for name in TRAVERSAL_NAMES[:3]:
            assert not (folder / name).exists(), folder / name
    leaked = [p for p in base.rglob("*") if p.name in TRAVERSAL_NAMES]
    assert not leaked, leaked
    top = {p.name for p in settings.data_dir.iterdir()}
    assert top <= {"raw", "staged", "state", "cache", "dq_docs", "dq_results", "logs", "warehouse.duckdb",
                   ".warehouse.lock", ".ratelimit"}, top
    raw_files = sorted(p.relative_to(settings.raw_dir).as_posix() for p in settings.raw_dir.rglob("*") if p.is_file())
    assert all(re.fullmatch(r"[0-9]{1,10}/[0-9]{10}-[0-9]{2}-[0-9]{6}\.txt", p) for p in raw_files), raw_files


def test_number_notations_are_read_exactly(run) -> None:
    spec = run["specs"]["number_notations"]
    stored = run["settings"].raw_dir / str(spec.cik) / f"{spec.accession}.txt"
    parsed = parse_bytes(stored.read_bytes(), str(stored))
    got = {c["class"]: tuple(c[k] for k in ("beginning_balance", "principal", "interest", "ending_balance"))
           for c in parsed["classes"]}
    assert got == {
        "A-1": (1000000.00, -1234.00, 5000.00, 998766.00),  # (1,234.00): negative
        "A-2": (500000.00, 0, 0, 500000.00),                # "-" and an em dash: zero
        "A-3": (250000.00, None, 1250.00, 250000.00),       # N/A: absent; 1,250.00*: footnote mark dropped
        "A-4": (100000.00, 1000.00, 0.0, 99000.00),         # 1,000.00(1): footnote; ($0.00): zero
        "A-5": (75000.00, 0.0, 375.00, 75000.00),           # "(0.00" and ")" in two cells: zero
        "A-6": (None, 0.0, 100.00, 353986.67),              # 353,986.674.62: refused, not guessed
    }
    raw = {(f["entity"], f["measure"]): f["raw"] for f in parsed["fields"]}
    assert raw[("A-1", "beginning_balance")] == "$1,000,000.00"  # "$" in its own cell joined to the figure
    assert raw[("A-5", "principal")] == "(0.00)"
    assert raw[("A-6", "beginning_balance")] == "$353,986.674.62"
    assert any("353,986.674.62" in w and "not a valid number" in w for w in parsed["warnings"])
    assert parsed["distribution_date"] == "2006-02-27" and parsed["amount_decimals"] == 2
    # and the same figures reached the warehouse, exactly (DECIMAL, not float)
    staged = rows(run["settings"], "SELECT class, beginning_balance, principal, interest, ending_balance "
                                   "FROM stg_class_period WHERE accession = ? ORDER BY seq", [spec.accession])
    D = Decimal
    assert staged == [("A-1", D("1000000.00"), D("-1234.00"), D("5000.00"), D("998766.00")),
                      ("A-2", D("500000.00"), D("0.00"), D("0.00"), D("500000.00")),
                      ("A-3", D("250000.00"), None, D("1250.00"), D("250000.00")),
                      ("A-4", D("100000.00"), D("1000.00"), D("0.00"), D("99000.00")),
                      ("A-5", D("75000.00"), D("0.00"), D("375.00"), D("75000.00")),
                      ("A-6", None, D("0.00"), D("100.00"), D("353986.67"))]


def test_cp1252_and_invalid_utf8_report_is_read(run) -> None:
    spec = run["specs"]["cp1252_report"]
    staged = rows(run["settings"], "SELECT class, beginning_balance, principal, interest, ending_balance "
                                   "FROM stg_class_period WHERE accession = ? ORDER BY seq", [spec.accession])
    D = Decimal
    # the cp1252 en dash (byte 0x96) printed for A-2's principal is a zero
    assert staged == [("A-1", D("1000000.00"), D("100000.00"), D("5000.00"), D("900000.00")),
                      ("A-2", D("500000.00"), D("0.00"), D("2500.00"), D("500000.00"))]
    deal = rows(run["settings"], "SELECT deal_name, distribution_date FROM stg_report WHERE accession = ?",
                [spec.accession])
    assert deal == [("HOSTILE CP1252 TRUST 2006-1", date(2006, 2, 27))]


@pytest.mark.timeout(120)
def test_oversized_figure_fails_one_filing_not_the_run(tmp_path: Path) -> None:
    big = ("HOSTILE HUGE TRUST 2006-1\nDistribution Date: 02/27/2006\n\n"
           "Class      Beginning Balance      Principal      Interest      Ending Balance\n"
           "A-1   123,456,789,012,345,678,901.00     1,000.00      5,000.00      2,700,000.00\n")
    ok = big.replace("123,456,789,012,345,678,901.00", "  2,701,000.00").replace("HUGE", "FINE")
    specs = [Spec("huge", 9999911, "0009999911-06-000001", "10-D", "HOSTILE HUGE TRUST 2006-1",
                  envelope("0009999911-06-000001", 9999911, "HOSTILE HUGE TRUST 2006-1", [("EX-99.1", "r.txt", big)])),
             Spec("fine", 9999912, "0009999912-06-000001", "10-D", "HOSTILE FINE TRUST 2006-1",
                  envelope("0009999912-06-000001", 9999912, "HOSTILE FINE TRUST 2006-1", [("EX-99.1", "r.txt", ok)]))]
    write_mirror(tmp_path / "mirror", specs)
    with serve_mirror(tmp_path / "mirror") as mirror:
        settings = Settings(base_url=mirror.url, data_url=mirror.url, data_dir=tmp_path / "data", user_agent=UA,
                            uncapped=True).validated()
        entries = pipeline.discover(settings, day=DAY)
        staged = pipeline.parse_batch(settings, pipeline.fetch_batch(settings, entries, "huge"), "huge")
    st = pipeline.stage(settings, [staged], "huge")
    assert st["parsed"] + st["parse_failed"] == 2
    con = duckdb.connect(str(db.work_path(settings)), read_only=True)
    try:
        status = dict(con.execute("SELECT accession, status FROM etl_status").fetchall())
    finally:
        con.close()
    assert status["0009999912-06-000001"] == "parsed"
    assert status["0009999911-06-000001"] == "failed"
    con = duckdb.connect(str(db.work_path(settings)), read_only=True)
    try:
        kind, reason = con.execute("SELECT error_kind, reason FROM pipeline_error "
                                   "WHERE accession = '0009999911-06-000001'").fetchone()
        staged = con.execute("SELECT count(*) FROM stg_class_period").fetchone()[0]
    finally:
        con.close()
    assert kind == "out_of_range" and "beginning_balance" in reason and "DECIMAL(20,2)" in reason
    assert staged == 1  # the fine filing's one class row

