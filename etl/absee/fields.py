"""Schedule AL field map (fields.yaml), the record types it fills and one converter per field type."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

FIELDS_YAML = Path(__file__).with_name("fields.yaml")

#: Decimal columns are DECIMAL(28, 10) downstream; more places than that would be rounded
DECIMAL_SCALE = 10
DECIMAL_PRECISION = 28

#: text -> typed value; None means the text itself is the value
Converter = Callable[[str], Any] | None


@dataclass(slots=True)
class PropertyRecord:
    """One property securing a CMBS loan, in filing order under its loan."""

    asset_number: str | None
    property_index: int
    line: int
    extra: dict[str, Any]
    problems: list[str]
    property_name: str | None = None
    property_city: str | None = None
    property_state: str | None = None
    property_zip: str | None = None
    property_type: str | None = None
    property_status: str | None = None
    year_built: int | None = None
    units: int | None = None
    net_rentable_sqft: int | None = None
    valuation_amount: Decimal | None = None
    valuation_date: date | None = None
    occupancy: Decimal | None = None
    noi: Decimal | None = None
    dscr: Decimal | None = None


@dataclass(slots=True)
class AssetRecord:
    """One asset (loan, lease, security) for one reporting period, canonical columns typed.

    ``extra`` holds every element the field map does not name, verbatim (a list when repeated,
    a dict for an element with children); ``problems`` says what could not be typed or was
    repeated, each naming the line; ``properties`` is filled for CMBS only.
    """

    asset_class: str
    line: int
    extra: dict[str, Any]
    problems: list[str]
    properties: list[PropertyRecord]
    asset_number: str | None = None
    asset_type: str | None = None
    period_begin: date | None = None
    period_end: date | None = None
    originator: str | None = None
    origination_date: date | None = None
    original_balance: Decimal | None = None
    original_term: int | None = None
    maturity_date: date | None = None
    original_rate: Decimal | None = None
    current_rate: Decimal | None = None
    credit_score: int | None = None
    geographic_location: str | None = None
    remaining_term: int | None = None
    begin_balance: Decimal | None = None
    end_balance: Decimal | None = None
    scheduled_principal: Decimal | None = None
    actual_principal: Decimal | None = None
    unscheduled_principal: Decimal | None = None
    scheduled_interest: Decimal | None = None
    actual_interest: Decimal | None = None
    total_paid: Decimal | None = None
    charge_off: Decimal | None = None
    recovery: Decimal | None = None
    delinquency_status: str | None = None
    days_past_due: int | None = None
    paid_through_date: date | None = None
    zero_balance_code: str | None = None
    zero_balance_date: date | None = None
    modified: bool | None = None


# --- converters: text (already stripped, never empty) -> typed value, ValueError when not ---

# EDGAR's decimal types: digits, one point, a leading minus; no commas, $, parentheses, exponents
_DECIMAL_RE = re.compile(rf"-?(?:\d+(?:\.\d{{0,{DECIMAL_SCALE}}})?|\.\d{{1,{DECIMAL_SCALE}}})", re.ASCII)
_INT_RE = re.compile(r"-?\d+", re.ASCII)
_BOOLS = {"true": True, "false": False, "1": True, "0": False, "y": True, "n": False,
          "yes": True, "no": False}


def to_decimal(text: str) -> Decimal:
    """A plain decimal as Decimal, never float, so cents survive the trip to DECIMAL columns."""
    # fast path for the usual unsigned "12345.67": ASCII digits around at most one point (the
    # ASCII test matters: Decimal and isdigit() accept other scripts' digits)
    digits = text.replace(".", "", 1)
    if digits.isdigit() and digits.isascii():
        dot = text.find(".")
        if dot < 0 or len(text) - dot - 1 <= DECIMAL_SCALE:
            return Decimal(text)
    elif _DECIMAL_RE.fullmatch(text) is not None:
        return Decimal(text)
    raise ValueError(f"{text!r} is not a plain decimal with at most {DECIMAL_SCALE} places")


def to_int(text: str) -> int:
    """An integer; "12.00" is accepted (filers write counts with a decimal part), "12.5" is not."""
    if (text.isdigit() and text.isascii()) or _INT_RE.fullmatch(text) is not None:
        return int(text)
    value = to_decimal(text) if _DECIMAL_RE.fullmatch(text) else None
    if value is None or value != value.to_integral_value():
        raise ValueError(f"{text!r} is not an integer")
    return int(value)


@lru_cache(maxsize=8192)
def to_date(text: str) -> date:
    """EDGAR's date notations: MM-DD-YYYY, MM/DD/YYYY, YYYY-MM-DD, and MM/YYYY (-> the 1st).

    Cached: a file repeats a few hundred distinct dates across its 100,000 records.
    """
    n = len(text)
    try:
        if n == 10 and text[2] in "-/" and text[5] == text[2]:
            return date(int(text[6:]), int(text[:2]), int(text[3:5]))
        if n == 10 and text[4] == "-" and text[7] == "-":
            return date(int(text[:4]), int(text[5:7]), int(text[8:]))
        if n == 7 and text[2] in "/-":
            return date(int(text[3:]), int(text[:2]), 1)
        if n == 6 and text[1] in "/-":
            return date(int(text[2:]), int(text[:1]), 1)
    except ValueError:
        pass
    raise ValueError(f"{text!r} is not a date (MM-DD-YYYY, MM/DD/YYYY, YYYY-MM-DD or MM/YYYY)")


def to_bool(text: str) -> bool:
    """true/false, 1/0, Y/N as EDGAR's boolean items are filled in practice."""
    try:
        return _BOOLS[text.lower()]
    except KeyError:
        raise ValueError(f"{text!r} is not a boolean (true/false, 1/0, Y/N)") from None


