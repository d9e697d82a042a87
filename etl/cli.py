"""``edgar-etl``: the pipeline's functions from the command line, for debugging and operations.

Each area registers its own subcommands (``etl/<area>/commands.py: register(sub)``); this
module owns the pipeline and warehouse commands and wires the rest in.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from datetime import UTC, date, datetime
from typing import Any

from etl import config
from etl.config import ConfigError
from etl.progress import progress_bar

AREA_COMMANDS = (
    "etl.edgar.commands",
    "etl.parse.commands",
    "etl.quality.commands",
    "etl.synth.commands",
    "etl.bench.commands",
    "etl.report.commands",
    "etl.warehouse.commands",
)


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
    if args.command == "nightly":
        entries = pipeline.discover(settings, day=args.date)
    else:
        if not (args.ciks or (args.start and args.end)):
            raise SystemExit("backfill needs --start and --end, or --cik")
        entries = pipeline.discover(settings, start=args.start, end=args.end, ciks=args.ciks, limit=args.limit)
    run_id = args.run_id or _run_id(args.command)
    with progress_bar(len(entries), f"{args.command} {len(entries)} filings") as bar:
        result = pipeline.run(settings, entries, run_id, batch_size=args.batch_size, progress=bar.advance)
    result["run_id"] = run_id
    _print(result, args.json)
    return 0


def _add_run_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("nightly", help="fetch, parse, validate and load one EDGAR day (in-process)")
    p.add_argument("--date", type=date.fromisoformat, required=True, help="EDGAR filing date YYYY-MM-DD")
    p.add_argument("--batch-size", type=int, default=200)
    p.add_argument("--run-id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("backfill", help="backfill a date range and/or CIKs (in-process)")
    p.add_argument("--start", type=date.fromisoformat)
    p.add_argument("--end", type=date.fromisoformat)
    p.add_argument("--cik", dest="ciks", type=int, action="append", default=[])
    p.add_argument("--limit", type=int)
    p.add_argument("--batch-size", type=int, default=200)
    p.add_argument("--run-id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_run)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="edgar-etl", description=__doc__.splitlines()[0])
    parser.add_argument("--log-level", default=None)
    sub = parser.add_subparsers(dest="command", required=True)
    _add_run_commands(sub)
    for mod_name in AREA_COMMANDS:
        try:
            mod = importlib.import_module(mod_name)
        except ModuleNotFoundError as exc:
            if exc.name and mod_name.startswith(exc.name):
                continue  # an area not installed in this build
            raise
        mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from etl import log

    parser = build_parser()
    args = parser.parse_args(argv)
    log.setup(args.log_level)
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"edgar-etl: configuration error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
