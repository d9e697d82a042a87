"""Small text helpers shared by the 10-K parsers: dates, amounts, number words, HTML, sentences.

Annual reports are prose written by many law firms and trustees over two decades, so the
helpers accept the spellings seen in real filings ("February 26,2004", "3/30/04",
"two of the thirty-five", "$5,000,000", "$20 million") and never raise on odd input.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from lxml import etree
from lxml import html as lxml_html

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}

_MONTH_RE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)

#: "December 31, 2003", "Oct 1, 2003", "February 26,2004", "10/30/2003", "3/30/04".
DATE_RE = re.compile(
    rf"\b(?:(?P<mon>{_MONTH_RE})\.?[ \t\n]{{1,4}}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?[ \t]*,?[ \t\n]*(?P<year>\d{{4}})"
    r"|(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2}))\b",
    re.IGNORECASE,
)

#: The same pattern without named groups, to embed several times in a larger pattern.
DATE_PATTERN = re.sub(r"\?P<\w+>", "?:", DATE_RE.pattern)


def date_from_match(m: re.Match[str]) -> str | None:
    """ISO date of a ``DATE_RE`` match, or None when the calendar rejects it (e.g. 2/30)."""
    try:
        if m.group("mon"):
            month = _MONTHS[m.group("mon")[:3].lower()]
            day, year = int(m.group("day")), int(m.group("year"))
        else:
            month, day, year = int(m.group("m")), int(m.group("d")), int(m.group("y"))
            if year < 100:  # two-digit years in signatures ("3/30/04")
                year += 2000 if year < 50 else 1900
        return date(year, month, day).isoformat()
    except (KeyError, ValueError):
        return None


def parse_date(text: str) -> str | None:
    """First date in ``text`` as ISO, or None."""
    for m in DATE_RE.finditer(text or ""):
        iso = date_from_match(m)
        if iso:
            return iso
    return None


def all_dates(text: str) -> list[str]:
    """Every valid date in ``text``, ISO, in order of appearance."""
    out = []
    for m in DATE_RE.finditer(text or ""):
        iso = date_from_match(m)
        if iso:
            out.append(iso)
    return out


def fiscal_year_start(fiscal_year_end: str | None) -> str | None:
    """The day after the same date one year earlier: the start of a 12-month fiscal year."""
    if not fiscal_year_end:
        return None
    try:
        end = date.fromisoformat(fiscal_year_end)
        try:
            prior = end.replace(year=end.year - 1)
        except ValueError:  # Feb 29
            prior = end.replace(year=end.year - 1, day=28)
        return (prior + timedelta(days=1)).isoformat()
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------- numbers

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000}
_WORD_ALT = "|".join(sorted([*_UNITS, *_TENS, *_SCALES], key=len, reverse=True))
_WORD = rf"(?:{_WORD_ALT})"

#: A count written in digits ("35", "1,204") or words ("thirty-five", "one hundred and two").
NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{_WORD}(?:(?:[ \t-]+|[ \t]+and[ \t]+){_WORD}){{0,6}})"
NUMBER_RE = re.compile(rf"\b{NUMBER}\b", re.IGNORECASE)


def words_to_int(text: str) -> int | None:
    """``"thirty-five"`` -> 35, ``"one hundred and two"`` -> 102; None if not a number phrase."""
    tokens = [t for t in re.split(r"[\s\-]+", text.lower().strip()) if t and t != "and"]
    if not tokens:
        return None
    total, current = 0, 0
    for tok in tokens:
        if tok in _UNITS:
            current += _UNITS[tok]
        elif tok in _TENS:
            current += _TENS[tok]
        elif tok == "hundred":
            current = max(current, 1) * 100
        elif tok == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return total + current


def to_int(text: str | None) -> int | None:
    """An integer from digits (with thousands commas) or number words; None otherwise."""
    if text is None:
        return None
    s = text.strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", s):
        return int(s.replace(",", ""))
    return words_to_int(s)


#: "two of the thirty-five", "2 out of 35", "3 of 45", "one of a sample of twenty".
SAMPLE_RE = re.compile(
    rf"\b(?P<k>{NUMBER})[ \t\n]+(?:\([0-9]+\)[ \t\n]+)?(?:out[ \t\n]+)?of[ \t\n]+"
    rf"(?:the[ \t\n]+|a[ \t\n]+(?:total|sample)[ \t\n]+of[ \t\n]+|our[ \t\n]+sample[ \t\n]+of[ \t\n]+)?"
    rf"(?P<n>{NUMBER})(?:[ \t\n]+\([0-9]+\))?\b",
    re.IGNORECASE,
)


def parse_sample(text: str) -> tuple[int | None, int | None]:
    """``(sample_size, sample_exceptions)`` from "k of n" wording, or (None, None)."""
    for m in SAMPLE_RE.finditer(text or ""):
        k, n = to_int(m.group("k")), to_int(m.group("n"))
        if k is not None and n is not None and 0 < k <= n:
            return n, k
    return None, None


MONEY_RE = re.compile(
    r"\$[ \t]*(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<cents>\.\d{1,2})?(?:[ \t]*(?P<scale>million|billion))?",
    re.IGNORECASE,
)


def money_from_match(m: re.Match[str]) -> float | int:
    """Dollar amount of a ``MONEY_RE`` match: whole dollars as int, else float."""
    value: float = float(m.group("num").replace(",", "") + (m.group("cents") or ""))
    scale = (m.group("scale") or "").lower()
    if scale == "million":
        value *= 1_000_000
    elif scale == "billion":
        value *= 1_000_000_000
    return int(value) if value == int(value) else value


# ---------------------------------------------------------------------------------------- text

def squash(text: str) -> str:
    """Collapse every whitespace run to one space: prose detail fields read as one line."""
    return " ".join((text or "").split())


def normalize_newlines(text: str) -> str:
    """Unix newlines, no tabs or non-breaking spaces: regexes then need one spelling."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ").replace("\xa0", " ")


