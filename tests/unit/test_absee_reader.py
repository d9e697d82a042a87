"""The EX-102 (Form ABS-EE asset data) reader on XML built from Schedule AL's published names.

* Each of the five asset classes: the class comes from the root's namespace; every canonical
  column the class maps is typed (amounts and rates as Decimal, dates from MM-DD-YYYY and
  MM/YYYY, codes as text); every other element is in ``extra`` verbatim; CMBS properties come
  with their loan; multi-valued CMBS codes are lists, not problems.
* Hostile input: entity bomb, external entity and external DTD refused before any record;
  unknown namespace; an element repeated where one is allowed (recorded, or raised with
  strict=True); truncated XML (the error names the line); values that cannot be typed (kept
  raw, with a reason); 200,000 records from a generator with bounded Python memory.
* Bulk output: Parquet files that read back exactly (decimals, dates, the extra JSON).
"""

from __future__ import annotations

import io
import json
import time
import tracemalloc
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from devtools.synth.absee import (
    PUBLISHED,
    IterStream,
    asset_values,
    ex102_bytes,
    iter_ex102,
    properties_of,
    property_values,
)
from etl.absee import (
    CLASSES,
    COLUMNS,
    PROPERTY_COLUMNS,
    AbsEeError,
    MalformedXmlError,
    RepeatedElementError,
    UnknownNamespaceError,
    UnsafeXmlError,
    read_assets,
)
from etl.absee.arrow import records_to_table, write_parquet
from etl.absee.fields import to_date, to_decimal, to_int

pytestmark = pytest.mark.unit

AUTOLOAN_NS = CLASSES["autoloan"].namespace
#: a literal per column type, and what the reader must make of it
LITERALS = {
    "text": ("X-17", "X-17"),
    "amount": ("104234.56", Decimal("104234.56")),
    "rate": ("0.04125", Decimal("0.04125")),
    "int": ("62", 62),
    "date": ("11-30-2023", date(2023, 11, 30)),
    "bool": ("true", True),
}


def _read(data: bytes, **kwargs: object) -> list:
    with read_assets(io.BytesIO(data), **kwargs) as reader:  # type: ignore[arg-type]
        return list(reader)


def _wrap(body: str, ns: str = AUTOLOAN_NS, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<assetData xmlns="{ns}">\n'
            f"{body}</assetData>\n").encode()


# --- each asset class ---


@pytest.mark.parametrize("asset_class", sorted(CLASSES))
def test_every_canonical_column_is_typed_and_everything_else_is_kept(asset_class: str) -> None:
    spec = CLASSES[asset_class]
    overrides = {element: LITERALS[COLUMNS[column]][0] for column, element in spec.canonical.items()}
    data = ex102_bytes(asset_class, 4, overrides={0: overrides})
    with read_assets(io.BytesIO(data)) as reader:
        assert reader.asset_class == asset_class
        records = list(reader)
    assert [r.asset_number for r in records[1:]] == ["00000002", "00000003", "00000004"]
    first = records[0]
    for column in spec.canonical:
        assert getattr(first, column) == LITERALS[COLUMNS[column]][1], column
    unmapped = set(COLUMNS) - set(spec.canonical)
    assert all(getattr(first, c) is None for c in unmapped)
    truth = asset_values(asset_class, 0, overrides=overrides)
    mapped = set(spec.canonical.values())
    assert first.extra == {k: v for k, v in truth.items() if k not in mapped and v != ""}
    assert all(not r.problems for r in records)
    assert first.asset_class == asset_class and first.line == 3


def test_auto_loan_values_as_filed() -> None:
    """Real notations: MM-DD-YYYY period dates, MM/YYYY origination, days past due, codes."""
    over = {"reportingPeriodBeginningDate": "03-01-2024", "reportingPeriodEndingDate": "03-31-2024",
            "originationDate": "07/2021", "loanMaturityDate": "07/2027",
            "reportingPeriodBeginningLoanBalanceAmount": "18211.09",
            "reportingPeriodActualEndBalanceAmount": "17845.3", "chargedoffPrincipalAmount": "0.00",
            "recoveredAmount": "-12.50", "currentDelinquencyStatus": "62", "zeroBalanceCode": "",
            "obligorCreditScore": "712", "reportingPeriodModificationIndicator": "false",
            "vehicleModelName": "Camry & Hybrid"}
    (asset,) = _read(ex102_bytes("autoloan", 1, overrides={0: over}))
    assert (asset.period_begin, asset.period_end) == (date(2024, 3, 1), date(2024, 3, 31))
    assert (asset.origination_date, asset.maturity_date) == (date(2021, 7, 1), date(2027, 7, 1))
    assert asset.begin_balance == Decimal("18211.09") and asset.end_balance == Decimal("17845.3")
    assert asset.charge_off == Decimal("0.00") and str(asset.charge_off) == "0.00"
    assert asset.recovery == Decimal("-12.50")
    assert (asset.days_past_due, asset.credit_score, asset.modified) == (62, 712, False)
    assert asset.zero_balance_code is None  # left out, as filers leave an unused item out
    assert asset.extra["vehicleModelName"] == "Camry & Hybrid"
    assert asset.extra["vehicleManufacturerName"] == "Toyota"


