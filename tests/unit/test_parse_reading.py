"""The arithmetic decides which column holds which measure; header words break ties.

Hand-made class tables whose header words mislead or say nothing: the identities the
rows obey (beginning - principal = ending, principal + interest = total) must win, and a
table of zeros must not be "confirmed" by them.
"""

from __future__ import annotations

import pytest

from etl.parse import parse_bytes

# Header words swapped: the column headed "Interest" holds the principal (it is what
# takes the beginning balance to the ending one) and "Principal" holds the interest.
SWAPPED = """\
                       STATEMENT TO CERTIFICATEHOLDERS

                     Beginning                                                 Ending
Class                  Balance        Interest       Principal       Total       Balance
A-1              100,000,000.00   5,000,000.00     400,000.00  5,400,000.00  95,000,000.00
A-2               50,000,000.00   1,000,000.00     200,000.00  1,200,000.00  49,000,000.00
B                 10,000,000.00           0.00      50,000.00     50,000.00  10,000,000.00
"""

# No header words at all over the figures: only the arithmetic can name the columns.
UNHEADED = """\
                       STATEMENT TO CERTIFICATEHOLDERS

Class
A-1              100,000,000.00   5,000,000.00     400,000.00  5,400,000.00  95,000,000.00
A-2               50,000,000.00   1,000,000.00     200,000.00  1,200,000.00  49,000,000.00
B                 10,000,000.00           0.00      50,000.00     50,000.00  10,000,000.00
"""

ZEROS = """\
                     Beginning                                                 Ending
Class                  Balance        Interest       Principal       Total       Balance
A-1                        0.00           0.00           0.00          0.00           0.00
A-2                        0.00           0.00           0.00          0.00           0.00
"""


def _cls(text: str) -> dict[str, dict]:
    got = parse_bytes(text.encode(), "t.txt")
    return {c["class"]: c for c in got["classes"]}, got


@pytest.mark.unit
def test_arithmetic_overrides_swapped_header_words() -> None:
    classes, got = _cls(SWAPPED)
    a1 = classes["A-1"]
    assert a1["principal"] == 5_000_000.00
    assert a1["interest"] == 400_000.00
    assert a1["beginning_balance"] == 100_000_000.00 and a1["ending_balance"] == 95_000_000.00
    assert classes["B"]["principal"] == 0.0 and classes["B"]["interest"] == 50_000.00
    table = next(t for t in got["tables"] if t["kind"] == "class")
    assert table["confirmed"] is True
    assert "beginning - principal = ending" in table["identities"]
    assert "principal + interest = total distribution" in table["identities"]
    assert table["changed_by_arithmetic"] == [2, 3]
    assert any("read by arithmetic" in w for w in got["warnings"])
    # the provenance of each figure states the measure it was read as
    by_raw = {f["raw"]: f["measure"] for f in got["fields"] if f["entity"] == "A-1"}
    assert by_raw["5,000,000.00"] == "principal"


@pytest.mark.unit
def test_arithmetic_names_unheaded_columns() -> None:
    classes, got = _cls(UNHEADED)
    a2 = classes["A-2"]
    assert (a2["beginning_balance"], a2["principal"], a2["ending_balance"]) == (50_000_000.00, 1_000_000.00, 49_000_000.00)
    assert (a2["interest"], a2["total_distribution"]) == (200_000.00, 1_200_000.00)
    table = next(t for t in got["tables"] if t["kind"] == "class")
    assert table["confirmed"] is True
    assert [c["measure"] for c in table["columns"]] == [
        "beginning_balance", "principal", "interest", "total_distribution", "ending_balance"]


@pytest.mark.unit
def test_rows_of_zeros_prove_nothing() -> None:
    classes, got = _cls(ZEROS)
    assert classes["A-1"]["interest"] == 0.0  # the header's reading is kept
    table = next(t for t in got["tables"] if t["kind"] == "class")
    assert table["identities"] == []  # nothing confirmed by arithmetic
    assert table["confidence"] < 0.5
    assert table["changed_by_arithmetic"] == []


