"""The deal report: one deal's performance and data quality as a single offline HTML page.

It reads only the published warehouse's analyst layer (dims, marts, the quality tables), so
it shows exactly what an analyst querying the warehouse would see. Quarantined filings are
not in the marts (their numbers are not trusted); the data-quality section lists them, so a
month missing from a chart is explained on the same page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html import escape
from typing import Any

import duckdb

from etl.report.charts import (
    STATUS_COLORS,
    UNKNOWN_COLOR,
    Series,
    line_chart,
    no_data_panel,
    status_strip,
)

STATUS_RANK = {"fail": 3, "warn": 2, "pass": 1}


class DealNotFound(LookupError):
    """The CIK is not a deal in this warehouse."""


# ------------------------------------------------------------------------ formatting
def money(v: float | None) -> str:
    """Dollars, shortened the way analysts read them ($235.9M)."""
    if v is None:
        return "–"
    a = abs(v)
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if a >= div:
            text = f"{a / div:.2f}".rstrip("0").rstrip(".")
            return f"{'-' if v < 0 else ''}${text}{suffix}"
    return f"{'-' if v < 0 else ''}${a:,.0f}"


def pct(v: float | None, digits: int = 2) -> str:
    """A fraction (0.0123) as a percentage (1.23%)."""
    if v is None:
        return "–"
    return f"{v * 100:.{digits}f}%"


def _axis_pct(v: float) -> str:
    return f"{v * 100:.3g}%"


def _factor(v: float | None) -> str:
    return "–" if v is None else f"{v:.4f}"


def _rate(v: float | None) -> str:
    """A rate already in percent (1.30875 = 1.30875%)."""
    return "–" if v is None else f"{v:.5f}%"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _num(v: Any) -> float | None:
    if v is None:
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _natural_key(name: str) -> tuple[Any, ...]:
    """Class names in reading order: 1-A2 before 1-A10, M-2 before M-10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name))


# --------------------------------------------------------------------------- queries
def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main'",
        [table],
    ).fetchall()
    return {r[0] for r in rows}


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    rel = con.execute(sql, list(params))
    names = [d[0] for d in rel.description]
    return [dict(zip(names, row, strict=True)) for row in rel.fetchall()]


@dataclass
class DealData:
    """Everything the page shows, fetched up front so rendering is pure formatting."""

    cik: int
    deal: dict[str, Any]
    filings: dict[str, Any]
    perf: list[dict[str, Any]]
    classes: list[dict[str, Any]]
    class_order: dict[str, int]
    dq_filings: list[dict[str, Any]]
    dq_checks_available: bool
    notes: list[str]
    coverage_available: bool = False


