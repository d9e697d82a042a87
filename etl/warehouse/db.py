"""The warehouse files: one private working database for the single writer, one published copy.

DuckDB allows one read-write process per file, and a reader holding a file open would make a
writer fail. So analysts never open the file the loader writes:

* ``data/state/work.duckdb`` holds the state (raw manifest, staged rows, check results). Only
  the load steps open it, one at a time, under a file lock.
* ``data/warehouse.duckdb`` is what readers open. Publishing copies the working file to a
  temporary file beside it, builds every derived model (dimensions, facts, marts, views) in
  the copy, checkpoints it and renames it over the published file in one ``os.replace``.
  A session that already has the old file open keeps reading the old inode, a consistent
  snapshot; sessions opened after the rename see the new data. A crash before the rename
  leaves the published file untouched.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
from filelock import FileLock

from etl.config import Settings
from etl.warehouse import schema

WORK_LAYERS = ("macros", "raw", "staging", "quality")


def work_path(settings: Settings) -> Path:
    return settings.data_dir / "state" / "work.duckdb"


def connect(settings: Settings, path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection with the writer's memory cap, spilling to ``state/spill``."""
    spill = settings.data_dir / "state" / "spill"
    spill.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), config={"memory_limit": settings.duckdb_memory_limit,
                                             "temp_directory": str(spill)})


def _lock(settings: Settings, timeout: float) -> FileLock:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return FileLock(str(settings.data_dir / ".warehouse.lock"), timeout=timeout)


@contextlib.contextmanager
def writer(settings: Settings, timeout: float = 3600) -> Iterator[duckdb.DuckDBPyConnection]:
    """The single writer's connection to the working database (serialised by a file lock)."""
    path = work_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock(settings, timeout):
        con = connect(settings, path)
        try:
            schema.ensure(con, WORK_LAYERS)
            yield con
        finally:
            con.close()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(settings: Settings, timeout: float = 3600,
            on_built: Callable[[duckdb.DuckDBPyConnection], object] | None = None) -> Path:
    """Build the derived models into a fresh copy and swap it in atomically. ``on_built`` reads
    the finished copy on the writer's capped connection, before the swap: what it sees is exactly
    what is published, and no reader session is opened for it."""
    target = settings.warehouse
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with _lock(settings, timeout):
        _remove_stale_copies(target)
        src = work_path(settings)
        with writer_unlocked(settings) as con:
            con.execute("CHECKPOINT")
        try:
            shutil.copyfile(src, tmp)
            con = connect(settings, tmp)
            try:
                schema.apply(con)
                con.execute("CHECKPOINT")
                if on_built is not None:
                    on_built(con)
            finally:
                con.close()
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            with contextlib.suppress(FileNotFoundError):
                Path(str(tmp) + ".wal").unlink()
    return target


def _remove_stale_copies(target: Path) -> None:
    """Delete temporary copies left by a publisher killed before its own clean-up ran.

    Only called under the warehouse lock: no other publisher can be building a copy, so every
    ``.{name}.{pid}.tmp`` (and its ``.wal``) is debris, as large as the warehouse itself.
    """
    for stale in target.parent.glob(f".{target.name}.*.tmp*"):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()


@contextlib.contextmanager
def writer_unlocked(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """Working-database connection for a caller that already holds the lock."""
    path = work_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = connect(settings, path)
    try:
        schema.ensure(con, WORK_LAYERS)
        yield con
    finally:
        con.close()


def reader(settings: Settings) -> duckdb.DuckDBPyConnection:
    """A read-only session on the published warehouse (never blocks the loader)."""
    path = settings.warehouse
    if not path.exists():
        raise FileNotFoundError(
            f"no warehouse at {path}: run `make demo` or an `edgar-etl backfill` first"
        )
    return duckdb.connect(str(path), read_only=True)


def table_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Order-independent checksum of the contents of every base table."""
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
        "AND table_schema = 'main' ORDER BY table_name").fetchall()]
    out = {}
    for t in tables:
        # sum (not xor) of row hashes, so duplicated rows change the checksum too
        n, h = con.execute(
            f'SELECT count(*), coalesce(sum(hash(t::VARCHAR)::HUGEINT), 0) FROM "{t}" AS t').fetchone() or (0, 0)
        out[t] = hashlib.sha256(f"{n}:{h}".encode()).hexdigest()[:16]
    return out
