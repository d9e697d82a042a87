"""The raw landing zone: validated keys, atomic write-once files, and no second download."""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from datetime import date
from pathlib import Path

import pytest

from etl.config import Settings
from etl.edgar import rawstore
from etl.edgar.discovery import IndexEntry
from etl.edgar.rawstore import (
    RawStore,
    RawStoreConflict,
    RawStoreError,
    fetch_filing,
    looks_complete,
    probed_store,
)

pytestmark = pytest.mark.unit

FIX = Path(__file__).resolve().parents[1] / "fixtures"
SEED_8K = FIX / "edgar/Archives/edgar/data/1268803/0001019965-04-000001.txt"
ACC = "0001019965-04-000001"


@pytest.fixture
def store(tmp_path: Path) -> RawStore:
    return RawStore(Settings(data_dir=tmp_path / "data"))


def test_path_layout(store: RawStore, tmp_path: Path) -> None:
    assert store.path_for(1268803, ACC) == tmp_path / "data" / "raw" / "1268803" / f"{ACC}.txt"


@pytest.mark.parametrize("cik", ["1268803", True, 0, -5, 10**10, 1268803.0, None])
def test_bad_cik_rejected(store: RawStore, cik: object) -> None:
    with pytest.raises(RawStoreError):
        store.path_for(cik, ACC)  # type: ignore[arg-type]


@pytest.mark.parametrize("acc", [
    "../../etc/passwd", f"{ACC}/../x", "0001019965-04-00001", "000101996504000001", f"{ACC}\n",
    f" {ACC}", "\uff10" * 10 + "-04-000001", "0001019965-04-000001.txt", "", None,
])
def test_bad_accession_rejected(store: RawStore, acc: object) -> None:
    with pytest.raises(RawStoreError):
        store.path_for(1268803, acc)  # type: ignore[arg-type]


def test_put_get_sha_has(store: RawStore) -> None:
    data = SEED_8K.read_bytes()
    assert not store.has(1268803, ACC)
    path, digest = store.put(1268803, ACC, data)
    assert digest == hashlib.sha256(data).hexdigest() == store.sha256(1268803, ACC)
    assert store.has(1268803, ACC) and store.get(1268803, ACC) == data
    assert not stat.S_IMODE(path.stat().st_mode) & 0o222  # read-only on disk
    assert [p.name for p in path.parent.iterdir()] == [f"{ACC}.txt"]  # no temp files left
    with pytest.raises(RawStoreError):
        store.get(1268803, "0001019965-04-000002")


def test_immutable(store: RawStore) -> None:
    data = SEED_8K.read_bytes()
    path, digest = store.put(1268803, ACC, data)
    assert store.put(1268803, ACC, data) == (path, digest)  # same bytes: no-op
    with pytest.raises(RawStoreConflict):
        store.put(1268803, ACC, data + b"tampered")
    assert store.get(1268803, ACC) == data


def test_crash_before_publish_leaves_nothing(store: RawStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_fsync(fd: int) -> None:
        raise OSError(5, "simulated I/O error")

    monkeypatch.setattr(rawstore.os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        store.put(1268803, ACC, b"<SEC-DOCUMENT>x</SEC-DOCUMENT>")
    folder = store.path_for(1268803, ACC).parent
    assert not store.has(1268803, ACC)
    assert list(folder.iterdir()) == []  # neither a partial file nor a temp file


def test_fallback_without_hard_links(store: RawStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(1, "Operation not permitted")  # EPERM: as on file systems without links

    monkeypatch.setattr(rawstore.os, "link", no_links)
    data = SEED_8K.read_bytes()
    path, _ = store.put(1268803, ACC, data)
    assert path.read_bytes() == data
    with pytest.raises(RawStoreConflict):
        store.put(1268803, ACC, b"other")


def test_concurrent_writers_one_winner(store: RawStore) -> None:
    barrier = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def writer(i: int) -> None:
        barrier.wait()
        try:
            store.put(1268803, ACC, b"same" if i % 2 else f"different {i}".encode())
            result = "ok"
        except RawStoreConflict:
            result = "conflict"
        with lock:
            outcomes.append(f"{i % 2}:{result}")

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    stored = store.get(1268803, ACC)
    # Whoever won, every writer of the winning bytes succeeded and every other writer was refused.
    if stored == b"same":
        assert sorted(outcomes) == ["0:conflict"] * 4 + ["1:ok"] * 4
    else:
        assert outcomes.count("1:conflict") == 4 and outcomes.count("0:ok") == 1
    assert len(list(store.path_for(1268803, ACC).parent.iterdir())) == 1


def test_looks_complete() -> None:
    looks_complete(SEED_8K.read_bytes())
    for bad in (b"", b"<html>error</html>", SEED_8K.read_bytes()[:-40]):
        with pytest.raises(ValueError):
            looks_complete(bad)


class CountingClient:
    """Records what ``fetch_filing`` asks; serves the fixture file."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.urls: list[str] = []

    def archives_url(self, path: str) -> str:
        return f"http://127.0.0.1:1/Archives/{path}"

    def get_bytes(self, url: str, validate: object = None) -> bytes:
        self.urls.append(url)
        data = SEED_8K.read_bytes()
        if callable(validate):
            validate(data)
        return data


def test_fetch_filing_never_downloads_twice(store: RawStore, tmp_path: Path) -> None:
    entry = IndexEntry("8-K", "AAMES MORTGAGE TRUST 2003-1", 1268803, date(2004, 1, 5),
                       "edgar/data/1268803/../../evil.txt", ACC)  # the index path is not used
    client = CountingClient(Settings(data_dir=tmp_path / "data"))
    first = fetch_filing(client, store, entry)  # type: ignore[arg-type]
    assert first.downloaded and client.urls == [f"http://127.0.0.1:1/Archives/edgar/data/1268803/{ACC}.txt"]
    second = fetch_filing(client, store, entry)  # type: ignore[arg-type]
    assert not second.downloaded and len(client.urls) == 1
    assert (second.path, second.sha256, second.size) == (first.path, first.sha256, first.size)
    assert os.path.getsize(first.path) == first.size


def test_fetch_filing_takes_a_probed_filing_without_a_request(tmp_path: Path) -> None:
    """A filing discovery fetched to learn its filer's SIC moves into the raw store, unrequested;
    a damaged probed copy is fetched again instead, and never stored."""
    settings = Settings(data_dir=tmp_path / "data")
    store, probed = RawStore(settings), probed_store(settings)
    entry = IndexEntry("8-K", "AAMES MORTGAGE TRUST 2003-1", 1268803, date(2004, 1, 5),
                       f"edgar/data/1268803/{ACC}.txt", ACC)
    assert probed.root == settings.cache_dir / "probed" and probed.root != store.root
    probed.put(1268803, ACC, SEED_8K.read_bytes())
    client = CountingClient(settings)
    got = fetch_filing(client, store, entry)  # type: ignore[arg-type]
    assert not got.downloaded and client.urls == []
    assert store.get(1268803, ACC) == SEED_8K.read_bytes() and not probed.has(1268803, ACC)
    other = "0001019965-04-000002"
    probed.put(1268803, other, SEED_8K.read_bytes()[:5000])  # cut short
    again = fetch_filing(client, store, IndexEntry("8-K", entry.company, 1268803, date(2004, 1, 5),
                                                   f"edgar/data/1268803/{other}.txt", other))  # type: ignore[arg-type]
    assert again.downloaded and len(client.urls) == 1 and store.get(1268803, other) == SEED_8K.read_bytes()
    assert not probed.has(1268803, other)