def load(con: duckdb.DuckDBPyConnection, cik: int) -> DealData:
    """Read the deal from the analyst layer; a missing model becomes a note, not a crash, so an
    older warehouse still gets a report."""
    notes: list[str] = []
    if not _columns(con, "dim_deal"):
        raise DealNotFound("this warehouse has no dim_deal table: has it been published (edgar-etl backfill)?")
    deals = _rows(con, "SELECT * FROM dim_deal WHERE cik = ?", [cik])
    if not deals:
        raise DealNotFound(f"CIK {cik} is not a deal in this warehouse")
    filings = _rows(con, """
        SELECT count(*) AS filings,
               count(*) FILTER (WHERE report_kind = 'distribution_report') AS distribution_reports,
               count(*) FILTER (WHERE report_kind = 'annual_report') AS annual_reports,
               count(*) FILTER (WHERE is_amendment) AS amendments,
               min(filed_date) AS first_filed, max(filed_date) AS last_filed
        FROM dim_filing WHERE cik = ?""", [cik])[0]

    perf: list[dict[str, Any]] = []
    if _columns(con, "mart_deal_performance"):
        # The mart counts an unreported figure as zero inside its ratios (CDR from no liquidations,
        # 60+ delinquency from no delinquency table); a chart must say "not reported" instead.
        has_dq_table = bool(_columns(con, "fct_delinquency"))
        reported = ("EXISTS (SELECT 1 FROM fct_delinquency AS d WHERE d.cik = m.cik "
                    "AND d.distribution_date = m.distribution_date)") if has_dq_table else "false"
        perf = _rows(con, f"""
            SELECT distribution_date, beginning_balance, ending_balance, loan_count, original_pool_balance,
                   pool_factor, cpr,
                   CASE WHEN liquidation_proceeds IS NOT NULL OR realized_loss IS NOT NULL THEN cdr END AS cdr,
                   CASE WHEN {reported} THEN delinq_30p_pct END AS delinq_30p_pct,
                   CASE WHEN {reported} THEN delinq_60p_pct END AS delinq_60p_pct,
                   CASE WHEN {reported} THEN delinq_90p_pct END AS delinq_90p_pct,
                   cumulative_realized_loss, cum_loss_pct
            FROM mart_deal_performance AS m WHERE cik = ? ORDER BY distribution_date""", [cik])
    else:
        notes.append("mart_deal_performance is missing from this warehouse.")

    classes: list[dict[str, Any]] = []
    if _columns(con, "mart_class_factor_history"):
        classes = _rows(con, """
            SELECT m.class, m.distribution_date, m.original_balance, m.ending_balance, m.factor,
                   m.reported_factor, coalesce(m.notional, false) AS notional, v.cusip, v.pass_through_rate
            FROM mart_class_factor_history AS m
            LEFT JOIN v_class_distribution AS v USING (cik, class, distribution_date)
            WHERE m.cik = ? ORDER BY m.class, m.distribution_date""", [cik])
    else:
        notes.append("mart_class_factor_history is missing from this warehouse.")

    order: dict[str, int] = {}
    if _columns(con, "stg_class_period"):
        # the order the trustee prints the classes in (seniors first), from the latest report
        order = dict(con.execute("""
            SELECT c.class, arg_max(c.seq, f.distribution_date)
            FROM stg_class_period AS c JOIN dim_filing AS f USING (accession)
            WHERE f.cik = ? AND f.is_current GROUP BY c.class""", [cik]).fetchall())

    dq_filings = _rows(con, """
        SELECT accession, form_type, filed_date, distribution_date, dq_status, is_current,
               superseded_by, pipeline_status, pipeline_reason
        FROM dim_filing
        WHERE cik = ? AND report_kind = 'distribution_report'
        ORDER BY distribution_date, filed_date, accession""", [cik])
    dq_checks_available = {"accession", "check_name", "status"} <= _columns(con, "dq_check_result")
    if dq_checks_available and dq_filings:
        # one row per check and scope row (class, pool...): counts are of rows checked
        counts = _rows(con, """
            SELECT accession,
                   count(*) FILTER (WHERE status = 'pass') AS n_pass,
                   count(*) FILTER (WHERE status = 'warn') AS n_warn,
                   count(*) FILTER (WHERE status = 'fail') AS n_fail,
                   string_agg(DISTINCT check_name, ', ' ORDER BY check_name)
                       FILTER (WHERE status IN ('warn', 'fail')) AS flagged
            FROM dq_check_result
            WHERE accession IN (SELECT unnest(?::VARCHAR[]))
            GROUP BY accession""", [[f["accession"] for f in dq_filings]])
        by_acc = {c["accession"]: c for c in counts}
        for f in dq_filings:
            f.update({k: v for k, v in by_acc.get(f["accession"], {}).items() if k != "accession"})
    elif not dq_checks_available:
        notes.append("This warehouse has no dq_check_result table: per-check counts are not shown.")
    coverage_available = bool(_columns(con, "dq_extraction_coverage"))
    if coverage_available and dq_filings:
        # share of the class and pool tables' figures the parser read, per filing (issue 12)
        shares = dict(con.execute(
            "SELECT accession, share_read FROM dq_extraction_coverage WHERE accession IN (SELECT unnest(?::VARCHAR[]))",
            [[f["accession"] for f in dq_filings]]).fetchall())
        for f in dq_filings:
            f["share_read"] = shares.get(f["accession"])
    return DealData(cik, deals[0], filings, perf, classes, order, dq_filings, dq_checks_available, notes,
                    coverage_available)


# ------------------------------------------------------------------------------ page
def _series(rows: Sequence[dict[str, Any]], key: str, name: str, color: str | None = None,
            dashed: bool = False) -> Series:
    return Series(name, [(r["distribution_date"], _num(r.get(key))) for r in rows], color, dashed)


def _class_series(data: DealData, key: str) -> tuple[list[Series], list[str]]:
    by_class: dict[str, list[dict[str, Any]]] = {}
    for r in data.classes:
        by_class.setdefault(r["class"], []).append(r)
    series, skipped = [], []
    for name in sorted(by_class, key=lambda c: _class_key(data, c)):
        rows = by_class[name]
        if any(r["notional"] for r in rows):
            skipped.append(f"{name} (notional)")
            continue
        if not any(_num(r["ending_balance"]) for r in rows):
            skipped.append(f"{name} (no balance)")
            continue
        series.append(_series(rows, key, name))
    return series, skipped