def test_cmbs_properties_come_with_their_loan() -> None:
    records = _read(ex102_bytes("cmbs", 3))
    assert [len(r.properties) for r in records] == [properties_of(i) for i in range(3)] == [1, 2, 3]
    loan = records[2]
    third = loan.properties[2]
    truth = property_values(2, 3)
    assert (third.asset_number, third.property_index) == ("00000003", 3)
    assert third.property_state == truth["propertyState"]
    assert third.valuation_amount == Decimal(truth["valuationSecuritizationAmount"])
    assert third.dscr == Decimal(truth["mostRecentDebtServiceCoverageNetOperatingIncomePercentage"])
    assert third.extra["propertyAddress"] == truth["propertyAddress"]
    assert "property" not in loan.extra
    assert loan.delinquency_status == asset_values("cmbs", 2)["paymentStatusLoanCode"]


def test_cmbs_multi_valued_codes_are_lists_not_problems() -> None:
    body = ("<assets><assetNumber>7</assetNumber><liquidationPrepaymentCode>9</liquidationPrepaymentCode>"
            "<liquidationPrepaymentCode>8</liquidationPrepaymentCode><modificationCode>1</modificationCode>"
            "<modificationCode>4</modificationCode></assets>\n")
    (loan,) = _read(_wrap(body, CLASSES["cmbs"].namespace))
    assert loan.zero_balance_code == "9,8"
    assert loan.extra == {"liquidationPrepaymentCode": ["9", "8"], "modificationCode": ["1", "4"]}
    assert loan.problems == []


def test_prefixed_namespace_and_unqualified_records() -> None:
    ns = CLASSES["autolease"].namespace
    prefixed = (f'<abs:assetData xmlns:abs="{ns}"><abs:assets><abs:assetNumber>L1</abs:assetNumber>'
                f"<abs:chargedOffAmount>10.00</abs:chargedOffAmount></abs:assets></abs:assetData>").encode()
    unqualified = (f'<abs:assetData xmlns:abs="{ns}"><assets><assetNumber>L2</assetNumber>'
                   f"<leaseExtended>0</leaseExtended></assets></abs:assetData>").encode()
    (a,) = _read(prefixed)
    (b,) = _read(unqualified)
    assert (a.asset_number, a.charge_off) == ("L1", Decimal("10.00"))
    assert (b.asset_number, b.extra) == ("L2", {"leaseExtended": "0"})


def test_path_source_is_closed_and_read_once(tmp_path: Path) -> None:
    path = tmp_path / "ex102.xml"
    path.write_bytes(ex102_bytes("debtsec", 5))
    reader = read_assets(path)
    assert reader.name == str(path)
    assert len(list(reader)) == 5 and reader.records_read == 5
    assert reader._stream.closed
    with pytest.raises(AbsEeError, match="read once"):
        list(reader)


def test_field_map_names_published_elements() -> None:
    """A typo in fields.yaml or the synthetic lists shows up here, not as a silent null column."""
    for name, spec in CLASSES.items():
        assert set(spec.canonical.values()) <= set(PUBLISHED[name]), name
        assert set(spec.property_canonical.values()) <= set(PUBLISHED.get(f"{name}.property", ())), name
    assert len(PUBLISHED["autoloan"]) == len(set(PUBLISHED["autoloan"])) == 72


# --- converters ---


def test_converters_take_edgar_notations_and_refuse_the_rest() -> None:
    assert to_date("03-31-2024") == to_date("03/31/2024") == to_date("2024-03-31") == date(2024, 3, 31)
    assert to_date("07/2021") == to_date("7/2021") == date(2021, 7, 1)
    assert to_decimal("-0.5") == Decimal("-0.5") and to_decimal(".25") == Decimal("0.25")
    assert to_int("12") == to_int("12.00") == 12
    for bad in ("1,000.00", "$5", "(5)", "1e5", "NaN", "Infinity", "\u0661\u0662", "1.12345678901"):
        with pytest.raises(ValueError):
            to_decimal(bad)
    for bad in ("13/2021", "02-30-2024", "2024", "March 2024"):
        with pytest.raises(ValueError):
            to_date(bad)
    with pytest.raises(ValueError):
        to_int("12.5")


