"""HTTP transport to EDGAR: declared identity, shared rate cap, bounded retries, typed errors.

Why a hand-written retry loop rather than urllib3 ``Retry`` or ``tenacity``:

* every attempt, retries included, must first take a slot from the shared rate limiter
  (``etl.edgar.ratelimit``); urllib3 retries happen inside the connection pool, out of
  its reach;
* the SEC's "stop" signal is a 403 whose *body* says "Request Rate Threshold Exceeded" or
  "Undeclared Automated Tool": it must end the run at once and keep every later call of
  this process from sending anything; no status-based retry policy expresses that;
* a truncated body, a corrupt gzip stream or a body that fails validation is only seen
  while reading the body, after urllib3 considers the request done.

``tenacity`` could express the loop, but the decorator would hide the per-attempt limiter
call, Retry-After and the stats the tests assert on behind callbacks; the loop below is
about forty lines and reads top to bottom, and it adds no dependency.
"""

from __future__ import annotations

import email.utils
import json
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar, cast
from urllib.parse import quote, urlsplit

import requests
from requests.adapters import HTTPAdapter

from etl.config import Settings
from etl.edgar.encoding import decode_text
from etl.edgar.ratelimit import RateLimiter, RateLimitError, build_limiter

T = TypeVar("T")

MAX_BODY_BYTES = 1024 * 1024 * 1024  # above the largest real full submission (hundreds of MB)
BODY_DEADLINE_FACTOR = 20  # a body trickling in may take at most 20 x settings.timeout
BLOCK_SECONDS = 600.0  # the SEC blocks an over-limit requester for about ten minutes
_BLOCK_PHRASES = ("request rate threshold exceeded", "undeclared automated tool")
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class EdgarError(Exception):
    """Base of the transport's errors."""


class EdgarBlocked(EdgarError):
    """The SEC refused us as over the rate limit or undeclared: stop the whole run, do not retry."""


class EdgarNotFound(EdgarError):
    """404/410: the document does not exist (for a daily index: no filings that day)."""


class EdgarHTTPError(EdgarError):
    """Any other refusal that retrying will not fix (400, 401, a 403 without the block phrases...)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class EdgarUnavailable(EdgarError):
    """Transient failures (429, 5xx, timeouts, broken bodies) outlasted ``settings.max_retries``."""


class EdgarBodyTooLarge(EdgarError):
    """The body exceeded the client's size cap."""


class _Transient(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason


@dataclass
class ClientStats:
    """Counters the tests and the run log read; safe to update from many threads."""

    requests: int = 0  # logical calls (get_bytes/get_text/get_json)
    attempts: int = 0  # HTTP requests actually sent
    retries: int = 0
    successes: int = 0
    failures: int = 0
    bytes_received: int = 0
    rate_wait_seconds: float = 0.0
    backoff_seconds: float = 0.0
    retry_reasons: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, reason: str | None = None, **deltas: float) -> None:
        with self._lock:
            for name, delta in deltas.items():
                setattr(self, name, getattr(self, name) + delta)
            if reason:
                self.retry_reasons[reason] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": self.requests,
                "attempts": self.attempts,
                "retries": self.retries,
                "successes": self.successes,
                "failures": self.failures,
                "bytes_received": self.bytes_received,
                "rate_wait_seconds": round(self.rate_wait_seconds, 3),
                "backoff_seconds": round(self.backoff_seconds, 3),
                "retry_reasons": dict(self.retry_reasons),
            }


# Process-wide: once the SEC says stop, no client of this process sends to that host again.
_blocked: dict[str, tuple[float, str]] = {}
_blocked_lock = threading.Lock()


def clear_blocks() -> None:
    """Forget every block recorded in this process (tests; an operator after the wait)."""
    with _blocked_lock:
        _blocked.clear()


def _netloc(url: str) -> str:
    return urlsplit(url).netloc.lower()


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", value):
        return float(value)
    try:
        # None for some malformed dates on older Pythons, whatever the stubs say
        when = cast("datetime | None", email.utils.parsedate_to_datetime(value))
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


_BAD_PATH = re.compile(r"[\x00-\x20\x7f\\?#]|://")