@pytest.mark.unit
def test_seed_tables_are_confirmed_by_their_arithmetic() -> None:
    from pathlib import Path

    seed = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "aames031dec03.txt"
    got = parse_bytes(seed.read_bytes(), seed.name)
    class_tables = [t for t in got["tables"] if t["kind"] == "class"]
    assert len(class_tables) >= 3
    assert all(t["changed_by_arithmetic"] == [] for t in class_tables)
    assert all(t["orientation"] == "rows" for t in class_tables)
    # every class table of the seed is read completely (the completeness gate relies on it)
    assert all(t["confirmed"] for t in class_tables), [(t["line"], t["columns"]) for t in class_tables]


# A page's text (PDF to text) with each class label printed in the middle of its cells: the
# first three figures come before the first label, and each label splits its row.
CENTRED = "\n".join([
    "Note Balances", "Beginning", "Principal", "Ending", "Factor", "Original", "Balance",
    "100,000,000.00", "20,000,000.00", "80,000,000.00",
    "Class A-1 Notes",
    "0.800000", "100,000,000.00", "0.000000",
    "50,000,000.00", "0.00", "50,000,000.00",
    "Class A-2 Notes",
    "1.000000", "50,000,000.00", "0.000000",
    "40,000,000.00", "5,000,000.00", "35,000,000.00",
    "Class B Notes",
    "0.875000", "40,000,000.00", "0.000000",
    "190,000,000.00", "25,000,000.00", "165,000,000.00",
    "Total Note Balance",
    "190,000,000.00",
    "", "Other Information", "Servicing Fee", "1,000.00", "Reserve Account Balance", "2,000.00",
    "Pool Balance", "3,000.00", "Collections", "4,000.00", "Late Fees", "50.00",
])


@pytest.mark.unit
def test_rows_centred_on_their_labels_are_recut_by_arithmetic() -> None:
    classes, got = _cls(CENTRED)
    assert set(classes) == {"A-1", "A-2", "B"}
    a1, b = classes["A-1"], classes["B"]
    assert a1["beginning_balance"] == 100_000_000.00 and a1["ending_balance"] == 80_000_000.00
    assert a1["principal"] == 20_000_000.00
    assert b["beginning_balance"] == 40_000_000.00 and b["principal"] == 5_000_000.00
    assert b["ending_balance"] == 35_000_000.00
    table = next(t for t in got["tables"] if t["kind"] == "class")
    assert "beginning - principal = ending" in table["identities"]


@pytest.mark.unit
def test_rows_cut_at_labels_stay_when_the_arithmetic_says_so() -> None:
    # the same figures with each label first: nothing to recut
    text = CENTRED.replace("100,000,000.00\n20,000,000.00\n80,000,000.00\nClass A-1 Notes",
                           "Class A-1 Notes\n100,000,000.00\n20,000,000.00\n80,000,000.00")
    text = text.replace("50,000,000.00\n0.00\n50,000,000.00\nClass A-2 Notes",
                        "Class A-2 Notes\n50,000,000.00\n0.00\n50,000,000.00")
    text = text.replace("40,000,000.00\n5,000,000.00\n35,000,000.00\nClass B Notes",
                        "Class B Notes\n40,000,000.00\n5,000,000.00\n35,000,000.00")
    text = text.replace("190,000,000.00\n25,000,000.00\n165,000,000.00\nTotal Note Balance",
                        "Total Note Balance\n190,000,000.00\n25,000,000.00\n165,000,000.00")
    classes, _ = _cls(text)
    assert classes["A-1"]["beginning_balance"] == 100_000_000.00
    assert classes["A-1"]["ending_balance"] == 80_000_000.00
    assert classes["B"]["principal"] == 5_000_000.00