def _class_key(data: DealData, name: str) -> tuple[Any, ...]:
    """Printed order first; classes without one after, in natural order."""
    seq = data.class_order.get(name)
    return (seq is None, seq if seq is not None else 0, _natural_key(name))


def _month_status(filings: Sequence[dict[str, Any]]) -> list[tuple[date, str]]:
    """Per distribution date: the current version's status, else the worst of its filings."""
    by_date: dict[date, list[dict[str, Any]]] = {}
    for f in filings:
        if f["distribution_date"] is not None:
            by_date.setdefault(f["distribution_date"], []).append(f)
    cells = []
    for d in sorted(by_date):
        fs = by_date[d]
        current = [f for f in fs if f["is_current"]]
        pick = current or sorted(fs, key=lambda f: STATUS_RANK.get(f["dq_status"] or "", 0), reverse=True)
        cells.append((d, pick[0]["dq_status"] or "not validated"))
    return cells


def _badge(status: str | None) -> str:
    s = status or "not validated"
    color = STATUS_COLORS.get(s, UNKNOWN_COLOR)
    text = "#000" if s == "warn" else "#fff"
    return f'<span class="badge" style="background:{color};color:{text}">{escape(s)}</span>'


def _fmt_date(d: Any) -> str:
    return "–" if d is None else escape(d.isoformat() if hasattr(d, "isoformat") else str(d))


def _facts(data: DealData) -> str:
    d, f = data.deal, data.filings
    latest = data.perf[-1] if data.perf else {}
    items = [
        ("Deal", d.get("deal_name")), ("CIK", str(data.cik)), ("SIC", d.get("sic")),
        ("Commission file number", d.get("file_number")), ("Depositor", d.get("depositor")),
        ("Closing date", _fmt_date(d.get("closing_date")) if d.get("closing_date") else None),
        ("Distribution dates", f"{_fmt_date(d.get('first_distribution_date'))} to "
                               f"{_fmt_date(d.get('last_distribution_date'))} "
                               f"({_plural(int(d.get('distribution_months') or 0), 'month')})"),
        ("Filings held", f"{f['filings']} ({f['distribution_reports']} distribution reports, "
                         f"{f['annual_reports']} annual reports, {f['amendments']} amendments)"),
        ("Original pool balance", f"{money(_num(latest.get('original_pool_balance')))} "
                                  "(earliest report held)" if latest else None),
    ]
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v)) if v is not None else '–'}</td></tr>"
                   for k, v in items)
    return f'<table class="facts">{rows}</table>'


def _kpis(data: DealData) -> str:
    if not data.perf:
        return '<p class="note">No collateral performance in the warehouse for this deal yet.</p>'
    r = data.perf[-1]
    cards = [
        ("Pool balance", money(_num(r["ending_balance"]))),
        ("Pool factor", _factor(_num(r["pool_factor"]))),
        ("CPR", pct(_num(r["cpr"]))),
        ("CDR", pct(_num(r["cdr"]))),
        ("60+ delinquent", pct(_num(r["delinq_60p_pct"]))),
        ("Cumulative loss", pct(_num(r["cum_loss_pct"]), 3)),
    ]
    inner = "".join(f'<div class="kpi"><div class="kpi-v">{escape(v)}</div><div class="kpi-k">{escape(k)}'
                    f"</div></div>" for k, v in cards)
    return (f'<p class="asof">Latest distribution: {_fmt_date(r["distribution_date"])}</p>'
            f'<div class="kpis">{inner}</div>')


def _class_table(data: DealData) -> str:
    if not data.classes:
        return '<p class="note">No class distributions in the warehouse for this deal.</p>'
    last = max(r["distribution_date"] for r in data.classes)
    rows = sorted((r for r in data.classes if r["distribution_date"] == last),
                  key=lambda r: _class_key(data, r["class"]))
    body = "".join(
        f"<tr><td>{escape(r['class'])}</td><td>{escape(r['cusip'] or '–')}</td>"
        f"<td class='n'>{money(_num(r['original_balance']))}</td><td class='n'>{money(_num(r['ending_balance']))}</td>"
        f"<td class='n'>{_factor(_num(r['factor']))}</td>"
        f"<td class='n'>{_rate(_num(r['pass_through_rate']))}</td>"
        f"<td>{'notional' if r['notional'] else ''}</td></tr>"
        for r in rows)
    return (f"<h3>Classes on {_fmt_date(last)}</h3><table class='grid'><thead><tr><th>Class</th><th>CUSIP</th>"
            "<th>Original balance</th><th>Ending balance</th><th>Factor</th><th>Pass-through rate</th><th></th>"
            f"</tr></thead><tbody>{body}</tbody></table>")


