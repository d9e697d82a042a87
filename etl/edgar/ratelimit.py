"""A request-rate cap shared by every thread and process of a run (file) or by many machines (Redis).

The SEC's fair-access rule is a total: at most 10 requests per second from one requester,
however many Airflow workers it runs. A per-process limiter cannot give that, so the pacing
state lives outside the process:

* ``FileRateLimiter``: one small file (``settings.rate_state``) holding the earliest time the
  next request may go, read and written under ``fcntl.flock``. Every thread and process of
  one machine (LocalExecutor, a Celery worker's pool) shares it.
* ``RedisRateLimiter``: the same schedule in one Redis key, advanced by a Lua script that
  reads the Redis server's clock, so it is atomic and holds across machines with skewed
  clocks (Celery workers on several hosts).

Algorithm: a strict spacing schedule ("next free slot", GCRA without burst). A caller that
finds the slot free takes it *at the time it actually holds the lock* and pushes the slot
one interval later; otherwise it sleeps until the slot and tries again. Recording the real
grant time (not a reserved future slot) means a process that wakes up late cannot squeeze
the next request closer to its own. Grants are therefore at least ``interval`` apart, and
any 11 consecutive requests span at least ``10 * interval``.

Safety margin: the SEC counts arrivals, not departures, and network and scheduling jitter
move them. ``interval = (1 / rps) * (1 + SAFETY_MARGIN)`` with a 3% margin: any 11
consecutive grants span at least 1.03 s, so the first of them must travel more than 30 ms
longer than the eleventh for 11 arrivals to fall into one second on the server side. Jitter
on kept-alive connections to one host is a few milliseconds; a TCP retransmission (200 ms or
more) could still do it, once, and a 10% margin would not stop that either. The margin costs
3% of a capped backfill's speed (10% cost 9%); being blocked by the SEC costs 10 minutes,
and the client stops the run on the first sign of it (``EdgarBlocked``).

Why not pyrate-limiter: it is not installed here and its SQLite bucket + file lock
combination would have to be verified across processes; this is ~100 lines with a test
that measures the guarantee on the server side (tests/integration/test_client_mirror.py).
"""

from __future__ import annotations

import errno
import fcntl
import os
import threading
import time
from abc import ABC, abstractmethod
from pathlib import Path

from etl.config import Settings

SAFETY_MARGIN = 0.03
DEFAULT_MAX_WAIT = 300.0  # no single acquire waits longer; a stuck schedule must not hang a task
REDIS_KEY = "edgar-etl:ratelimit"


class RateLimitError(RuntimeError):
    """The limiter could not grant a slot (timed out, or its shared state is unreachable)."""


def interval_for(rps: float, margin: float = SAFETY_MARGIN) -> float:
    """Seconds between two requests for a cap of ``rps``, safety margin included."""
    if rps <= 0:
        raise ValueError("rps must be positive")
    return (1.0 / rps) * (1.0 + margin)


class RateLimiter(ABC):
    """Blocks each caller until it may send one request."""

    interval: float = 0.0

    def acquire(self, max_wait: float = DEFAULT_MAX_WAIT) -> float:
        """Wait for a slot; returns the seconds waited. Raises ``RateLimitError`` past ``max_wait``."""
        started = time.monotonic()
        deadline = started + max_wait
        while True:
            wait = self._try_take()
            if wait <= 0:
                return time.monotonic() - started
            now = time.monotonic()
            if now + wait > deadline:
                raise RateLimitError(f"no request slot within {max_wait:.1f}s")
            time.sleep(wait)

    @abstractmethod
    def _try_take(self) -> float:
        """Take the slot if free now (return 0), else return seconds until it frees."""

    def describe(self) -> str:
        return type(self).__name__


class NullLimiter(RateLimiter):
    """No cap: only for a loopback mirror (``Settings.validated`` refuses it elsewhere)."""

    def _try_take(self) -> float:
        return 0.0


