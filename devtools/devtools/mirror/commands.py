"""The ``edgar-etl mirror serve`` command: a local EDGAR for demos, tests and benchmarks."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from devtools.mirror.server import FAULT_KINDS, serve_forever


def _rate(value: str) -> float:
    r = float(value)
    if not 0.0 <= r <= 1.0:
        raise argparse.ArgumentTypeError("a rate is a probability between 0 and 1")
    return r


def _kinds(value: str) -> tuple[str, ...]:
    kinds = tuple(k.strip() for k in value.split(",") if k.strip())
    bad = set(kinds) - set(FAULT_KINDS)
    if bad:
        raise argparse.ArgumentTypeError(f"unknown fault kinds {sorted(bad)}; known: {','.join(FAULT_KINDS)}")
    return kinds


def register(sub: Any) -> None:
    """Add ``mirror serve`` to the CLI's subparsers (``argparse._SubParsersAction``).

    The handler is set as ``func`` (called with the parsed namespace, returns an exit code).
    """
    mirror = sub.add_parser("mirror", help="a local EDGAR mirror over HTTP on 127.0.0.1")
    msub = mirror.add_subparsers(dest="mirror_command", metavar="{serve}")
    msub.required = True
    serve = msub.add_parser(
        "serve",
        help="serve a folder in EDGAR's URL layout until interrupted",
        description="Serve DIR (Archives/edgar/..., submissions/...) on 127.0.0.1; prints the URL. "
        "Point EDGAR_BASE_URL and EDGAR_DATA_URL at it.",
    )
    serve.add_argument("--root", required=True, type=Path, metavar="DIR", help="folder in EDGAR's URL layout")
    serve.add_argument("--port", type=int, default=0, help="TCP port (default: any free port)")
    serve.add_argument("--fault-rate", type=_rate, default=0.0, metavar="R",
                       help="share of requests answered with an injected fault (0..1)")
    serve.add_argument("--faults", type=_kinds, default=FAULT_KINDS, metavar="KINDS",
                       help=f"comma-separated fault kinds to draw from (default: {','.join(FAULT_KINDS)})")
    serve.add_argument("--seed", type=int, default=None, help="seed of the fault draws, to replay a run")
    serve.add_argument("--retry-after", default="1", help="Retry-After sent with 429 (seconds or HTTP date)")
    serve.add_argument("--burst-503", type=int, default=3, help="consecutive 503s per 503 fault")
    serve.add_argument("--stall-seconds", type=float, default=2.0, help="how long a stall holds the request")
    serve.add_argument("--enforce-rps", type=float, default=None,
                       help="answer 403 'Request Rate Threshold Exceeded' above this rate, as the SEC does")
    serve.add_argument("--verbose", action="store_true", help="log every request")
    serve.set_defaults(func=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    """Block serving ``args.root`` until Ctrl-C."""
    serve_forever(
        args.root,
        args.port,
        fault_rate=args.fault_rate,
        faults=args.faults,
        seed=args.seed,
        retry_after=args.retry_after,
        burst_503=args.burst_503,
        stall_seconds=args.stall_seconds,
        enforce_rps=args.enforce_rps,
        verbose=args.verbose,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (``python -m devtools.mirror.commands mirror serve ...``) ."""
    parser = argparse.ArgumentParser(prog="edgar-etl")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