def _dq_table(data: DealData) -> str:
    if not data.dq_filings:
        return '<p class="note">No distribution reports of this deal have been validated.</p>'
    head = ("<tr><th>Distribution date</th><th>Accession</th><th>Form</th><th>Filed</th><th>Status</th>"
            + ("<th>Pass</th><th>Warn</th><th>Fail</th><th>Flagged checks</th>" if data.dq_checks_available else "")
            + ("<th title='share of the figures of its class and pool tables the parser read'>Figures read</th>"
               if data.coverage_available else "")
            + "<th>In the marts</th></tr>")
    body = []
    for f in data.dq_filings:
        if f["is_current"]:
            used = "yes"
        elif f["superseded_by"]:
            used = f"superseded by {f['superseded_by']}"
        elif f["dq_status"] == "fail":
            used = "no: quarantined"
        else:
            used = "no"
        checks = ""
        if data.dq_checks_available:
            checks = "".join(f"<td class='n'>{int(f.get(k) or 0)}</td>" for k in ("n_pass", "n_warn", "n_fail"))
            checks += f"<td class='small'>{escape(f.get('flagged') or '')}</td>"
        if data.coverage_available:
            checks += f"<td class='n'>{pct(_num(f.get('share_read')), 1)}</td>"
        body.append(f"<tr><td>{_fmt_date(f['distribution_date'])}</td><td>{escape(f['accession'])}</td>"
                    f"<td>{escape(f['form_type'] or '')}</td><td>{_fmt_date(f['filed_date'])}</td>"
                    f"<td>{_badge(f['dq_status'])}</td>{checks}<td>{escape(used)}</td></tr>")
    return f"<table class='grid'><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


CSS = """
body{font-family:"DejaVu Sans","Liberation Sans",Arial,Helvetica,sans-serif;color:#1d2330;background:#fff;
margin:0;padding:24px}
main{max-width:1040px;margin:0 auto}
h1{font-size:24px;margin:0 0 4px} h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid #e3e7ef;
padding-bottom:4px} h3{font-size:15px;margin:18px 0 6px}
.sub{color:#5b6478;margin:0 0 16px;font-size:13px}
table{border-collapse:collapse;font-size:13px}
table.facts th{text-align:left;color:#5b6478;font-weight:normal;padding:3px 18px 3px 0;vertical-align:top}
table.facts td{padding:3px 0}
table.grid{width:100%} table.grid th,table.grid td{border-bottom:1px solid #e3e7ef;padding:4px 6px;text-align:left}
table.grid th{background:#f4f6fa} td.n{text-align:right;font-variant-numeric:tabular-nums} td.small{font-size:11px}
.kpis{display:flex;gap:10px;flex-wrap:wrap;margin:8px 0}
.kpi{border:1px solid #e3e7ef;border-radius:6px;padding:8px 14px;min-width:120px;background:#f9fafc}
.kpi-v{font-size:20px;font-weight:bold} .kpi-k{font-size:12px;color:#5b6478}
.asof{font-size:13px;color:#5b6478;margin:4px 0}
.note{color:#7a4b00;background:#fff6e0;border:1px solid #f3d9a4;padding:6px 10px;border-radius:4px;font-size:13px}
.badge{display:inline-block;padding:1px 8px;border-radius:9px;font-size:12px;font-weight:bold}
svg.chart{display:block;margin:6px 0 14px;font-family:inherit}
svg .title{font-size:15px;font-weight:bold;fill:#1d2330} svg .subtitle{font-size:12px;fill:#5b6478}
svg .tick{font-size:11px;fill:#5b6478} svg .legend{font-size:12px;fill:#1d2330}
svg .legend.missing{fill:#9a9a9a;font-style:italic}
svg .grid{stroke:#e3e7ef;stroke-width:1} svg .axis{stroke:#8a93a6;stroke-width:1}
svg .line{fill:none;stroke-width:2.2;stroke-linejoin:round;stroke-linecap:round}
svg .nodata-box{fill:#f7f7f7;stroke:#cfcfcf;stroke-dasharray:5 4}
svg .nodata-text{font-size:14px;fill:#6b6b6b}
footer{margin-top:30px;font-size:11px;color:#8a93a6}
"""


