"""Turning EDGAR bytes into text without ever failing on a bad byte.

EDGAR text is declared ASCII, but real filings carry Windows-1252 "smart quotes", stray
Latin-1 bytes and, lately, UTF-8. A parser that raises on them loses a whole filing for
one apostrophe, so decoding here never raises:

1. valid UTF-8 (which includes pure ASCII) is decoded as UTF-8;
2. otherwise the bytes are decoded as cp1252, and the five bytes cp1252 leaves undefined
   (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the Latin-1 code point of the same value, so
   every byte becomes exactly one character and nothing is silently dropped.
"""

from __future__ import annotations

import codecs

_CP1252_HOLES = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def _cp1252_latin1_fallback(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeDecodeError):
        raise err
    bad = err.object[err.start : err.end]
    return "".join(chr(b) for b in bad), err.end


codecs.register_error("edgar-cp1252-latin1", _cp1252_latin1_fallback)


def decode_edgar(data: bytes) -> tuple[str, str]:
    """Decode ``data`` and say which rule applied (``"utf-8"`` or ``"cp1252"``)."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="edgar-cp1252-latin1"), "cp1252"


def decode_text(data: bytes) -> str:
    """Decode ``data`` by the documented fallback rule, dropping which rule applied."""
    return decode_edgar(data)[0]
