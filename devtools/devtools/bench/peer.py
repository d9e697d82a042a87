"""Our side of the side-by-side with edgartools' ``DistributionReport`` (bench/run_peer.py).

The two parsers are scored on the same HTML documents against the same ground truth, on two
levels: every class/pool value each one extracts (edgartools extracts no per-class values, so
its count is its non-null headline metrics), and the dozen headline figures both can report
(dates, pool balances, distribution totals, delinquency buckets, losses), exact match or not.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

# class/pool fields that identify a row rather than report a value
ID_FIELDS = frozenset({"class", "cusip", "notional", "residual", "pool", "is_total", "section", "line",
                       "day_count", "interest_basis", "accrual_days"})
# the contract's canonical measures (docs/CONTRACTS.md): truth values outside them (loan counts
# paid in full, remaining term, day counts) are facts of the generator, not promises of the parser
CLASS_MEASURES = frozenset({
    "original_balance", "beginning_balance", "principal", "interest", "total_distribution", "realized_loss",
    "ending_balance", "pass_through_rate", "next_pass_through_rate", "principal_per_1000", "interest_per_1000",
    "total_per_1000", "realized_loss_per_1000", "ending_balance_per_1000", "interest_distributable",
    "carryforward_interest", "basis_risk_shortfall", "prepayment_interest_shortfall", "interest_shortfall",
    "remittance_amount", "cumulative_realized_loss"})
POOL_MEASURES = frozenset({
    "beginning_balance", "scheduled_principal", "prepayments", "liquidation_proceeds", "insurance_proceeds",
    "repurchases", "substitution_amount", "deleted_loan_balance", "principal_remittance", "ending_balance",
    "loan_count", "current_realized_loss", "cumulative_realized_loss", "gross_interest", "servicing_fee",
    "interest_remittance", "trustee_fee", "credit_risk_manager_fee", "net_interest_available"})
HEADLINE = ("distribution_date", "record_date", "beginning_pool_balance", "ending_pool_balance",
            "total_principal_distributed", "total_interest_distributed", "total_distribution",
            "delinquent_30_59_days", "delinquent_60_89_days", "delinquent_90_plus_days",
            "net_losses", "cumulative_net_losses")
_CELL_SPLIT = re.compile(r"\s{2,}")


@dataclass(frozen=True)
class PeerDoc:
    """One document both parsers read, with its ground truth (None: no truth known)."""

    doc_id: str
    path: Path
    truth: dict[str, Any] | None
    source: str  # "synthetic-html" or "seed-as-html"


# --------------------------------------------------------------------------- documents
def seed_to_html(text: str, title: str = "Monthly Distribution Report") -> str:
    """The seed's fixed-width text report as an HTML document with real ``<table>`` markup.

    A run of lines with two or more columns (cells split at two or more blanks) becomes one
    table, one cell per column; other lines become paragraphs. The numbers are untouched, so
    the seed's hand-typed ground truth still applies.
    """
    out = ["<html><head><title>" + html.escape(title) + "</title></head><body>"]
    in_table = False
    for line in text.splitlines():
        cells = [c for c in _CELL_SPLIT.split(line.strip()) if c]
        if len(cells) >= 2:
            if not in_table:
                out.append('<table border="1" cellpadding="2" cellspacing="0">')
                in_table = True
            out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
            continue
        if in_table:
            out.append("</table>")
            in_table = False
        if line.strip():
            out.append(f"<p>{html.escape(line.strip())}</p>")
    if in_table:
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)


def collect_documents(corpus_root: Path, truth: Iterable[dict[str, Any]], out_dir: Path,
                      seed_text: str | None = None, seed_truth: dict[str, Any] | None = None,
                      forms: tuple[str, ...] = ("10-D",), limit: int | None = None) -> list[PeerDoc]:
    """The EX-99.1 HTML documents of HTML-layout reports (and the seed as HTML), written out."""
    from etl.edgar.sgml import parse_submission

    out_dir.mkdir(parents=True, exist_ok=True)
    docs: list[PeerDoc] = []
    for rec in truth:
        if rec.get("kind") != "distribution_report" or rec.get("layout") != "html" or rec.get("form") not in forms:
            continue
        sub = parse_submission((corpus_root / rec["path"]).read_bytes())
        ex = [d for d in sub.documents if (d.type or "").upper().startswith("EX-99.1") and d.filename == rec["document"]]
        if not ex:
            continue
        target = out_dir / f"{rec['accession']}.htm"
        target.write_text(ex[0].text, encoding="utf-8")
        docs.append(PeerDoc(rec["accession"], target, rec, "synthetic-html"))
        if limit and len(docs) >= limit:
            break
    if seed_text is not None:
        target = out_dir / "seed-aames031dec03.htm"
        target.write_text(seed_to_html(seed_text), encoding="utf-8")
        docs.append(PeerDoc("seed-aames031dec03", target, seed_truth, "seed-as-html"))
    return docs


# --------------------------------------------------------------------------- scoring
def _num(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int | float):
        return float(v)
    return None


def _tolerance(measure: str) -> float:
    return 5e-7 if ("rate" in measure or "per_1000" in measure) else 0.0051


def same(measure: str, got: Any, want: Any) -> bool:
    """Exact to the printed precision: cents for amounts, the sixth decimal for rates."""
    if want is None:
        return got is None
    if isinstance(want, str) or isinstance(got, str):
        return str(got)[:10] == str(want)[:10]
    g, w = _num(got), _num(want)
    return g is not None and w is not None and abs(g - w) <= _tolerance(measure)


def _norm_class(name: Any) -> str:
    return re.sub(r"[\s*]+", "", str(name or "")).upper()


def values_extracted(parsed: dict[str, Any]) -> int:
    """Non-null class and pool values in a parse (identifiers not counted)."""
    n = 0
    for row in list(parsed.get("classes") or []) + list(parsed.get("pools") or []):
        n += sum(1 for k, v in row.items() if k not in ID_FIELDS and v is not None and not isinstance(v, bool))
    return n


def value_matches(parsed: dict[str, Any], truth: dict[str, Any]) -> tuple[int, int]:
    """(matching values, truth values) over the contract's class and pool measures the truth gives."""
    hit = total = 0
    for key, name, measures in (("classes", "class", CLASS_MEASURES), ("pools", "pool", POOL_MEASURES)):
        got = {_norm_class(r.get(name)): r for r in parsed.get(key) or []}
        for row in truth.get(key) or []:
            mine = got.get(_norm_class(row.get(name)), {})
            for measure, want in row.items():
                if measure not in measures or want is None or isinstance(want, bool) or not isinstance(want, int | float):
                    continue
                total += 1
                hit += same(measure, mine.get(measure), want)
    return hit, total