def _docs_link(docs_url: str | None) -> str:
    if not docs_url:
        return ""
    return (f'<p class="note" id="data-docs">Every check of every validation run, with the rows it flagged: '
            f'<a href="{escape(docs_url)}">Great Expectations Data Docs</a> '
            f'(<code>edgar-etl docs</code> prints where they are).</p>')


def render_report(con: duckdb.DuckDBPyConnection, cik: int, *, generated_at: datetime | None = None,
                  docs_url: str | None = None) -> str:
    """The deal report of ``cik`` as one self-contained HTML page (inline SVG, no scripts).

    ``docs_url``: where the Data Docs of the validation runs are (linked under Data quality)."""
    data = load(con, int(cik))
    name = str(data.deal.get("deal_name") or f"CIK {cik}")
    perf = data.perf
    one_month = len({r["distribution_date"] for r in perf}) == 1

    balance_series, skipped = _class_series(data, "ending_balance")
    factor_series, _ = _class_series(data, "factor")
    charts = [
        line_chart("Class balances (ending balance after each distribution)", balance_series, money,
                   subtitle=("not drawn: " + ", ".join(skipped)) if skipped else "", legend=True,
                   no_data="No class balances in the warehouse for this deal.", chart_id="class-balances"),
        line_chart("Class factors (ending balance / original balance)", factor_series, _factor,
                   no_data="No class factors: the original class balances are not known.", legend=True,
                   chart_id="class-factors"),
        line_chart("Pool factor", [_series(perf, "pool_factor", "pool factor", "#0072B2")], _factor,
                   subtitle="ending pool balance / earliest pool balance held",
                   no_data="No pool balances in the warehouse for this deal.", chart_id="pool-factor"),
        line_chart("Prepayment and default speeds (annualised)",
                   [_series(perf, "cpr", "CPR", "#0072B2"), _series(perf, "cdr", "CDR", "#D55E00")],
                   _axis_pct, no_data="No prepayment or default figures for this deal.", chart_id="cpr-cdr",
                   min_span=0.05),
        line_chart("Delinquency (share of the ending pool balance)",
                   [_series(perf, "delinq_30p_pct", "30+ days", "#E69F00"),
                    _series(perf, "delinq_60p_pct", "60+ days (incl. FC/BK/REO)", "#D55E00"),
                    _series(perf, "delinq_90p_pct", "90+ days", "#7B1E1E")],
                   _axis_pct, no_data="No delinquency figures reported for this deal.", chart_id="delinquency",
                   min_span=0.01),
        line_chart("Cumulative realized loss (share of the original pool balance)",
                   [_series(perf, "cum_loss_pct", "cumulative loss", "#CC79A7")], _axis_pct,
                   subtitle=(f"latest: {money(_num(perf[-1]['cumulative_realized_loss']))}"
                             if perf and perf[-1]["cumulative_realized_loss"] is not None else ""),
                   no_data="No cumulative loss figures reported for this deal.", chart_id="cumulative-loss",
                   min_span=0.001),
    ]
    dq_cells = _month_status(data.dq_filings)
    dq_strip = status_strip("Data-quality status by distribution date", dq_cells, chart_id="dq-status") \
        if dq_cells else no_data_panel("Data-quality status by distribution date",
                                       "No validated distribution reports for this deal.", chart_id="dq-status")
    stamp = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    notes = list(data.notes)
    if one_month:
        notes.append("Only one distribution date is in the warehouse: charts show single points, not trends.")
    quarantined = [f for f in data.dq_filings if f["dq_status"] == "fail" and not f["is_current"]]
    if quarantined:
        notes.append(f"{len(quarantined)} quarantined report(s) failed their checks and are left out of the charts; "
                     "see Data quality below.")
    notes_html = "".join(f'<p class="note">{escape(n)}</p>' for n in notes)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(name)}: deal report</title>
<style>{CSS}</style>
</head>
<body>
<main>
<h1>{escape(name)}</h1>
<p class="sub">CIK {data.cik} · deal report from the EDGAR ABS warehouse · generated {escape(stamp)}</p>
{notes_html}
<h2>Deal</h2>
{_facts(data)}
{_kpis(data)}
{dq_strip}
<h2>Classes</h2>
{charts[0]}
{charts[1]}
{_class_table(data)}
<h2>Collateral</h2>
{charts[2]}
{charts[3]}
{charts[4]}
{charts[5]}
<h2>Data quality</h2>
{_dq_table(data)}
{_docs_link(docs_url)}
<footer>Amounts in dollars as reported. CPR/CDR annualise the month's prepayments and defaults over the
pool balance less scheduled principal. Quarantined (failed) reports are excluded from every chart.</footer>
</main>
</body>
</html>
"""