def _clean_path(path: str) -> str:
    path = path.lstrip("/")
    if _BAD_PATH.search(path) or any(seg in ("..", ".") for seg in path.split("/")) or "//" in path:
        raise ValueError(f"unsafe EDGAR path: {path!r}")
    return quote(path, safe="/-._~")


class EdgarClient:
    """One run's door to EDGAR (or a mirror of it); share one instance between threads."""

    def __init__(
        self,
        settings: Settings,
        *,
        limiter: RateLimiter | None = None,
        max_body_bytes: int = MAX_BODY_BYTES,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings.validated()
        # Raises ConfigError here, before any request, when a real host has no declared agent.
        self.user_agent = self.settings.require_user_agent()
        self.limiter = limiter if limiter is not None else build_limiter(self.settings)
        self.max_body_bytes = max_body_bytes
        self.stats = ClientStats()
        self._sleep = sleep
        self._hosts = {_netloc(self.settings.base_url), _netloc(self.settings.data_url)}
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()

    # -- URLs --------------------------------------------------------------------------
    def archives_url(self, path: str) -> str:
        """``{base_url}/Archives/{path}``; accepts ``edgar/data/...`` as printed in the indexes."""
        path = path.lstrip("/")
        if path.startswith("Archives/"):
            path = path[len("Archives/") :]
        return f"{self.settings.base_url.rstrip('/')}/Archives/{_clean_path(path)}"

    def data_url(self, path: str) -> str:
        """``{data_url}/{path}``, e.g. ``submissions/CIK0001268803.json``."""
        return f"{self.settings.data_url.rstrip('/')}/{_clean_path(path)}"

    # -- public calls ------------------------------------------------------------------
    def get_bytes(self, url: str, *, validate: Callable[[bytes], object] | None = None) -> bytes:
        """The body of ``url``; ``validate`` raising means a corrupt body, retried like a 503."""
        if validate is None:
            return self._fetch(url, lambda b: b)

        def check(body: bytes) -> bytes:
            validate(body)
            return body

        return self._fetch(url, check)

    def get_text(self, url: str) -> str:
        """The body decoded by the EDGAR fallback rule (UTF-8, else cp1252): never raises on bytes."""
        return decode_text(self.get_bytes(url))

    def get_json(self, url: str) -> Any:
        """The body parsed as JSON; a body that is not JSON counts as corrupt and is retried."""
        return self._fetch(url, json.loads)

    def close(self) -> None:
        with self._sessions_lock:
            for s in self._sessions:
                s.close()
            self._sessions.clear()

    def __enter__(self) -> EdgarClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ---------------------------------------------------------------------
    def _session(self) -> requests.Session:
        s = getattr(self._local, "session", None)
        if s is None:
            s = requests.Session()
            s.headers.update({"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"})
            adapter = HTTPAdapter(max_retries=0, pool_connections=4, pool_maxsize=4)
            s.mount("http://", adapter)
            s.mount("https://", adapter)
            self._local.session = s
            with self._sessions_lock:
                self._sessions.append(s)
        return s

    def _check_blocked(self, url: str) -> None:
        now = time.monotonic()
        with _blocked_lock:
            for host in {_netloc(url), *self._hosts}:
                entry = _blocked.get(host)
                if entry and entry[0] > now:
                    raise EdgarBlocked(
                        f"{host} refused this process earlier ({entry[1]}); not sending {url}. "
                        f"The SEC lifts such blocks after about {BLOCK_SECONDS / 60:.0f} minutes of "
                        "silence: lower EDGAR_MAX_RPS or check EDGAR_USER_AGENT, then rerun."
                    )

    def _block(self, url: str, reason: str) -> None:
        until = time.monotonic() + BLOCK_SECONDS
        with _blocked_lock:
            for host in {_netloc(url), *self._hosts}:
                _blocked[host] = (until, reason)

    def _fetch(self, url: str, parse: Callable[[bytes], T]) -> T:
        if _netloc(url) not in self._hosts:
            raise ValueError(f"{url} is not on a configured EDGAR host ({', '.join(sorted(self._hosts))})")
        self.stats.add(requests=1)
        max_retries = max(0, self.settings.max_retries)
        last = ""
        for attempt in range(max_retries + 1):
            self._check_blocked(url)
            try:
                waited = self.limiter.acquire()  # every attempt, retries included, is paced
            except RateLimitError:
                self.stats.add(failures=1)
                raise
            self.stats.add(attempts=1, rate_wait_seconds=waited)
            retry_after: float | None = None
            try:
                status, headers, body = self._attempt(url)
                if status == 200:
                    try:
                        value = parse(body)
                    except Exception as exc:  # noqa: BLE001 - any parse failure = corrupt body
                        raise _Transient("corrupt_body", f"body failed validation: {exc}") from exc
                    self.stats.add(successes=1, bytes_received=len(body))
                    return value
                self._raise_for_status(url, status, body)
                retry_after = parse_retry_after(headers.get("Retry-After"))
                raise _Transient(f"http_{status}", f"HTTP {status}")
            except _Transient as exc:
                last = f"{exc.reason}: {exc}"
                reason = exc.reason
            except EdgarError:
                self.stats.add(failures=1)
                raise
            if attempt >= max_retries:
                break
            delay = self._backoff(attempt, retry_after)
            self.stats.add(reason=reason, retries=1, backoff_seconds=delay)
            self._sleep(delay)
        self.stats.add(failures=1)
        raise EdgarUnavailable(f"GET {url}: gave up after {max_retries + 1} attempts; last error {last}")

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        cap = self.settings.backoff_max
        if retry_after is not None:
            return min(retry_after, cap)
        # "Full jitter": uniform in [0, base * 2^attempt], so workers that failed together
        # do not come back together.
        return random.uniform(0.0, min(cap, self.settings.backoff_base * (2**attempt)))

    def _raise_for_status(self, url: str, status: int, body: bytes) -> None:
        if status in _RETRY_STATUSES:
            return
        if status in (404, 410):
            raise EdgarNotFound(f"GET {url}: HTTP {status}")
        snippet = body[:4096].decode("latin-1", errors="replace")
        if status == 403:
            lowered = snippet.lower()
            if any(p in lowered for p in _BLOCK_PHRASES):
                self._block(url, "HTTP 403 Request Rate Threshold Exceeded / Undeclared Automated Tool")
                raise EdgarBlocked(
                    f"GET {url}: the SEC answered 403 'Request Rate Threshold Exceeded' (or 'Undeclared "
                    f"Automated Tool'). Stopping: every later request of this process fails at once. "
                    f"Check that EDGAR_USER_AGENT names you with an e-mail (sent: {self.user_agent!r}) and "
                    "that EDGAR_MAX_RPS is at most 10 in total across workers."
                )
        raise EdgarHTTPError(f"GET {url}: HTTP {status}: {' '.join(snippet.split())[:200]}", status)

    def _attempt(self, url: str) -> tuple[int, requests.structures.CaseInsensitiveDict[str], bytes]:
        timeout = self.settings.timeout
        deadline = time.monotonic() + timeout * BODY_DEADLINE_FACTOR
        try:
            with self._session().get(url, timeout=(timeout, timeout), stream=True) as resp:
                limit = self.max_body_bytes if resp.status_code == 200 else 64 * 1024
                chunks: list[bytes] = []
                total = 0
                for chunk in resp.iter_content(chunk_size=64 * 1024):
                    total += len(chunk)
                    if total > limit:
                        if resp.status_code == 200:
                            raise EdgarBodyTooLarge(f"GET {url}: body over {limit} bytes")
                        break
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        raise _Transient("slow_body", f"body not complete after {timeout * BODY_DEADLINE_FACTOR:.0f}s")
                return resp.status_code, resp.headers, b"".join(chunks)
        except requests.exceptions.Timeout as exc:
            raise _Transient("timeout", str(exc)) from exc
        except requests.exceptions.ChunkedEncodingError as exc:  # IncompleteRead, Content-Length short
            raise _Transient("truncated", str(exc)) from exc
        except requests.exceptions.ContentDecodingError as exc:  # corrupt gzip/deflate
            raise _Transient("corrupt_encoding", str(exc)) from exc
        except requests.exceptions.ConnectionError as exc:
            reason = "timeout" if "timed out" in str(exc).lower() else "connection"
            raise _Transient(reason, str(exc)) from exc
        except requests.exceptions.RequestException as exc:
            raise _Transient("connection", str(exc)) from exc
        except OSError as exc:  # a reset surfacing below requests' wrappers
            raise _Transient("connection", str(exc)) from exc
