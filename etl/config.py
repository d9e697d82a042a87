"""Every setting the pipeline reads, in one place, with its environment variable and default.

Only this module reads the environment; everything else takes a ``Settings`` (or plain
arguments), so tests and the Airflow hooks can build settings explicitly.

| variable | default | meaning |
| --- | --- | --- |
| ``EDGAR_BASE_URL`` | ``https://www.sec.gov`` | Archives, daily-index and full-index host |
| ``EDGAR_DATA_URL`` | ``https://data.sec.gov`` | submissions JSON host |
| ``EDGAR_USER_AGENT`` | (none) | "Name email@domain" declared to the SEC; required for SEC hosts |
| ``EDGAR_MAX_RPS`` | ``10`` | requests per second, shared by every thread and process of a run |
| ``EDGAR_UNCAPPED`` | ``0`` | ``1`` lifts the rate cap, refused unless every host is loopback |
| ``EDGAR_TIMEOUT`` | ``30`` | seconds, connect and read, on every request |
| ``EDGAR_MAX_RETRIES`` | ``6`` | retries on 429/5xx/timeouts/connection errors |
| ``EDGAR_BACKOFF_BASE`` | ``0.5`` | first backoff in seconds (doubles each retry, with full jitter) |
| ``EDGAR_BACKOFF_MAX`` | ``60`` | longest single backoff or Retry-After honoured |
| ``EDGAR_WATCHLIST_CIKS`` | (empty) | comma-separated CIKs treated as ABS filers whatever their SIC |
| ``EDGAR_DATA_DIR`` | ``./data`` | raw store, warehouse, rate-limit state, caches, Data Docs, logs |
| ``EDGAR_WAREHOUSE`` | ``$EDGAR_DATA_DIR/warehouse.duckdb`` | the published warehouse file analysts open |
| ``EDGAR_RATE_STATE`` | ``$EDGAR_DATA_DIR/.ratelimit`` | file shared by processes of one machine to pace requests |
| ``EDGAR_RATE_REDIS_URL`` | (empty) | when set, pace through Redis instead (Celery workers on many machines) |
| ``EDGAR_DUCKDB_MEMORY_LIMIT`` | ``384MB`` | DuckDB buffer memory of the writer; beyond it DuckDB spills to ``state/spill`` |

Paths are resolved once, when a ``Settings`` is made: a relative ``EDGAR_DATA_DIR``,
``EDGAR_WAREHOUSE`` or ``EDGAR_RATE_STATE`` (``~`` expanded) is taken from the working directory
of that moment, and every derived path (raw store, staging, Data Docs, ...) is absolute, so no
library down the line (Great Expectations refuses relative store paths) sees a relative one and
a later ``chdir`` changes nothing.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SEC_BASE_URL = "https://www.sec.gov"
SEC_DATA_URL = "https://data.sec.gov"
SEC_MAX_RPS = 10.0


class ConfigError(ValueError):
    """A setting is missing or unsafe; the message says how to fix it."""


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Settings:
    """Resolved configuration of one run."""

    base_url: str = SEC_BASE_URL
    data_url: str = SEC_DATA_URL
    user_agent: str | None = None
    max_rps: float = SEC_MAX_RPS
    uncapped: bool = False
    timeout: float = 30.0
    max_retries: int = 6
    backoff_base: float = 0.5
    backoff_max: float = 60.0
    watchlist_ciks: frozenset[int] = field(default_factory=frozenset)
    data_dir: Path = Path("data")
    warehouse_path: Path | None = None
    rate_state_path: Path | None = None
    rate_redis_url: str | None = None
    # DuckDB would take 80% of RAM by default: the writer's memory must not grow with the backfill.
    # The load process's budget is 1 GB: Python with pandas and Great Expectations ~300 MB, one
    # validation chunk's frames ~250 MB, DuckDB the rest (it spills beyond). Measured at 20k filings:
    # validate's peak 1.25 GB at 768MB, 0.89 GB at 384MB, in the same time.
    duckdb_memory_limit: str = "384MB"

    def __post_init__(self) -> None:
        # frozen: paths are made absolute once, here (``replace`` runs this again: idempotent)
        object.__setattr__(self, "data_dir", absolute(self.data_dir))
        for name in ("warehouse_path", "rate_state_path"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, absolute(value))

    # -- derived paths -----------------------------------------------------------------
    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def warehouse(self) -> Path:
        return self.warehouse_path or self.data_dir / "warehouse.duckdb"

    @property
    def rate_state(self) -> Path:
        return self.rate_state_path or self.data_dir / ".ratelimit"

    @property
    def staging_dir(self) -> Path:
        """Where parallel workers hand parsed filings to the single load step."""
        return self.data_dir / "staged"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def dq_docs_dir(self) -> Path:
        return self.data_dir / "dq_docs"

    @property
    def dq_results_dir(self) -> Path:
        """Great Expectations' validation results of every run, behind the Data Docs' history."""
        return self.data_dir / "dq_results"

    @property
    def dq_docs_index(self) -> Path:
        return self.dq_docs_dir / "index.html"

    @property
    def log_dir(self) -> Path:
        """``edgar-etl``'s log files (the full traceback of a failed command goes there)."""
        return self.data_dir / "logs"

    @property
    def export_dir(self) -> Path:
        """The marts as Parquet files, written by the ``edgar_export`` DAG."""
        return self.data_dir / "export"

    @property
    def all_loopback(self) -> bool:
        return _is_loopback(self.base_url) and _is_loopback(self.data_url)

    @property
    def effective_rps(self) -> float | None:
        """Requests per second to enforce; ``None`` means no cap (loopback only)."""
        if self.uncapped:
            return None
        return self.max_rps

    def with_overrides(self, **kwargs: Any) -> Settings:
        return replace(self, **kwargs).validated()

    def validated(self) -> Settings:
        """Refuse settings that would break the SEC's fair-access rules."""
        if self.max_rps <= 0:
            raise ConfigError("EDGAR_MAX_RPS must be positive")
        if not self.all_loopback:
            if self.uncapped:
                raise ConfigError(
                    "EDGAR_UNCAPPED=1 is only allowed when EDGAR_BASE_URL and EDGAR_DATA_URL are "
                    "loopback addresses (a local mirror); the SEC allows at most 10 requests/second."
                )
            if self.max_rps > SEC_MAX_RPS:
                raise ConfigError(
                    f"EDGAR_MAX_RPS={self.max_rps:g} exceeds the SEC's limit of {SEC_MAX_RPS:g} "
                    "requests/second for a non-loopback host."
                )
        return self

    def require_user_agent(self) -> str:
        """The declared User-Agent; against a real host, stop at once without one."""
        ua = (self.user_agent or "").strip()
        if ua and "@" in ua and " " in ua:
            return ua
        if self.all_loopback:
            return ua or "edgar-abs-etl local-mirror test@localhost"
        raise ConfigError(
            "EDGAR_USER_AGENT is not set (or lacks a name and an e-mail). The SEC requires a "
            "declared User-Agent naming the requester with a contact e-mail, e.g.\n"
            "    export EDGAR_USER_AGENT='Jane Analyst jane.analyst@example.org'\n"
            "or set it as the 'login' (or extra 'user_agent') of the Airflow connection "
            "'edgar_default'."
        )


