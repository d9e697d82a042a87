"""``edgar-etl bench``: the backfill benchmark from the command line (``make bench`` runs --standard)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def _rate(value: str) -> float:
    r = float(value)
    if not 0.0 <= r <= 1.0:
        raise argparse.ArgumentTypeError("a rate is a probability between 0 and 1")
    return r


def _positive(value: str) -> float:
    v = float(value)
    if v <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return v


def register(sub: Any) -> None:
    """Add ``bench`` to the CLI's subparsers; the handler is ``func``."""
    p = sub.add_parser(
        "bench",
        help="benchmark a backfill of a synthetic corpus on the loopback mirror",
        description="Generate (or reuse) a synthetic corpus of N filings, serve it on 127.0.0.1 and "
        "backfill it through the DAG's functions with W worker processes; print one JSON line.",
    )
    p.add_argument("--filings", type=int, default=1000, help="corpus size N (default 1000)")
    p.add_argument("--fault-rate", type=_rate, default=0.0, help="share of mirror requests given a fault")
    p.add_argument("--inject-errors", type=_rate, default=0.0,
                   help="share of reports carrying a printing mistake (scores dq recall/precision)")
    cap = p.add_mutually_exclusive_group()
    cap.add_argument("--rate-limit", type=_positive, default=None, metavar="RPS",
                     help="request cap shared by all workers (default: EDGAR's 10/s)")
    cap.add_argument("--uncapped", action="store_true", help="no cap (loopback mirror only)")
    p.add_argument("--workers", type=int, default=2, help="worker processes for fetch/parse (default 2)")
    p.add_argument("--batch-size", type=int, default=200, help="filings per mapped batch (the DAG's 200)")
    p.add_argument("--max-retries", type=int, default=None, help="client retries per filing fetch (discovery keeps the default)")
    p.add_argument("--resume", action="store_true",
                   help="reuse the run's data dir: held filings are not fetched again (reports refetched)")
    p.add_argument("--airflow", action="store_true",
                   help="also run the batch through `airflow dags test edgar_backfill`; reports the overhead")
    p.add_argument("--standard", action="store_true",
                   help="the standard suite (1k/5k/20k/100k uncapped, capped, faults, dq); writes bench/results.json "
                   "and the table in bench/README.md")
    p.add_argument("--sizes", default=None, help="with --standard: comma-separated sizes instead of 1000,5000,20000,100000")
    p.add_argument("--seed", type=int, default=None, help="corpus seed")
    p.add_argument("--label", default=None, help="run folder name under bench/.work/runs/")
    p.add_argument("--work-dir", type=Path, default=None, help="instead of bench/.work")
    p.add_argument("--profile", action="store_true", help="cProfile the single writer and one parse batch")
    p.add_argument("--asset-data", type=int, default=0, metavar="N",
                   help="a 2017+ corpus whose 10-Ds come with a Form ABS-EE of N assets each")
    p.add_argument("--reprocess", action="store_true",
                   help="after the backfill, `reprocess --all` every held filing (parallel) and measure its rate")
    p.add_argument("--json", action="store_true", help="one JSON line on stdout")
    p.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    if args.standard:
        from devtools.bench.standard import run_standard

        sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else None
        result = run_standard(work=args.work_dir, sizes=sizes)
    else:
        from devtools.bench.corpus import DEFAULT_SEED
        from devtools.bench.runner import BenchOptions, run_bench

        opts = BenchOptions(
            filings=args.filings, fault_rate=args.fault_rate, inject_errors=args.inject_errors,
            rate_limit=args.rate_limit or (None if args.uncapped else 10.0), uncapped=args.uncapped,
            workers=args.workers, batch_size=args.batch_size, airflow=args.airflow, resume=args.resume,
            seed=args.seed if args.seed is not None else DEFAULT_SEED, max_retries=args.max_retries,
            label=args.label, work=args.work_dir, profile=args.profile, reprocess=args.reprocess,
            asset_data=args.asset_data,
        )
        result = run_bench(opts)
    if args.json:
        print(json.dumps(result, default=str), flush=True)
    else:
        print(json.dumps(result, default=str, indent=2), flush=True)
    ok = result.get("invariants_hold", True) if args.standard else True
    return 0 if ok else 1


if __name__ == "__main__":  # pragma: no cover - `python -m devtools.bench.commands` for debugging
    parser = argparse.ArgumentParser(prog="edgar-etl")
    register(parser.add_subparsers(dest="command", required=True))
    ns = parser.parse_args(sys.argv[1:])
    sys.exit(ns.func(ns))
