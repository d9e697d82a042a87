"""The shared rate limiter: spacing across threads and processes, stale state, selection from settings.

Server-side measurements (requests arriving at the mirror) are in
tests/integration/test_client_mirror.py; here the grant times themselves are checked.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
import time
from pathlib import Path

import pytest

from etl.config import Settings
from etl.edgar.ratelimit import (
    SAFETY_MARGIN,
    FileRateLimiter,
    NullLimiter,
    RateLimitError,
    RedisRateLimiter,
    ThreadRateLimiter,
    build_limiter,
    interval_for,
)

pytestmark = pytest.mark.unit


def _grants_in_process(path: str, rps: float, n: int) -> list[float]:
    """Each grant's time as the limiter read it under the lock: a clock read after ``acquire``
    returns would add the scheduler's delay (tens of ms on a loaded machine) to the gaps."""
    limiter = FileRateLimiter(Path(path), rps)
    out = []
    for _ in range(n):
        limiter.acquire(max_wait=30)
        out.append(limiter.last_grant)
    return out


def _gaps(times: list[float]) -> list[float]:
    ts = sorted(times)
    return [b - a for a, b in zip(ts, ts[1:], strict=False)]


def test_interval_has_safety_margin() -> None:
    assert interval_for(10) == pytest.approx(0.1 * (1 + SAFETY_MARGIN))
    assert SAFETY_MARGIN > 0
    with pytest.raises(ValueError):
        interval_for(0)


def test_file_limiter_spaces_threads(tmp_path: Path) -> None:
    rps = 40.0
    limiter = FileRateLimiter(tmp_path / "rate", rps)
    grants: list[float] = []
    lock = threading.Lock()

    def worker() -> None:  # one limiter per thread on the same file: each knows its own grants
        mine = FileRateLimiter(tmp_path / "rate", rps)
        for _ in range(5):
            mine.acquire(max_wait=30)
            with lock:
                grants.append(mine.last_grant)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(grants) == 30
    assert min(_gaps(grants)) >= limiter.interval - 0.002
    assert time.monotonic() - t0 >= 29 * limiter.interval - 0.01


def test_file_limiter_spaces_processes(tmp_path: Path) -> None:
    rps = 30.0
    path = str(tmp_path / "rate")
    ctx = mp.get_context("spawn")
    with ctx.Pool(3) as pool:
        results = pool.starmap(_grants_in_process, [(path, rps, 8)] * 3)
    grants = [t for r in results for t in r]
    assert len(grants) == 24
    assert min(_gaps(grants)) >= interval_for(rps) - 0.002


def test_stale_or_garbage_state_does_not_block(tmp_path: Path) -> None:
    state = tmp_path / "rate"
    state.write_text("not a number")
    limiter = FileRateLimiter(state, 10)
    assert limiter.acquire(max_wait=0.5) < 0.05
    state.write_text(f"{time.time() + 3600:.6f}")  # clock went back an hour: ignore the slot
    assert limiter.acquire(max_wait=0.5) < 0.05


def test_acquire_gives_up_after_max_wait(tmp_path: Path) -> None:
    limiter = FileRateLimiter(tmp_path / "rate", 1.0)
    limiter.acquire()
    t0 = time.monotonic()
    with pytest.raises(RateLimitError):
        limiter.acquire(max_wait=0.2)
    assert time.monotonic() - t0 < 0.2  # refuses up front instead of sleeping in vain


def test_thread_limiter_and_null_limiter() -> None:
    limiter = ThreadRateLimiter(50)
    t0 = time.monotonic()
    for _ in range(6):
        limiter.acquire()
    assert time.monotonic() - t0 >= 5 * limiter.interval - 0.005
    null = NullLimiter()
    t0 = time.monotonic()
    for _ in range(1000):
        null.acquire()
    assert time.monotonic() - t0 < 0.5


def test_build_limiter_follows_settings(tmp_path: Path) -> None:
    loop = dict(base_url="http://127.0.0.1:9", data_url="http://127.0.0.1:9", data_dir=tmp_path)
    assert isinstance(build_limiter(Settings(**loop, uncapped=True)), NullLimiter)
    file_limiter = build_limiter(Settings(**loop))
    assert isinstance(file_limiter, FileRateLimiter) and file_limiter.path == tmp_path / ".ratelimit"
    assert file_limiter.interval == pytest.approx(interval_for(10))
    redis_limiter = build_limiter(Settings(**loop, rate_redis_url="redis://127.0.0.1:6379/0", max_rps=5))
    assert isinstance(redis_limiter, RedisRateLimiter)  # constructing it does not connect
    assert redis_limiter.interval == pytest.approx(interval_for(5))


def test_redis_unreachable_fails_closed() -> None:
    limiter = RedisRateLimiter("redis://127.0.0.1:1/0", 10)  # nothing listens on port 1
    with pytest.raises(RateLimitError, match="unavailable"):
        limiter.acquire(max_wait=1)