# The header's words give "Total" to the interest and "Interest" to the total, and the rate
# to a column of figures over 20, while the percentages stand in a column of their own.
@pytest.mark.unit
def test_a_total_below_its_interest_and_a_rate_over_twenty_are_reread() -> None:
    from etl.parse.reading import read_class_table
    from etl.parse.tokens import tokenize_cell

    def tok(s: str):
        return tokenize_cell(s)[0]

    rows = [(n, {0: tok(r), 1: tok(t), 2: tok(i), 3: tok(f)}) for n, r, t, i, f in (
        ("A-1", "1.50%", "10,125,000.00", "125,000.00", "98.25"),
        ("A-2", "2.00%", "1,100,000.00", "100,000.00", "97.10"),
        ("B", "3.00%", "75,000.00", "75,000.00", "100.00"),
    )]
    reading = read_class_table(rows, {0: None, 1: "interest", 2: "total_distribution", 3: "pass_through_rate"})
    assert reading.measures == {0: "pass_through_rate", 1: "total_distribution", 2: "interest", 3: None}
    assert set(reading.changed) == {0, 1, 2, 3}


DUE_ONLY = """\
                       STATEMENT TO NOTEHOLDERS

                 Beginning        Principal                 Ending
Class              Balance      Distributable Amount      Balance
A-1          100,000,000.00         4,000,000.00     96,000,000.00
A-2           50,000,000.00         1,000,000.00     49,000,000.00
"""


@pytest.mark.unit
def test_what_is_due_is_paid_where_no_payment_is_printed() -> None:
    classes, got = _cls(DUE_ONLY)
    assert classes["A-1"]["principal"] == 4_000_000.00 and classes["A-2"]["principal"] == 1_000_000.00
    assert any("principal read from" in w and "Distributable" in w for w in got["warnings"])
    # a report that prints a payment keeps it: the due amount is no payment then
    paid = DUE_ONLY.replace("Distributable Amount", "Paid                ")
    classes, got = _cls(paid)
    assert classes["A-1"]["principal"] == 4_000_000.00
    assert not any("principal read from" in w for w in got["warnings"])


TWO_TABLES = """\
                       STATEMENT TO NOTEHOLDERS

                 Beginning                         Ending
Class              Balance      Principal         Balance
A-1          100,000,000.00   4,000,000.00     96,000,000.00
A-2           50,000,000.00           0.00     50,000,000.00

                       INTEREST

Class          Rate           Interest          Remitted
A-1           1.50%         125,000.00      4,125,000.00
A-2           2.00%          83,333.33         83,333.33
"""


@pytest.mark.unit
def test_a_column_equal_to_principal_plus_interest_is_the_total() -> None:
    classes, got = _cls(TWO_TABLES)
    assert classes["A-1"]["total_distribution"] == 4_125_000.00
    assert classes["A-2"]["total_distribution"] == 83_333.33
    assert classes["A-1"]["interest"] == 125_000.00 and classes["A-2"]["interest"] == 83_333.33
    f = next(f for f in got["fields"] if f["raw"] == "4,125,000.00")
    assert f["measure"] == "total_distribution" and f["line"] == 11
    assert any("read as total distribution" in w for w in got["warnings"])


# Flattened one cell per line: rows whose labels name a class, a header whose cells must
# be cut into runs by the measures they name, and a footnote between a label and its figures.
LABELLED_CLASS_ROWS = "\n".join([
    "Required Interest", "Bond", "Interest Rate", "Days in", "Interest", "Period (1)", "Interest Due",
    "Required Class A-1 Interest", "3.84", "%", "180", "1,000.00",
    "Required Class A-2 Interest", "4.76", "%", "180", "2,000.00",
    "Required Class A-3 Interest", "(1) On 30/360 Day basis.", "5.16", "%", "180", "3,000.00",
    "Other Amounts", "Servicing Fee", "10.00", "Trustee Fee", "20.00", "Reserve Fund", "30.00",
    "Late Fees", "1.00", "Extension Fees", "2.00", "Other Fees", "3.00", "Pool Balance", "4.00",
])


@pytest.mark.unit
def test_rows_naming_a_class_read_their_rates_and_a_footnote_is_no_label() -> None:
    classes, _ = _cls(LABELLED_CLASS_ROWS)
    assert {k: classes[k]["pass_through_rate"] for k in ("A-1", "A-2", "A-3")} == {"A-1": 3.84, "A-2": 4.76, "A-3": 5.16}
    assert classes["A-3"]["interest"] == 3_000.00


