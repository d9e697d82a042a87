"""Every figure of the seed 8-K statement (AAMES 2003-1, 2003-12-26), section by section,
against a golden file transcribed by hand from the document.

The same assertions run on three inputs: the bare text document, the document inside an
EDGAR SGML envelope, and the document rendered as HTML tables ('$' in its own cell).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.parse import parse_bytes, parse_path
from etl.parse.render import fixed_width_to_html

FIX = Path(__file__).resolve().parents[1] / "fixtures"
SEED = FIX / "seeds" / "aames031dec03.txt"
GOLDEN = json.loads((FIX / "golden" / "aames031dec03.json").read_text(encoding="utf-8"))

# The seeds carry no envelope; this one is built from DOMAIN.md's facts. The filing date
# is assumed (the agent's first accession of 2004, so early January 2004).
ENVELOPE = """<SEC-DOCUMENT>0001019965-04-000001.txt : 20040105
<SEC-HEADER>0001019965-04-000001.hdr.sgml : 20040105
ACCESSION NUMBER:		0001019965-04-000001
CONFORMED SUBMISSION TYPE:	8-K
PUBLIC DOCUMENT COUNT:		1
CONFORMED PERIOD OF REPORT:	20031226
FILED AS OF DATE:		20040105

FILER:

	COMPANY DATA:
		COMPANY CONFORMED NAME:			AAMES MORTGAGE TRUST 2003-1
		CENTRAL INDEX KEY:			0001268803
		STANDARD INDUSTRIAL CLASSIFICATION:	ASSET-BACKED SECURITIES [6189]
		STATE OF INCORPORATION:			DE

	FILING VALUES:
		FORM TYPE:		8-K
		SEC ACT:		1934 Act
		SEC FILE NUMBER:	333-106925-11
</SEC-HEADER>
<DOCUMENT>
<TYPE>8-K
<SEQUENCE>1
<FILENAME>aames031dec03.txt
<DESCRIPTION>AAMES 2003-1 DECEMBER 2003
<TEXT>
{body}
</TEXT>
</DOCUMENT>
</SEC-DOCUMENT>
"""


def _render(kind: str) -> dict:
    text = SEED.read_text(encoding="utf-8")
    if kind == "text":
        return parse_path(SEED)
    if kind == "envelope":
        return parse_bytes(ENVELOPE.replace("{body}", text).encode("utf-8"), "0001019965-04-000001.txt")
    return parse_bytes(fixed_width_to_html(text).encode("utf-8"), "aames031dec03.htm")


RENDERINGS = ("text", "envelope", "html")


@pytest.fixture(scope="module", params=RENDERINGS)
def parsed(request: pytest.FixtureRequest) -> dict:
    return _render(request.param)


def _classes(p: dict) -> dict[str, dict]:
    return {c["class"]: c for c in p["classes"]}


@pytest.mark.unit
def test_report_level_facts(parsed: dict) -> None:
    assert parsed["error"] is None
    assert parsed["kind"] == GOLDEN["kind"]
    assert parsed["form_type"] == GOLDEN["form_type"]
    assert parsed["distribution_date"] == GOLDEN["distribution_date"]
    assert parsed["amount_decimals"] == GOLDEN["amount_decimals"]


@pytest.mark.unit
def test_all_fourteen_classes_in_printed_order(parsed: dict) -> None:
    assert [c["class"] for c in parsed["classes"]] == GOLDEN["class_order"]


@pytest.mark.unit
@pytest.mark.parametrize("section", list(GOLDEN["sections"]))
def test_class_section(parsed: dict, section: str) -> None:
    spec = GOLDEN["sections"][section]
    got = _classes(parsed)
    for name, values in spec["rows"].items():
        for key, want in zip(spec["columns"], values, strict=True):
            have = got[name].get(key)
            if want is None:
                assert have is None, (section, name, key, have)
            elif isinstance(want, float):
                assert have == pytest.approx(want, abs=1e-9), (section, name, key, have)
            else:
                assert have == want, (section, name, key, have)


@pytest.mark.unit
def test_notional_and_residual_flags(parsed: dict) -> None:
    got = _classes(parsed)
    assert sorted(n for n, c in got.items() if c["notional"]) == sorted(GOLDEN["flags"]["notional"])
    assert sorted(n for n, c in got.items() if c["residual"]) == sorted(GOLDEN["flags"]["residual"])


@pytest.mark.unit
def test_class_totals(parsed: dict) -> None:
    got = [(t["measure"], t["value"], t["rows"]) for t in parsed["class_totals"]]
    want = [(t["measure"], t["value"], t["rows"]) for t in GOLDEN["class_totals"]]
    assert got == want


@pytest.mark.unit
def test_pools_one_two_and_total(parsed: dict) -> None:
    got = {p["pool"]: p for p in parsed["pools"]}
    assert set(got) == set(GOLDEN["pools"])
    for pool, values in GOLDEN["pools"].items():
        for key, want in values.items():
            assert got[pool].get(key) == want, (pool, key, got[pool].get(key))


@pytest.mark.unit
def test_deal_measures(parsed: dict) -> None:
    for key, want in GOLDEN["deal"].items():
        assert parsed["deal"].get(key) == want, key


@pytest.mark.unit
def test_delinquencies_with_footnote_flags(parsed: dict) -> None:
    assert parsed["delinquencies"] == GOLDEN["delinquencies"]


@pytest.mark.unit
def test_cusip_check_digit_warns_but_loads(parsed: dict) -> None:
    for cusip in GOLDEN["cusip_check_digit_warnings"]:
        assert any(cusip in w for w in parsed["warnings"])
    assert _classes(parsed)["M-6"]["cusip"] == "86359A6S8"


@pytest.mark.unit
def test_identities_hold_on_what_was_read(parsed: dict) -> None:
    # DOMAIN identities 1, 2 and 5, as a cross-check that columns were not swapped
    for c in parsed["classes"]:
        assert c["beginning_balance"] - c["principal"] - c["realized_loss"] == c["ending_balance"], c["class"]
        assert c["interest"] + c["principal"] == c["total_distribution"], c["class"]
    for p in parsed["pools"]:
        assert p["beginning_balance"] - p["scheduled_principal"] - p["prepayments"] - p["liquidation_proceeds"] \
            == p["ending_balance"], p["pool"]


@pytest.mark.unit
def test_every_field_has_provenance() -> None:
    p = _render("text")
    assert p["fields"], "no fields"
    for f in p["fields"]:
        assert f["document"] == "aames031dec03.txt"
        assert isinstance(f["line"], int) and f["line"] > 0
        assert f["raw"]
    one = next(f for f in p["fields"] if f["entity"] == "1-A1" and f["measure"] == "beginning_balance")
    assert one["raw"] == "239,771,286"
    assert one["label"] == "Beginning Certificate Bal(1)"
    lines = SEED.read_text(encoding="utf-8").split("\n")
    assert "239,771,286" in lines[one["line"] - 1]
    # an unmapped label still lands in fields
    assert any(f["measure"] is None for f in p["fields"])


@pytest.mark.unit
def test_envelope_header_facts() -> None:
    p = _render("envelope")
    assert p["accession"] == "0001019965-04-000001"
    assert p["cik"] == 1268803
    assert p["deal_name"] == "AAMES MORTGAGE TRUST 2003-1"
    assert p["filed_date"] == "2004-01-05"
    assert p["document"] == "aames031dec03.txt"
