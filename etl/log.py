"""Structured logging: every line about one filing names its CIK and accession.

Airflow captures the standard ``logging`` output of tasks, so we stay on the standard library:
an adapter puts ``cik=… accession=…`` on each line, and ``setup()`` gives the CLI a
key=value (or JSON, with ``EDGAR_LOG_JSON=1``) format.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import MutableMapping
from typing import Any


class FilingAdapter(logging.LoggerAdapter):
    """Prefixes messages with the filing's identity and carries it as record attributes."""

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, MutableMapping[str, Any]]:
        extra = dict(self.extra or {})
        kwargs["extra"] = {**extra, **kwargs.get("extra", {})}
        return f"cik={extra.get('cik')} accession={extra.get('accession')} {msg}", kwargs


def filing_logger(logger: logging.Logger, cik: Any, accession: Any) -> FilingAdapter:
    return FilingAdapter(logger, {"cik": cik, "accession": accession})


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {"ts": self.formatTime(record), "level": record.levelname, "logger": record.name,
               "msg": record.getMessage()}
        for key in ("cik", "accession", "run_id"):
            if hasattr(record, key):
                out[key] = getattr(record, key)
        return json.dumps(out, default=str)


def setup(level: str | None = None) -> None:
    """Configure root logging for CLI runs (Airflow configures its own)."""
    lvl = (level or os.environ.get("EDGAR_LOG_LEVEL", "INFO")).upper()
    handler = logging.StreamHandler()
    if os.environ.get("EDGAR_LOG_JSON") == "1":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(lvl)
    for noisy in ("great_expectations", "urllib3", "filelock", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
