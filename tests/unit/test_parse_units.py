"""Building blocks of the parser: number forms, class designations, CUSIPs, dates, and
the table engine on small made-up layouts (HTML spans, pools side by side, label...value
blocks, wrapped rows, truncation)."""

from __future__ import annotations

import pytest

from etl.parse import parse_bytes
from etl.parse.classes import (
    bare_designation,
    class_in_label,
    class_label,
    cusip_check_digit,
    cusip_is_valid,
    is_residual,
    looks_like_cusip,
    note_description,
)
from etl.parse.dates import parse_date
from etl.parse.measures import lexicon
from etl.parse.numbers import GARBLED, NA, PCT, ZERO, parse_number


# ---------------------------------------------------------------- numbers
@pytest.mark.unit
@pytest.mark.parametrize(
    ("raw", "value", "kind"),
    [
        ("1,234", 1234, "num"),
        ("1,234.56", 1234.56, "num"),
        ("(1,234)", -1234, "num"),
        ("($0.00)", 0.0, "num"),
        ("-", 0, ZERO),
        ("\u2014", 0, ZERO),
        ("$\u2014", 0, ZERO),
        ("N/A", None, NA),
        ("NA", None, NA),
        ("$1,234.56", 1234.56, "num"),
        ("$ 1,234", 1234, "num"),
        ("1.30875%", 1.30875, PCT),
        ("4.500 %", 4.5, PCT),
        ("1,234*", 1234, "num"),
        ("1,234(1)", 1234, "num"),
        ("1,234-", -1234, "num"),
        ("969.368928", 969.368928, "num"),
        ("(23,329,616.20", -23329616.20, "num"),
        ("353,986.674.62", None, GARBLED),
        ("00", None, GARBLED),
        ("1,2,4,5", None, GARBLED),
        ("12,34", None, GARBLED),
    ],
)
def test_number_forms(raw: str, value: float | None, kind: str) -> None:
    n = parse_number(raw)
    assert n is not None
    assert n.kind == kind
    if value is None:
        assert n.value is None
    else:
        assert n.value == pytest.approx(value)


@pytest.mark.unit
@pytest.mark.parametrize("raw", ["abc", "12/26/03", "333-106925-11", "5.", "1934,", "", "$", "%"])
def test_not_numbers(raw: str) -> None:
    assert parse_number(raw) is None


@pytest.mark.unit
def test_number_precision_kept() -> None:
    assert parse_number("1,234").decimals == 0
    assert parse_number("1,234.50").decimals == 2
    assert parse_number("1,234*").footnote == "*"
    assert parse_number("(1,234)").negative


# ---------------------------------------------------------------- classes and CUSIPs
@pytest.mark.unit
@pytest.mark.parametrize(
    ("cell", "designation", "starred"),
    [
        ("1-A1", "1-A1", False),
        ("A-IO*", "A-IO", True),
        ("X*", "X", True),
        ("M-2", "M-2", False),
        ("B6", "B6", False),
        ("A-2A", "A-2A", False),
        ("PO", "PO", False),
        ("R-1", "R-1", False),
        ("Class A-1 Notes", "A-1", False),
        ("Class A-1 Notes:", "A-1", False),
        ("A-1 Notes", "A-1", False),
        ("B Notes", "B", False),
        ("Certificates", "Certificates", False),
        ("Class A (2003-04)", "A (2003-04)", False),
        ("Class B Certificates", "B", False),
    ],
)
def test_class_designations(cell: str, designation: str, starred: bool) -> None:
    k = class_label(cell)
    assert k is not None, cell
    assert k.designation == designation
    assert k.starred is starred


@pytest.mark.unit
@pytest.mark.parametrize("cell", ["Total", "TOTAL", "SEN", "SUB", "RES", "POOL", "REO", "NA", "8-K", "Pool 1", "Class",
                                  "EX-1", "EX-99"])
def test_not_class_designations(cell: str) -> None:
    assert class_label(cell) is None
    assert bare_designation(cell) is None


@pytest.mark.unit
def test_class_inside_a_label() -> None:
    k = class_in_label("Original Class A Principal Balance")
    assert k is not None and k.designation == "A" and k.remainder == "Original Principal Balance"
    k = class_in_label("(iii) Class A-2B interest rate:")
    assert k is not None and k.designation == "A-2B"
    k = class_in_label("Certificates Balance")
    assert k is not None and k.designation == "Certificates"
    assert class_in_label("Total Certificate Balance") is None


