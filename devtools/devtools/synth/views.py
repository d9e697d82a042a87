"""What one layout prints for a period: class flags, the Total rows it shows, delinquency rows.

The engine's figures are layout-free; each trustee's report decides which classes
are starred as notional, which rows its Total rows add up, and whether its 30/60-day
delinquency rows already contain the foreclosure/bankruptcy/REO loans. The ground
truth records those choices with the numbers so a benchmark can check a parser
against what was actually printed.
"""

from __future__ import annotations

from typing import Any

from devtools.synth.deals import DealSpec
from devtools.synth.engine import rnd

# (section, measure, which rows the printed Total adds up)
TOTALS: dict[str, list[tuple[str, str, str]]] = {
    "seed": [
        ("certificate_balances", "beginning_balance", "principal_bearing"),
        ("certificate_balances", "principal", "all"),
        ("distributions", "interest", "all"),
        ("distributions", "total_distribution", "all"),
        ("distributions", "realized_loss", "all"),
        ("ending_balances", "ending_balance", "principal_bearing"),
        ("interest_detail", "interest", "coupon"),
    ],
    "ctslink": [
        ("distribution_summary", "beginning_balance", "not_notional"),
        ("distribution_summary", "interest", "all"),
        ("distribution_summary", "principal", "all"),
        ("distribution_summary_2", "realized_loss", "all"),
        ("distribution_summary_2", "ending_balance", "not_notional"),
        ("distribution_summary_2", "total_distribution", "all"),
        ("distribution_summary_2", "cumulative_realized_loss", "all"),
    ],
    "html": [
        ("distribution_summary", "original_balance", "not_notional"),
        ("distribution_summary", "beginning_balance", "not_notional"),
        ("distribution_summary", "principal", "all"),
        ("distribution_summary", "interest", "all"),
        ("distribution_summary", "total_distribution", "all"),
        ("distribution_summary", "realized_loss", "all"),
        ("distribution_summary", "ending_balance", "not_notional"),
    ],
}

DQ_BUCKETS = ("30-59", "60-89", "90+", "foreclosure", "bankruptcy", "reo")


def _member(row: dict[str, Any], rule: str) -> bool:
    if rule == "all":
        return True
    if rule == "principal_bearing":
        return row["kind"] in ("senior", "mezz", "sub")
    if rule == "coupon":
        return row["kind"] in ("senior", "mezz", "sub", "io")
    if rule == "not_notional":
        return not row["notional"]
    raise ValueError(rule)


def make_view(deal: DealSpec, period: dict[str, Any]) -> dict[str, Any]:
    """The printed form of a period in the deal's layout (before any printing error)."""
    layout = deal.layout
    classes = []
    for r in period["classes"]:
        notional = r["kind"] == "io" or (layout == "seed" and r["kind"] == "oc")
        c = dict(r, notional=notional, residual=r["kind"] in ("p", "r"))
        if layout == "ctslink" and c["pass_through_rate"] is None:
            c["pass_through_rate"] = 0.0  # CTSLink prints 0.00000% on P and R
        if layout == "seed" and r["kind"] == "oc":
            c["next_pass_through_rate"] = None  # the seed prints no next rate for X
        classes.append(c)
    totals: list[dict[str, Any]] = []
    for section, measure, rule in TOTALS[layout]:
        rows = [r for r in classes if _member(r, rule)]
        if measure == "interest":
            value = rnd(sum(r["_exact_interest"] for r in rows))
        elif measure == "total_distribution":
            value = rnd(sum(r["_exact_interest"] for r in rows)) + sum(r["principal"] for r in rows)
        else:
            value = sum(r[measure] for r in rows)
        totals.append({"section": section, "measure": measure, "value": value,
                       "includes": [r["class"] for r in rows]})
    dq = period["delinquency"]
    includes = layout == "seed"  # the seed's "* Includes all Foreclosure, Bankruptcy, and REO loans"
    dq_rows = []
    for bucket in DQ_BUCKETS:
        count, upb = dq[bucket]
        if includes and bucket == "30-59":
            count, upb = count + dq["bankruptcy"][0], upb + dq["bankruptcy"][1]
        if includes and bucket == "60-89":
            count += dq["foreclosure"][0] + dq["reo"][0]
            upb += dq["foreclosure"][1] + dq["reo"][1]
        dq_rows.append({"pool": "Total", "bucket": bucket, "count": count, "unpaid_principal_balance": upb,
                        "stated_principal_balance": upb - rnd(upb * 0.0021),
                        "includes_fc_bk_reo": includes and bucket in ("30-59", "60-89")})
    return {"layout": layout, "period": period, "classes": classes, "totals": totals,
            "pools": period["pools"], "deal": period["deal"], "delinquencies": dq_rows}


def total_value(view: dict[str, Any], section: str, measure: str) -> int:
    """A printed Total of the view (after any printing error)."""
    for t in view["totals"]:
        if t["section"] == section and t["measure"] == measure:
            return t["value"]
    raise KeyError((section, measure))


def money(value: int, unit: int) -> int | float:
    """Minor units to dollars for the JSON ground truth (ints stay ints for whole-dollar deals)."""
    return value if unit == 1 else round(value / 100.0, 2)
