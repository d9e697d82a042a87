"""Layout 3: an HTML monthly statement (cents), as filed as EX-99.1 of a 10-D.

Real <table> markup with one cell per token: ``$`` in a cell of its own (on the
first and Total rows), deductions and realized losses in parentheses, ``-`` for a
zero distribution, a two-row header whose first row groups columns with colspan,
and the notional class flagged by a footnote mark.
"""

from __future__ import annotations

from html import escape
from typing import Any

from devtools.synth.deals import DealSpec
from devtools.synth.textfmt import amt, long_date, paren, rate
from devtools.synth.views import total_value

_TD = '<td align="right">'
_STYLE = 'style="font-family:Times New Roman;font-size:9pt"'


def _money_cells(value: int | None, unit: int, dollar: bool, dash_zero: bool = False,
                 negative: bool = False) -> str:
    sign = "<td>$</td>" if dollar else "<td></td>"
    if value is None:
        return "<td></td><td></td>"
    if negative:
        text = paren(value, unit)
    elif dash_zero and value == 0:
        text = "-"
    else:
        text = amt(value, unit)
    return f"{sign}{_TD}{text}</td>"


def statement(deal: DealSpec, view: dict[str, Any]) -> str:
    """The whole HTML document (one string)."""
    u = deal.unit
    p = view["period"]
    t = deal.trustee
    parts: list[str] = [
        "<html>", "<head>", f"<title>{escape(deal.name)} - Monthly Statement</title>", "</head>",
        f"<body {_STYLE}>",
        f'<p align="center"><b>{escape(deal.name)}</b><br>',
        f"{escape(deal.shelf.cert_title.title())}, Series {deal.series}<br>",
        "Monthly Statement to Certificateholders</p>",
        '<table border="0" cellpadding="2" cellspacing="0">',
        f"<tr><td>Distribution Date:</td><td>{long_date(p['distribution_date'])}</td></tr>",
        f"<tr><td>Record Date:</td><td>{long_date(p['record_date'])}</td></tr>",
        f"<tr><td>Interest Accrual Period:</td><td>{long_date(p['prior_distribution_date'])} to "
        f"{long_date(p['distribution_date'])} ({p['accrual_days']} days)</td></tr>",
        f"<tr><td>Trustee:</td><td>{escape(t.name)}</td></tr>",
        f"<tr><td>Contact:</td><td>{escape(t.department)}, {escape(t.phone)}</td></tr>",
        "</table>",
        "<p><b>Distribution Summary</b></p>",
        '<table border="1" cellpadding="2" cellspacing="0" width="100%">',
        '<tr><td colspan="3"></td><td colspan="4" align="center"><b>Certificate Balance</b></td>'
        '<td colspan="6" align="center"><b>Current Distribution</b></td><td colspan="2"></td>'
        '<td colspan="2" align="center"><b>Certificate Balance</b></td></tr>',
        "<tr><td><b>Class</b></td><td><b>CUSIP</b></td><td><b>Pass-Through Rate</b></td>"
        '<td colspan="2"><b>Original</b></td><td colspan="2"><b>Beginning</b></td>'
        '<td colspan="2"><b>Principal</b></td><td colspan="2"><b>Interest</b></td>'
        '<td colspan="2"><b>Total</b></td><td colspan="2"><b>Realized Losses</b></td>'
        '<td colspan="2"><b>Ending</b></td></tr>',
    ]
    for i, r in enumerate(view["classes"]):
        first = i == 0
        label = escape(r["class"]) + ("<sup>(1)</sup>" if r["notional"] else "")
        parts.append(
            f"<tr><td>{label}</td><td>{r['cusip']}</td>{_TD}{rate(r['pass_through_rate'])}</td>"
            + _money_cells(r["original_balance"], u, first)
            + _money_cells(r["beginning_balance"], u, first)
            + _money_cells(r["principal"], u, first, dash_zero=True)
            + _money_cells(r["interest"], u, first, dash_zero=True)
            + _money_cells(r["total_distribution"], u, first, dash_zero=True)
            + _money_cells(r["realized_loss"], u, first, negative=True)
            + _money_cells(r["ending_balance"], u, first)
            + "</tr>")

    def tot(measure: str) -> int:
        return total_value(view, "distribution_summary", measure)

    parts.append(
        '<tr><td colspan="3"><b>Total</b></td>'
        + _money_cells(tot("original_balance"), u, True)
        + _money_cells(tot("beginning_balance"), u, True)
        + _money_cells(tot("principal"), u, True, dash_zero=True)
        + _money_cells(tot("interest"), u, True, dash_zero=True)
        + _money_cells(tot("total_distribution"), u, True, dash_zero=True)
        + _money_cells(tot("realized_loss"), u, True, negative=True)
        + _money_cells(tot("ending_balance"), u, True)
        + "</tr>")
    parts.append("</table>")
    if any(r["notional"] for r in view["classes"]):
        parts.append("<p>(1) Notional balance. Class A-IO is an interest-only class and is not included "
                     "in the balance totals.</p>")

    pools = view["pools"]
    heads = "".join(f'<td colspan="2" align="center"><b>{"Total" if pl["pool"] == "Total" else "Group " + pl["pool"]}'
                    "</b></td>" for pl in pools)

    def pool_row(label: str, key: str, negative: bool = False, count: bool = False, first: bool = False) -> str:
        cells = ""
        for pl in pools:
            if count:
                cells += f"<td></td>{_TD}{pl[key]:,}</td>"
            else:
                cells += _money_cells(pl[key], u, first, negative=negative)
        return f"<tr><td>{label}</td>{cells}</tr>"

    parts += [
        "<p><b>Collateral Summary</b></p>",
        '<table border="1" cellpadding="2" cellspacing="0" width="100%">',
        f"<tr><td></td>{heads}</tr>",
        pool_row("Beginning Principal Balance", "beginning_balance", first=True),
        pool_row("Scheduled Principal", "scheduled_principal"),
        pool_row("Prepayments (Including Curtailments)", "prepayments"),
        pool_row("Net Liquidation Proceeds", "liquidation_proceeds"),
        pool_row("Realized Losses", "current_realized_loss", negative=True),
        pool_row("Ending Principal Balance", "ending_balance", first=True),
        pool_row("Principal Remittance Amount", "principal_remittance"),
        pool_row("Beginning Loan Count", "beginning_loan_count", count=True),
        pool_row("Ending Loan Count", "loan_count", count=True),
        pool_row("Cumulative Realized Losses", "cumulative_realized_loss"),
        "</table>",
        "<p><b>Available Funds</b></p>",
        '<table border="1" cellpadding="2" cellspacing="0" width="100%">',
        f"<tr><td></td>{heads}</tr>",
        pool_row("Scheduled Interest", "gross_interest", first=True),
        pool_row("Less: Servicing Fee", "servicing_fee", negative=True),
        pool_row("Interest Remittance Amount", "interest_remittance"),
        pool_row("Less: Trustee Fee", "trustee_fee", negative=True),
        pool_row("Less: Credit Risk Manager Fee", "credit_risk_manager_fee", negative=True),
        pool_row("Net Interest Available", "net_interest_available", first=True),
        pool_row("Prepayment Penalties", "prepayment_premium"),
        "</table>",
    ]
    d = view["deal"]
    parts += ["<p><b>Credit Enhancement</b></p>",
              '<table border="1" cellpadding="2" cellspacing="0">']
    for label, key in (("Overcollateralization Amount", "overcollateralization_amount"),
                       ("Overcollateralization Target Amount", "overcollateralization_target"),
                       ("Overcollateralization Deficiency", "overcollateralization_deficiency"),
                       ("Basis Risk Cap Payment", "cap_payment_basis_risk"),
                       ("Class X Cap Payment", "cap_payment_class_x"),
                       ("Monthly Advances Required", "advances_required"),
                       ("Monthly Advances Made", "advances_made"),
                       ("Monthly Advances Not Made", "advances_not_made")):
        parts.append(f"<tr><td>{label}</td>{_money_cells(d[key], u, True)}</tr>")
    parts += ["</table>",
              "<p><b>Delinquency Information</b></p>",
              '<table border="1" cellpadding="2" cellspacing="0">',
              '<tr><td></td><td align="center"><b>Number of Loans</b></td>'
              '<td colspan="2" align="center"><b>Principal Balance</b></td></tr>']
    labels = {"30-59": "30-59 Days", "60-89": "60-89 Days", "90+": "90+ Days", "foreclosure": "Foreclosure",
              "bankruptcy": "Bankruptcy", "reo": "REO"}
    for i, dq in enumerate(view["delinquencies"]):
        parts.append(f"<tr><td>{labels[dq['bucket']]}</td>{_TD}{dq['count']:,}</td>"
                     f"{_money_cells(dq['unpaid_principal_balance'], u, i == 0)}</tr>")
    parts += ["</table>",
              "<p>Delinquency categories are exclusive of one another.</p>",
              "</body>", "</html>"]
    return "\n".join(parts)