ALLOCATIONS = """\
                       MONTHLY INVESTOR REPORT

               Beginning        First          Second         Regular          Ending
Class            Balance    Allocation of  Allocation of  Allocation of       Balance
                              Principal      Principal      Principal
A-1        100,000,000.00   2,000,000.00   1,000,000.00     500,000.00   96,500,000.00
A-2         50,000,000.00           0.00     400,000.00     100,000.00   49,500,000.00
"""


@pytest.mark.unit
def test_principal_paid_in_allocations_is_their_sum() -> None:
    classes, got = _cls(ALLOCATIONS)
    assert classes["A-1"]["principal"] == 3_500_000.00 and classes["A-2"]["principal"] == 500_000.00
    table = next(t for t in got["tables"] if t["kind"] == "class")
    assert "beginning - principal (sum of allocations) = ending" in table["identities"]
    assert [c["measure"] for c in table["columns"]].count("principal_part") == 3


# A class record printed over two or three lines under a header of as many lines: line j of
# the header heads line j of every record.
TWO_LINE_RECORDS = """\
                       STATEMENT TO CERTIFICATEHOLDERS

Class        CUSIP          Original Balance     Beginning Balance
             Principal      Interest             Ending Balance
A-1          123456AB1      100,000,000.00        90,000,000.00
             5,000,000.00   300,000.00            85,000,000.00
A-2          123456AC9       50,000,000.00        50,000,000.00
             0.00           200,000.00            50,000,000.00
B            123456AD7       10,000,000.00        10,000,000.00
             0.00            50,000.00            10,000,000.00
"""
THREE_LINE_RECORDS = """\
                       STATEMENT TO NOTEHOLDERS

  Class        Original Balance     Beginning Balance
               Principal            Interest
               Realized Loss        Ending Balance

  A-1          100,000,000.00        90,000,000.00
               5,000,000.00            300,000.00
               0.00                 85,000,000.00

  A-2           50,000,000.00        50,000,000.00
               1,000,000.00            200,000.00
               0.00                 49,000,000.00
"""


@pytest.mark.unit
@pytest.mark.parametrize("text", [
    TWO_LINE_RECORDS,
    TWO_LINE_RECORDS.replace("Ending Balance\n", "Ending Balance\n\n", 1),
    THREE_LINE_RECORDS,
], ids=["two_lines", "two_lines_blank_under_header", "three_lines_blank_between"])
def test_a_class_record_over_several_lines_is_one_row(text: str) -> None:
    classes, got = _cls(text)
    a1 = classes["A-1"]
    assert (a1["original_balance"], a1["beginning_balance"], a1["principal"], a1["interest"], a1["ending_balance"]) \
        == (100_000_000.00, 90_000_000.00, 5_000_000.00, 300_000.00, 85_000_000.00)
    assert classes["A-2"]["principal"] in (0.0, 1_000_000.00) and classes["A-2"]["interest"] == 200_000.00
    table = next(t for t in got["tables"] if t["kind"] == "class")
    assert any(i.startswith("beginning - principal") for i in table["identities"])
    # every figure keeps the line it was printed on
    f = next(f for f in got["fields"] if f["raw"] == "300,000.00")
    assert "300,000.00" in text.split("\n")[f["line"] - 1]


NAMED_NOTE = """\
Servicer's Certificate
3.35% Exchange Note
Class A-1 0.40000% Asset Backed Notes

RECONCILIATION OF EXCHANGE NOTE
{10} Original Exchange Note Balance                          {10}   $  1,072,000,000
{11} Beginning of period Exchange Note Balance               {11}   $    200,414,862
{12} Exchange Note Principal Payment Amount                  {12}         53,274,394
{14} End of period Exchange Note Balance                     {14}   $    147,140,468
"""


@pytest.mark.unit
def test_a_note_named_with_its_coupon_is_a_class_and_line_references_are_marks() -> None:
    classes, _ = _cls(NAMED_NOTE)
    x = classes["Exchange Note"]
    assert (x["pass_through_rate"], x["original_balance"], x["beginning_balance"], x["principal"], x["ending_balance"]) \
        == (3.35, 1_072_000_000, 200_414_862, 53_274_394, 147_140_468)


