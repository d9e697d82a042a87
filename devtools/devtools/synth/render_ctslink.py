"""Layout 2: a CTSLink-style fixed-width report (cents) inside <TABLE>/<S>/<C> markers.

Follows the "Certificateholder Distribution Summary" of the dev excerpts 002/003:
class names centred in a 12-character field, CUSIP at column 15, a description code,
then rate, beginning balance, interest and principal right-aligned at 54/72/88/104;
a second table carries realized loss, ending balance, total distribution and
cumulative realized losses; the collateral follows as label-value lines.
"""

from __future__ import annotations

from typing import Any

from devtools.synth.deals import DealSpec
from devtools.synth.textfmt import amt, mdy_loose, rate, row
from devtools.synth.views import total_value

DESCRIPTION = {"senior": "SEN", "io": "IO", "mezz": "MEZ", "sub": "SUB", "oc": "OC", "p": "PEN", "r": "RES"}


def _cls(name: str) -> tuple[int, str, str]:
    return ((12 - len(name)) // 2, name, "l")


def statement(deal: DealSpec, view: dict[str, Any]) -> list[str]:
    """The CTSLink report, as lines."""
    u = deal.unit
    p = view["period"]
    t = deal.trustee
    title = deal.shelf.trust.title()
    out = [
        "<TABLE>",
        "<CAPTION>",
        title,
        deal.shelf.cert_title.title(),
        "", "", "",
        f"Record Date:            {mdy_loose(p['record_date'])}",
        f"Distribution Date:      {mdy_loose(p['distribution_date'])}",
        "", "",
        f"{deal.shelf.abbr.upper()}  Series: {deal.series}",
        "",
        "Contact: Customer Service - CTSLink",
        f"         {t.name}",
        f"         {t.department}",
        f"         {t.street}",
        f"         {t.city}",
        f"         Telephone: {t.phone}",
        f"         Fax:       {t.fax}",
        "",
        "                                             Certificateholder Distribution Summary",
        "",
        "                         Certificate      Certificate         Beginning",
        "                            Class         Pass-Through      Certificate        Interest       Principal",
        "Class           CUSIP    Description             Rate           Balance    Distribution    Distribution",
        "<S>          <C>        <C>            <C>            <C>               <C>             <C>",
    ]
    for r in view["classes"]:
        out.append(row(_cls(r["class"]), (15, r["cusip"], "l"), (33, DESCRIPTION[r["kind"]], "l"),
                       (54, rate(r["pass_through_rate"])), (72, amt(r["beginning_balance"], u)),
                       (88, amt(r["interest"], u)), (104, amt(r["principal"], u))))
    out += ["", row((0, "Totals", "l"),
                    (72, amt(total_value(view, "distribution_summary", "beginning_balance"), u)),
                    (88, amt(total_value(view, "distribution_summary", "interest"), u)),
                    (104, amt(total_value(view, "distribution_summary", "principal"), u))),
            "</TABLE>", "", "<TABLE>", "<CAPTION>",
            "                                  Certificateholder Distribution Summary (continued)",
            "",
            "                            Current            Ending                           Cumulative",
            "                           Realized       Certificate             Total           Realized",
            "Class                          Loss           Balance      Distribution             Losses",
            "<S>          <C>                 <C>               <C>               <C>"]
    for r in view["classes"]:
        out.append(row(_cls(r["class"]), (36, amt(r["realized_loss"], u)), (54, amt(r["ending_balance"], u)),
                       (72, amt(r["total_distribution"], u)), (90, amt(r["cumulative_realized_loss"], u))))
    out += ["", row((0, "Totals", "l"),
                    (36, amt(total_value(view, "distribution_summary_2", "realized_loss"), u)),
                    (54, amt(total_value(view, "distribution_summary_2", "ending_balance"), u)),
                    (72, amt(total_value(view, "distribution_summary_2", "total_distribution"), u)),
                    (90, amt(total_value(view, "distribution_summary_2", "cumulative_realized_loss"), u))),
            "</TABLE>", ""]
    if any(r["notional"] for r in view["classes"]):
        out += ["Class A-IO is an interest-only class; its balance is a notional amount and is not included",
                "in the Totals.", ""]
    for pl in view["pools"]:
        name = "Total" if pl["pool"] == "Total" else f"Group {pl['pool']}"
        out += ["<TABLE>", "<CAPTION>", f"                                  {name} Collateral Statement", "",
                "<S>                                                          <C>"]
        lines = (
            ("Collateral Description", "Mixed Fixed & ARM"),
            ("Weighted Average Gross Coupon", f"{pl['wac']:.6f}%"),
            ("Weighted Average Net Coupon", f"{pl['net_wac']:.6f}%"),
            ("Beginning Loan Count", f"{pl['beginning_loan_count']:,}"),
            ("Loans Paid In Full", f"{pl['loans_paid_in_full']:,}"),
            ("Loans Liquidated", f"{pl['loans_liquidated']:,}"),
            ("Ending Loan Count", f"{pl['loan_count']:,}"),
            ("Beginning Scheduled Balance", amt(pl["beginning_balance"], u)),
            ("Scheduled Principal", amt(pl["scheduled_principal"], u)),
            ("Unscheduled Principal", amt(pl["prepayments"], u)),
            ("Liquidation Proceeds", amt(pl["liquidation_proceeds"], u)),
            ("Realized Loss Amount", amt(pl["current_realized_loss"], u)),
            ("Ending Scheduled Balance", amt(pl["ending_balance"], u)),
            ("Principal Remittance Amount", amt(pl["principal_remittance"], u)),
            ("Scheduled Interest", amt(pl["gross_interest"], u)),
            ("Servicing Fee", amt(pl["servicing_fee"], u)),
            ("Interest Remittance Amount", amt(pl["interest_remittance"], u)),
            ("Trustee Fee", amt(pl["trustee_fee"], u)),
            ("Credit Risk Manager Fee", amt(pl["credit_risk_manager_fee"], u)),
            ("Net Interest Available", amt(pl["net_interest_available"], u)),
            ("Cumulative Realized Loss", amt(pl["cumulative_realized_loss"], u)),
            ("Prepayment Penalties", amt(pl["prepayment_premium"], u)),
        )
        out += [row((0, label, "l"), (80, value)) for label, value in lines]
        out += ["</TABLE>", ""]
    d = view["deal"]
    out += ["<TABLE>", "<CAPTION>", "                                  Credit Enhancement and Other Information", "",
            "<S>                                                          <C>"]
    for label, key in (("Overcollateralization Amount", "overcollateralization_amount"),
                       ("Overcollateralization Target Amount", "overcollateralization_target"),
                       ("Overcollateralization Deficiency Amount", "overcollateralization_deficiency"),
                       ("Basis Risk Cap Payment", "cap_payment_basis_risk"),
                       ("Class X Cap Payment", "cap_payment_class_x"),
                       ("P&I Advances Required", "advances_required"),
                       ("P&I Advances Made", "advances_made"),
                       ("P&I Advances Not Made", "advances_not_made")):
        out.append(row((0, label, "l"), (80, amt(d[key], u))))
    out += ["</TABLE>", "", "<TABLE>", "<CAPTION>", "                                  Delinquency Status", "",
            "                                  No. of             Principal",
            "                                   Loans               Balance",
            "<S>                          <C>               <C>"]
    labels = {"30-59": "30 Days", "60-89": "60 Days", "90+": "90+ Days", "foreclosure": "Foreclosure",
              "bankruptcy": "Bankruptcy", "reo": "REO"}
    for dq in view["delinquencies"]:
        out.append(row((0, labels[dq["bucket"]], "l"), (40, f"{dq['count']:,}"),
                       (62, amt(dq["unpaid_principal_balance"], u))))
    out += ["</TABLE>", "",
            "Delinquency buckets are exclusive: loans in foreclosure, bankruptcy or REO are not",
            "included in the 30, 60 or 90+ day counts."]
    return out
