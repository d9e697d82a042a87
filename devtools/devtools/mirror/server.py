"""A local EDGAR: real HTTP on 127.0.0.1 over a folder in EDGAR's URL layout, with fault injection.

It serves what the pipeline reads from www.sec.gov and data.sec.gov (one server may stand for
both hosts):

    /Archives/edgar/data/{cik}/{accession}.txt                full submission
    /Archives/edgar/data/{cik}/{accession-no-dashes}/{file}   a filing's folder
    /Archives/edgar/daily-index/{yyyy}/QTR{q}/{form|company|master}.{yyyymmdd}.idx
    /Archives/edgar/full-index/{yyyy}/QTR{q}/{form|company|master}.idx
    /submissions/CIK##########.json (and its -submissions-NNN.json pages)

and behaves like the SEC where the client's manners are concerned: a request without a
User-Agent holding an e-mail is refused with the SEC's 403 page, and with ``enforce_rps``
so is a client that goes over the rate. It records every request's arrival time so tests
can measure the rate on the server side (``max_requests_in_any_second``), also served as
JSON at ``/__mirror__/stats``.

Fault injection (seeded, so a failing run can be replayed) answers a share of requests with:
``429`` (with Retry-After), ``503`` (in bursts), ``reset`` (TCP RST), ``stall`` (no answer
past the client's timeout), ``truncate`` (body cut short of its Content-Length),
``bad_length`` (Content-Length promising more than is sent) and ``bad_gzip`` (a gzip body
that does not decompress).
"""

from __future__ import annotations

import gzip
import json
import random
import re
import socket
import struct
import threading
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

FAULT_KINDS = ("429", "503", "reset", "stall", "truncate", "bad_length", "bad_gzip")
SERVED_PREFIXES = ("Archives/edgar/", "submissions/")
_EMAIL_RE = re.compile(r"[^\s@<>]+@[^\s@<>]+")
_CONTENT_TYPES = {
    ".txt": "text/plain",
    ".idx": "text/plain",
    ".json": "application/json",
    ".htm": "text/html",
    ".html": "text/html",
    ".xml": "application/xml",
}
# The SEC's own refusal page says both things, whichever the cause.
BLOCK_PAGE = (
    b"<html><head><title>SEC.gov | Request Rate Threshold Exceeded</title></head><body>"
    b"<h1>Your Request Originates from an Undeclared Automated Tool</h1>"
    b"<p>To allow for equitable access to all users, SEC reserves the right to limit requests "
    b"originating from undeclared automated tools. Please declare your traffic by updating your "
    b"user agent to include company specific information.</p>"
    b"<p>Request Rate Threshold Exceeded</p></body></html>"
)


