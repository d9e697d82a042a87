"""``edgar-etl synth``: write a synthetic EDGAR mirror for backfill tests and benchmarks."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from devtools.synth.generate import generate


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("a rate between 0 and 1")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def register(sub: Any) -> None:
    """Add the ``synth`` subcommand to an argparse subparsers object."""
    p = sub.add_parser(
        "synth",
        help="write a synthetic EDGAR mirror of ABS filings (test data with ground truth)",
        description="Write a deterministic synthetic EDGAR mirror (Archives/edgar/data, daily-index, "
                    "full-index, submissions JSON) plus ground_truth.jsonl and manifest.json.",
    )
    p.add_argument("--deals", type=_positive, required=True, help="number of trusts")
    p.add_argument("--months", type=_positive, required=True, help="distributions per trust")
    p.add_argument("--seed", type=int, required=True, help="random seed (same seed, same bytes)")
    p.add_argument("--out", type=Path, required=True, help="output directory (the mirror root)")
    p.add_argument("--inject-errors", type=_rate, default=0.0, metavar="RATE",
                   help="share of distribution reports printed with a planted mistake (default 0)")
    p.add_argument("--max-filings", type=_positive, default=None, metavar="N",
                   help="stop after N submissions")
    p.add_argument("--start", type=date.fromisoformat, default=date(2004, 1, 1),
                   help="first closing month, YYYY-MM-DD (default 2004-01-01)")
    p.add_argument("--asset-data", type=int, default=0, metavar="N",
                   help="with each 10-D distributed from 2016-11-23 on, a Form ABS-EE of N assets whose "
                        "balances add up to the 10-D's pool balance (default 0: none)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Generate and print the summary as JSON; 0 on success."""
    from etl.progress import progress_bar

    with progress_bar(1, f"synth {args.deals} deals") as bar:
        def advance(done: int, total: int) -> None:
            bar.total(total)
            bar.describe(f"synth {args.deals} deals: month {done} of {total}")
            bar.advance(1)

        summary = generate(args.out, deals=args.deals, months=args.months, seed=args.seed,
                           inject_errors=args.inject_errors, start=args.start, max_filings=args.max_filings,
                           progress=advance, asset_data=args.asset_data)
    out = asdict(summary)
    if not args.asset_data:
        out.pop("asset_data_filings")
    out["out_dir"] = str(summary.out_dir)
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run ``synth`` alone (``python -m devtools.synth.commands ...``) until the CLI wires it in."""
    parser = argparse.ArgumentParser(prog="edgar-etl")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    args = parser.parse_args(["synth", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
