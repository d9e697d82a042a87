"""The raw landing zone: each full submission stored once, as fetched, under ``data/raw/{cik}/``.

Immutable and atomic, because everything downstream (the ``raw_filing`` manifest, re-parses,
audits) trusts that a stored filing is exactly the bytes the SEC served:

* paths are built only from a validated integer CIK and an accession matching
  ``^[0-9]{10}-[0-9]{2}-[0-9]{6}$``: nothing from an index line or a header reaches the path;
* a write goes to a temporary file in the same folder, is fsynced, and then appears under its
  final name in one step. The step is ``os.link`` (fails if the name exists) rather than
  ``os.replace`` (which would silently overwrite a file another worker just wrote); where the
  file system has no hard links it falls back to ``os.replace`` under a file lock;
* an existing file is never replaced: the same bytes again are a no-op, different bytes raise;
* a writer killed between its write and its link leaves a temporary file named after its host
  and pid; the next write into that CIK's folder removes it once that process is gone (or, for a
  writer on another host sharing the volume, once it is an hour old).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from etl.config import Settings
from etl.edgar.client import EdgarClient
from etl.edgar.discovery import IndexEntry

ACCESSION_PATTERN = re.compile(r"[0-9]{10}-[0-9]{2}-[0-9]{6}")
_TEMP_PATTERN = re.compile(r"\.([0-9]{10}-[0-9]{2}-[0-9]{6})\.(?P<host>[A-Za-z0-9_-]*)\.(?P<pid>[0-9]+)\..*\.tmp")
STALE_TEMP_AGE_S = 3600.0  # a temporary file of another host's writer is debris after this long


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", socket.gethostname())[:40]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RawStoreError(Exception):
    """Bad key, or a stored file that cannot be read."""


class RawStoreConflict(RawStoreError):
    """Different bytes offered for a filing the store already holds."""


def _validate(cik: object, accession: object) -> tuple[int, str]:
    if isinstance(cik, bool) or not isinstance(cik, int) or not 0 < cik < 10**10:
        raise RawStoreError(f"CIK must be a positive int below 10**10, got {cik!r}")
    if not isinstance(accession, str) or not ACCESSION_PATTERN.fullmatch(accession):
        raise RawStoreError(f"accession must look like 0001019965-04-000001, got {accession!r}")
    return cik, accession


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            h.update(chunk)
    return h.hexdigest()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class RawStore:
    """``settings.raw_dir``/{cik}/{accession}.txt, write-once (``root`` for another such area)."""

    def __init__(self, settings: Settings, root: Path | None = None) -> None:
        self.root = Path(root if root is not None else settings.raw_dir)

    def path_for(self, cik: int, accession: str) -> Path:
        cik, accession = _validate(cik, accession)
        return self.root / str(cik) / f"{accession}.txt"

    def has(self, cik: int, accession: str) -> bool:
        return self.path_for(cik, accession).is_file()

    def get(self, cik: int, accession: str) -> bytes:
        path = self.path_for(cik, accession)
        try:
            return path.read_bytes()
        except FileNotFoundError as exc:
            raise RawStoreError(f"not in the raw store: {cik} {accession}") from exc

    def sha256(self, cik: int, accession: str) -> str:
        path = self.path_for(cik, accession)
        if not path.is_file():
            raise RawStoreError(f"not in the raw store: {cik} {accession}")
        return _sha256_file(path)

    def put(self, cik: int, accession: str, data: bytes) -> tuple[Path, str]:
        """Store ``data``; returns (path, sha256). Same bytes again: no-op; other bytes: conflict."""
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError("raw filings are bytes")
        data = bytes(data)
        path = self.path_for(cik, accession)
        digest = hashlib.sha256(data).hexdigest()
        if path.exists():
            return path, self._same_or_conflict(path, digest)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.remove_dead_temp_files(path.parent)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{accession}.{_host()}.{os.getpid()}.",
                                        suffix=".tmp")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o444)  # a stored filing is read-only, also to careless tools
            self._publish(tmp, path, digest)
        finally:
            tmp.unlink(missing_ok=True)
        _fsync_dir(path.parent)
        return path, digest

    def remove_dead_temp_files(self, folder: Path) -> list[Path]:
        """Delete temporary files whose writer was killed before linking them; returns them."""
        removed = []
        host, now = _host(), time.time()
        for tmp in folder.glob(".*.tmp"):
            m = _TEMP_PATTERN.fullmatch(tmp.name)
            try:
                if m and m["host"] == host:
                    dead = int(m["pid"]) != os.getpid() and not _pid_alive(int(m["pid"]))
                else:  # another host's writer, or an older naming: judged by age alone
                    dead = now - tmp.stat().st_mtime > STALE_TEMP_AGE_S
                if dead:
                    tmp.unlink()
                    removed.append(tmp)
            except FileNotFoundError:
                continue  # its writer linked and removed it meanwhile
        return removed

    def _publish(self, tmp: Path, path: Path, digest: str) -> None:
        try:
            os.link(tmp, path)  # atomic "create if absent"
            return
        except FileExistsError:
            self._same_or_conflict(path, digest)  # another worker won the race
            return
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise
        with FileLock(str(path) + ".lock", timeout=60):
            if path.exists():
                self._same_or_conflict(path, digest)
                return
            os.replace(tmp, path)

    def _same_or_conflict(self, path: Path, digest: str) -> str:
        existing = _sha256_file(path)
        if existing != digest:
            raise RawStoreConflict(
                f"{path} already holds different bytes (sha256 {existing[:12]}..., offered {digest[:12]}...): "
                "stored filings are immutable"
            )
        return existing


@dataclass(frozen=True)
class FetchResult:
    cik: int
    accession: str
    path: Path
    sha256: str
    size: int
    downloaded: bool  # False: the store already held it and nothing was requested


def looks_complete(body: bytes) -> None:
    """Raise unless ``body`` is a whole full submission (a cut-off one must not be stored forever)."""
    head = body[:4096].lstrip()
    if not (head.startswith(b"<SEC-DOCUMENT>") or head.startswith(b"-----BEGIN PRIVACY-ENHANCED MESSAGE")):
        raise ValueError("not an EDGAR full submission (no <SEC-DOCUMENT>)")
    if b"</SEC-DOCUMENT>" not in body[-4096:]:
        raise ValueError("full submission cut short (no </SEC-DOCUMENT> at the end)")


def probed_store(settings: Settings) -> RawStore:
    """Filings discovery fetched to learn their filer's SIC (``discovery.probe_sic``).

    They wait here, outside the raw store, until a run fetches them: the raw store holds only
    filings a run took in, and a probed filing that no run asks for is a cache entry, not data."""
    return RawStore(settings, root=Path(settings.cache_dir) / "probed")


def _take_probed(client: EdgarClient, store: RawStore, cik: int, accession: str) -> FetchResult | None:
    """Move a probed filing into the store (no request); None when there is none, or it is unreadable."""
    probed = probed_store(client.settings)
    source = probed.path_for(cik, accession)
    if source.parent.is_dir():
        probed.remove_dead_temp_files(source.parent)  # a probe killed mid-write
    try:
        body = source.read_bytes()
    except OSError:
        return None  # none probed: the fetch asks the SEC
    try:
        looks_complete(body)
    except ValueError:
        source.unlink(missing_ok=True)  # damaged: dropped, and the fetch asks the SEC
        return None
    path, digest = store.put(cik, accession, body)
    source.unlink(missing_ok=True)
    return FetchResult(cik, accession, path, digest, len(body), downloaded=False)


def fetch_filing(client: EdgarClient, store: RawStore, entry: IndexEntry) -> FetchResult:
    """Bring one filing into the store; a filing already held (or probed) is never downloaded again."""
    cik, accession = _validate(entry.cik, entry.accession)
    path = store.path_for(cik, accession)
    if path.is_file():
        return FetchResult(cik, accession, path, _sha256_file(path), path.stat().st_size, downloaded=False)
    if (taken := _take_probed(client, store, cik, accession)) is not None:
        return taken
    # The URL is rebuilt from the validated key, not taken from the index line.
    body = client.get_bytes(client.archives_url(f"edgar/data/{cik}/{accession}.txt"), validate=looks_complete)
    path, digest = store.put(cik, accession, body)
    return FetchResult(cik, accession, path, digest, len(body), downloaded=True)
