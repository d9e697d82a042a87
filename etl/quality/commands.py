"""``edgar-etl validate``, ``dq`` and ``docs``: the quality stage's command-line entry points.

``register(sub)`` adds the subcommands to the CLI's argparse subparsers; each sets ``func`` to a
handler taking the parsed arguments and returning the process exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``validate``, ``dq`` and ``docs`` subcommands."""
    p = sub.add_parser("validate", help="parse report files and run the data-quality checks on them",
                       description="Parse each file (etl.parse.parse_path) and check the DOMAIN.md identities. "
                                   "Files of one deal given together also get the month-to-month checks. "
                                   "Exit code 1 when a file fails an error-severity check.")
    p.add_argument("paths", nargs="+", metavar="PATH", type=Path, help="report files (text or HTML)")
    p.add_argument("--json", action="store_true",
                   help="one JSON object per file and line: path, status (pass|warn|fail), checks")
    p.set_defaults(func=cmd_validate)

    q = sub.add_parser("dq", help="explain the quality verdict of a filing in the warehouse",
                       description="Show why a filing is quarantined: failing checks, residuals against "
                                   "tolerances, the report lines behind them and operator releases. "
                                   "Opens the warehouse read-only.")
    q.add_argument("--accession", required=True, help="e.g. 0001019965-04-000001")
    q.add_argument("--warehouse", type=Path, default=None,
                   help="warehouse file (default: EDGAR_WAREHOUSE or $EDGAR_DATA_DIR/warehouse.duckdb)")
    q.add_argument("--json", action="store_true", help="print the explanation as one JSON object")
    q.set_defaults(func=cmd_dq)

    d = sub.add_parser("docs", help="print the path of the data-quality Data Docs (every validation run)",
                       description="Great Expectations' Data Docs: one page per suite and validation run, kept "
                                   "under $EDGAR_DATA_DIR/dq_docs (results in dq_results). Prints the index "
                                   "page's path; --open opens it in the default browser.")
    d.add_argument("--open", action="store_true", help="open the index in a web browser")
    d.set_defaults(func=cmd_docs)


def _fmt(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:,.6f}".rstrip("0").rstrip(".") if abs(x) < 1000 else f"{x:,.2f}"
    return str(x)


def cmd_validate(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Parse and validate the given files; print one line (or JSON object) per file."""
    from etl.parse import parse_path
    from etl.quality import validate_parsed

    out = out or sys.stdout
    parsed: list[Mapping[str, Any]] = []
    for path in args.paths:
        try:
            parsed.append(parse_path(path))
        except Exception as exc:  # a file the parser cannot read still gets a verdict line
            parsed.append({"path": str(path), "kind": "unknown", "error": f"{type(exc).__name__}: {exc}"})
    results = validate_parsed(parsed)
    for res in results:
        if args.json:
            out.write(json.dumps(res, default=str, separators=(",", ":")) + "\n")
            continue
        bad = [c for c in res["checks"] if c["status"] in ("fail", "warn")]
        out.write(f"{res['status'].upper():5} {res['path']}" + (f"  ({res['error']})" if res.get("error") else "")
                  + "\n")
        for c in bad:
            scope = " ".join(str(v) for k, v in c["scope"].items() if k != "level")
            out.write(f"      {c['status']:4} {c['name']} {scope}: residual {_fmt(c['residual'])} "
                      f"> tolerance {_fmt(c['tolerance'])}  {c['detail'] or ''}\n")
    return 1 if any(r["status"] == "fail" for r in results) else 0


def cmd_dq(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Explain one filing's quality verdict from the warehouse file, opened read-only."""
    import duckdb

    from etl.quality import explain

    out = out or sys.stdout
    warehouse = args.warehouse
    if warehouse is None:
        from etl.config import from_env

        warehouse = from_env().warehouse
    if not Path(warehouse).exists():
        sys.stderr.write(f"no warehouse at {warehouse}: pass --warehouse or set EDGAR_WAREHOUSE\n")
        return 2
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        info = explain(con, args.accession)
    finally:
        con.close()
    if args.json:
        out.write(json.dumps(info, default=str, indent=2) + "\n")
        return 0 if info.get("status") else 1
    if not info.get("status"):
        out.write(f"{args.accession}: {info['message']}\n")
        return 1
    verdict = "QUARANTINED" if info["quarantined"] else info["status"].upper()
    out.write(f"{args.accession}: {verdict}  errors {info['error_count']}, warnings {info['warn_count']}, "
              f"released {info['released_count']}  (run {info['run_id']})\n")
    for f in info["failures"]:
        scope = " ".join(str(f[k]) for k in ("class", "pool", "bucket", "section", "measure") if f.get(k))
        out.write(f"  {f['status'].upper():4} {f['check_name']} [{f['severity']}] {scope}: observed {_fmt(f['observed'])}, "
                  f"expected {_fmt(f['expected'])}, residual {_fmt(f['residual'])} > tolerance "
                  f"{_fmt(f['tolerance'])}\n        {f['detail']}\n")
        for p in f["printed"][:6]:
            out.write(f"        printed: {p['document']}:{p['line']} {p['label']!r} = {p['raw']}\n")
    for o in info["overrides"]:
        state = "revoked" if o["revoked_at"] else "active"
        out.write(f"  release ({state}) by {o['released_by']} at {o['released_at']}: "
                  f"{o['check_name'] or 'all checks'}: {o['reason']}\n")
    return 0


def cmd_docs(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Print the Data Docs index (and open it with ``--open``)."""
    import webbrowser

    from etl.config import from_env
    from etl.quality.docs_history import kept_runs

    out = out or sys.stdout
    settings = from_env()
    index = settings.dq_docs_index
    if not index.exists():
        sys.stderr.write(f"edgar-etl docs: no Data Docs at {index} yet: they are built by each validation "
                         "(a backfill, nightly run or `make demo`)\n")
        return 2
    out.write(f"{index}\n")
    runs = kept_runs(settings.dq_results_dir)
    sys.stderr.write(f"{len(runs)} validation run(s) kept in {settings.dq_results_dir}"
                     + (f", latest {runs[-1].name} at {runs[-1].shown_time}" if runs else "") + "\n")
    if args.open and not webbrowser.open(index.as_uri()):
        sys.stderr.write(f"edgar-etl docs: no web browser found here; open {index.as_uri()}\n")
    return 0