def test_untypable_value_is_kept_raw_with_a_reason() -> None:
    body = ("<assets>\n<assetNumber>1</assetNumber>\n<reportingPeriodActualEndBalanceAmount>1,234.00"
            "</reportingPeriodActualEndBalanceAmount>\n<originationDate>13/2021</originationDate>\n</assets>\n")
    (asset,) = _read(_wrap(body))
    assert asset.end_balance is None and asset.origination_date is None
    assert asset.extra == {"reportingPeriodActualEndBalanceAmount": "1,234.00", "originationDate": "13/2021"}
    assert len(asset.problems) == 2
    assert asset.problems[0].startswith("line 5: reportingPeriodActualEndBalanceAmount: '1,234.00'")


def test_elements_with_children_are_kept_whole() -> None:
    body = ("<assets><assetNumber>1</assetNumber><note><a>x</a><a>y</a><b>z</b></note>"
            "<obligorCreditScore><value>700</value></obligorCreditScore></assets>\n")
    (asset,) = _read(_wrap(body))
    assert asset.extra == {"note": {"a": ["x", "y"], "b": "z"}, "obligorCreditScore": {"value": "700"}}
    assert asset.credit_score is None and "obligorCreditScore has child elements" in asset.problems[0]


def test_records_under_another_name_are_an_error_not_an_empty_file() -> None:
    with pytest.raises(AbsEeError, match=r"no <assets> records under the root, but elements \['loan'\]"):
        _read(_wrap("<loan><assetNumber>1</assetNumber></loan>\n"))
    assert _read(_wrap("")) == []  # an empty pool is not an error


# --- hostile input ---

BILLION_LAUGHS = (
    '<!DOCTYPE assetData [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
              for i in range(1, 10))
    + "]>\n"
)


def test_entity_bomb_is_refused_before_any_expansion() -> None:
    data = _wrap("<assets><assetNumber>&lol9;</assetNumber></assets>\n", prolog=BILLION_LAUGHS)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(UnsafeXmlError, match="declares entities") as err:
            read_assets(io.BytesIO(data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2 and peak < 5_000_000
    assert "billion laughs" in str(err.value)


def test_external_entity_is_never_resolved() -> None:
    prolog = '<!DOCTYPE assetData [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n'
    data = _wrap("<assets><assetNumber>&xxe;</assetNumber></assets>\n", prolog=prolog)
    with pytest.raises(UnsafeXmlError) as err:
        _read(data)
    assert "xxe" in str(err.value) and "root:" not in str(err.value)


def test_entity_declarations_are_refused_in_utf16_too() -> None:
    """A byte search cannot see a UTF-16 DOCTYPE; the parser's check at the root does."""
    text = ex102_bytes("autoloan", 1).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert [r.asset_number for r in _read(text.encode("utf-16"))] == ["00000001"]
    for prolog in (BILLION_LAUGHS, '<!DOCTYPE assetData [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n'):
        hostile = text.replace("<assetData", prolog + "<assetData", 1)
        with pytest.raises(UnsafeXmlError, match="refused unread"):
            _read(hostile.encode("utf-16"))


def test_external_dtd_is_not_fetched() -> None:
    prolog = '<!DOCTYPE assetData SYSTEM "http://127.0.0.1:9/absee.dtd">\n'
    with pytest.raises(UnsafeXmlError, match="external DTD"):
        _read(_wrap("<assets><assetNumber>1</assetNumber></assets>\n", prolog=prolog))


@pytest.mark.parametrize("root", [
    '<assetData xmlns="http://www.sec.gov/edgar/document/absee/creditcard/assetdata">',
    "<assetData>",
    '<edgarSubmission xmlns="http://www.sec.gov/edgar/thirteenffiler">',
])
def test_unknown_namespace_is_a_clear_error(root: str) -> None:
    tag = root.split()[0].split(">")[0][1:]
    data = f"{root}<assets><assetNumber>1</assetNumber></assets></{tag}>".encode()
    with pytest.raises(UnknownNamespaceError, match="not Schedule AL asset data") as err:
        read_assets(io.BytesIO(data), name="0001-ex102.xml")
    assert "0001-ex102.xml" in str(err.value) and AUTOLOAN_NS in str(err.value)


def test_repeated_single_element_is_recorded_not_overwritten() -> None:
    body = ("<assets>\n<assetNumber>A1</assetNumber>\n<assetNumber>A2</assetNumber>\n"
            "<vehicleModelName>Civic</vehicleModelName>\n<vehicleModelName>Accord</vehicleModelName>\n"
            "</assets>\n")
    (asset,) = _read(_wrap(body))
    assert asset.asset_number == "A1"
    assert asset.extra == {"assetNumber": ["A1", "A2"], "vehicleModelName": ["Civic", "Accord"]}
    assert [p.split(":")[0] for p in asset.problems] == ["line 5", "line 7"]
    assert "assetNumber appears more than once" in asset.problems[0]
    with pytest.raises(RepeatedElementError, match="line 5: assetNumber appears more than once"):
        _read(_wrap(body), strict=True)


def test_truncated_file_names_the_line_after_the_good_records() -> None:
    data = ex102_bytes("autoloan", 3)
    cut = data[: data.index(b"<assets>", data.index(b"</assets>")) + 200]  # inside record 2
    reader = read_assets(io.BytesIO(cut))
    seen = []
    with pytest.raises(MalformedXmlError) as err:
        for record in reader:
            seen.append(record.asset_number)
    assert seen == ["00000001"]
    last_line = cut.count(b"\n") + 1
    assert err.value.line is not None and last_line - 1 <= err.value.line <= last_line
    assert f"line {err.value.line}" in str(err.value) and "1 records read" in str(err.value)


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"%PDF-1.4 \x00\x01 not xml at all", "not well-formed XML at line 1"),
    (b"<assetData xmlns='" + AUTOLOAN_NS.encode() + b"'><assets>&undefined;</assets></assetData>",
     "line 1"),
])
def test_not_xml_is_malformed(data: bytes, message: str) -> None:
    with pytest.raises(MalformedXmlError, match=message):
        _read(data)