# Whitespace collapsed: "A" and "A Certificate" are two classes; the rate after A's last
# figure ("2.036250% A Certificate") is a figure, then the next row's class, not a note
# named with its coupon.
TWO_PRINTINGS = """\
Statement to Certificateholders
Original Prior Face Principal Class Value Balance Interest Principal Total A 650,000,000.00 232,656,920.81 384,592.45 7,135,345.38 7,519,937.83 A Certificate - - 1,459,713.35 - 1,459,713.35 Totals 650,000,000.00 232,656,920.81 1,844,305.80 7,135,345.38 8,979,651.18
Current Pass-Through Realized Deferred Principal Rates Class Losses Interest Balance Current Next A - - 225,521,575.43 2.052500% 2.036250% A Certificate - - - NA NA Totals - - 225,521,575.43
"""


@pytest.mark.unit
def test_two_printings_of_one_designation_are_two_classes() -> None:
    got, _ = _cls(TWO_PRINTINGS)
    assert set(got) == {"A", "A Certificate"}
    a, cert = got["A"], got["A Certificate"]
    assert (a["beginning_balance"], a["principal"], a["interest"]) == (232656920.81, 7135345.38, 384592.45)
    assert (a["pass_through_rate"], a["next_pass_through_rate"]) == (2.0525, 2.03625)
    assert (cert["interest"], cert["total_distribution"], cert["principal"]) == (1459713.35, 1459713.35, 0)
    assert cert["pass_through_rate"] is None
    # the header's words "Original ... Face Value" title no later table: the current
    # principal balance is no original balance
    assert a["original_balance"] == 650000000.00


# Cells scrambled by a PDF extraction: the words put the rate over a per-$1,000 column and
# swap interest and total. Rates are percentages; figures of six decimals beside dollar
# columns are factors; a total is never below its interest.
SCRAMBLED = """\
Interest Payment
Interest per
Interest & Principal
Payment
Interest & Principal Payment
per $1000 Face Amount
Interest Rate
$1000 Face Amount
Class A-1 Notes
0.750000%
240,625.00
0.687500
112,625,323.23
321.786638
Class A-2A Notes
1.110000%
477,916.67
0.955833
477,916.67
0.955833
"""


@pytest.mark.unit
def test_scrambled_header_is_read_by_type_and_arithmetic() -> None:
    got, _ = _cls(SCRAMBLED)
    a1, a2 = got["A-1"], got["A-2A"]
    assert (a1["pass_through_rate"], a1["interest"], a1["total_distribution"]) == (0.75, 240625.00, 112625323.23)
    assert (a2["pass_through_rate"], a2["interest"], a2["total_distribution"]) == (1.11, 477916.67, 477916.67)


def _pipe(*cells: str) -> str:
    """Cells flattened one per line behind a '|', as converters render HTML tables."""
    return "".join(f"|{c}\n" for c in cells)


# An issuance table (each class's final payment date) with a coupon-type cell after the class,
# then a balances table whose last column is the change: for classes paying nothing the
# change is zero and the ending balance is the beginning one.
ISSUED_AND_BALANCES = (
    "Monthly Servicing Report\n"
    + _pipe("Dollar Amount", "Note Rate", "Final Payment Date",
            "Class A-1 Notes", "Fixed", "$", "228,000,000.00", "0.31830", "%", "February 15, 2012",
            "Class A-2 Notes", "Floating", "$", "263,000,000.00", "0.69000", "%", "November 15, 2013")
    + "II. BALANCES\n"
    + _pipe("Beginning of Period", "Ending of Period", "Change", "Balance", "Balance",
            "Class A-1 Notes", "$", "31,706,848.87", "$", "5,923,373.89", "$", "25,783,474.98",
            "Class A-2 Notes", "$", "263,000,000.00", "$", "263,000,000.00", "$", "-",
            "Class B Notes", "$", "34,030,000.00", "$", "34,030,000.00", "$", "-")
)


