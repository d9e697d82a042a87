"""The deal report on a real warehouse built by the warehouse code, opened in a real browser.

The warehouse is made the way the pipeline makes it (``schema.apply`` + ``staging.replace_staged``
with parsed dicts in the contract's shape), with data-quality verdicts chosen by the test so a
month passes, one warns and one fails (quarantined, so it must vanish from the charts and show
up in the data-quality table). Headless Chromium then takes a screenshot that must not be blank.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from etl.report import DealNotFound, render_report
from etl.warehouse import schema, staging

try:  # tests/integration is a package in some layouts, a plain folder on sys.path in others
    from .chromium import colours_and_ink, ensure_chromium, run_chromium
except ImportError:
    from chromium import colours_and_ink, ensure_chromium, run_chromium

pytestmark = [pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]
CIK = 1268803
DEAL = "AAMES MORTGAGE TRUST 2003-1"
SPARSE_CIK = 1111111
MONTHS = [date(2003, 10, 27), date(2003, 11, 25), date(2003, 12, 26), date(2004, 1, 26)]
#: verdict of each month's filing: the last one fails, so it is quarantined
VERDICTS = ["pass", "warn", "pass", "fail"]
ORIGINAL = {"1-A1": 240_000_000, "1-A2": 60_000_000, "2-A1": 150_000_000,
            "M-1": 25_000_000, "M-2": 15_000_000, "B-1": 10_000_000}
CUSIPS = {"1-A1": "86359A6H1", "1-A2": "86359A6J7", "2-A1": "86359A6K4",
          "M-1": "86359A6L2", "M-2": "86359A6M0", "B-1": "86359A6N8", "X": "86359A6P3", "R": "86359A6Q1"}
POOL_START = 500_000_000.0


# ------------------------------------------------------------------ hand-made parsed filings
def _accession(i: int, cik: int = CIK) -> str:
    return f"0001019965-0{3 + (i >= 3)}-{cik % 1000:03d}{i:03d}"


def deal_months() -> tuple[list[dict[str, Any]], list[dict[str, float]]]:
    """Four monthly reports of one deal (contract shape) and the pool figures they carry."""
    parsed, pools = [], []
    class_bal = {k: float(v) for k, v in ORIGINAL.items()}
    pool_bal = POOL_START
    cum_loss = 0.0
    for i, d in enumerate(MONTHS):
        sched, prepay = 400_000.0 + 10_000 * i, 9_000_000.0 + 1_500_000 * i
        liq, loss = 150_000.0 * i, 40_000.0 * i
        cum_loss += loss
        begin, end = pool_bal, pool_bal - sched - prepay - liq - loss
        pool_bal = end
        pools.append({"date": d, "begin": begin, "sched": sched, "prepay": prepay, "liq": liq, "loss": loss,
                      "end": end, "cum_loss": cum_loss, "d30": 4_000_000.0 + 900_000 * i,
                      "d60": 1_200_000.0 + 500_000 * i, "d90": 600_000.0 + 400_000 * i})
        paid = begin - end
        classes = []
        for name, orig in ORIGINAL.items():
            b = class_bal[name]
            # seniors share the pool's principal; subordinate classes are locked out
            share = {"1-A1": 0.5, "1-A2": 0.12, "2-A1": 0.38}.get(name, 0.0)
            principal = round(paid * share)
            e = b - principal
            class_bal[name] = e
            classes.append({"class": name, "cusip": CUSIPS[name], "notional": False, "residual": False,
                            "original_balance": orig, "beginning_balance": b, "principal": principal,
                            "interest": round(b * 0.0015), "total_distribution": principal + round(b * 0.0015),
                            "realized_loss": 0, "ending_balance": e, "pass_through_rate": 1.30875,
                            "ending_balance_per_1000": e / orig * 1000})
        classes.append({"class": "X", "cusip": CUSIPS["X"], "notional": True, "residual": False,
                        "beginning_balance": begin, "ending_balance": end, "interest": 12_345})
        classes.append({"class": "R", "cusip": CUSIPS["R"], "notional": False, "residual": True,
                        "beginning_balance": 0, "ending_balance": 0})
        split = {"1": 0.6, "2": 0.4}
        pool_rows = [{"pool": p, "beginning_balance": begin * s, "scheduled_principal": sched * s,
                      "prepayments": prepay * s, "liquidation_proceeds": liq * s, "ending_balance": end * s,
                      "current_realized_loss": loss * s, "cumulative_realized_loss": cum_loss * s,
                      "loan_count": int(2500 * s) - 20 * i} for p, s in split.items()]
        pool_rows.append({"pool": "Total", "beginning_balance": begin, "scheduled_principal": sched,
                          "prepayments": prepay, "liquidation_proceeds": liq, "ending_balance": end,
                          "current_realized_loss": loss, "cumulative_realized_loss": cum_loss,
                          "loan_count": 2500 - 40 * i})
        p = pools[-1]
        delinquencies = [
            {"pool": "Total", "bucket": "30-59", "count": 40 + i, "unpaid_principal_balance": p["d30"],
             "stated_principal_balance": p["d30"], "includes_fc_bk_reo": False},
            {"pool": "Total", "bucket": "60-89", "count": 12 + i, "unpaid_principal_balance": p["d60"],
             "stated_principal_balance": p["d60"], "includes_fc_bk_reo": False},
            {"pool": "Total", "bucket": "90+", "count": 5 + i, "unpaid_principal_balance": p["d90"],
             "stated_principal_balance": p["d90"], "includes_fc_bk_reo": False},
        ]
        filed = date(d.year, d.month, min(d.day + 5, 28))
        parsed.append({
            "path": f"/fixtures/{_accession(i)}.txt", "kind": "distribution_report", "form_type": "8-K",
            "cik": CIK, "accession": _accession(i), "filed_date": filed.isoformat(), "deal_name": DEAL,
            "document": f"aames03{i}.txt", "distribution_date": d.isoformat(), "record_date": None,
            "accrual_start": None, "accrual_end": None, "amount_decimals": 0, "classes": classes,
            "class_totals": [], "pools": pool_rows, "deal": {"overcollateralization_deficiency": 0},
            "delinquencies": delinquencies, "fields": [], "warnings": [], "error": None,
        })
    return parsed, pools


def sparse_month() -> dict[str, Any]:
    """A second deal with one report and no prepayment, delinquency or loss figures."""
    return {
        "path": "/fixtures/sparse.txt", "kind": "distribution_report", "form_type": "10-D",
        "cik": SPARSE_CIK, "accession": "0001111111-04-000001", "filed_date": "2004-03-01",
        "deal_name": "SPARSE HOME EQUITY TRUST 2004-1", "document": "sparse.txt",
        "distribution_date": "2004-02-25", "amount_decimals": 2,
        "classes": [{"class": "A", "cusip": "999999AA1", "original_balance": 100_000_000,
                     "beginning_balance": 100_000_000, "principal": 2_000_000, "interest": 150_000,
                     "ending_balance": 98_000_000}],
        # liquidations reported (none), prepayments not: CDR has a value, CPR has none
        "pools": [{"pool": "Total", "beginning_balance": 101_000_000, "ending_balance": 99_000_000,
                   "liquidation_proceeds": 0, "current_realized_loss": 0}],
        "deal": {}, "delinquencies": [], "fields": [], "warnings": [], "error": None,
    }


# ------------------------------------------------------------------------ the warehouse
def _insert(con: duckdb.DuckDBPyConnection, table: str, row: dict[str, Any]) -> None:
    cols = [c for c in row if c in set(schema.table_columns(con, table))]
    con.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                [row[c] for c in cols])


def _record_verdict(con: duckdb.DuckDBPyConnection, acc: str, status: str) -> None:
    """What the validate step writes for a filing: one row per check (dq_filing_status derives)."""
    checks = [("class_rollforward", "error", "pass"), ("pool_rollforward", "error", "pass"),
              ("cusip_check_digit", "warn", "warn" if status == "warn" else "pass"),
              ("class_total", "error", "fail" if status == "fail" else "pass")]
    for name, severity, st in checks:
        _insert(con, "dq_check_result", {
            "run_id": "test", "accession": acc, "check_name": name, "suite": "stg_class_period.error",
            "severity": severity, "scope": "report", "status": st, "residual": 0.0 if st == "pass" else 12.0,
            "tolerance": 0.5, "detail": f"{name}: {st}", "checked_at": datetime(2004, 2, 1, 12, 0)})


def build_warehouse(path: Path) -> list[dict[str, float]]:
    """A published-style warehouse: state layers, staged rows, verdicts, then every derived model."""
    parsed, pools = deal_months()
    # the October report as the parser gave it: two figures of its class table read, one unread
    parsed[0]["fields"] = [
        {"section": "CLASS", "label": label, "measure": measure, "scope": "class", "entity": "1-A1", "value": value,
         "raw": raw, "document": parsed[0]["document"], "line": 20, "table": 1, "row": 1, "column": col}
        for col, (label, measure, value, raw) in enumerate([
            ("Beginning Balance", "beginning_balance", 240_000_000, "240,000,000"),
            ("Principal", "principal", 1_000_000, "1,000,000"), ("", None, 31, "31")], start=1)]
    sparse = sparse_month()
    con = duckdb.connect(str(path))
    try:
        schema.apply(con, ("macros", "raw", "staging", "quality"))
        missing = [t for t in ("dq_check_result", "dq_filing_status", "dq_override")
                   if not schema.table_columns(con, t)]
        assert not missing, f"the quality layer does not define {missing}"
        con.execute("BEGIN TRANSACTION")
        staging.replace_staged(con, [*parsed, sparse])
        for p in [*parsed, sparse]:
            _insert(con, "raw_filing", {"accession": p["accession"], "cik": p["cik"], "form_type": p["form_type"],
                                        "company_name": p["deal_name"], "date_filed": p["filed_date"],
                                        "source_url": None, "raw_path": p["path"], "sha256": "0" * 64,
                                        "size_bytes": 1000})
        for p, verdict in zip(parsed, VERDICTS, strict=True):
            _record_verdict(con, p["accession"], verdict)
        _record_verdict(con, sparse["accession"], "pass")
        con.execute("COMMIT")
        schema.apply(con)
    finally:
        con.close()
    return pools


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, float]]]:
    path = tmp_path_factory.mktemp("report") / "warehouse.duckdb"
    pools = build_warehouse(path)
    return path, pools


@pytest.fixture(scope="module")
def page(warehouse: tuple[Path, list[dict[str, float]]]) -> str:
    con = duckdb.connect(str(warehouse[0]), read_only=True)
    try:
        return render_report(con, CIK)
    finally:
        con.close()


def _svg(page: str, chart_id: str) -> str:
    m = re.search(rf'<svg class="[^"]*" id="{chart_id}".*?</svg>', page, re.S)
    assert m, f"no chart {chart_id}"
    return m.group(0)


# ------------------------------------------------------------------------------ tests
def test_page_is_self_contained_with_charts(page: str) -> None:
    charts = re.findall(r'<svg class="chart[" ]', page)
    assert len(charts) >= 3
    drawn = [c for c in ("class-balances", "class-factors", "pool-factor", "cpr-cdr", "delinquency",
                         "cumulative-loss") if "<polyline" in _svg(page, c)]
    assert len(drawn) == 6, drawn
    low = page.lower()
    assert "<script" not in low and "http" not in low and "@import" not in low and "url(" not in low


def test_quarantined_month_left_out_of_charts_but_listed(page: str) -> None:
    # three loadable months: three points per series; January (fail) appears only in the DQ table
    pool = _svg(page, "pool-factor")
    assert pool.count("<circle") == 3
    assert "2004-01-26" not in pool
    dq = page[page.index("<h2>Data quality</h2>"):]
    assert re.search(r"2004-01-26</td><td>" + re.escape(_accession(3)), dq)
    assert "no: quarantined" in dq
    assert 'background:#C62828' in dq and 'background:#F9A825' in dq  # fail and warn badges
    strip = _svg(page, "dq-status")
    assert strip.count("<rect x=") - 4 == 4  # four months (+4 legend swatches)
    assert "2003-11-25: warn" in strip and "2004-01-26: fail" in strip
    # per-check counts come from dq_check_result: the warn month has 3 passes and 1 warning
    assert re.search(r"2003-11-25</td>.*?<td class='n'>3</td><td class='n'>1</td><td class='n'>0</td>", dq)


def test_dq_table_shows_each_months_share_of_figures_read(page: str) -> None:
    dq = page[page.index("<h2>Data quality</h2>"):]
    assert "<th title='share of the figures of its class and pool tables the parser read'>Figures read</th>" in dq
    # October's class table: 2 of its 3 figures read; the other months staged no fields: not known
    in_row = r"(?:(?!</tr>).)*?"
    assert re.search(r"2003-10-27</td>" + in_row + r"<td class='n'>66\.7%</td><td>yes</td></tr>", dq)
    assert re.search(r"2003-11-25</td>" + in_row + r"<td class='n'>–</td><td>yes</td></tr>", dq)


def test_figures_match_the_warehouse_inputs(page: str, warehouse: tuple[Path, list[dict[str, float]]]) -> None:
    pools = warehouse[1]
    last = pools[2]  # the latest loadable month
    smm = last["prepay"] / (last["begin"] - last["sched"])
    cpr = 1 - (1 - smm) ** 12
    assert f"{cpr * 100:.2f}%" in page
    factor = last["end"] / pools[0]["begin"]
    assert f"{factor:.4f}" in page
    assert "Latest distribution: 2003-12-26" in page
    assert f"{(last['d60'] + last['d90']) / last['end'] * 100:.2f}%" in page  # 60+ delinquency KPI
    assert DEAL in page and "CIK 1268803" in page
    # classes in reading order, notional X not drawn as a balance line, its exclusion said
    balances = _svg(page, "class-balances")
    legend = re.findall(r'class="legend" [^>]*>([^<]+)<', balances)
    assert legend == ["1-A1", "1-A2", "2-A1", "M-1", "M-2", "B-1"]
    assert "X (notional)" in balances


def test_one_month_and_missing_metrics(warehouse: tuple[Path, list[dict[str, float]]]) -> None:
    con = duckdb.connect(str(warehouse[0]), read_only=True)
    try:
        html = render_report(con, SPARSE_CIK)
        with pytest.raises(DealNotFound):
            render_report(con, 4242)
    finally:
        con.close()
    assert "Only one distribution date" in html
    balances = _svg(html, "class-balances")
    assert "<polyline" not in balances and balances.count("<circle") == 1
    assert "2004-02-25: $98M" in balances
    for chart_id in ("delinquency", "cumulative-loss"):
        svg = _svg(html, chart_id)
        assert 'class="chart nodata"' in svg and "No " in svg
    speeds = _svg(html, "cpr-cdr")
    assert "CPR (no data)" in speeds and "CDR 2004-02-25: 0%" in speeds
    # unreported figures are shown as unknown, not as 0.00%
    assert re.search(r'kpi-v">–</div><div class="kpi-k">60\+ delinquent', html)
    assert re.search(r'kpi-v">–</div><div class="kpi-k">CPR', html)


def test_report_command_writes_the_file(warehouse: tuple[Path, list[dict[str, float]]], tmp_path: Path) -> None:
    import argparse

    from etl.report import commands

    parser = argparse.ArgumentParser()
    commands.register(parser.add_subparsers(dest="command"))
    out = tmp_path / "deal.html"
    args = parser.parse_args(["report", "--cik", str(CIK), "--out", str(out), "--warehouse", str(warehouse[0])])
    assert args.func(args) == 0
    assert out.read_text().startswith("<!DOCTYPE html>") and DEAL in out.read_text()
    args = parser.parse_args(["report", "--cik", "4242", "--out", str(tmp_path / "x.html"),
                              "--warehouse", str(warehouse[0])])
    assert args.func(args) == 2 and not (tmp_path / "x.html").exists()


def test_chart_breaks_lines_at_gaps_and_scales_axes() -> None:
    from etl.report.charts import Series, line_chart, nice_ticks

    days = [date(2004, m, 25) for m in range(1, 7)]
    values = [0.10, 0.12, None, 0.15, 0.16, 0.18]  # March not reported
    svg = line_chart("t", [Series("CPR", list(zip(days, values, strict=True)))], lambda v: f"{v:.2f}")
    assert svg.count("<polyline") == 2  # Jan-Feb and Apr-Jun: no line drawn across the gap
    assert svg.count("<circle") == 5 and "2004-03-25:" not in svg
    assert nice_ticks(0, 0.18) == [0.0, 0.05, 0.1, 0.15, 0.2]
    assert nice_ticks(0, 0.0002, min_span=0.01) == [0.0, 0.002, 0.004, 0.006, 0.008, 0.01]


def test_report_renders_in_headless_chromium(page: str, tmp_path: Path) -> None:
    browser = ensure_chromium()
    if browser is None:
        pytest.skip("Chromium is not installed and scripts/ensure_chromium.sh could not install it "
                    "(needs apt-get and root)")
    html_file = tmp_path / "deal.html"
    html_file.write_text(page, encoding="utf-8")
    png = tmp_path / "deal.png"
    code, _, err = run_chromium(browser, [f"--screenshot={png}", "--window-size=1200,2000", html_file.as_uri()],
                                tmp_path)
    assert png.exists(), f"no screenshot (exit {code}): {err[-2000:]}"
    width, height, colours, ink = colours_and_ink(png.read_bytes())
    assert (width, height) == (1200, 2000)
    # a page with one line of text has ~160 colours (anti-aliasing) and 0.02% ink; this report
    # has thousands of colours and ~6% ink
    assert len(colours) > 1000, f"only {len(colours)} colours: blank page?"
    assert 0.03 < ink < 0.6, f"non-white share {ink:.3f}"
    # the chart palette is really painted: the first class line's blue and the fail badge's red
    assert bytes.fromhex("0072B2") in colours and bytes.fromhex("C62828") in colours
