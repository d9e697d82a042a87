"""CUSIP check digits.

A CUSIP is 6 characters of issuer, 2 of issue and a check digit computed with the
"modulus 10 double add double" rule. The generator needs valid ones so the parser's
CUSIP check has something true to confirm (and a benchmark can plant invalid ones).
"""

from __future__ import annotations

_SPECIAL = {"*": 36, "@": 37, "#": 38}


def _char_value(ch: str) -> int:
    if ch.isdigit():
        return ord(ch) - 48
    if "A" <= ch <= "Z":
        return ord(ch) - 55  # A=10 ... Z=35
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    raise ValueError(f"not a CUSIP character: {ch!r}")


def cusip_check_digit(base: str) -> str:
    """Check digit of the first eight characters of a CUSIP.

    Every second character's value is doubled, the digits of every value are summed,
    and the check digit brings the sum to a multiple of ten.
    """
    if len(base) != 8:
        raise ValueError(f"a CUSIP base has 8 characters, got {base!r}")
    total = 0
    for i, ch in enumerate(base.upper()):
        v = _char_value(ch)
        if i % 2 == 1:
            v *= 2
        total += v // 10 + v % 10
    return str((10 - total % 10) % 10)


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