def absolute(path: str | os.PathLike[str]) -> Path:
    """``path`` made absolute against the current working directory (``~`` expanded, symlinks kept)."""
    return Path(os.path.abspath(os.path.expanduser(os.fspath(path))))


def _env_bool(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def parse_ciks(value: str | None) -> frozenset[int]:
    out: set[int] = set()
    for part in (value or "").replace(";", ",").split(","):
        part = part.strip()
        if part:
            if not part.isdigit():
                raise ConfigError(f"not a CIK: {part!r} (digits only)")
            out.add(int(part))
    return frozenset(out)


def from_env(env: dict[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from the environment (or ``env``), then explicit overrides."""
    e = os.environ if env is None else env
    data_dir = Path(e.get("EDGAR_DATA_DIR", "data"))
    s = Settings(
        base_url=e.get("EDGAR_BASE_URL", SEC_BASE_URL).rstrip("/"),
        data_url=e.get("EDGAR_DATA_URL", SEC_DATA_URL).rstrip("/"),
        user_agent=e.get("EDGAR_USER_AGENT") or None,
        max_rps=float(e.get("EDGAR_MAX_RPS", SEC_MAX_RPS)),
        uncapped=_env_bool(e.get("EDGAR_UNCAPPED")),
        timeout=float(e.get("EDGAR_TIMEOUT", 30)),
        max_retries=int(e.get("EDGAR_MAX_RETRIES", 6)),
        backoff_base=float(e.get("EDGAR_BACKOFF_BASE", 0.5)),
        backoff_max=float(e.get("EDGAR_BACKOFF_MAX", 60)),
        watchlist_ciks=parse_ciks(e.get("EDGAR_WATCHLIST_CIKS")),
        data_dir=data_dir,
        warehouse_path=Path(e["EDGAR_WAREHOUSE"]) if e.get("EDGAR_WAREHOUSE") else None,
        rate_state_path=Path(e["EDGAR_RATE_STATE"]) if e.get("EDGAR_RATE_STATE") else None,
        rate_redis_url=e.get("EDGAR_RATE_REDIS_URL") or None,
        duckdb_memory_limit=e.get("EDGAR_DUCKDB_MEMORY_LIMIT") or Settings.duckdb_memory_limit,
    )
    if overrides:
        s = replace(s, **overrides)
    return s.validated()
