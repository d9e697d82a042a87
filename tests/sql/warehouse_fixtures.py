"""Helpers that build real warehouses from parsed reports through the pipeline's own load steps."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from etl import pipeline
from etl.config import Settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def seed_parsed() -> dict[str, Any]:
    """The seed 8-K typed in by hand from the document, in parser-output shape (not parser output)."""
    return json.loads((FIXTURES / "quality" / "seed_parsed.json").read_text())


def roll_forward(p: dict[str, Any], accession: str, dist_date: str, days: int = 31) -> dict[str, Any]:
    """A plausible next month built with the identities, not by any parser.

    Group 1 and group 2 seniors pay 1% of their balance, collected as prepayments of their own
    pool; floating coupons accrue actual/360 over ``days``; notional and residual classes keep
    their figures; fee lines and per-$1,000 factors are left out (their checks are then not
    applicable). Used to exercise cross-period checks, amendments and the marts.
    """
    q = copy.deepcopy(p)
    q.update(accession=accession, distribution_date=dist_date, fields=[], class_totals=[], warnings=[])
    paid = {"1": 0, "2": 0}
    for c in q["classes"]:
        beg = c.get("ending_balance")
        c["beginning_balance"] = beg
        for k in [k for k in c if k.endswith("_per_1000")]:
            c[k] = None
        if c.get("notional") or c.get("residual") or not beg:
            c["principal"] = 0 if beg is not None else c.get("principal")
            continue
        group = c["class"].split("-")[0] if c["class"][0].isdigit() else None
        prin = round(beg * 0.01) if group in paid else 0
        if group in paid:
            paid[group] += prin
        c["principal"] = prin
        c["ending_balance"] = beg - prin
        if c.get("pass_through_rate"):
            c["interest"] = round(beg * c["pass_through_rate"] / 100 * days / 360)
        c["total_distribution"] = (c.get("interest") or 0) + prin
    pools = []
    for pool in q.get("pools", []):
        name = str(pool["pool"])
        prin = paid.get(name, sum(paid.values()) if name == "Total" else 0)
        beg = pool["ending_balance"]
        pools.append({"pool": name, "beginning_balance": beg, "scheduled_principal": 0, "prepayments": prin,
                      "liquidation_proceeds": 0, "principal_remittance": prin, "ending_balance": beg - prin,
                      "loan_count": pool.get("loan_count"), "current_realized_loss": 0,
                      "cumulative_realized_loss": pool.get("cumulative_realized_loss")})
    q["pools"] = pools
    q["deal"] = {}
    return q


def staged_record(parsed: dict[str, Any], form_type: str, filed: str, tmp: Path) -> dict[str, Any]:
    """What the fetch+parse steps hand the loader for one filing."""
    acc, cik = parsed["accession"], int(parsed["cik"])
    raw = json.dumps(parsed).encode()
    sha = hashlib.sha256(raw).hexdigest()
    parsed = {**parsed, "form_type": form_type, "filed_date": filed}
    return {
        "fetch": {"accession": acc, "cik": cik, "form_type": form_type, "company": parsed.get("deal_name"),
                  "date_filed": filed, "url": f"http://127.0.0.1/Archives/edgar/data/{cik}/{acc}.txt",
                  "path": str(tmp / f"{acc}.txt"), "sha256": sha, "size": len(raw), "status": "fetched"},
        "header": {"accession": acc, "cik": cik, "form_type": form_type, "period_of_report": parsed.get("distribution_date"),
                   "filed_date": filed, "company_name": "AAMES MORTGAGE TRUST 2003-1", "sic": 6189,
                   "file_number": "333-106925-11", "document_count": 1, "documents_json": "[]"},
        "parsed": parsed,
    }


def load(settings: Settings, records: list[dict[str, Any]], run_id: str, batch: int = 0) -> dict[str, Any]:
    """stage -> validate -> publish, exactly as the DAG's load steps do."""
    out_dir = settings.staging_dir / run_id
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"batch-{batch:05d}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    st = pipeline.stage(settings, [str(path)], run_id)
    # a run's results are stamped with its logical time, as the DAG's validate task does
    dq = pipeline.validate(settings, st["accessions"], run_id, as_of=datetime(2004, 2, 3, 11, 0))
    pub = pipeline.publish(settings, run_id)
    return {"stage": st, "validate": dq, "publish": pub}