@pytest.mark.unit
def test_issuance_table_and_a_change_column() -> None:
    got, _ = _cls(ISSUED_AND_BALANCES)
    a1, a2 = got["A-1"], got["A-2"]
    assert (a1["original_balance"], a1["pass_through_rate"]) == (228000000.00, 0.3183)
    assert (a2["original_balance"], a2["pass_through_rate"]) == (263000000.00, 0.69)
    assert (a1["beginning_balance"], a1["principal"], a1["ending_balance"]) == (31706848.87, 25783474.98, 5923373.89)
    assert (a2["principal"], a2["ending_balance"]) == (0, 263000000.00)
    assert (got["B"]["principal"], got["B"]["ending_balance"]) == (0, 34030000.00)


@pytest.mark.unit
def test_a_line_that_lost_its_mark_is_a_cell_of_the_flattened_table() -> None:
    text = ("Report\n" + _pipe("Dollar Amount", "Note Rate", "Final Payment Date", "Class A-1 Notes", "$",
                               "234,000,000.00", "0.20000", "%")
            + "February 17, 2015\n"
            + _pipe("Class A-2 Notes", "$", "365,000,000.00", "0.46000", "%", "January 16, 2017"))
    got, _ = _cls(text)
    assert got["A-2"]["original_balance"] == 365000000.00 and got["A-2"]["pass_through_rate"] == 0.46


@pytest.mark.unit
def test_a_sub_heading_naming_a_new_column_continues_the_table_above() -> None:
    text = ("Balances\n" + _pipe("Initial", "Beginning of Period", "End of Period",
                                 "Pool Balance", "$", "1,353,937,519.02", "$", "97,021,988.73", "$", "87,108,412.93",
                                 "Notes", "Ratio",
                                 "Class A-4 Notes", "$", "115,000,000.00", "$", "63,266,414.98", "$", "53,583,012.11",
                                 "61.5", "%"))
    got, _ = _cls(text)
    a4 = got["A-4"]
    assert (a4["original_balance"], a4["beginning_balance"], a4["ending_balance"]) == (
        115000000.00, 63266414.98, 53583012.11)


@pytest.mark.unit
def test_title_lines_give_coupons_and_a_cut_issuance_line_is_joined() -> None:
    from etl.parse.classes import title_coupon

    assert title_coupon("Class A-1 2.72404% Asset Backed Notes") == ("A-1", 2.72404)
    assert title_coupon("3.31% Asset Backed Certificates") == ("Certificates", 3.31)
    assert title_coupon("3.35% Exchange Note") is None and title_coupon("Class A-3 Notes") is None
    got, _ = _cls("Servicer Report\nClass A-1 2.72404% Asset Backed Notes\nClass B 3.21% Asset Backed Notes\n")
    assert (got["A-1"]["pass_through_rate"], got["B"]["pass_through_rate"]) == (2.72404, 3.21)
    text = "Exhibit 20.1\n" + _pipe("CNH Equipment Trust 2004-A", "$", "335,000,000",
                                    "Class A-1 2.0008% Asset Backed Notes due October 14, 2005", "$", "318,000,000",
                                    "Class A-2 2.42% Asset Backed Notes due March 15, 2007")
    got, _ = _cls(text)
    assert (got["A-1"]["original_balance"], got["A-1"]["pass_through_rate"]) == (335000000, 2.0008)
    assert (got["A-2"]["original_balance"], got["A-2"]["pass_through_rate"]) == (318000000, 2.42)
    # a figure followed by the next row's class is no issuance line
    got, _ = _cls("Interest\n" + _pipe("Class", "Interest", "Class A-2 Notes", "$", "531,235.78",
                                       "Class A-3 Notes", "$", "588,000.00"))
    assert got["A-2"]["interest"] == 531235.78 and got["A-3"]["original_balance"] is None


