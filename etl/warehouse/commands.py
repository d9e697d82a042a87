"""Warehouse commands: ad-hoc SQL, an interactive shell, filing status (re-validation and release,
which run the pipeline, are ``etl/cli.py``'s).

Analyst sessions open the *published* warehouse read-only with external access switched off and
the configuration locked, so a query can neither write the warehouse nor ATTACH/COPY elsewhere;
exports are written by this program from the result.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import duckdb

from etl import config


def open_readonly(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A locked-down, read-only analyst connection to the published warehouse."""
    settings = config.from_env()
    target = path or settings.warehouse
    if not Path(target).exists():
        raise SystemExit(f"edgar-etl: no warehouse at {target}: run `make demo` (or a backfill) first")
    con = duckdb.connect(str(target), read_only=True)
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


_PLAIN_INT = ("year", "cik", "key", "seq", "line", "row", "column")


def _fmt(value: Any, column: str) -> str:
    """Numbers as printed in a filing: thousands separators, every decimal kept, no exponent."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value) if any(p in column.lower() for p in _PLAIN_INT) else f"{value:,}"
    if isinstance(value, Decimal):
        return f"{value:,f}"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        text = f"{value:,.10f}".rstrip("0").rstrip(".")
        return text if text not in ("-0", "") else "0"
    return str(value)


def render(columns: list[str], rows: list[tuple[Any, ...]], max_rows: int | None = None) -> str:
    """A plain-text table (tabulate): numbers right-aligned and never in scientific notation."""
    from tabulate import tabulate

    shown = rows if max_rows is None else rows[:max_rows]
    numeric = [all(isinstance(r[i], int | float | Decimal) and not isinstance(r[i], bool)
                   for r in shown if r[i] is not None) for i in range(len(columns))]
    cells = [[_fmt(v, columns[i]) for i, v in enumerate(r)] for r in shown]
    text: str = tabulate(cells, headers=columns, tablefmt="psql", disable_numparse=True,
                    colalign=["right" if n else "left" for n in numeric] if columns else None)
    if max_rows is not None and len(rows) > max_rows:
        text += f"\n({len(rows)} rows, {max_rows} shown)"
    else:
        text += f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return text


def cmd_sql(args: argparse.Namespace) -> int:
    con = open_readonly(Path(args.warehouse) if args.warehouse else None)
    try:
        # None for a statement that returns no rows (the stubs say otherwise)
        rel = cast("duckdb.DuckDBPyRelation | None", con.sql(args.query))
    except duckdb.Error as exc:
        print(f"edgar-etl sql: {exc}", file=sys.stderr)
        return 1
    if rel is None:
        return 0
    if args.parquet:
        import pyarrow.parquet as pq

        pq.write_table(rel.fetch_arrow_table(), args.parquet)
        print(f"wrote {args.parquet}", file=sys.stderr)
        return 0
    columns, rows = list(rel.columns), rel.fetchall()
    if args.csv:
        out = sys.stdout if args.csv == "-" else open(args.csv, "w", newline="", encoding="utf-8")  # noqa: SIM115
        try:
            w = csv.writer(out)
            w.writerow(columns)
            w.writerows(rows)
        finally:
            if out is not sys.stdout:
                out.close()
        return 0
    print(render(columns, rows, args.max_rows))
    return 0


HELP = """Enter SQL ending with ';'. Commands: .tables  .schema NAME  .help  .quit
Views: v_class_distribution, v_pool_period, v_servicer_exceptions; marts: mart_deal_performance,
mart_class_factor_history, mart_amendment_changes; quality: dq_check_result, dq_filing_status."""


def shell(con: duckdb.DuckDBPyConnection, stdin: Any = None, out: Any = None) -> None:
    """A small interactive SQL prompt (line editing via readline when on a terminal)."""
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    interactive = stdin.isatty()
    if interactive:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401 - enables history and line editing for input()
        print(HELP, file=out)
    buf: list[str] = []
    while True:
        prompt = ("edgar> " if not buf else "   ...> ") if interactive else ""
        try:
            line = input(prompt) if interactive else stdin.readline()
        except EOFError:
            break
        if not interactive and line == "":
            break
        line = line.rstrip("\n")
        stripped = line.strip()
        if not buf and stripped.startswith("."):
            parts = stripped.split()
            if parts[0] in (".quit", ".exit"):
                break
            if parts[0] == ".help":
                print(HELP, file=out)
            elif parts[0] == ".tables":
                rows = con.execute("SELECT table_name, table_type FROM information_schema.tables "
                                   "ORDER BY table_type, table_name").fetchall()
                print(render(["name", "type"], rows), file=out)
            elif parts[0] == ".schema" and len(parts) > 1:
                rows = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                   "WHERE table_name = ? ORDER BY ordinal_position", [parts[1]]).fetchall()
                print(render(["column", "type"], rows), file=out)
            else:
                print(f"unknown command {parts[0]} (.help)", file=out)
            continue
        if not stripped:
            continue
        buf.append(line)
        if stripped.endswith(";"):
            query = "\n".join(buf)
            buf = []
            try:
                rel = con.sql(query)
                if rel is not None:
                    print(render(list(rel.columns), rel.fetchall(), 200), file=out)
            except duckdb.Error as exc:
                print(f"error: {exc}", file=out)
            out.flush()


def cmd_shell(args: argparse.Namespace) -> int:
    con = open_readonly(Path(args.warehouse) if args.warehouse else None)
    shell(con)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    con = open_readonly(Path(args.warehouse) if args.warehouse else None)
    rows = con.execute("""
        SELECT coalesce(st.status, 'unknown') AS status, count(*) AS filings
        FROM raw_filing AS f LEFT JOIN etl_status AS st USING (accession)
        GROUP BY 1 ORDER BY 1""").fetchall()
    print(render(["status", "filings"], rows))
    if args.verbose:
        rows = con.execute("""
            SELECT accession, cik, stage, status, left(reason, 100) FROM etl_status
            WHERE status NOT IN ('loaded') ORDER BY accession""").fetchall()
        print(render(["accession", "cik", "stage", "status", "reason"], rows))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sql", help="run a query on the warehouse (read-only) and print a table")
    p.add_argument("query")
    p.add_argument("--csv", nargs="?", const="-", help="write CSV to FILE (default: stdout)")
    p.add_argument("--parquet", metavar="FILE", help="write the result as Parquet")
    p.add_argument("--max-rows", type=int, default=None)
    p.add_argument("--warehouse", help="warehouse file (default: $EDGAR_WAREHOUSE or data/warehouse.duckdb)")
    p.set_defaults(func=cmd_sql)

    p = sub.add_parser("shell", help="interactive read-only SQL shell on the warehouse")
    p.add_argument("--warehouse")
    p.set_defaults(func=cmd_shell)

    p = sub.add_parser("status", help="filings by pipeline status")
    p.add_argument("--warehouse")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=cmd_status)