def _pool_total(report: dict[str, Any], measure: str) -> float | None:
    pools = report.get("pools") or []
    tot = [p for p in pools if str(p.get("pool", "")).lower() == "total"]
    if tot:
        return _num(tot[0].get(measure))
    vals = [_num(p.get(measure)) for p in pools]
    return sum(v for v in vals if v is not None) if vals and all(v is not None for v in vals) else None


def _class_sum(report: dict[str, Any], measure: str) -> float | None:
    vals = [_num(c.get(measure)) for c in report.get("classes") or []]
    vals = [v for v in vals if v is not None]
    return round(sum(vals), 2) if vals else None


def _bucket(report: dict[str, Any], bucket: str) -> tuple[float | None, ...]:
    rows = [d for d in report.get("delinquencies") or []
            if str(d.get("pool", "")).lower() == "total" and d.get("bucket") == bucket]
    if not rows:
        return (None,)
    r = rows[0]
    # a report printing one balance per bucket may come back as ``delinquent_balance``
    return (_num(r.get("unpaid_principal_balance")), _num(r.get("stated_principal_balance")),
            _num(r.get("delinquent_balance")))


def headline(report: dict[str, Any]) -> dict[str, Any]:
    """The headline figures of a report in our contract's shape (ground truth or our parse).

    Delinquency buckets are tuples (unpaid, stated, single printed balance): any counts as right.
    """
    return {
        "distribution_date": report.get("distribution_date"),
        "record_date": report.get("record_date"),
        "beginning_pool_balance": _pool_total(report, "beginning_balance"),
        "ending_pool_balance": _pool_total(report, "ending_balance"),
        "total_principal_distributed": _class_sum(report, "principal"),
        "total_interest_distributed": _class_sum(report, "interest"),
        "total_distribution": _class_sum(report, "total_distribution"),
        "delinquent_30_59_days": _bucket(report, "30-59"),
        "delinquent_60_89_days": _bucket(report, "60-89"),
        "delinquent_90_plus_days": _bucket(report, "90+"),
        "net_losses": _pool_total(report, "current_realized_loss"),
        "cumulative_net_losses": _pool_total(report, "cumulative_realized_loss"),
    }


