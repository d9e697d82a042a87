"""CUSIP check digits.

A CUSIP is 6 characters of issuer, 2 of issue and a check digit computed with the
"modulus 10 double add double" rule. The generator needs valid ones so the parser's
CUSIP check has something true to confirm (and a benchmark can plant invalid ones).
"""

from __future__ import annotations

from etl.parse.classes import cusip_check_digit as _check_digit


def cusip_check_digit(base: str) -> str:
    """Check digit of the first eight characters of a CUSIP, as the character the generator prints.

    The arithmetic is the parser's (``etl.parse.classes.cusip_check_digit``); a base that is not
    eight CUSIP characters is an error here, as the generator must never print one.
    """
    digit = _check_digit(base.upper()) if len(base) == 8 else None
    if digit is None:
        raise ValueError(f"not a CUSIP base (8 of 0-9, A-Z, *, @, #): {base!r}")
    return str(digit)


def is_valid_cusip(cusip: str) -> bool:
    """True when ``cusip`` has nine characters and a correct check digit."""
    if len(cusip) != 9 or not cusip[8].isdigit():
        return False
    try:
        return cusip_check_digit(cusip[:8]) == cusip[8]
    except ValueError:
        return False


def make_cusip(issuer: str, issue: str) -> str:
    """A full CUSIP from a 6-character issuer number and a 2-character issue number."""
    base = (issuer + issue).upper()
    return base + cusip_check_digit(base)