class FileRateLimiter(RateLimiter):
    """Shared schedule in a file guarded by ``flock``: all threads and processes of a machine."""

    def __init__(self, path: Path, rps: float, margin: float = SAFETY_MARGIN) -> None:
        self.path = Path(path)
        self.interval = interval_for(rps, margin)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.last_grant = 0.0  # wall time of this object's latest slot, read under the lock

    def _try_take(self) -> float:
        # A fresh descriptor per call: flock belongs to the open file description, so a
        # descriptor shared by threads (or inherited across fork) would not exclude them.
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise RateLimitError(f"cannot open rate-limit state {self.path}: {exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            raw = os.pread(fd, 64, 0)
            now = time.time()
            try:
                next_free = float(raw.decode("ascii").strip() or 0.0)
            except (UnicodeDecodeError, ValueError):
                next_free = 0.0  # garbage in the file: start a fresh schedule
            if next_free - now > self.interval + 1.0:
                next_free = 0.0  # the wall clock went back: a slot that far ahead is stale
            if now >= next_free:
                os.pwrite(fd, f"{now + self.interval:.6f}".encode("ascii").ljust(32), 0)
                self.last_grant = now
                return 0.0
            return next_free - now
        finally:
            os.close(fd)  # releases the lock

    def describe(self) -> str:
        return f"file:{self.path} every {self.interval * 1000:.0f} ms"


_LUA_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if nxt - now > interval + 1000000 then nxt = 0 end
if now >= nxt then
  redis.call('SET', KEYS[1], string.format('%.0f', now + interval), 'PX', math.floor(interval / 1000) + 60000)
  return 0
end
-- never 0 here: 0 means granted, and Redis truncates the float to an integer
return math.max(1, math.ceil(nxt - now))
"""


class RedisRateLimiter(RateLimiter):
    """Shared schedule in one Redis key, advanced atomically by a Lua script on Redis time."""

    def __init__(self, url: str, rps: float, key: str = REDIS_KEY, margin: float = SAFETY_MARGIN) -> None:
        import redis  # only runs that configure Redis need it imported

        self.interval = interval_for(rps, margin)
        self.key = key
        self.url = url
        self._client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._script = self._client.register_script(_LUA_TAKE)
        self._errors = (redis.RedisError, OSError)

    def _try_take(self) -> float:
        try:
            wait_us = int(self._script(keys=[self.key], args=[int(self.interval * 1_000_000)]))
        except self._errors as exc:
            # Failing closed: without the shared schedule we cannot prove the cap holds.
            raise RateLimitError(f"Redis rate limiter at {self.url} unavailable: {exc}") from exc
        return wait_us / 1_000_000

    def describe(self) -> str:
        return f"redis:{self.key} every {self.interval * 1000:.0f} ms"


class ThreadRateLimiter(RateLimiter):
    """Same schedule kept in memory: one process only. For tests and single-process tools."""

    def __init__(self, rps: float, margin: float = SAFETY_MARGIN) -> None:
        self.interval = interval_for(rps, margin)
        self._lock = threading.Lock()
        self._next = 0.0

    def _try_take(self) -> float:
        with self._lock:
            now = time.monotonic()
            if now >= self._next:
                self._next = now + self.interval
                return 0.0
            return self._next - now


def build_limiter(settings: Settings, *, redis_key: str = REDIS_KEY) -> RateLimiter:
    """The limiter a run's settings ask for: none (loopback, uncapped), Redis, or the state file."""
    rps = settings.effective_rps
    if rps is None:
        return NullLimiter()
    if settings.rate_redis_url:
        return RedisRateLimiter(settings.rate_redis_url, rps, key=redis_key)
    try:
        return FileRateLimiter(settings.rate_state, rps)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EROFS):
            raise RateLimitError(f"cannot create rate-limit state at {settings.rate_state}: {exc}") from exc
        raise
