"""``edgar-etl``: the pipeline's functions from the command line, for debugging and operations.

Each area registers its own subcommands (``etl/<area>/commands.py: register(sub)``); this
module owns the pipeline and warehouse commands and wires the rest in.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import json
import sys
from datetime import UTC, date, datetime
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from etl import config
from etl.config import ConfigError
from etl.progress import progress_bar

AREA_COMMANDS = (
    "etl.parse.commands",
    "etl.quality.commands",
    "etl.report.commands",
    "etl.warehouse.commands",
)
# Commands other installed packages add (``devtools``: synth, bench, mirror): each entry point of
# this group is a ``register(sub)`` function. A product install without them simply lacks them.
COMMAND_ENTRY_POINTS = "edgar_etl.commands"


def _run_id(prefix: str) -> str:
    return f"{prefix}__{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}"


def _print(obj: Any, as_json: bool) -> None:
    if as_json:
        print(json.dumps(obj, default=str))
    else:
        print(json.dumps(obj, default=str, indent=2))


def cmd_run(args: argparse.Namespace) -> int:
    from etl import pipeline

    settings = config.from_env()
    if args.command == "backfill" and not (args.ciks or (args.start and args.end)):
        raise SystemExit("backfill needs --start and --end, or --cik")
    with pipeline.stage_of(settings, "discover"):
        if args.command == "nightly":
            entries = pipeline.discover(settings, day=args.date)
        else:
            entries = pipeline.discover(settings, start=args.start, end=args.end, ciks=args.ciks, limit=args.limit)
    run_id = args.run_id or _run_id(args.command)
    with progress_bar(len(entries), f"{args.command} {len(entries)} filings") as bar:
        result = pipeline.run(settings, entries, run_id, batch_size=args.batch_size, progress=bar.advance,
                              workers=args.workers)
    result["run_id"] = run_id
    if settings.dq_docs_index.exists():  # every validation run, browsable: `edgar-etl docs --open`
        result["data_docs"] = str(settings.dq_docs_index)
    _print(result, args.json)
    return 0


def cmd_reprocess(args: argparse.Namespace) -> int:
    """Re-parse from the raw store, re-validate and publish (after a parser fix)."""
    from etl import pipeline

    if args.accessions and (args.all or args.ciks or args.start or args.end):
        raise SystemExit("reprocess: give accessions, or --all / --cik / --from / --to, not both")
    result = pipeline.reprocess(config.from_env(), args.accessions or None, run_id=args.run_id or "reprocess",
                                all_held=args.all, ciks=args.ciks, start=args.start, end=args.end,
                                workers=args.workers, batch_size=args.batch_size)
    _print(result, args.json)
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    """Release quarantined filings into the facts, with the operator's reason."""
    from etl import pipeline

    result = pipeline.release(config.from_env(), args.accessions, args.reason, released_by=args.by,
                              run_id=args.run_id or "release")
    print(json.dumps(result, default=str, indent=2))
    return 0


def _add_workers(p: argparse.ArgumentParser) -> None:
    from etl.pipeline import default_workers

    p.add_argument("--workers", type=int, default=default_workers(),
                   help="processes that fetch and parse batches, overlapped (default: one per core)")