@pytest.mark.unit
def test_wrapped_header_words_a_one_line_row_of_cells_and_classes_as_columns_from_the_first() -> None:
    # "|Principal per $1000" / "Face Amount": words under words continue the cell above
    text = ("Notes\n" + _pipe("Principal Payment", "Interest Payment", "Principal per $1000")
            + "Face Amount\n" + _pipe("Interest per $1000") + "Face Amount\n|\nClass A-3 Notes\n"
            + _pipe("25,086,624.06", "209,840.60", "70.6666875", "0.5911003"))
    got, _ = _cls(text)
    assert (got["A-3"]["principal"], got["A-3"]["interest"]) == (25086624.06, 209840.60)
    # label | | value | on one line: a row of flattened cells
    got, _ = _cls("INVESTED AMOUNTS | | |\nClass A Initial Invested Amount | | $370,500,000.00 |\n"
                  "Class B Initial Invested Amount | | $57,000,000.00 |\n")
    assert (got["A"]["original_balance"], got["B"]["original_balance"]) == (370500000.00, 57000000.00)
    # classes as columns, the row shorter than its heads: figures from the first class on
    got, _ = _cls("II. NOTE BALANCE CALCULATION\n" + _pipe("Class A-1", "Class A-2", "Class B", "Total")
                  + "Note Rate\n" + _pipe("1.74282", "%", "1.99", "%", "2.08", "%")
                  + "{10} Original Note Balance\n" + _pipe("138,000,000.00", "324,000,000.00", "123,400,000.00",
                                                           "585,400,000.00"))
    assert got["A-1"]["original_balance"] == 138000000.00 and got["B"]["original_balance"] == 123400000.00
    assert got["A-1"]["pass_through_rate"] == 1.74282 and got["B"]["pass_through_rate"] == 2.08


@pytest.mark.unit
def test_squeezed_classes_as_columns_with_the_label_on_the_line_above() -> None:
    text = ("NOTE BALANCE CALCULATION\n\nClass A-1 Class A-2 Class B Total\n\n{10} Original Note Balance\n\n"
            "{10} 238,000,000.00 323,470,000.00 124,140,000.00 685,610,000.00\n")
    got, _ = _cls(text)
    assert [got[k]["original_balance"] for k in ("A-1", "A-2", "B")] == [238000000.00, 323470000.00, 124140000.00]


# A header stacked over three lines, whitespace squeezed to single spaces (line ends kept).
STACKED_SQUEEZED = """\
Certificateholder Distribution Summary
Class CUSIP Record Certificate Beginning Interest
Date Pass-Through Certificate Distribution
Rate Balance
1-A-1 05949A2C3 12/31/2007 5.50000% 10,348,369.32 47,430.03
1-A-2 05949A2D1 12/31/2007 5.50000% 125,000.00 572.92
1-A-6 05949A2H2 12/31/2007 6.42500% 3,265,262.16 17,482.76
1-A-8 05949A2K5 12/31/2007 3.95833% 1,011,872.45 3,337.77
"""


@pytest.mark.unit
def test_a_header_stacked_over_squeezed_lines_is_read_line_by_line() -> None:
    got, _ = _cls(STACKED_SQUEEZED)
    a1 = got["1-A-1"]
    assert (a1["cusip"], a1["pass_through_rate"], a1["beginning_balance"], a1["interest"]) == (
        "05949A2C3", 5.5, 10348369.32, 47430.03)
    assert (got["1-A-8"]["pass_through_rate"], got["1-A-8"]["interest"]) == (3.95833, 3337.77)


@pytest.mark.unit
def test_a_coupon_printed_with_its_parts_is_the_sum_column() -> None:
    from etl.parse.reading import read_class_table
    from etl.parse.tokens import tokenize_cell

    def tok(x: str):
        return tokenize_cell(x)[0]

    rows = [(n, {0: tok(b), 1: tok(m), 2: tok(c)}) for n, b, m, c in (
        ("A-1", "5.6100%", "0.1475%", "5.7575%"), ("A-2", "5.8400%", "0.1300%", "5.9700%"))]
    reading = read_class_table(rows, {0: "pass_through_rate", 1: None, 2: None})
    assert reading.measures[2] == "pass_through_rate" and reading.measures[0] is None
    assert "base rate + margin = coupon" in reading.identities
    got, _ = _cls("CNH Equipment Trust\n$38,250,000 Class B 5.730% Asset Backed Notes due May 15, 2008\n"
                  "$20,250,000 5.730% Asset Backed Certificates\nPlease contact us with any questions.\n"
                  "Class Balance Interest Principal Total A 1,000.00 2.00 3.00 5.00 B 2,000.00 4.00 6.00 10.00\n"
                  "B 2,000.00 4.00 6.00 10.00 C 3,000.00 5.00 7.00 12.00 D 4,000.00 6.00 8.00 14.00\n")
    assert (got["Certificates"]["original_balance"], got["Certificates"]["pass_through_rate"]) == (20250000, 5.73)