@pytest.mark.parametrize("n", [20_000, pytest.param(200_000, marks=pytest.mark.slow)])
def test_records_stream_in_the_same_bounded_memory_however_many(n: int) -> None:
    fragments = (f"<assets><assetNumber>{i}</assetNumber><reportingPeriodActualEndBalanceAmount>{i}.25"
                 f"</reportingPeriodActualEndBalanceAmount><vehicleModelName>M{i % 7}</vehicleModelName>"
                 f"</assets>\n" for i in range(n))
    stream = IterStream(iter_ex102("autoloan", n, records=fragments))
    tracemalloc.start()
    try:
        count = 0
        total = Decimal(0)
        for record in read_assets(stream):
            count += 1
            total += record.end_balance
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == n and total == Decimal(n * (n - 1) // 2) + Decimal("0.25") * n
    # one bound for 20,000 and 200,000 records: the 200,000 are ~35 MB of XML and ~180 MB
    # as records (900 bytes each), so a reader that kept either would blow far past it
    assert peak < 8_000_000, f"peak Python memory {peak:,} bytes"


# --- bulk output ---


def test_parquet_round_trip(tmp_path: Path) -> None:
    over = {0: {"reportingPeriodActualEndBalanceAmount": "17845.31", "originationDate": "07/2021"}}
    loans = read_assets(io.BytesIO(ex102_bytes("autoloan", 30, overrides=over)))
    counts = write_parquet(loans, tmp_path / "a.parquet", batch_size=7)
    assert (counts.assets, counts.properties, counts.with_problems) == (30, 0, 0)
    table = pq.read_table(tmp_path / "a.parquet")
    assert table.num_rows == 30 and table.column_names[2:2 + len(COLUMNS)] == list(COLUMNS)
    row = table.slice(0, 1).to_pylist()[0]
    assert row["end_balance"] == Decimal("17845.31") and row["origination_date"] == date(2021, 7, 1)
    assert json.loads(row["extra"])["vehicleManufacturerName"] == "Toyota"
    assert row["asset_class"] == "autoloan" and row["problems"] == []

    cmbs = read_assets(io.BytesIO(ex102_bytes("cmbs", 6)))
    counts = write_parquet(cmbs, tmp_path / "c.parquet", properties_path=tmp_path / "p.parquet")
    assert (counts.assets, counts.properties) == (6, 1 + 2 + 3 + 1 + 2 + 3)
    props = pq.read_table(tmp_path / "p.parquet")
    assert props.column_names[3:3 + len(PROPERTY_COLUMNS)] == list(PROPERTY_COLUMNS)
    assert props.column("asset_number").to_pylist()[:3] == ["00000001", "00000002", "00000002"]
    assert pq.read_table(tmp_path / "c.parquet").column("property_count").to_pylist()[:3] == [1, 2, 3]


def test_properties_are_never_dropped_silently(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="properties_path"):
        write_parquet(read_assets(io.BytesIO(ex102_bytes("cmbs", 2))), tmp_path / "c.parquet")


def test_problems_reach_the_table() -> None:
    body = "<assets><assetNumber>1</assetNumber><obligorCreditScore>n/a</obligorCreditScore></assets>\n"
    table = records_to_table(_read(_wrap(body)))
    assert table.column("credit_score").to_pylist() == [None]
    assert "obligorCreditScore" in table.column("problems").to_pylist()[0][0]
    assert json.loads(table.column("extra").to_pylist()[0]) == {"obligorCreditScore": "n/a"}
