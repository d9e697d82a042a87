"""Structured logging: every line about one filing names its CIK and accession.

Airflow captures the standard ``logging`` output of tasks, so we stay on the standard library:
an adapter puts ``cik=… accession=…`` on each line, and ``setup()`` gives the CLI a
key=value (or JSON, with ``EDGAR_LOG_JSON=1``) format.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any


class FilingAdapter(logging.LoggerAdapter[logging.Logger]):
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


FILE_ONLY = "file_only"  # ``extra={FILE_ONLY: True}``: a record (a traceback) for the log file, not the terminal


class _NotFileOnly(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(record, FILE_ONLY, False)


class _NoTraceback(logging.Formatter):
    """The terminal gets the message; the traceback of a logged exception goes to the log file only."""

    def format(self, record: logging.LogRecord) -> str:
        exc_info, exc_text, stack = record.exc_info, record.exc_text, record.stack_info
        record.exc_info = record.exc_text = record.stack_info = None
        try:
            return super().format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = exc_info, exc_text, stack


class LogFileHandler(logging.handlers.RotatingFileHandler):
    """The CLI's log file, created (with its folder) on the first record; a log file that cannot be
    written never breaks or clutters a command (it is switched off instead)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, maxBytes=10 * 2**20, backupCount=3, encoding="utf-8", delay=True)
        self.failed = False

    def _open(self) -> Any:  # logging's own signature
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()

    def emit(self, record: logging.LogRecord) -> None:
        if not self.failed:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        self.failed = True


def setup(level: str | None = None, log_file: Path | None = None) -> None:
    """Configure root logging for CLI runs (Airflow configures its own).

    Messages go to stderr without tracebacks; with ``log_file``, every record and the full
    traceback of a failure also go to that file.
    """
    lvl = (level or os.environ.get("EDGAR_LOG_LEVEL", "INFO")).upper()
    fmt = "%(asctime)s %(levelname)s %(name)s %(message)s"
    handler = logging.StreamHandler()
    handler.addFilter(_NotFileOnly())
    if os.environ.get("EDGAR_LOG_JSON") == "1":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(_NoTraceback(fmt))
    handlers: list[logging.Handler] = [handler]
    if log_file is not None:
        file_handler = LogFileHandler(log_file)
        file_handler.setFormatter(logging.Formatter(fmt))
        handlers.append(file_handler)
    root = logging.getLogger()
    root.handlers[:] = handlers
    root.setLevel(lvl)
    for noisy in ("great_expectations", "urllib3", "filelock", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