_HTML_HINT = re.compile(r"<(?:html|body|table|p|div|font|br)\b", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """True when a document is HTML rather than EDGAR plain text."""
    return bool(_HTML_HINT.search((text or "")[:20000]))


_BLOCK_TAGS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "center", "pre", "blockquote")


def html_to_text(html: str) -> str:
    """Flatten HTML to text, keeping table rows as ``| cell | cell |`` lines.

    Cells spanning several columns are repeated so data rows and header rows line up
    (the criteria checklists of EX-33 reports are read column by column). Built on lxml
    element operations, which stay linear on documents with tens of thousands of rows.
    """
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html or "")
    try:
        doc = lxml_html.document_fromstring(html)
    except (ValueError, etree.ParserError):
        return normalize_newlines(re.sub(r"<[^>]{0,2000}>", " ", html))
    etree.strip_elements(doc, "script", "style", "head", etree.Comment, with_tail=False)
    for br in doc.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for tr in reversed(list(doc.iter("tr"))):
        tags = [c for c in tr if c.tag in ("td", "th")]
        cells: list[str] = []
        for cell in tags:
            txt = squash(cell.text_content())
            try:
                span = max(1, min(int(cell.get("colspan", 1)), 20))
            except (TypeError, ValueError):
                span = 1
            # repeat a spanning header over its columns; a lone layout cell stays one paragraph
            cells.extend([txt] * (span if len(tags) > 1 else 1))
        tail = tr.tail
        tr.clear()
        tr.text = "\n| " + " | ".join(cells) + " |\n"
        tr.tail = tail
    for tag in doc.iter(*_BLOCK_TAGS):
        tag.text = "\n" + (tag.text or "")
        tag.tail = "\n" + (tag.tail or "")
    text = normalize_newlines(doc.text_content())
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:  # at most one blank line in a row: paragraphs stay visible
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() + "\n"


_ABBREV = {
    "inc", "co", "corp", "ltd", "no", "st", "mr", "ms", "mrs", "dr", "jr", "sr", "vs", "e.g", "i.e",
    "n.a", "u.s", "l.p", "l.l.c", "f.s.b", "p.c", "fig", "sec", "approx", "etc",
}


def sentences(text: str) -> list[str]:
    """Split prose into sentences, not breaking after "Inc." or "U.S." or an initial."""
    out, start = [], 0
    for m in re.finditer(r"[.;!?](?=\s+[A-Z(\"“$0-9])|\n[ \t]*\n", text):
        end = m.end()
        if m.group(0) == ".":
            prev = re.search(r"([A-Za-z.]+)$", text[max(0, m.start() - 12):m.start()])
            word = (prev.group(1) if prev else "").lower().strip(".")
            if word in _ABBREV or len(word) == 1:
                continue
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = end
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks."""
    return [p.strip() for p in re.split(r"\n[ \t]*\n", text or "") if p.strip()]
