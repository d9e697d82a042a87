"""``edgar-etl report``: write a deal's HTML report from the published warehouse.

The warehouse is opened read-only, so a report can be made while the loader publishes (a
published file is swapped in whole; this session keeps reading its snapshot).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from etl import config


def cmd_report(args: argparse.Namespace) -> int:
    import duckdb

    from etl.report.render import DealNotFound, render_report

    settings = config.from_env()
    path = Path(args.warehouse) if args.warehouse else settings.warehouse
    if not path.exists():
        print(f"edgar-etl report: no warehouse at {path}: run `make demo` or a backfill first", file=sys.stderr)
        return 2
    con = duckdb.connect(str(path), read_only=True)
    try:
        # the Data Docs of the data directory the warehouse is published in
        docs = settings.dq_docs_index if not args.warehouse else \
            config.absolute(path).parent / settings.dq_docs_dir.name / settings.dq_docs_index.name
        page = render_report(con, args.cik, docs_url=docs.as_uri() if docs.exists() else None)
    except DealNotFound as exc:
        print(f"edgar-etl report: {exc.args[0]}", file=sys.stderr)
        return 2
    finally:
        con.close()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, out)  # a reader never sees half a page
    print(f"wrote {out} ({len(page.encode()):,} bytes) for CIK {args.cik} from {path}"
          + (f"; it links the Data Docs {docs}" if docs.exists() else ""), file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("report", help="write a deal's performance and data-quality report as one HTML file")
    p.add_argument("--cik", type=int, required=True, help="the deal's (trust's) CIK")
    p.add_argument("--out", required=True, help="HTML file to write")
    p.add_argument("--warehouse", help="warehouse file (default: EDGAR_WAREHOUSE or $EDGAR_DATA_DIR/warehouse.duckdb)")
    p.set_defaults(func=cmd_report)
