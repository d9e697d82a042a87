"""The EDGAR client against the local mirror over real HTTP on 127.0.0.1.

Covers: identity (User-Agent), pacing measured on the server side (threads, processes, Redis),
retries on 429/503 and every injected fault, the 403 stop signal, path safety of the mirror,
discovery and the raw store end to end, and the ``mirror serve`` command.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing as mp
import os
import selectors
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from devtools.mirror.server import serve_mirror
from etl.config import ConfigError, Settings
from etl.edgar.client import (
    EdgarBlocked,
    EdgarClient,
    EdgarError,
    EdgarNotFound,
    EdgarUnavailable,
    clear_blocks,
    parse_retry_after,
)
from etl.edgar.discovery import discover_ciks, discover_day, discover_range, filter_abs
from etl.edgar.ratelimit import RedisRateLimiter, interval_for
from etl.edgar.rawstore import RawStore, fetch_filing, probed_store
from etl.edgar.sgml import parse_submission

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
TREE = ROOT / "tests" / "fixtures" / "edgar"
UA = "ETL Test Suite etl-tests@example.org"
FULL_8K = "Archives/edgar/data/1268803/0001019965-04-000001.txt"
FULL_10K = "Archives/edgar/data/1268803/0001019965-04-000147.txt"
DAY_IDX = "Archives/edgar/daily-index/2004/QTR1/form.20040105.idx"
SUBS = "submissions/CIK0001268803.json"


@pytest.fixture(autouse=True)
def _fresh_blocks() -> Any:
    clear_blocks()
    yield
    clear_blocks()


@pytest.fixture
def mirror() -> Any:
    with serve_mirror(TREE) as m:
        yield m


def make_settings(url: str, data_dir: Path, **kw: Any) -> Settings:
    values: dict[str, Any] = dict(base_url=url, data_url=url, data_dir=data_dir, user_agent=UA, timeout=2.0,
                                  max_retries=4, backoff_base=0.05, backoff_max=1.0, uncapped=True)
    values.update(kw)
    return Settings(**values).validated()


# --------------------------------------------------------------------------- basics
def test_fetches_bytes_text_json_and_404(mirror: Any, tmp_path: Path) -> None:
    with EdgarClient(make_settings(mirror.url, tmp_path)) as client:
        assert client.archives_url(FULL_8K.removeprefix("Archives/")) == f"{mirror.url}/{FULL_8K}"
        assert client.archives_url("/" + FULL_8K) == f"{mirror.url}/{FULL_8K}"
        assert client.data_url(SUBS) == f"{mirror.url}/{SUBS}"
        assert client.get_bytes(client.archives_url(FULL_8K)) == (TREE / FULL_8K).read_bytes()
        assert client.get_text(client.archives_url(DAY_IDX)) == (TREE / DAY_IDX).read_text()
        assert client.get_json(client.data_url(SUBS))["sic"] == "6189"
        with pytest.raises(EdgarNotFound):
            client.get_bytes(client.archives_url("edgar/data/1268803/0001019965-04-999999.txt"))
        stats = client.stats.snapshot()
        assert (stats["requests"], stats["attempts"], stats["successes"], stats["retries"]) == (4, 4, 3, 0)
        # Refused before any request: paths that climb out, and hosts that are not EDGAR's.
        for bad in ("edgar/../../etc/passwd", "edgar/data/./x", "edgar/data/x?y=1", "edgar\\data"):
            with pytest.raises(ValueError):
                client.archives_url(bad)
        with pytest.raises(ValueError):
            client.get_bytes("http://example.com/Archives/x")
    assert mirror.stats()["requests"] == 4


def test_declares_user_agent_and_mirror_refuses_undeclared(mirror: Any, tmp_path: Path) -> None:
    with EdgarClient(make_settings(mirror.url, tmp_path)) as client:
        client.get_bytes(client.archives_url(DAY_IDX))
    assert mirror.stats()["user_agents"] == {UA: 1}
    # A loopback run without a configured agent still declares one with an e-mail.
    with EdgarClient(make_settings(mirror.url, tmp_path, user_agent=None)) as client:
        client.get_bytes(client.archives_url(DAY_IDX))
        assert "@" in client.user_agent
    anonymous = requests.get(f"{mirror.url}/{DAY_IDX}", timeout=5)  # "python-requests/x.y"
    assert anonymous.status_code == 403
    assert "Request Rate Threshold Exceeded" in anonymous.text and "Undeclared Automated Tool" in anonymous.text


def test_missing_user_agent_for_sec_fails_at_once_without_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the client must not touch the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    settings = Settings(data_dir=tmp_path, user_agent=None)  # https://www.sec.gov
    t0 = time.monotonic()
    with pytest.raises(ConfigError, match="EDGAR_USER_AGENT") as info:
        EdgarClient(settings)
    assert "e-mail" in str(info.value)
    with pytest.raises(ConfigError):
        EdgarClient(Settings(data_dir=tmp_path, user_agent="just-a-name"))  # no e-mail: refused too
    assert time.monotonic() - t0 < 1.0


def test_gzip_when_asked_and_stats_endpoint(mirror: Any) -> None:
    zipped = requests.get(f"{mirror.url}/{FULL_8K}", headers={"User-Agent": UA, "Accept-Encoding": "gzip"}, timeout=5)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.content == (TREE / FULL_8K).read_bytes()
    plain = requests.get(f"{mirror.url}/{FULL_8K}", headers={"User-Agent": UA, "Accept-Encoding": "identity"},
                         timeout=5)
    assert "Content-Encoding" not in plain.headers and plain.content == (TREE / FULL_8K).read_bytes()
    stats = requests.get(f"{mirror.url}/__mirror__/stats", timeout=5).json()
    assert stats["requests"] == 2 and stats["by_status"] == {"200": 2}
    assert stats["max_requests_in_any_second"] == mirror.max_requests_in_any_second() == 2
    assert stats["faults_injected"] == {}


def test_mirror_refuses_path_traversal(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "Archives" / "edgar").mkdir(parents=True)
    (root / "secret.txt").write_text("TOP SECRET")
    (tmp_path / "outside.txt").write_text("TOP SECRET")
    (root / "Archives" / "edgar" / "link").symlink_to(tmp_path)  # a symlink pointing out of the root
    with serve_mirror(root) as m:
        conn = http.client.HTTPConnection("127.0.0.1", m.port, timeout=5)
        attempts = [
            "/Archives/../secret.txt",
            "/Archives/edgar/../../secret.txt",
            "/Archives/edgar/%2e%2e/%2e%2e/secret.txt",
            "/submissions/..%2f..%2fsecret.txt",
            "/Archives/edgar/..%5c..%5csecret.txt",
            "/Archives/edgar/link/outside.txt",
            "/Archives/edgar/x%00.txt",
            "/secret.txt",
            "//etc/passwd",
        ]
        for path in attempts:
            conn.request("GET", path, headers={"User-Agent": UA})
            resp = conn.getresponse()
            body = resp.read()
            assert resp.status in (400, 404), path
            assert b"TOP SECRET" not in body and b"root:" not in body, path
        conn.close()


# --------------------------------------------------------------------------- retries
def test_429_retry_after_seconds_is_honoured(tmp_path: Path) -> None:
    with serve_mirror(TREE, script=("429", "ok"), retry_after="1") as m:
        with EdgarClient(make_settings(m.url, tmp_path)) as client:
            t0 = time.monotonic()
            assert client.get_bytes(client.archives_url(DAY_IDX)) == (TREE / DAY_IDX).read_bytes()
            elapsed = time.monotonic() - t0
            stats = client.stats.snapshot()
        assert (stats["attempts"], stats["retries"], stats["retry_reasons"]) == (2, 1, {"http_429": 1})
        assert 1.0 <= elapsed < 3.0
        assert m.stats()["faults_injected"] == {"429": 1}


def test_429_retry_after_http_date_is_capped_by_backoff_max(tmp_path: Path) -> None:
    in_an_hour = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    assert 3500 < parse_retry_after(in_an_hour) <= 3600  # type: ignore[operator]
    with serve_mirror(TREE, script=("429", "429", "ok"), retry_after=in_an_hour) as m:
        with EdgarClient(make_settings(m.url, tmp_path, backoff_max=0.3)) as client:
            t0 = time.monotonic()
            client.get_bytes(client.archives_url(DAY_IDX))
            elapsed = time.monotonic() - t0
            assert client.stats.snapshot()["retries"] == 2
        assert 0.6 <= elapsed < 2.5


def test_503_burst_then_success(tmp_path: Path) -> None:
    with serve_mirror(TREE, script=("503",), burst_503=4) as m:
        with EdgarClient(make_settings(m.url, tmp_path, max_retries=5)) as client:
            assert client.get_json(client.data_url(SUBS))["name"] == "AAMES MORTGAGE TRUST 2003-1"
            stats = client.stats.snapshot()
        assert (stats["attempts"], stats["retries"], stats["retry_reasons"]) == (5, 4, {"http_503": 4})
        assert m.stats()["by_status"] == {"200": 1, "503": 4}


def test_503_burst_longer_than_retries_raises_typed_error(tmp_path: Path) -> None:
    with serve_mirror(TREE, script=("503",), burst_503=10) as m:
        with EdgarClient(make_settings(m.url, tmp_path, max_retries=2)) as client:
            with pytest.raises(EdgarUnavailable, match="3 attempts"):
                client.get_bytes(client.archives_url(DAY_IDX))
            assert client.stats.snapshot()["failures"] == 1
        assert m.stats()["requests"] == 3  # bounded: 1 try + 2 retries, nothing more


def test_every_fault_kind_is_retried(tmp_path: Path) -> None:
    script = ("429", "503", "reset", "stall", "truncate", "bad_length", "bad_gzip", "ok")
    with serve_mirror(TREE, script=script, burst_503=1, retry_after="0", stall_seconds=1.5) as m:
        settings = make_settings(m.url, tmp_path, timeout=0.5, max_retries=8, backoff_base=0.01, backoff_max=0.05)
        with EdgarClient(settings) as client:
            body = client.get_bytes(client.archives_url(FULL_10K))
            stats = client.stats.snapshot()
        assert body == (TREE / FULL_10K).read_bytes()
        assert stats["attempts"] == 8 and stats["retries"] == 7
        assert stats["retry_reasons"] == {
            "http_429": 1, "http_503": 1, "connection": 1, "timeout": 1, "truncated": 2, "corrupt_encoding": 1,
        }
        assert m.stats()["faults_injected"] == {k: 1 for k in script[:-1]}


def test_random_faults_every_call_ends_typed_and_bounded(tmp_path: Path) -> None:
    paths = [FULL_8K, FULL_10K, DAY_IDX, SUBS, "Archives/edgar/data/1268803/0001019965-04-999999.txt"]
    with serve_mirror(TREE, fault_rate=0.35, seed=20240105, stall_seconds=1.0, retry_after="1") as m:
        settings = make_settings(m.url, tmp_path, timeout=0.4, max_retries=8, backoff_base=0.01, backoff_max=0.05)
        outcomes: Counter[str] = Counter()
        wrong: list[str] = []
        lock = threading.Lock()

        def worker(k: int) -> None:
            with EdgarClient(settings) as client:
                for i in range(16):
                    path = paths[(k + i) % len(paths)]
                    url = client.data_url(path) if path.startswith("submissions") else client.archives_url(path)
                    try:
                        body = client.get_bytes(url)
                        result = "ok" if body == (TREE / path).read_bytes() else "WRONG"
                    except EdgarError as exc:
                        result = type(exc).__name__
                    with lock:
                        outcomes[result] += 1
                        if result == "WRONG":
                            wrong.append(path)

        t0 = time.monotonic()
        threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        elapsed = time.monotonic() - t0
        faults = m.stats()["faults_injected"]
    assert not wrong  # a retried body is never a corrupted body
    assert sum(outcomes.values()) == 64
    assert outcomes["EdgarNotFound"] == 64 // len(paths) + (1 if 64 % len(paths) > 4 else 0)
    assert outcomes["ok"] + outcomes["EdgarUnavailable"] + outcomes["EdgarNotFound"] == 64
    assert outcomes["EdgarUnavailable"] <= 2
    assert sum(faults.values()) >= 15 and len(faults) >= 6
    assert elapsed < 40


# --------------------------------------------------------------------------- the stop signal
def test_403_rate_threshold_stops_the_process(tmp_path: Path) -> None:
    with serve_mirror(TREE, enforce_rps=3) as m, serve_mirror(TREE) as other:
        client = EdgarClient(make_settings(m.url, tmp_path))
        url = client.archives_url(DAY_IDX)
        with pytest.raises(EdgarBlocked, match="Request Rate Threshold Exceeded"):
            for _ in range(20):
                client.get_bytes(url)
        sent = m.stats()["requests"]
        assert sent == 4 and m.stats()["by_status"] == {"200": 3, "403": 1}
        assert client.stats.snapshot()["retries"] == 0  # never retried
        time.sleep(1.1)  # even once the server would answer again...
        t0 = time.monotonic()
        with pytest.raises(EdgarBlocked):
            client.get_bytes(url)
        with pytest.raises(EdgarBlocked):  # ...and from another client of this process
            EdgarClient(make_settings(m.url, tmp_path)).get_json(client.data_url(SUBS))
        assert time.monotonic() - t0 < 0.5 and m.stats()["requests"] == sent  # nothing sent
        # A different host is not affected.
        with EdgarClient(make_settings(other.url, tmp_path)) as fine:
            fine.get_bytes(fine.archives_url(DAY_IDX))


# --------------------------------------------------------------------------- pacing
def test_25_requests_at_10_rps_from_threads_with_retries(tmp_path: Path) -> None:
    with serve_mirror(TREE, fault_rates={"503": 0.2}, burst_503=1, seed=3) as m:
        settings = make_settings(m.url, tmp_path, uncapped=False, max_rps=10, backoff_base=0.0, max_retries=10)
        client = EdgarClient(settings)
        url = client.archives_url(DAY_IDX)
        t0 = time.monotonic()
        threads = [threading.Thread(target=lambda: [client.get_bytes(url) for _ in range(5)]) for _ in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        elapsed = time.monotonic() - t0
        stats = client.stats.snapshot()
        server = m.stats()
    assert stats["successes"] == 25 and stats["retries"] > 0  # retries went through the limiter too
    assert server["requests"] == stats["attempts"]
    assert elapsed >= (stats["attempts"] - 1) * interval_for(10) - 0.05 >= 2.3
    assert server["max_requests_in_any_second"] <= 10


def _client_process(url: str, data_dir: str, threads: int, per_thread: int, redis_key: str | None) -> dict[str, Any]:
    settings = make_settings(url, Path(data_dir), uncapped=False, max_rps=10)
    limiter = RedisRateLimiter("redis://127.0.0.1:6379/0", 10, key=redis_key) if redis_key else None
    client = EdgarClient(settings, limiter=limiter)
    target = client.archives_url(DAY_IDX)

    def run() -> None:
        for _ in range(per_thread):
            client.get_bytes(target)

    ts = [threading.Thread(target=run) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(60)
    return client.stats.snapshot()


def _cross_process_run(tmp_path: Path, redis_key: str | None) -> None:
    with serve_mirror(TREE) as m:
        ctx = mp.get_context("spawn")
        t0 = time.monotonic()
        with ctx.Pool(3) as pool:
            results = pool.starmap(_client_process, [(m.url, str(tmp_path), 2, 5, redis_key)] * 3)
        elapsed = time.monotonic() - t0
        server = m.stats()
    assert sum(r["successes"] for r in results) == 30 == server["requests"]
    assert server["max_requests_in_any_second"] <= 10
    assert elapsed >= 29 * interval_for(10) - 0.05


def test_rate_cap_holds_across_processes_file_lock(tmp_path: Path) -> None:
    _cross_process_run(tmp_path, None)


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_rate_cap_holds_across_processes_redis(tmp_path: Path) -> None:
    key = f"edgar-etl-test:{uuid.uuid4().hex}"
    try:
        _cross_process_run(tmp_path, key)
    finally:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/0").delete(key)


# --------------------------------------------------------------------------- discovery + raw store
def test_discovery_and_abs_filter_over_http(mirror: Any, tmp_path: Path) -> None:
    client = EdgarClient(make_settings(mirror.url, tmp_path))
    day = discover_day(client, date(2004, 1, 5))
    assert len(day) == 10
    assert discover_day(client, date(2004, 1, 3)) == []  # a Saturday: no index, no error
    kept = filter_abs(client, day)
    assert [(e.form_type, e.cik, e.accession) for e in kept] == [("8-K", 1268803, "0001019965-04-000001")]
    paths = mirror.stats()["paths"]
    assert all(n == 1 for p, n in paths.items() if p.startswith("/submissions/"))
    # the trust, named like a deal ("... TRUST 2003-1"), was classified by its own filing's
    # header (SIC 6189): no submissions JSON for it. The filing waits in the probed store, not
    # the raw store, and fetching it later costs no request.
    assert not any(p.startswith("/submissions/CIK0001268803") for p in paths)
    assert paths["/Archives/edgar/data/1268803/0001019965-04-000001.txt"] == 1
    # the operating companies were asked by their submissions JSON: none of their filings fetched
    assert [p for p in paths if p.startswith("/Archives/edgar/data/")] == [
        "/Archives/edgar/data/1268803/0001019965-04-000001.txt"]
    assert not RawStore(client.settings).has(1268803, "0001019965-04-000001")
    assert probed_store(client.settings).has(1268803, "0001019965-04-000001")
    before = mirror.stats()["requests"]
    taken = fetch_filing(client, RawStore(client.settings), kept[0])
    assert not taken.downloaded and mirror.stats()["requests"] == before
    assert RawStore(client.settings).has(1268803, "0001019965-04-000001")
    assert not probed_store(client.settings).has(1268803, "0001019965-04-000001")
    later = discover_day(client, date(2004, 3, 30))
    assert [(e.form_type, e.accession) for e in filter_abs(client, later)] == [("10-K", "0001019965-04-000147")]
    # The new index, then only the 8-K/10-K filers not seen before (the trust is cached), each by
    # its submissions JSON: none of them is named like a deal
    assert mirror.stats()["requests"] - before == 1 + 3  # index + A. H. Belo, ACNB, CLANCY

    january = discover_range(client, date(2003, 12, 1), date(2004, 1, 31))  # QTR4 2003 missing: skipped
    assert {e.date_filed for e in january} == {date(2004, 1, 5)} and len(january) == 10
    quarter = discover_range(client, date(2004, 1, 1), date(2004, 3, 31))
    assert len(quarter) == 17
    assert sorted(e.accession for e in filter_abs(client, quarter)) == ["0001019965-04-000001", "0001019965-04-000147"]


def test_discover_ciks_follows_pages_only_when_needed(mirror: Any, tmp_path: Path) -> None:
    client = EdgarClient(make_settings(mirror.url, tmp_path))
    page = "/submissions/CIK0001781089-submissions-001.json"
    recent_only = discover_ciks(client, [1781089], start=date(2020, 1, 1))
    assert [e.form_type for e in recent_only] == ["ABS-EE/A", "10-D/A"]
    assert page not in mirror.stats()["paths"]
    everything = discover_ciks(client, [1781089, 1268803, 4242])  # 4242: no such filer
    assert [e.accession for e in everything if e.cik == 1781089] == [
        "0001628297-20-000182", "0001628297-20-000181", "0001628297-19-000901", "0001628297-19-000801"]
    assert [e.form_type for e in everything if e.cik == 1268803] == ["10-K", "8-K"]
    assert mirror.stats()["paths"][page] == 1
    cache = json.loads((tmp_path / "cache" / "cik_sic.json").read_text())
    assert cache == {"1268803": 6189, "1781089": 6189, "4242": None}


def test_fetch_filing_into_raw_store_once(tmp_path: Path) -> None:
    # The first answer is cut short: it must be retried, never stored.
    with serve_mirror(TREE, script=("truncate",)) as m:
        client = EdgarClient(make_settings(m.url, tmp_path))
        store = RawStore(client.settings)
        (entry,) = [e for e in discover_day(client, date(2004, 1, 5)) if e.cik == 1268803]
        first = fetch_filing(client, store, entry)
        assert first.downloaded and client.stats.snapshot()["retry_reasons"] == {"truncated": 1}
        assert store.get(1268803, entry.accession) == (TREE / FULL_8K).read_bytes()
        requests_so_far = m.stats()["requests"]
        again = fetch_filing(EdgarClient(make_settings(m.url, tmp_path)), store, entry)
        assert not again.downloaded and again.sha256 == first.sha256
        assert m.stats()["requests"] == requests_so_far  # a re-run never downloads it again
        parsed = parse_submission(store.get(1268803, entry.accession))
        assert parsed.header.accession == entry.accession and parsed.documents[0].filename == "aames031dec03.txt"


# --------------------------------------------------------------------------- the command
def test_mirror_serve_command(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "devtools.mirror.commands", "mirror", "serve", "--root", str(TREE), "--port", "0",
         "--fault-rate", "0", "--seed", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
    )
    try:
        sel = selectors.DefaultSelector()
        assert proc.stdout is not None
        sel.register(proc.stdout, selectors.EVENT_READ)
        assert sel.select(timeout=20), "mirror serve printed nothing"
        line = proc.stdout.readline()
        url = line.strip().rsplit(" ", 1)[-1]
        assert url.startswith("http://127.0.0.1:")
        resp = requests.get(f"{url}/{DAY_IDX}", headers={"User-Agent": UA}, timeout=5)
        assert resp.status_code == 200 and resp.content == (TREE / DAY_IDX).read_bytes()
    finally:
        proc.terminate()
        proc.wait(10)
    bad = subprocess.run([sys.executable, "-m", "devtools.mirror.commands", "mirror", "serve", "--root", str(TREE),
                          "--fault-rate", "2"], capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert bad.returncode == 2 and "probability" in bad.stderr