@dataclass
class MirrorOptions:
    """How the mirror misbehaves. All rates are probabilities per content request."""

    fault_rate: float = 0.0  # share of requests given a fault, kind drawn from ``faults``
    faults: tuple[str, ...] = FAULT_KINDS
    fault_rates: dict[str, float] = field(default_factory=dict)  # per-kind rates, added to the above
    seed: int | None = None
    script: tuple[str, ...] = ()  # exact faults ("ok" = none) for the first requests, in order
    retry_after: str = "1"  # Retry-After sent with 429: seconds or an HTTP date
    burst_503: int = 3  # a 503 fault answers this many consecutive requests
    stall_seconds: float = 2.0
    enforce_rps: float | None = None  # refuse like the SEC above this many requests per second
    require_user_agent: bool = True
    verbose: bool = False

    def __post_init__(self) -> None:
        unknown = ({*self.faults, *self.fault_rates} | {s for s in self.script if s != "ok"}) - set(FAULT_KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; known: {', '.join(FAULT_KINDS)}")
        if not 0.0 <= self.fault_rate <= 1.0 or any(not 0.0 <= r <= 1.0 for r in self.fault_rates.values()):
            raise ValueError("fault rates are probabilities between 0 and 1")
        self.faults = tuple(self.faults)
        self.script = tuple(self.script)


class MirrorStats:
    """Arrivals and outcomes, kept under one lock (handler threads write, tests read)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.arrivals: list[float] = []
            self.by_status: Counter[int] = Counter()
            self.faults_injected: Counter[str] = Counter()
            self.paths: Counter[str] = Counter()
            self.user_agents: Counter[str] = Counter()

    def arrive(self, path: str, user_agent: str) -> float:
        now = time.monotonic()
        with self._lock:
            self.arrivals.append(now)
            self.paths[path] += 1
            self.user_agents[user_agent] += 1
        return now

    def recent(self, now: float, window: float = 1.0) -> int:
        """Arrivals in ``(now - window, now]``."""
        with self._lock:
            return len(self.arrivals) - bisect_left(self.arrivals, now - window + 1e-9)

    def answered(self, status: int) -> None:
        with self._lock:
            self.by_status[status] += 1

    def fault(self, kind: str) -> None:
        with self._lock:
            self.faults_injected[kind] += 1

    def max_requests_in_any_second(self, window: float = 1.0) -> int:
        """Largest number of arrivals inside any sliding window of ``window`` seconds."""
        with self._lock:
            times = sorted(self.arrivals)
        best, lo = 0, 0
        for hi, t in enumerate(times):
            while t - times[lo] >= window:
                lo += 1
            best = max(best, hi - lo + 1)
        return best

    def snapshot(self) -> dict[str, Any]:
        peak = self.max_requests_in_any_second()
        with self._lock:
            return {
                "requests": len(self.arrivals),
                "by_status": {str(k): v for k, v in sorted(self.by_status.items())},
                "faults_injected": dict(self.faults_injected),
                "faults_total": sum(self.faults_injected.values()),
                "max_requests_in_any_second": peak,
                "paths": dict(self.paths),
                "user_agents": dict(self.user_agents),
            }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stalled handler threads must not hold up stop()
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(self, root: Path, port: int, options: MirrorOptions) -> None:
        self.root = root.resolve()
        self.options = options
        self.stats = MirrorStats()
        self.stopping = threading.Event()
        self._rng = random.Random(options.seed)
        self._fault_lock = threading.Lock()
        self._script_pos = 0
        self._burst_left = 0
        super().__init__(("127.0.0.1", port), _Handler)

    def next_fault(self) -> str | None:
        """The fault for the next content request: a running 503 burst, else the script, else chance."""
        o = self.options
        with self._fault_lock:
            if self._burst_left > 0:
                self._burst_left -= 1
                return "503"
            kind: str | None = None
            if self._script_pos < len(o.script):
                kind = o.script[self._script_pos]
                self._script_pos += 1
                kind = None if kind == "ok" else kind
            elif o.fault_rate and o.faults and self._rng.random() < o.fault_rate:
                kind = self._rng.choice(o.faults)
            else:
                for k, rate in sorted(o.fault_rates.items()):
                    if self._rng.random() < rate:
                        kind = k
                        break
            if kind == "503":
                self._burst_left = max(0, o.burst_503 - 1)
            return kind


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, as clients talk to the SEC
    # Headers and body go out as two writes: with Nagle's algorithm the body waits for the ACK of
    # the headers, which the client delays (~40 ms on Linux), capping a keep-alive client at ~25
    # requests/s. Real web servers send with TCP_NODELAY; so does the mirror.
    disable_nagle_algorithm = True
    server_version = "edgar-mirror/1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if self.server.options.verbose:
            super().log_message(format, *args)

    def do_HEAD(self) -> None:
        self._handle(send_body=False)

    def do_GET(self) -> None:
        self._handle(send_body=True)

    # -- responses ---------------------------------------------------------------------
    def _send(self, status: int, body: bytes, ctype: str = "text/plain", headers: dict[str, str] | None = None,
              send_body: bool = True) -> None:
        self.server.stats.answered(status)  # before sending: a client may read stats right after
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _reset(self) -> None:
        # SO_LINGER with a zero timeout turns close() into a TCP RST: "connection reset by peer".
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        with suppress(OSError):
            self.connection.close()

    def _handle(self, send_body: bool) -> None:
        path = urlsplit(self.path).path
        if path.startswith("/__mirror__/"):
            self._control(path, send_body)
            return
        stats = self.server.stats
        ua = self.headers.get("User-Agent", "")
        now = stats.arrive(path, ua)
        opts = self.server.options
        if opts.require_user_agent and not _EMAIL_RE.search(ua):
            self._send(403, BLOCK_PAGE, "text/html", send_body=send_body)
            return
        if opts.enforce_rps is not None and stats.recent(now) > opts.enforce_rps:
            self._send(403, BLOCK_PAGE, "text/html", send_body=send_body)
            return
        target = self._resolve(path)
        if target is None:
            self._send(400, b"bad path", send_body=send_body)
            return
        fault = self.server.next_fault()
        if fault:
            stats.fault(fault)
            if self._early_fault(fault, send_body):
                return
        if not target.is_file():
            self._send(404, b"Not Found", send_body=send_body)
            return
        body = target.read_bytes()
        ctype = _CONTENT_TYPES.get(target.suffix.lower(), "application/octet-stream")
        headers: dict[str, str] = {}
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "").lower()
        if fault == "bad_gzip":
            body = gzip.compress(body)[:10] + b"\xff" * 64  # reserved block type: cannot inflate
            headers["Content-Encoding"] = "gzip"
        elif wants_gzip and len(body) > 256:
            body = gzip.compress(body, compresslevel=5)
            headers["Content-Encoding"] = "gzip"
        if fault in ("truncate", "bad_length"):
            declared = len(body) if fault == "truncate" else len(body) + 100
            sent = body[: len(body) // 2] if fault == "truncate" else body
            self.server.stats.answered(200)
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(declared))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            if send_body:
                self.wfile.write(sent)
            self.close_connection = True  # the client then sees fewer bytes than declared
            return
        self._send(200, body, ctype, headers, send_body=send_body)

    def _early_fault(self, fault: str, send_body: bool) -> bool:
        """Faults that replace the answer entirely; True when the request is done."""
        if fault == "429":
            self._send(429, b"Too Many Requests", headers={"Retry-After": self.server.options.retry_after},
                       send_body=send_body)
            return True
        if fault == "503":
            self._send(503, b"Service Unavailable", send_body=send_body)
            return True
        if fault == "reset":
            self._reset()
            return True
        if fault == "stall":
            # Wait past the client's timeout (stop() cuts the wait short), then drop the connection.
            self.server.stopping.wait(self.server.options.stall_seconds)
            self._reset()
            return True
        return False

    def _resolve(self, path: str) -> Path | None:
        """The file for a URL path, or None for anything that tries to leave the root."""
        raw = unquote(path)
        if "\x00" in raw or "\\" in raw:
            return None
        segments = raw.split("/")
        if any(s in ("..", ".") for s in segments):
            return None
        rel = raw.lstrip("/")
        if not rel.startswith(SERVED_PREFIXES):
            return self.server.root / "__not_served__"
        candidate = (self.server.root / rel).resolve()
        if not candidate.is_relative_to(self.server.root):  # a symlink pointing out
            return None
        return candidate

    def _control(self, path: str, send_body: bool) -> None:
        if path == "/__mirror__/stats":
            body = json.dumps(self.server.stats.snapshot(), indent=1).encode()
            self._send(200, body, "application/json", send_body=send_body)
        elif path == "/__mirror__/reset":
            self.server.stats.reset()
            self._send(200, b"{}", "application/json", send_body=send_body)
        else:
            self._send(404, b"Not Found", send_body=send_body)


@dataclass
class MirrorHandle:
    """A running mirror: its base URL, live stats, and a way to stop it."""

    url: str
    server: _Server = field(repr=False)
    thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def stats(self) -> dict[str, Any]:
        return self.server.stats.snapshot()

    def max_requests_in_any_second(self, window: float = 1.0) -> int:
        return self.server.stats.max_requests_in_any_second(window)

    def reset_stats(self) -> None:
        self.server.stats.reset()

    def stop(self) -> None:
        self.server.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        if self.thread is not None:
            self.thread.join(timeout=5)


def start_mirror(root: str | Path, port: int = 0, **options: Any) -> MirrorHandle:
    """Start serving ``root`` on 127.0.0.1 in a background thread; call ``stop()`` when done."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"mirror root {root} is not a directory")
    server = _Server(root, port, MirrorOptions(**options))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name="edgar-mirror", daemon=True)
    thread.start()
    return MirrorHandle(url=f"http://127.0.0.1:{server.server_address[1]}", server=server, thread=thread)