@pytest.mark.unit
def test_a_class_alone_on_its_line_with_its_cells_indented_on_the_next() -> None:
    text = ("Certificateholder Distribution Summary\n\n"
            "                Certificate     Certificate\n"
            "                Class     Pass-Through       Beginning       Interest       Principal       Current"
            "       Ending Certificate       Total       Cumulative\n"
            "Class     CUSIP       Description     Rate       Certificate Balance       Distribution       "
            "Distribution       Realized Loss       Balance       Distribution       Realized Loss\n\n"
            "A-1\n      81744FDJ3       SEN       2.49000 %       352,454,905.58         731,343.93         "
            "4,712,626.21         0.00         347,742,279.37         5,443,970.14         0.00\n"
            "X-A\n      81744FDL8       IO       0.69442 %       0.00         439,340.94         0.00         0.00"
            "         0.00         439,340.94         0.00\n")
    got, _ = _cls(text)
    a1, xa = got["A-1"], got["X-A"]
    assert (a1["cusip"], a1["pass_through_rate"], a1["beginning_balance"], a1["interest"], a1["principal"],
            a1["ending_balance"], a1["total_distribution"]) == (
        "81744FDJ3", 2.49, 352454905.58, 731343.93, 4712626.21, 347742279.37, 5443970.14)
    assert (xa["cusip"], xa["interest"], xa["notional"]) == ("81744FDL8", 439340.94, True)


@pytest.mark.unit
def test_words_pointing_at_the_class_are_not_the_measure() -> None:
    from etl.parse.classes import class_in_label

    k = class_in_label("Amount of principal being paid or distributed in respect of the Class I-A-1 Notes:")
    assert k is not None and k.designation == "I-A-1"
    assert k.remainder == "Amount of principal being paid or distributed"


# Classes as columns, item headings and their lettered parts between the rows, whitespace
# squeezed: the class columns go on under each heading, and a Total line is the class's figure.
MH_ITEMS = """\
Information for Clauses (a) through (s), Section 7.01 - GROUP I
Class I A-1 Class I A-2 Class I A-3
(a) Class I A and Class I B Distribution Amounts 1,997,503.53 208,450.00 208,533.33
(b) Formula Principal Distribution Amount
(a) Scheduled Principal Due 360,079.59
(b) Partial Prepayments Received 127,357.75
(c) Principal Payments in Full (Scheduled Balance) 1,247,499.56
------------- ------------- -------------
Total Principal Distribution 1,734,936.90 0.00 0.00
(c) Interest Distribution 262,566.63 208,450.00 208,533.33
Unpaid Interest Shortfall 0.00 0.00 0.00
(d) Beginning Class I A and Class I B Principal Balance 42,435,010.41 33,000,000.00 32,000,000.00
Less: Principal Distribution 1,734,936.90 0.00 0.00
Remaining Class A and Class B Principal Balance 40,700,073.51 33,000,000.00 32,000,000.00
"""


@pytest.mark.unit
def test_classes_as_columns_go_on_under_item_headings() -> None:
    got, _ = _cls(MH_ITEMS)
    a1 = got["I A-1"]
    assert (a1["total_distribution"], a1["principal"], a1["interest"]) == (1997503.53, 1734936.90, 262566.63)
    assert (a1["beginning_balance"], a1["ending_balance"]) == (42435010.41, 40700073.51)
    assert (got["I A-2"]["principal"], got["I A-3"]["ending_balance"]) == (0, 32000000.00)
    assert "I A" not in got and "A" not in got
