"""``edgar-etl parse --json PATH ...``: one JSON object per path per line.

The lead wires ``register`` into the ``edgar-etl`` CLI. A path that fails prints its error
object and the command goes on with the next one.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from etl.parse import parse_path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``parse`` subcommand to an argparse subparsers object."""
    p = sub.add_parser("parse", help="parse distribution reports (8-K / 10-D) into JSON, one line per path")
    p.add_argument("paths", nargs="+", metavar="PATH", help="submission .txt, or a bare text/HTML report")
    p.add_argument("--json", action="store_true", default=True,
                   help="print one JSON object per path per line (the only output format)")
    p.add_argument("--no-fields", action="store_true", help="leave out the per-figure provenance list")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Parse every path; exit status 1 when any path came back with an error."""
    stream = out or sys.stdout
    failed = 0
    for path in args.paths:
        result: dict[str, Any] = dict(parse_path(path))
        if getattr(args, "no_fields", False):
            result.pop("fields", None)
        if result.get("error"):
            failed += 1
        stream.write(json.dumps(result, ensure_ascii=False, allow_nan=False, default=str) + "\n")
        stream.flush()
    return 1 if failed else 0