@contextmanager
def serve_mirror(root: str | Path, port: int = 0, **fault_opts: Any) -> Iterator[MirrorHandle]:
    """``with serve_mirror(root, fault_rate=0.2, seed=1) as m: ... m.url ... m.stats()``."""
    handle = start_mirror(root, port, **fault_opts)
    try:
        yield handle
    finally:
        handle.stop()


class MirrorProcess:
    """A mirror in a process of its own, with the ``MirrorHandle`` calls a benchmark uses.

    A mirror thread inside the process under test shares its GIL: while that process's single
    writer works, requests wait to be read and their arrival times bunch, so the server-side
    rate the benchmark reports would be the mirror's own delay, not the client's pacing.
    """

    def __init__(self, root: str | Path, **options: Any) -> None:
        import subprocess
        import sys

        self._proc = subprocess.Popen(
            [sys.executable, "-c", "import json, sys; from devtools.mirror.server import serve_forever; "
             "serve_forever(sys.argv[1], 0, **json.loads(sys.argv[2]))", str(root), json.dumps(options)],
            stdout=subprocess.PIPE, text=True)
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()  # "EDGAR mirror of ... at http://127.0.0.1:PORT"
        if " at http://" not in line:
            self._proc.kill()
            raise RuntimeError(f"mirror process did not start: {line!r}")
        self.url = line.rsplit(" at ", 1)[1].strip()

    def _get(self, path: str) -> Any:
        import urllib.request

        with urllib.request.urlopen(self.url + path, timeout=10) as resp:
            return json.loads(resp.read() or b"null")

    def stats(self) -> dict[str, Any]:
        return dict(self._get("/__mirror__/stats"))

    def reset_stats(self) -> None:
        self._get("/__mirror__/reset")

    def stop(self) -> None:
        self._proc.terminate()
        try:
            self._proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - a mirror that ignores SIGTERM is killed
            self._proc.kill()


@contextmanager
def serve_mirror_process(root: str | Path, **options: Any) -> Iterator[MirrorProcess]:
    """``serve_mirror`` in a separate process (for benchmarks of multi-process runs)."""
    handle = MirrorProcess(root, **options)
    try:
        yield handle
    finally:
        handle.stop()


def serve_forever(root: str | Path, port: int = 0, **options: Any) -> None:
    """Serve in the foreground until interrupted (the ``mirror serve`` command)."""
    server = _Server(Path(root), port, MirrorOptions(**options))
    print(f"EDGAR mirror of {Path(root).resolve()} at http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.stopping.set()
        server.server_close()