def _add_run_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("nightly", help="fetch, parse, validate and load one EDGAR day (in-process)")
    p.add_argument("--date", type=date.fromisoformat, required=True, help="EDGAR filing date YYYY-MM-DD")
    p.add_argument("--batch-size", type=int, default=200)
    _add_workers(p)
    p.add_argument("--run-id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("backfill", help="backfill a date range and/or CIKs (in-process)")
    p.add_argument("--start", type=date.fromisoformat)
    p.add_argument("--end", type=date.fromisoformat)
    p.add_argument("--cik", dest="ciks", type=int, action="append", default=[])
    p.add_argument("--limit", type=int)
    p.add_argument("--batch-size", type=int, default=200)
    _add_workers(p)
    p.add_argument("--run-id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("reprocess", help="re-parse held filings from raw, re-validate, publish")
    p.add_argument("accessions", nargs="*", help="accessions (default: every quarantined or failed filing)")
    p.add_argument("--all", action="store_true", help="every filing held in the raw store (after a parser change)")
    p.add_argument("--cik", dest="ciks", type=int, action="append", default=[],
                   help="every held filing of this filer (repeatable)")
    p.add_argument("--from", dest="start", type=date.fromisoformat, help="held filings filed on or after YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=date.fromisoformat, help="held filings filed on or before YYYY-MM-DD")
    p.add_argument("--batch-size", type=int, default=200)
    _add_workers(p)
    p.add_argument("--json", action="store_true", help="one JSON line")
    p.add_argument("--run-id")
    p.set_defaults(func=cmd_reprocess)

    p = sub.add_parser("release", help="release a quarantined filing into the facts, with a reason")
    p.add_argument("accessions", nargs="+")
    p.add_argument("--reason", required=True)
    p.add_argument("--by", default=getpass.getuser(), help="who releases (recorded)")
    p.add_argument("--run-id")
    p.set_defaults(func=cmd_release)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="edgar-etl", description=__doc__.splitlines()[0])
    parser.add_argument("--log-level", default=None)
    sub = parser.add_subparsers(dest="command", required=True)
    _add_run_commands(sub)
    for mod_name in AREA_COMMANDS:
        importlib.import_module(mod_name).register(sub)
    for ep in sorted(entry_points(group=COMMAND_ENTRY_POINTS), key=lambda e: e.name):
        ep.load()(sub)
    return parser


LOG_NAME = "edgar-etl.log"


def _log_file() -> Path | None:
    """``$EDGAR_DATA_DIR/logs/edgar-etl.log`` (``None`` when the settings themselves are wrong)."""
    try:
        return config.from_env().log_dir / LOG_NAME
    except (ConfigError, ValueError):
        return None


def _record_traceback(command: str, exc: BaseException, log_file: Path | None) -> Path | None:
    """Put the full traceback in the log file (a temporary one if that cannot be written)."""
    import logging
    import tempfile
    import traceback

    from etl import log as etl_log

    logging.getLogger("etl.cli").error("edgar-etl %s failed", command, exc_info=exc, extra={etl_log.FILE_ONLY: True})
    handler = next((h for h in logging.getLogger().handlers if isinstance(h, etl_log.LogFileHandler)), None)
    if handler is not None and not handler.failed:
        handler.flush()
        return Path(handler.baseFilename)
    try:
        fd, name = tempfile.mkstemp(prefix="edgar-etl-", suffix=".log")
        with open(fd, "w", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(exc)))
        return Path(name)
    except OSError:
        return None


def _one_line(exc: BaseException) -> str:
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first[:300]}" if first else type(exc).__name__


def main(argv: list[str] | None = None) -> int:
    """Run one command. A failure ends with one line on stderr saying what failed and what is kept;
    its traceback goes to the log file (``$EDGAR_DATA_DIR/logs/edgar-etl.log``), never the terminal."""
    from etl import log
    from etl.pipeline import StageFailed

    parser = build_parser()
    args = parser.parse_args(argv)
    log_file = _log_file()
    log.setup(args.log_level, log_file)
    name = args.command + (f" {args.mirror_command}" if getattr(args, "mirror_command", None) else "")
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"edgar-etl: configuration error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print(f"edgar-etl {name}: interrupted; what was written before is kept "
              "(every stage writes atomically; re-run the command to resume)", file=sys.stderr)
        return 130
    except StageFailed as exc:
        where = _record_traceback(name, exc.cause, log_file)
        print(f"edgar-etl {name}: {exc}." + (f" Traceback in {where}" if where else ""), file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - one clear line for the operator, the traceback to the log
        where = _record_traceback(name, exc, log_file)
        print(f"edgar-etl {name}: failed ({_one_line(exc)})." + (f" Traceback in {where}" if where else ""),
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