@pytest.mark.unit
def test_residual_classes() -> None:
    assert is_residual("R") and is_residual("R-1") and is_residual("A-R") and is_residual("C", "RES")
    assert not is_residual("A-1") and not is_residual("M-2")


@pytest.mark.unit
def test_cusip_shape_and_check_digit() -> None:
    assert cusip_is_valid("86359A6H1")
    assert cusip_check_digit("86359A6S") == 7  # the seed prints 86359A6S8: a printing error
    assert not cusip_is_valid("86359A6S8")
    assert looks_like_cusip("OPT00003C")  # placeholder printed in a CUSIP column
    assert not looks_like_cusip("123456789") or looks_like_cusip("123456789") is False
    assert not looks_like_cusip("SECURITIE")


@pytest.mark.unit
def test_issuance_line() -> None:
    assert note_description("$298,600,000 Class A-1 0.27000% Asset Backed Notes due April 01, 2016") == (
        "A-1", 298600000, 0.27)
    assert note_description("$70,000,000 Class A-2B Floating Rate Asset Backed Notes due 2018") == (
        "A-2B", 70000000, None)
    assert note_description("$25,534,183 Asset Backed Certificates") == ("Certificates", 25534183, None)


# ---------------------------------------------------------------- dates
@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("12/26/03", "2003-12-26"),
        ("26-Dec-03", "2003-12-26"),
        ("12/26/2003", "2003-12-26"),
        ("NOVEMBER 22, 2004", "2004-11-22"),
        ("15-Nov-16", "2016-11-15"),
        ("September 15, 2011", "2011-09-15"),
        ("2003-12-26", "2003-12-26"),
        ("8/25/2000", "2000-08-25"),
        ("13/45/03", None),
    ],
)
def test_date_forms(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


# ---------------------------------------------------------------- measures lexicon
@pytest.mark.unit
@pytest.mark.parametrize(
    ("label", "measure"),
    [
        ("Beginning Certificate Bal(1)", "beginning_balance"),
        ("Prior Principal Balance", "beginning_balance"),
        ("Beginning Balance", "beginning_balance"),
        ("Beginning Notional Balance", "beginning_balance"),
        ("Prin", "principal"),
        ("Principle", "principal"),
        ("Principal Distribution", "principal"),
        ("Int", "interest"),
        ("Interest Distribution", "interest"),
        ("Total Principal & Interest Distribution", "total_distribution"),
        ("Current Pass-Through Int Rate", "pass_through_rate"),
        ("Prin Prepmnts (incl curtlmnts)", "prepayments"),
    ],
)
def test_label_variants(label: str, measure: str) -> None:
    assert lexicon().lookup_label(label)[0].measure.name == measure


# ---------------------------------------------------------------- the table engine
def _parse(text: str, name: str = "x.txt") -> dict:
    return parse_bytes(text.encode("utf-8"), name)


@pytest.mark.unit
def test_html_colspan_rowspan_and_split_figures() -> None:
    doc = """<html><body><p>Distribution Date: 01/25/2006</p><table>
<tr><th rowspan="2">Class</th><th rowspan="2">CUSIP</th><th colspan="2">Beginning</th>
    <th colspan="2">Principal</th><th colspan="2">Ending</th></tr>
<tr><th colspan="2">Balance</th><th colspan="2">Distribution</th><th colspan="2">Balance</th></tr>
<tr><td>A-1</td><td>12345AAB7</td><td>$</td><td>1,000,000.00</td><td>$</td><td>(0.00</td><td>)</td>
    <td>1,000,000.00</td><td></td></tr>
<tr><td>A-2</td><td>12345AAC5</td><td>$</td><td>500,000.00</td><td>$</td><td>100,000.00</td><td>$</td>
    <td>400,000.00</td></tr>
</table></body></html>"""
    p = _parse(doc, "r.htm")
    got = {c["class"]: c for c in p["classes"]}
    assert got["A-1"]["beginning_balance"] == 1000000.00
    assert got["A-1"]["principal"] == 0
    assert got["A-1"]["ending_balance"] == 1000000.00
    assert got["A-2"]["principal"] == 100000.00 and got["A-2"]["ending_balance"] == 400000.00
    assert got["A-2"]["cusip"] == "12345AAC5"
    assert p["distribution_date"] == "2006-01-25"
    assert p["amount_decimals"] == 2


@pytest.mark.unit
def test_pools_side_by_side_with_total_column() -> None:
    text = """POOL INFORMATION
                                   Group 1          Group 2            Total
Beginning Balance              100,000,000       50,000,000      150,000,000
Scheduled Principal                 10,000            5,000           15,000
Prepayments                        200,000          100,000          300,000
Ending Balance                  99,790,000       49,895,000      149,685,000
Number of Loans                        512              301              813
"""
    p = _parse(text)
    pools = {x["pool"]: x for x in p["pools"]}
    assert set(pools) == {"1", "2", "Total"}
    assert pools["1"]["beginning_balance"] == 100000000
    assert pools["2"]["prepayments"] == 100000
    assert pools["Total"]["ending_balance"] == 149685000
    assert pools["Total"]["loan_count"] == 813


@pytest.mark.unit
def test_label_dot_leader_block() -> None:
    text = """DEAL INFORMATION
Beginning Pool Balance ........................  $1,234,567.89
Prepayment Premium ............................      $5,000.00
Overcollateralization Amount ..................    $250,000.00
"""
    p = _parse(text)
    assert p["pools"][0]["pool"] == "Total"
    assert p["pools"][0]["beginning_balance"] == pytest.approx(1234567.89)
    assert p["deal"]["prepayment_premium"] == pytest.approx(5000.00)
    assert p["deal"]["overcollateralization_amount"] == pytest.approx(250000.00)


@pytest.mark.unit
def test_wrapped_label_and_wrapped_row() -> None:
    text = """P&I ADVANCES

Aggregate Advances required for
   the Collection Period                                393,355

                 Beginning        Principal       Interest          Ending
Class              Balance     Distribution   Distribution         Balance
A-1          1,000,000.00       100,000.00       5,000.00
                                                                900,000.00
A-2            500,000.00             0.00       2,500.00      500,000.00
"""
    p = _parse(text)
    assert p["deal"]["advances_required"] == 393355
    got = {c["class"]: c for c in p["classes"]}
    assert got["A-1"]["ending_balance"] == pytest.approx(900000.00)
    assert got["A-1"]["interest"] == pytest.approx(5000.00)
    assert got["A-2"]["ending_balance"] == pytest.approx(500000.00)


@pytest.mark.unit
def test_truncated_document_keeps_complete_rows_only() -> None:
    text = """Class      Beginning Balance      Principal      Interest
A-1           1,000,000.00     100,000.00      5,000.00
A-2             500,000.00       1,000.00      2,500.00
A-3             250,0"""
    p = _parse(text)
    got = {c["class"]: c for c in p["classes"]}
    assert got["A-2"]["interest"] == pytest.approx(2500.00)
    assert "A-3" not in got or got["A-3"]["beginning_balance"] is None
    assert any("cut" in w for w in p["warnings"])


@pytest.mark.unit
def test_per_1000_section_never_lands_in_dollar_fields() -> None:
    text = """AMOUNTS PER $1,000 UNIT

Class            Prin          Int        Total
A-1         15.722634     1.110178     16.83281
"""
    p = _parse(text)
    a1 = next(c for c in p["classes"] if c["class"] == "A-1") if p["classes"] else None
    # per-$1,000 figures alone do not make a class row with dollars
    assert a1 is None or (a1["principal"] is None and a1["interest"] is None)
    assert any(f["measure"] == "principal_per_1000" and f["value"] == pytest.approx(15.722634) for f in p["fields"])


# ---------------------------------------------------------------- bad input never crashes
@pytest.mark.unit
def test_empty_input() -> None:
    p = parse_bytes(b"", "empty.txt")
    assert p["kind"] == "unknown" and "empty" in p["error"]


@pytest.mark.unit
def test_binary_input() -> None:
    p = parse_bytes(bytes(range(256)) * 64, "blob.bin")
    assert p["kind"] == "unknown" and "binary" in p["error"]
    p = parse_bytes(b"%PDF-1.4\n" + b"\x00\x01" * 100, "x.pdf")
    assert p["kind"] == "unknown" and p["error"] == "binary input (not a text or HTML document)"


@pytest.mark.unit
def test_invalid_bytes_are_replaced_with_a_warning() -> None:
    text = b"Class   Beginning Balance   Principal\nA-1   1,000.00   10.00\n" + b"\x81\x8d\xff\xfe bad\n"
    p = parse_bytes(text, "bad.txt")
    assert p["error"] is None
    assert any("UTF-8" in w for w in p["warnings"])
    assert p["classes"][0]["beginning_balance"] == pytest.approx(1000.00)


@pytest.mark.unit
def test_deeply_nested_html_does_not_recurse() -> None:
    doc = "<html><body>" + "<div>" * 5000 + "deep" + "</div>" * 5000 + "</body></html>"
    p = parse_bytes(doc.encode(), "deep.htm")
    assert p["kind"] == "unknown"
    # read without recursing: the document is judged (no report in it), not a parser failure
    assert (p["error"] or "").startswith("no distribution report found"), p["error"]
    assert any("nested deeper than" in w for w in p["warnings"]), p["warnings"]


@pytest.mark.unit
@pytest.mark.timeout(60)
def test_fifty_megabytes_bounded(tmp_path) -> None:  # noqa: ANN001 - pytest fixture
    row = "A-1        1,000,000.00        100,000.00        5,000.00\n"
    head = "Class      Beginning Balance      Principal      Interest\n"
    data = (head + row * (50 * 1024 * 1024 // len(row))).encode()
    assert len(data) >= 50 * 1024 * 1024 - len(row)
    import time

    t0 = time.perf_counter()
    p = parse_bytes(data, "big.txt")
    elapsed = time.perf_counter() - t0
    assert elapsed < 30
    assert any("MB" in w for w in p["warnings"])
    assert p["classes"][0]["beginning_balance"] == pytest.approx(1000000.00)


@pytest.mark.unit
def test_not_a_report_is_unknown_with_reason() -> None:
    p = _parse("This is a letter to shareholders.\nIt has no tables at all.\n")
    assert p["kind"] == "unknown"
    assert (p["error"] or "").startswith("no distribution report found: no class, pool or deal figures"), p["error"]


# ---------------------------------------------------------------- regressions from the synthetic corpus
_GROUPED_HTML = """<html><body><p>Distribution Date: March 25, 2004</p><table>
<tr><td colspan="2"></td><td colspan="4">Certificate Balance</td><td colspan="6">Current Distribution</td>
    <td colspan="2"></td><td colspan="2">Certificate Balance</td></tr>
<tr><td>Class</td><td>Pass-Through Rate</td><td colspan="2">Original</td><td colspan="2">Beginning</td>
    <td colspan="2">Principal</td><td colspan="2">Interest</td><td colspan="2">Total</td>
    <td colspan="2">Realized Losses</td><td colspan="2">Ending</td></tr>
<tr><td>A-1</td><td>1.38625%</td><td>$</td><td>91,200,000.00</td><td>$</td><td>91,200,000.00</td>
    <td>$</td><td>1,180,856.56</td><td>$</td><td>94,819.50</td><td>$</td><td>1,275,676.06</td>
    <td>$</td><td>(1,000.00)</td><td>$</td><td>90,018,143.44</td></tr>
<tr><td>A-IO<sup>(1)</sup></td><td>6.50000%</td><td></td><td>73,865,000.00</td><td></td><td>73,865,000.00</td>
    <td></td><td>-</td><td></td><td>400,102.08</td><td></td><td>400,102.08</td><td></td><td>-</td>
    <td></td><td>73,865,000.00</td></tr>
<tr><td>M-1</td><td>1.75625%</td><td></td><td>13,705,000.00</td><td></td><td>13,705,000.00</td>
    <td></td><td>-</td><td></td><td>18,052.05</td><td></td><td>18,052.05</td><td></td><td>(2,000.00)</td>
    <td></td><td>13,703,000.00</td></tr>
<tr><td colspan="2">Total</td><td>$</td><td>104,905,000.00</td><td>$</td><td>104,905,000.00</td>
    <td>$</td><td>1,180,856.56</td><td>$</td><td>512,973.63</td><td>$</td><td>1,693,830.19</td>
    <td>$</td><td>(3,000.00)</td><td>$</td><td>103,721,143.44</td></tr>
</table>
<p>(1) Notional balance. Class A-IO is an interest-only class and is not included in the balance totals.</p>
<p>Available Funds</p><table>
<tr><td></td><td colspan="2">Group 1</td><td colspan="2">Group 2</td><td colspan="2">Total</td></tr>
<tr><td>Scheduled Interest</td><td>$</td><td>1,598,558.34</td><td>$</td><td>368,218.46</td><td>$</td>
    <td>1,966,776.79</td></tr>
<tr><td>Less: Servicing Fee</td><td></td><td>(100,437.19)</td><td></td><td>(20,675.05)</td><td></td>
    <td>(121,112.24)</td></tr>
<tr><td>Interest Remittance Amount</td><td></td><td>1,498,121.15</td><td></td><td>347,543.41</td><td></td>
    <td>1,845,664.55</td></tr>
<tr><td>Prepayment Penalties</td><td></td><td>18,315.29</td><td></td><td>3,062.56</td><td></td>
    <td>21,377.85</td></tr>
<tr><td>Beginning Loan Count</td><td></td><td>1,720</td><td></td><td>220</td><td></td><td>1,940</td></tr>
<tr><td>Ending Loan Count</td><td></td><td>1,713</td><td></td><td>219</td><td></td><td>1,932</td></tr>
</table></body></html>"""


@pytest.mark.unit
def test_grouped_header_cells_under_a_spanning_heading_keep_their_own_measure() -> None:
    # "Current Distribution" over Principal / Interest / Total, "Certificate Balance" over
    # Original / Beginning and Ending: each column is still read as its own measure
    p = _parse(_GROUPED_HTML, "r.htm")
    a1 = next(c for c in p["classes"] if c["class"] == "A-1")
    assert a1["original_balance"] == 91200000.00
    assert a1["beginning_balance"] == 91200000.00
    assert a1["interest"] == 94819.50
    assert a1["total_distribution"] == 1275676.06
    assert a1["ending_balance"] == 90018143.44
    totals = {t["measure"]: t["value"] for t in p["class_totals"]}
    assert totals["interest"] == 512973.63 and totals["original_balance"] == 104905000.00


@pytest.mark.unit
def test_numbered_footnote_mark_on_a_class_makes_it_notional() -> None:
    # "A-IO(1)" and "(1) Notional balance ...": the mark is a footnote's, not item numbering
    p = _parse(_GROUPED_HTML, "r.htm")
    flags = {c["class"]: c["notional"] for c in p["classes"]}
    assert flags == {"A-1": False, "A-IO": True, "M-1": False}


@pytest.mark.unit
def test_deductions_in_parentheses_are_read_as_amounts() -> None:
    p = _parse(_GROUPED_HTML, "r.htm")
    pools = {x["pool"]: x for x in p["pools"]}
    assert pools["1"]["servicing_fee"] == 100437.19 and pools["Total"]["servicing_fee"] == 121112.24
    got = {c["class"]: c for c in p["classes"]}
    assert got["A-1"]["realized_loss"] == 1000.00 and got["M-1"]["realized_loss"] == 2000.00
    assert {t["measure"]: t["value"] for t in p["class_totals"]}["realized_loss"] == 3000.00
    # a negative among positives is a recovery, printed as such: signs kept
    mixed = _GROUPED_HTML.replace("(2,000.00)", "2,000.00")
    got = {c["class"]: c for c in _parse(mixed, "r.htm")["classes"]}
    assert got["A-1"]["realized_loss"] == -1000.00 and got["M-1"]["realized_loss"] == 2000.00


@pytest.mark.unit
def test_beginning_loan_count_is_not_the_loan_count_and_pool_penalties_stay_with_pools() -> None:
    p = _parse(_GROUPED_HTML, "r.htm")
    pools = {x["pool"]: x for x in p["pools"]}
    assert pools["1"]["loan_count"] == 1713 and pools["1"]["beginning_loan_count"] == 1720
    assert pools["Total"]["loan_count"] == 1932
    # printed per pool: each pool keeps its own; the deal's figure is the Total column's
    assert pools["1"]["prepayment_premium"] == 18315.29
    assert p["deal"]["prepayment_premium"] == 21377.85


@pytest.mark.unit
def test_collateral_statements_titled_by_group_are_that_groups_figures() -> None:
    block = """<TABLE>
<CAPTION>
                                  {name} Collateral Statement

<S>                                                          <C>
Beginning Loan Count                                                       {n0:,}
Ending Loan Count                                                          {n1:,}
Beginning Scheduled Balance                                       {b0}
Realized Loss Amount                                                    {loss}
Ending Scheduled Balance                                          {b1}
</TABLE>
"""
    text = "Distribution Date:      4/26/2004\n\n" + "".join([
        block.format(name="Group 1", n0=1083, n1=1075, b0="236,717,675.87", loss="1,000.00", b1="234,635,253.53"),
        block.format(name="Group 2", n0=332, n1=328, b0=" 39,911,855.11", loss="    0.00", b1=" 39,388,127.51"),
        block.format(name="Total", n0=1415, n1=1403, b0="276,629,530.98", loss="1,000.00", b1="274,023,381.04"),
    ]) + """
<TABLE>
<CAPTION>
                                  Delinquency Status

<S>                          <C>               <C>
30 Days                                     12          2,467,818.11
60 Days                                      5            882,087.56
90+ Days                                     2            142,974.10
</TABLE>
"""
    p = _parse(text)
    pools = {x["pool"]: x for x in p["pools"]}
    assert set(pools) == {"1", "2", "Total"}
    assert pools["1"]["beginning_balance"] == 236717675.87 and pools["1"]["loan_count"] == 1075
    assert pools["2"]["ending_balance"] == 39388127.51 and pools["2"]["current_realized_loss"] == 0
    assert pools["Total"]["beginning_balance"] == 276629530.98
    assert pools["Total"]["current_realized_loss"] == 1000.00
    buckets = {(d["bucket"], d["count"]) for d in p["delinquencies"]}
    assert {("30-59", 12), ("60-89", 5), ("90+", 2)} <= buckets


@pytest.mark.unit
def test_html_table_that_lost_its_column_spans_is_read_in_order() -> None:
    """A converter dropped every colspan: the header cells pack to the left, over no figure,
    and the '$' and '%' cells stand apart. Position cannot read it; order can."""
    doc = """<html><body><table>
<tr><td>Original Balance</td><td>Coupon</td><td>Beginning Balance</td><td>Principal</td><td>Ending Balance</td></tr>
<tr><td>i.</td><td>Class A-1 Notes</td><td>$</td><td>133,000,000.00</td><td>1.770</td><td>%</td>
    <td>$</td><td>69,661,735.35</td><td>$</td><td>17,648,714.29</td><td>$</td><td>52,013,021.06</td></tr>
<tr><td>ii.</td><td>Class A-2 Notes</td><td>$</td><td>122,000,000.00</td><td>1.950</td><td>%</td>
    <td>$</td><td>122,000,000.00</td><td>$</td><td>0.00</td><td>$</td><td>122,000,000.00</td></tr>
</table></body></html>"""
    got = {c["class"]: c for c in _parse(doc, "r.htm")["classes"]}
    a1 = got["A-1"]
    assert (a1["original_balance"], a1["pass_through_rate"]) == (133000000.00, 1.77)
    assert (a1["beginning_balance"], a1["principal"], a1["ending_balance"]) == (69661735.35, 17648714.29, 52013021.06)
    assert got["A-2"]["ending_balance"] == 122000000.00


@pytest.mark.unit
def test_html_flattened_one_cell_per_row_joins_marks_to_their_figures() -> None:
    cells = ["Class", "Rate", "Interest", "Class A-1", "0.2883", "%", "$", "38,666.01",
             "Class A-2", "0.6700", "%", "$", "265,208.33"]
    doc = "<html><body><table>" + "".join(f"<tr><td>{c}</td></tr>" for c in cells) + "</table></body></html>"
    p = _parse(doc, "r.htm")
    got = {c["class"]: c for c in p["classes"]}
    assert (got["A-1"]["pass_through_rate"], got["A-1"]["interest"]) == (0.2883, 38666.01)
    raw = {(f["entity"], f["measure"]): f["raw"] for f in p["fields"]}
    assert raw[("A-1", "pass_through_rate")] == "0.2883%" and raw[("A-1", "interest")] == "$38,666.01"
    assert (got["A-2"]["pass_through_rate"], got["A-2"]["interest"]) == (0.67, 265208.33)
