"""Layout 1: the seed's fixed-width "STATEMENT TO CERTIFICATEHOLDERS" (whole dollars).

Headings, section numbers and column ends are those of the AAMES 2003-1 8-K of
2003-12-26 (tests/fixtures/seeds/aames031dec03.txt): class tables ending at columns
39/59/79, ``*`` on notional classes with the "* Notional Balance" line under each
table, pools two side by side and then a Total block.
"""

from __future__ import annotations

from typing import Any

from devtools.synth.deals import DealSpec
from devtools.synth.textfmt import amt, mdy_short, rate, row
from devtools.synth.views import total_value

NOTIONAL_NOTE = "* Notional Balance"


def _label(r: dict[str, Any]) -> str:
    return r["class"] + ("*" if r["notional"] else "")


def _per_1000(value: float, original: int, places: int) -> str:
    return f"{value / original * 1000:.{places}f}"


def statement(deal: DealSpec, view: dict[str, Any]) -> list[str]:
    """The monthly statement, as lines (no trailing newline)."""
    u = 1
    p = view["period"]
    classes = view["classes"]
    shelf = deal.shelf
    out: list[str] = [
        shelf.trust,
        shelf.cert_title,
        f"SERIES {deal.series}",
        "",
        "STATEMENT TO CERTIFICATEHOLDERS",
        "",
        row((0, "Distribution Date:", "l"), (79, mdy_short(p["distribution_date"]))),
        "",
        "                                                  Beginning",
        "                                                Certificate",
        "Class                      Cusip                     Bal(1)                Prin",
    ]
    for r in classes:
        if r["kind"] in ("oc", "p", "r"):
            ident = (29, "NA", "l")
        else:
            ident = (25, r["cusip"], "l")
        out.append(row((0, _label(r), "l"), ident, (59, amt(r["beginning_balance"], u)),
                       (79, amt(r["principal"], u))))
    out.append(row((0, "Total", "l"), (59, amt(total_value(view, "certificate_balances", "beginning_balance"), u)),
                   (79, amt(total_value(view, "certificate_balances", "principal"), u))))
    out += [NOTIONAL_NOTE, "",
            "                                                      Total",
            "Class                               Int        Distribution              Losses"]
    for r in classes:
        out.append(row((0, _label(r), "l"), (39, amt(r["interest"], u)), (59, amt(r["total_distribution"], u)),
                       (79, amt(r["realized_loss"], u))))
    out.append(row((0, "Total", "l"), (39, amt(total_value(view, "distributions", "interest"), u)),
                   (59, amt(total_value(view, "distributions", "total_distribution"), u)),
                   (79, amt(total_value(view, "distributions", "realized_loss"), u))))
    out += [NOTIONAL_NOTE,
            "                                 Ending             Current                Next",
            "                            Certificate        Pass-Through        Pass-Through",
            "Class                               Bal            Int Rate            Int Rate"]
    for r in classes:
        fields: list[tuple[int, str]] = [(39, amt(r["ending_balance"], u))]
        if r["kind"] == "oc":
            fields.append((60, rate(r["pass_through_rate"])))
        elif r["pass_through_rate"] is not None:
            fields += [(60, rate(r["pass_through_rate"])), (80, rate(r["next_pass_through_rate"]))]
        out.append(row((0, _label(r), "l"), *fields))
    out.append(row((0, "Total", "l"), (39, amt(total_value(view, "ending_balances", "ending_balance"), u))))
    out += [NOTIONAL_NOTE, "", "AMOUNTS PER $1,000 UNIT", "",
            "Class                              Prin                 Int               Total"]
    factor_rows = [r for r in classes if r["kind"] not in ("oc", "p", "r") and r["original_balance"] > 0]
    for r in factor_rows:
        o = r["original_balance"]
        out.append(row((0, _label(r), "l"), (39, _per_1000(r["principal"], o, 6)),
                       (59, _per_1000(r["_exact_interest"], o, 6)),
                       (79, _per_1000(r["principal"] + r["_exact_interest"], o, 5))))
    out += [NOTIONAL_NOTE, "", "",
            "                                                     Ending",
            "                                                Certificate",
            "Class                            Losses                 Bal"]
    for r in factor_rows:
        o = r["original_balance"]
        out.append(row((0, _label(r), "l"), (39, _per_1000(r["realized_loss"], o, 6)),
                       (59, _per_1000(r["ending_balance"], o, 6))))
    out += [NOTIONAL_NOTE, "", "",
            "Section 4.02 (ii),(xv),(xvi),(xvii),(xiii)",
            "INTEREST",
            "",
            "                                Interest        Carryforward",
            "                            Distribution            Interest          Basis Risk",
            "Class                             Amount              Amount           Shortfall"]
    coupon = [r for r in classes if r["kind"] in ("senior", "io", "mezz", "sub")]
    interest_total = amt(total_value(view, "interest_detail", "interest"), u)
    for r in coupon:
        out.append(row((0, r["class"], "l"), (39, amt(r["interest"], u)), (59, "0"), (79, "0")))
    out.append(row((0, "TOTAL", "l"), (39, interest_total), (59, "0"), (79, "0")))
    out += ["", "", "",
            "                          Net Prepayment",
            "                                Interest          Basis Risk          Remittance",
            "Class                         Shortfalls          Shortfalls              Amount"]
    for r in coupon:
        out.append(row((0, r["class"], "l"), (39, "0"), (59, "0"), (79, amt(r["interest"], u))))
    out.append(row((0, "TOTAL", "l"), (39, "0"), (59, "0"), (79, interest_total)))
    d = view["deal"]
    out += ["", "", "",
            "Section 4.03 (xvii)",
            row((0, "Overcollateralization Deficiency", "l"), (59, amt(d["overcollateralization_deficiency"], u))),
            "", "",
            "Section 4.03 (i),(v),(ix),(xv),(viii)",
            "POOL"]
    pools = [pl for pl in view["pools"] if pl["pool"] != "Total"]
    total = view["pools"][-1]
    pool_rows = (
        ("Beg Sched Bal", "beginning_balance"),
        ("Sched Prin", "scheduled_principal"),
        ("Prin Prepmnts (incl curtlmnts)", "prepayments"),
        ("Liq Proceeds", "liquidation_proceeds"),
        ("Insurance Proceeds", "insurance_proceeds"),
        ("Substitute Loan Balance", "substitution_amount"),
        ("Deleted Loan Balance", "deleted_loan_balance"),
        ("Principal Remittance", "principal_remittance"),
        ("Scheduled Prin Bal of Mrtge Loans", "ending_balance"),
        ("Number of Mortgage Loans", "loan_count"),
    )
    blocks = [pools[i:i + 2] for i in range(0, len(pools), 2)] + [[total]]
    for block in blocks:
        heads = [(60 + 20 * j, "Total" if pl["pool"] == "Total" else f"Pool {pl['pool']}")
                 for j, pl in enumerate(block)]
        out.append(row(*heads))
        for label, key in pool_rows:
            out.append(row((0, label, "l"), *[(59 + 20 * j, amt(pl[key], u) if key != "loan_count"
                                                else f"{pl[key]:,}") for j, pl in enumerate(block)]))
        out.append("")
    cols = pools + [total]
    out.append(row(*[(39 + 20 * j, "Total" if pl["pool"] == "Total" else f"Pool {pl['pool']}")
                     for j, pl in enumerate(cols)]))
    for label, key in (("Curr Realized Loss", "current_realized_loss"),
                       ("Agg Realized Losses", "cumulative_realized_loss")):
        out.append(row((0, label, "l"), *[(39 + 20 * j, amt(pl[key], u)) for j, pl in enumerate(cols)]))
    out.append("")
    out.append(row(*[(40 + 20 * j, "Total" if pl["pool"] == "Total" else f"Pool {pl['pool']}")
                     for j, pl in enumerate(cols)]))
    for label, key in (("Gross Interest", "gross_interest"), ("Servicing Fee", "servicing_fee"),
                       ("Int Remit Amt", "interest_remittance"), (None, None),
                       ("Trustee Fee", "trustee_fee"), ("Credit Risk Manager", "credit_risk_manager_fee"),
                       (None, None), ("Net Interest Availab", "net_interest_available")):
        if label is None:
            out.append("")
            continue
        out.append(row((0, label, "l"), *[(39 + 20 * j, amt(pl[key], u)) for j, pl in enumerate(cols)]))
    out += ["",
            "Section 4.03 (iv)",
            "P&I ADVANCES",
            "",
            row((0, "Aggregate Advances required for the Collection Period", "l"), (79, amt(d["advances_required"], u))),
            row((0, "Aggregate Advances made for the Collection Period", "l"), (79, amt(d["advances_made"], u))),
            row((0, "Aggregate Advances not made for the Collection Period", "l"),
                (79, amt(d["advances_not_made"], u))),
            "", "",
            "Section 4.03 (x)",
            "DELINQUENCIES",
            "                                            Unpaid Principal    Stated Principal",
            "                                  Number             Balance             Balance"]
    labels = {"30-59": "30-59 days delq", "60-89": "60-89 days delq", "90+": "90 or more days delq",
              "foreclosure": "Foreclosures", "bankruptcy": "Bankruptcies", "reo": "REO"}
    for dq in view["delinquencies"]:
        label = labels[dq["bucket"]] + ("*" if dq["includes_fc_bk_reo"] else "")
        out.append(row((0, label, "l"), (39, f"{dq['count']:,}"), (59, amt(dq["unpaid_principal_balance"], u)),
                       (79, amt(dq["stated_principal_balance"], u))))
    out += ["* Includes all Foreclosure, Bankruptcy, and REO loans", "", "",
            "Section 4.03 (xix)",
            "",
            "Payments made by Cap Provider",
            row((0, "Basis Risk Cap Payment", "l"), (59, amt(d["cap_payment_basis_risk"], u))),
            row((0, "Class X Cap Payment", "l"), (59, amt(d["cap_payment_class_x"], u))),
            "", "",
            "Section 4.03 (vii)",
            "PREPAYMENT",
            "PREMIUM",
            "",
            row((0, "Prepayment Premium", "l"), (59, amt(d["prepayment_premium"], u))),
            ]
    return out