def headline_score(got: dict[str, Any], truth: dict[str, Any]) -> dict[str, Any]:
    """Per headline field: extracted (non-null) and exact (equal to the truth's)."""
    want = headline(truth)
    out: dict[str, Any] = {}
    for field in HEADLINE:
        g, w = got.get(field), want[field]
        if isinstance(w, tuple):
            ok = g is not None and any(same(field, g, x) for x in w if x is not None)
            known = any(x is not None for x in w)
        else:
            ok = same(field, g, w) if w is not None else False
            known = w is not None
        out[field] = {"extracted": g is not None, "exact": bool(ok), "known": known}
    return out


def _iso(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date) else v


def run_ours(docs: list[PeerDoc]) -> dict[str, Any]:
    """Our parser on every document: time, values extracted, exact matches."""
    from etl.parse import parse_bytes

    per_doc = []
    for d in docs:
        data = d.path.read_bytes()
        t = time.perf_counter()
        parsed = parse_bytes(data, str(d.path))
        took = time.perf_counter() - t
        row: dict[str, Any] = {"doc": d.doc_id, "source": d.source, "seconds": round(took, 5),
                               "kind": parsed.get("kind"), "error": parsed.get("error"),
                               "values": values_extracted(parsed)}
        if d.truth:
            row["matches"], row["truth_values"] = value_matches(parsed, d.truth)
            mine = {k: (next((x for x in v if x is not None), None) if isinstance(v, tuple) else _iso(v))
                    for k, v in headline(parsed).items()}
            row["headline"] = headline_score(mine, d.truth)
        per_doc.append(row)
    return {"per_doc": per_doc}


def score_peer(docs: list[PeerDoc], peer_out: dict[str, Any]) -> dict[str, Any]:
    """edgartools' metrics, as written by the peer worker, scored against the truth."""
    by_id = {r["doc"]: r for r in peer_out.get("per_doc", [])}
    per_doc = []
    for d in docs:
        r = dict(by_id.get(d.doc_id, {"doc": d.doc_id, "error": "not run"}))
        metrics = r.get("metrics") or {}
        r["values"] = sum(1 for v in metrics.values() if v is not None)
        if d.truth and "metrics" in r:
            r["headline"] = headline_score({k: metrics.get(k) for k in HEADLINE}, d.truth)
        r["source"] = d.source
        per_doc.append(r)
    return {"per_doc": per_doc}


def summarise(side: dict[str, Any], sources: Iterable[str]) -> dict[str, Any]:
    """Totals per document source: docs, seconds, values, headline extracted/exact."""
    out: dict[str, Any] = {}
    for src in sources:
        rows = [r for r in side["per_doc"] if r.get("source") == src]
        if not rows:
            continue
        secs = sum(r.get("seconds") or 0 for r in rows)
        head = [h for r in rows for h in (r.get("headline") or {}).values()]
        known = [h for h in head if h["known"]]
        out[src] = {
            "documents": len(rows),
            "errors": sum(1 for r in rows if r.get("error")),
            "seconds_total": round(secs, 3),
            "ms_per_document": round(secs / len(rows) * 1000, 2),
            "values_extracted": sum(r.get("values") or 0 for r in rows),
            "value_matches": sum(r.get("matches") or 0 for r in rows) if any("matches" in r for r in rows) else None,
            "truth_values": sum(r.get("truth_values") or 0 for r in rows) if any("truth_values" in r for r in rows)
            else None,
            "headline_fields_known": len(known),
            "headline_extracted": sum(1 for h in known if h["extracted"]),
            "headline_exact": sum(1 for h in known if h["exact"]),
            "headline_exact_by_field": _by_field(rows),
        }
    return out


def _by_field(rows: list[dict[str, Any]]) -> dict[str, str]:
    out = {}
    for field in HEADLINE:
        hs = [r["headline"][field] for r in rows if r.get("headline") and r["headline"][field]["known"]]
        if hs:
            out[field] = f"{sum(h['exact'] for h in hs)}/{len(hs)}"
    return out


def dump(obj: Any, path: Path) -> None:
    path.write_text(json.dumps(obj, indent=1, default=_iso) + "\n")