CONVERTERS: dict[str, Converter] = {
    "text": None, "amount": to_decimal, "rate": to_decimal, "int": to_int, "date": to_date,
    "bool": to_bool,
}
_ANNOTATIONS = {"text": "str | None", "amount": "Decimal | None", "rate": "Decimal | None",
                "int": "int | None", "date": "date | None", "bool": "bool | None"}


@dataclass(frozen=True)
class ClassSpec:
    """One asset class's namespace, record element and element -> canonical column map."""

    name: str
    namespace: str
    record: str
    verified: bool
    canonical: dict[str, str]  # canonical column -> element local name
    repeatable: frozenset[str]
    property: str | None = None
    property_canonical: dict[str, str] = dataclasses.field(default_factory=dict)


def _check_columns(types: dict[str, str], cls: type, skip: int) -> list[str]:
    """The YAML's columns must be the dataclass's canonical fields, same order and type."""
    fields = dataclasses.fields(cls)[skip:]
    names = [f.name for f in fields]
    if names != list(types):
        raise ValueError(f"{FIELDS_YAML}: columns {list(types)} differ from {cls.__name__} fields {names}")
    for f in fields:
        if _ANNOTATIONS.get(types[f.name]) != f.type:
            raise ValueError(f"{FIELDS_YAML}: column {f.name} is {types[f.name]!r} but "
                             f"{cls.__name__}.{f.name} is annotated {f.type!r}")
    return names


def _load() -> tuple[dict[str, str], dict[str, str], dict[str, ClassSpec]]:
    raw = yaml.safe_load(FIELDS_YAML.read_text(encoding="utf-8"))
    columns: dict[str, str] = raw["columns"]
    property_columns: dict[str, str] = raw["property_columns"]
    _check_columns(columns, AssetRecord, 5)
    _check_columns(property_columns, PropertyRecord, 5)
    specs: dict[str, ClassSpec] = {}
    for name, c in raw["classes"].items():
        for col_map, known in ((c["canonical"], columns), (c.get("property_canonical", {}), property_columns)):
            unknown = set(col_map) - set(known)
            if unknown:
                raise ValueError(f"{FIELDS_YAML}: class {name} maps unknown columns {sorted(unknown)}")
            if len(set(col_map.values())) != len(col_map):
                raise ValueError(f"{FIELDS_YAML}: class {name} maps one element to two columns")
        specs[name] = ClassSpec(
            name=name, namespace=c["namespace"], record=c["record"], verified=bool(c["verified"]),
            canonical=dict(c["canonical"]), repeatable=frozenset(c.get("repeatable") or ()),
            property=c.get("property"), property_canonical=dict(c.get("property_canonical") or {}),
        )
    return columns, property_columns, specs


#: canonical column -> type, in record order
COLUMNS, PROPERTY_COLUMNS, CLASSES = _load()
#: asset-data namespace -> class name
CLASS_BY_NAMESPACE = {spec.namespace: name for name, spec in CLASSES.items()}
