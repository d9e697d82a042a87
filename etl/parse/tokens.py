"""Typed tokens, and rows recovered from a stream of cells or words.

Every rendering of a report (fixed-width text, HTML cells, whitespace-collapsed text,
cells flattened one per line) is reduced to tokens: class designations, CUSIPs, figures,
dates, markers and text. A row is a head token (a class or a label) followed by its values,
so a header plus a stream of tokens in header order is enough to rebuild a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import cast

from etl.parse import classes as cls
from etl.parse.dates import is_date, parse_date
from etl.parse.numbers import GARBLED, NA, PCT, ZERO, Number, parse_number

# Token kinds
CLASS, CUSIP, VALUE, DATE, TEXT, MARKER = "class", "cusip", "value", "date", "text", "marker"

_MARKER_RE = re.compile(
    r"^(?:\{\d{1,3}\}|\((?:[ivxlc]{1,6}|[a-zA-Z]{1,2}|\d{1,2}|[IVXL]{1,5})\)|(?:[IVXL]{1,5}|[ivxl]{1,6}|[A-Z]|\d{1,2}|[a-z])\.|[ivx]{1,5})$"
)
_LEAD_MARKER_RE = re.compile(
    r"^(?:\{\d{1,3}\}|\((?:[ivxlc]{1,6}|[a-zA-Z]{1,2}|\d{1,2})\)|(?:[IVXL]{1,5}|[A-Z]|\d{1,2})\.)\s+(?=\S)"
)
_SEPARATOR_RE = re.compile(r"^[-=_~*.\s]{3,}$")
_CELL_SPLIT_RE = re.compile(r"\S+(?: \S+)*")
_WORD_RE = re.compile(r"\S+")
_DATEISH_LABEL_RE = re.compile(r"\b(?:date|dated|as of|period|through|ended|ending|from)\b[:\s]*$", re.I)
# A short code printed in a cell of a class row: an accrual basis, a month-year, a rating.
_CODE_CELL_RE = re.compile(r"^(?=[^\s]*[\d/])[A-Za-z0-9/\-.]{3,14}$")
_NOTE_MARK_RE = re.compile(r"^\(\d{1,2}\)$")
_PUNCT_ONLY = frozenset({"$", "%", "(", ")", "($", "$(", "*", "\u2020"})


@dataclass(slots=True)
class Tok:
    """One token with where it was printed.

    ``start``/``end``: character columns (fixed-width) or grid columns (HTML); -1 when the
    rendering kept no positions (collapsed or flattened text).
    """

    text: str
    kind: str
    start: int = -1
    end: int = -1
    line: int = 0
    num: Number | None = None
    klass: cls.ClassName | None = None
    date: str | None = None
    col: int | None = None
    mark: str | None = None  # an item or footnote mark ("(1)") stripped from the front of a text cell

    @property
    def is_value(self) -> bool:
        return self.kind in (VALUE, CUSIP, DATE)


@dataclass(slots=True)
class Row:
    """A head (class or label) and its values, or a text-only row (header, title, note)."""

    toks: list[Tok]
    line: int = 0
    table: int | None = None
    row: int | None = None
    positional: bool = True
    blank_before: bool = False
    page_break: bool = False
    kind: str = ""  # "class", "label", "text", "values", "footnote", "blank"
    head: Tok | None = None
    values: list[Tok] = field(default_factory=list)
    inline: bool = False
    idx: int = 0  # 1-based position within its table
    squeezed: bool = False  # a line of a text whose whitespace was squeezed: words in order, no columns

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.toks)

    @property
    def marker(self) -> str | None:
        """The mark a text row began with ("(1) Notional balance"), which its text no longer shows."""
        return self.toks[0].mark if self.toks else None


def _value_tok(text: str, start: int, end: int, line: int) -> Tok | None:
    """A token for a figure, date, CUSIP or NA cell; None when it is text."""
    t = text.strip()
    if t in _PUNCT_ONLY:
        return Tok(t, VALUE, start, end, line, None)
    n = parse_number(t)
    if n is not None:
        return Tok(t, VALUE, start, end, line, n)
    if cls.looks_like_cusip(t) and not t.isdigit():
        return Tok(t, CUSIP, start, end, line)
    if ("/" in t or "-" in t or " " in t) and is_date(t):
        return Tok(t, DATE, start, end, line, date=parse_date(t))
    return None


def _figure_like(t: Tok) -> bool:
    """A figure that cannot be a word of prose: grouped, with decimals, $, %, or a dash.
    ("Item 5", "Pool 1", "Act of 1934" keep their numbers as words.)"""
    n = t.num
    if n is None or n.kind == NA:
        return False
    return n.grouped or n.dollar or n.kind in (PCT, ZERO, GARBLED) or bool(n.decimals) or n.negative


def strip_lead_marker(text: str) -> str:
    """'(i) Class A-1 Notes Balance' -> 'Class A-1 Notes Balance' (item numbering is noise)."""
    prev = None
    while prev != text:
        prev = text
        text = _LEAD_MARKER_RE.sub("", text, count=1)
    return text


@lru_cache(maxsize=1 << 15)
def _classify(t: str) -> tuple[str, str, Number | None, cls.ClassName | None, str | None] | None:
    """What a whole cell is, independent of where it was printed (cached)."""
    if _MARKER_RE.match(t):
        return (MARKER, t, None, None, None)
    v = _value_tok(t, -1, -1, 0)
    if v is not None:
        return (v.kind, v.text, v.num, None, v.date)
    if _SEPARATOR_RE.match(t):
        return ("sep", t, None, None, None)
    t2 = strip_lead_marker(t)
    k = cls.class_label(t2)
    if k is not None:
        return (CLASS, t2, None, k, None)
    if " " not in t2:
        return (TEXT, t2, None, None, None)
    return None


# What a cell tokenises to, positions as offsets from the cell's start (``_END``: its end).
_Shape = tuple[tuple[str, str, int, int, Number | None, cls.ClassName | None, str | None, str | None], ...]
_END = 1 << 40  # stands for the cell's end column (given by the caller) in a cached shape


@lru_cache(maxsize=1 << 15)
def _cell_shape(text: str) -> _Shape:
    """``_tokenize_cell`` of a cell printed at column 0 (cached: labels, headers and many
    figures repeat across the lines and reports of a trustee). Every position the tokenizer
    computes is the cell's start plus an offset that depends on the text alone, so one
    shape serves the cell wherever it is printed."""
    return tuple((t.text, t.kind, t.start, t.end, t.num, t.klass, t.date, t.mark)
                 for t in _tokenize_cell(text, 0, 0, _END))


def tokenize_cell(text: str, start: int = -1, line: int = 0, end: int | None = None) -> list[Tok]:
    """Tokens of one cell: a fixed-width cell (2+ spaces around it) or one HTML/pipe cell."""
    if start < 0:
        return _tokenize_cell(text, start, line, end)
    e = end if end is not None else start + len(text)
    return [Tok(tx, kind, start + a, e if b == _END else start + b, line, num, klass, date, mark=mark)
            for tx, kind, a, b, num, klass, date, mark in _cell_shape(text)]


def _tokenize_cell(text: str, start: int, line: int, end: int | None) -> list[Tok]:
    """The tokenizer itself; ``tokenize_cell`` serves positioned cells from its cache."""
    t = text.strip()
    if not t:
        return []
    e = end if end is not None else (start + len(text) if start >= 0 else -1)
    c = _classify(t)
    if c is not None:
        kind, txt, num, klass, date = c
        if kind == "sep":
            return []
        return [Tok(txt, kind, start, e, line, num, klass, date)]
    t2 = strip_lead_marker(t)
    if t.count(": ") >= 2:
        pairs = _colon_pairs(text, start, line)
        if pairs is not None:
            return pairs
    words = list(_WORD_RE.finditer(text))
    if len(words) > 1:
        # Trailing figures glued to a label with single spaces: "Gross Interest 2,803,797".
        vals: list[Tok] = []
        i = len(words)
        while i > 0:
            w = words[i - 1]
            ws = start + w.start() if start >= 0 else -1
            we = start + w.end() if start >= 0 else -1
            vt = _value_tok(w.group(0), ws, we, line)
            if vt is None or vt.kind == DATE:
                break
            vals.append(vt)
            i -= 1
        if len(vals) == 1 and i > 0 and _NOTE_MARK_RE.match(vals[0].text):
            # "Period (1)", "Balance (2)": a footnote mark glued to a header word, not a figure
            return [Tok(t2, TEXT, start, e, line, mark=t[: len(t) - len(t2)].strip() or None)]
        if vals and i == 0 and len(vals) > 1 and all(_figure_like(v) for v in vals):
            return vals[::-1]  # figures one space apart: "150,000,000.00 140,000,000.00"
        if vals and i > 0 and any(_figure_like(v) for v in vals):
            head_text = text[: words[i - 1].end()].strip()
            head = tokenize_cell(head_text, start + (len(text) - len(text.lstrip())) if start >= 0 else -1,
                                 line, (start + words[i - 1].end()) if start >= 0 else -1)
            return head + vals[::-1]
        if len(words) == 2:
            # "$ 1,234", "1,234 %", "( 1,234 )": one figure written with a space.
            joined = words[0].group(0) + words[1].group(0)
            v = _value_tok(joined, start, e, line)
            if v is not None and v.num is not None:
                return [v]
    return [Tok(t2, TEXT, start, e, line, mark=t[: len(t) - len(t2)].strip() or None)]


_COLON_PAIR_RE = re.compile(r"(?P<label>[^:]+?:)\s+(?P<value>\S+)(?=\s|$)")


def _colon_pairs(text: str, start: int, line: int) -> list[Tok] | None:
    """"Class A-2 Note Rate: 6.51000% Distribution Date: 05/17/99": label: value pairs run
    together in one cell, each label ended by its colon and followed by its figure, are cells
    of their own. None unless every pair's value is a figure or a date."""
    out: list[Tok] = []
    pos = 0
    for m in _COLON_PAIR_RE.finditer(text):
        if text[pos:m.start()].strip():
            return None
        v = _value_tok(m.group("value"), -1, -1, line)
        if v is None:
            return None
        def at(k: int) -> int:
            return start + k if start >= 0 else -1

        a, b = m.span("label")
        out.append(Tok(m.group("label").strip(), TEXT, at(a), at(b), line))
        a, b = m.span("value")
        out.append(Tok(v.text, v.kind, at(a), at(b), line, v.num, date=v.date))
        pos = m.end()
    rest = text[pos:].strip()
    if len(out) < 4:
        return None
    if rest:
        out.append(Tok(rest, TEXT, at(pos), at(len(text)), line))
    return out


def tokenize_fixed_line(line_text: str, line_no: int) -> list[Tok]:
    """Cells of a fixed-width line: runs of text separated by two or more spaces."""
    out: list[Tok] = []
    append = out.append
    for m in _CELL_SPLIT_RE.finditer(line_text):
        # tokenize_cell(m.group(), m.start(), line_no, m.end()) inlined: the cell ends at m.end()
        s = m.start()
        for tx, kind, a, b, num, klass, date, mark in _cell_shape(m.group()):
            append(Tok(tx, kind, s + a, m.end() if b == _END else s + b, line_no, num, klass, date, mark=mark))
    return merge_value_tokens(out)


_DOT_MARK_RE = re.compile(r"^(?:\d{1,2}|[a-z]|[ivx]{1,5}|[IVX]{1,5})\.$")
_PERIOD_HEADS_RE = re.compile(
    r"(?:^|\s)((?:(?:Initial|Original|Beginning|Ending|End|Prior|Previous|Current)"
    r"(?: of (?:the )?(?:Collection |Monthly |Interest )?(?:Period|Month))?(?:\s+|$)){2,})")
_PERIOD_HEAD_RE = re.compile(
    r"(?:Initial|Original|Beginning|Ending|End|Prior|Previous|Current)"
    r"(?: of (?:the )?(?:Collection |Monthly |Interest )?(?:Period|Month))?")
_ITEM_MARK_RE = re.compile(r"^\((?:[ivx]{1,5}|[a-z]|\d{1,2})\)$|^\{\d{1,3}\}$")
# a number after these words is a unit or a reference ("per $1,000", "item 1"), not a figure
_REFERENCE_WORDS = frozenset({"per", "item", "items", "clause", "section", "paragraph"})
# "$1,000 Face Amount", "$1,000 Original Principal": the unit a column is printed in
_UNIT_RE = re.compile(r"^\$?1,?000$")
_UNIT_NEXT_WORDS = frozenset({"face", "original", "initial", "principal", "denomination", "of"})
_YEAR_RE = re.compile(r"(?:19|20)\d\d[.,;:]?$")
_DAY_RE = re.compile(r"\d{1,2},$")
_MONTH_RE = re.compile(r"(?i)(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$")


def _is_date_year(word: str, before2: str, before1: str) -> bool:
    """A year after a month name and a day ("February 16, 2010") is part of a date, not a figure."""
    return bool(_YEAR_RE.match(word) and _DAY_RE.match(before1) and _MONTH_RE.match(before2))


def tokenize_stream_text(text: str, line_no: int) -> list[Tok]:
    """Words of whitespace-collapsed text: figures, CUSIPs and classes apart, other words in runs."""
    words = [(m.group(0), m.start()) for m in _WORD_RE.finditer(text)]
    kinds: list[Tok | None] = []
    # issuance lines run together ("$257,200,000 Class A-1 0.12399% Asset Backed Notes due
    # March 15, 2022 $337,500,000 Class A-2 ..."): each one a text cell of its own
    issue = [(m.start(), m.end()) for m in _STREAM_NOTE_DESC_RE.finditer(text)] if "$" in text else []
    if "%" in text:  # "3.35% Exchange Note": a note named with its coupon
        # "Class A-1 1.74282% Asset Backed Notes Class A-2 1.99% ...": title lines run together
        issue += [(m.start(), m.end()) for m in _STREAM_TITLE_COUPON_RE.finditer(text)
                  if not any(a < m.end() and m.start() < b for a, b in issue)]
        taken = list(issue)
        for m in _STREAM_NAMED_NOTE_RE.finditer(text):
            if cls.named_note(m.group(0)) and not any(a < m.end() and m.start() < b for a, b in taken):
                issue.append((m.start(), m.end()))
        issue.sort()
    if issue:
        return _with_issuance_cells(text, line_no, issue)
    for w, s in words:
        if _SEPARATOR_RE.match(w) and len(w) >= 2:
            kinds.append(Tok(w, "sep", s, s + len(w), line_no))
            continue
        if w in ("-", "\u2014", "\u2013"):
            kinds.append(Tok(w, VALUE, s, s + len(w), line_no, parse_number(w)))
            continue
        nxt_w = words[len(kinds) + 1][0] if len(kinds) + 1 < len(words) else ""
        if _ITEM_MARK_RE.match(w) or (_DOT_MARK_RE.match(w) and nxt_w[:1].isupper()):
            # "(a)", "(iv)", "(3)", "8." before a heading: an item's mark, the boundary of its line
            kinds.append(Tok(w, MARKER, s, s + len(w), line_no))
            continue
        # "per $1,000" names a unit, "item 1" a line, not a figure; "February 16, 2010": the year ends a date
        i = len(kinds)
        vt = None if (i and words[i - 1][0].lower() in _REFERENCE_WORDS) or (i >= 2 and _is_date_year(w, words[i - 2][0],
                                                                                          words[i - 1][0])) \
            or (_UNIT_RE.match(w) and i + 1 < len(words) and words[i + 1][0].lower() in _UNIT_NEXT_WORDS) \
            else _value_tok(w, s, s + len(w), line_no)
        kinds.append(vt)
    out: list[Tok] = []
    run: list[tuple[str, int]] = []

    def flush() -> None:
        if run:
            for part in (p for q in _class_heads_apart(run) for p in _period_heads_apart(q)):
                txt = " ".join(w for w, _ in part)
                out.append(Tok(txt, TEXT, part[0][1], part[-1][1] + len(part[-1][0]), line_no))
            run.clear()

    n = len(words)
    for i, (w, s) in enumerate(words):
        k = kinds[i]
        if k is not None and k.kind in ("sep", MARKER):
            flush()
            if k.kind == MARKER:
                out.append(k)
            continue
        if k is not None:
            # A lone "-" between separators is part of a rule line, not a zero.
            if k.num is not None and k.num.kind == ZERO and i + 1 < n and kinds[i + 1] is not None \
                    and cast(Tok, kinds[i + 1]).kind == "sep":
                flush()
                continue
            if k.kind in (VALUE, CUSIP) and run:
                _split_class_tail(run, out, line_no, before_cusip=k.kind == CUSIP)
            flush()
            out.append(k)
            continue
        nxt = kinds[i + 1] if i + 1 < n else None
        desig = cls.bare_designation(w)
        if desig is not None and nxt is not None and nxt.kind in (CUSIP, VALUE) and nxt.kind != "sep":
            flush()
            out.append(Tok(w, CLASS, s, s + len(w), line_no, klass=desig))
            continue
        run.append((w, s))
    flush()
    for t in out:
        t.start = t.end = -1
    return merge_value_tokens(out)


def _period_heads_apart(run: list[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    """Column heads naming periods run together in a run of collapsed words ("Balances
    Initial Beginning of Period End of Period Aggregate Securitization Value"), two of them
    or more saying "of Period": each period a cell of its own, the words before and after
    them runs of their own."""
    text = " ".join(w for w, _ in run)
    m = _PERIOD_HEADS_RE.search(text)
    if not m or sum(1 for h in _PERIOD_HEAD_RE.findall(m.group(1)) if " of " in h) < 2:
        return [run]  # bare "Ending Current Next" are the tops of stacked heads, not periods
    heads = [h.group(0) for h in _PERIOD_HEAD_RE.finditer(m.group(1))]
    cut = len(text[: m.start(1)].split())
    parts = [run[:cut]] if cut else []
    for h in heads:
        n = len(h.split())
        parts.append(run[cut:cut + n])
        cut += n
    if cut < len(run):
        parts.append(run[cut:])
    return parts


def _class_heads_apart(run: list[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    """A run of collapsed words holding two or more "Class X" in a row is a header of classes
    as columns ("Class A-1 Class A-2a Class A-3 Total", "Class I A-1 Class I A-2"): each
    class, and a "Total" after them, a cell of its own; the words around them stay runs."""
    heads: dict[int, int] = {}  # start -> words in the head
    for i in range(len(run) - 1):
        if run[i][0].lower() != "class":
            continue
        for size in (3, 2):
            if i + size <= len(run) and cls.class_label(" ".join(w for w, _ in run[i:i + size])) is not None:
                heads[i] = size
                break
    starts = [h for h in heads if h + heads[h] in heads and not any(g + heads[g] == h for g in heads)]
    if not starts:
        return [run]
    chain = [starts[0]]  # the first chain of classes; no word is dropped between chains
    while chain[-1] + heads[chain[-1]] in heads:
        chain.append(chain[-1] + heads[chain[-1]])
    first, last = chain[0], chain[-1]
    parts: list[list[tuple[str, int]]] = [run[:first]] if first else []
    parts += [run[h:h + heads[h]] for h in chain]
    rest = run[last + heads[last]:]
    if rest and rest[0][0].lower() == "total":
        parts.append(rest[:1])
        rest = rest[1:]
    if rest:
        parts.append(rest)
    return parts


_CLASS_LEAD_WORDS = frozenset({"class", "classes", "tranche", "series"})
_CLASS_TAIL_WORDS = frozenset({"notes", "note", "certificates", "certificate", "bonds", "bond"})
_OBJECT_WORDS = frozenset({"of", "for", "to", "on", "from", "by", "the"})


def _split_class_tail(run: list[tuple[str, int]], out: list[Tok], line_no: int, before_cusip: bool = False) -> None:
    """In collapsed text a class's row label runs into the words before it ("Face Amount
    Class A-1 Notes 321.09"): words ending the run that name a class, begun by "Class" or
    "Tranche" or ended by "Notes" or "Certificates", are the row's class; the words before
    them stay text."""
    for p in range(max(0, len(run) - 4), len(run)):
        tail = run[p:]
        if tail[0][0].lower() not in _CLASS_LEAD_WORDS and not (
                len(tail) == 2 and tail[1][0].lower() in _CLASS_TAIL_WORDS) and not (len(tail) == 1 and before_cusip):
            continue
        txt = " ".join(w for w, _ in tail)
        k = cls.class_label(txt)
        if k is None or (txt.lower() == "certificates" and not before_cusip):
            continue  # a bare "Certificates" is a class only when its CUSIP follows
        if p and run[p - 1][0].lower() in _OBJECT_WORDS:
            return  # "Outstanding Principal Amount of Class A-1 Notes": the class is the label's object
        if p:
            head = run[:p]
            out.append(Tok(" ".join(w for w, _ in head), TEXT, head[0][1], head[-1][1] + len(head[-1][0]), line_no))
        out.append(Tok(txt, CLASS, tail[0][1], tail[-1][1] + len(tail[-1][0]), line_no, klass=k))
        run.clear()
        return


_STREAM_NOTE_DESC_RE = re.compile(
    # "$257,200,000 Class A-1 0.12399% Asset Backed Notes": a rate or a kind of note after the
    # class ("$ 40,935,205.27 Class A-3 Notes" is a figure and the next row's label)
    r"\$\s?\d{1,3}(?:,\d{3})+(?:\.\d{2})?\s+Class\s+\S+\s+"
    r"(?:\d{1,2}\.\d{1,6}\s?%\s+(?:[\w\-]+\s+){0,5}?|(?:[\w\-]+\s+){1,5}?)(?:Notes?|Certificates?|Bonds?)\b"
    r"(?:\s+due\s+[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})?"
    r"|\$\s?\d{1,3}(?:,\d{3})+(?:\.\d{2})?\s+(?:\d{1,2}\.\d{1,6}\s?%\s+|[A-Z][A-Za-z-]{2,15}\s?\+\s?\d{1,2}\.\d{1,6}\s?%\s+)"
    r"(?:[\w\-]+\s+){0,5}?(?:Notes?|Certificates?|Bonds?),\s+Class\s+[A-Z0-9][\w\-]{0,5}\b"
    # "$20,250,000 5.730% Asset Backed Certificates": the certificates, named by kind alone
    r"|\$\s?\d{1,3}(?:,\d{3})+(?:\.\d{2})?\s+\d{1,2}\.\d{1,6}\s?%\s+(?:Asset[- ]Backed\s+)?Certificates\b"
)


_STREAM_TITLE_COUPON_RE = re.compile(
    r"(?<!\S)Class\s+[A-Z0-9][\w\-]{0,6}\s+\d{1,2}\.\d{1,6}\s?%\s+(?:[A-Z][\w\-]*\s+){0,4}?(?:Notes?|Certificates?|Bonds?)"
    r"(?:\s+due\s+[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})?(?=\s|$)")
_STREAM_NAMED_NOTE_RE = re.compile(r"(?<!\S)\d{1,2}\.\d{1,6}\s?%\s+(?:[A-Z][\w-]*\s+){1,3}?(?:Notes?|Certificates?|Bonds?)(?=\s|$)")


def _with_issuance_cells(text: str, line_no: int, spans: list[tuple[int, int]]) -> list[Tok]:
    """Tokens of collapsed text with each issuance line one text cell (the rest as usual)."""
    out: list[Tok] = []
    pos = 0
    for a, b in spans:
        if text[pos:a].strip():
            out.extend(tokenize_stream_text(text[pos:a], line_no))
        out.append(Tok(text[a:b], TEXT, a, b, line_no))
        pos = b
    if text[pos:].strip():
        out.extend(tokenize_stream_text(text[pos:], line_no))
    for t in out:
        t.start = t.end = -1
    return out


def merge_value_tokens(toks: list[Tok]) -> list[Tok]:
    """Join figures split over cells: '$' + '1,234', '(23,329,616.20' + ')', '4.500' + '%'."""
    for t in toks:
        if t.num is None and t.kind == VALUE:
            break  # a lone '$', '(', ')', '%', ... to join or drop
    else:
        return list(toks)  # nothing to join (most lines)
    out: list[Tok] = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        if t.kind == VALUE and t.num is None and t.text in ("$", "($", "$(", "("):
            # A currency sign or an opening parenthesis in its own cell.
            if i + 1 < n and toks[i + 1].kind == VALUE and toks[i + 1].num is not None:
                nxt = toks[i + 1]
                raw = t.text + nxt.text
                num = parse_number(raw) or nxt.num
                out.append(Tok(raw, VALUE, t.start, nxt.end, nxt.line, num, col=nxt.col))
                i += 2
                continue
            i += 1
            continue
        if t.kind == VALUE and t.num is None and t.text in (")", "%", "*", "\u2020"):
            if out and out[-1].kind == VALUE and out[-1].num is not None:
                prev = out[-1]
                raw = prev.text + t.text
                num = parse_number(raw)
                if num is not None:
                    # the closing mark's own cell does not widen the figure's column
                    out[-1] = Tok(raw, VALUE, prev.start, prev.end, prev.line, num, col=prev.col)
            i += 1
            continue
        out.append(t)
        i += 1
    return out


def value_type(t: Tok) -> str:
    """Coarse type of a value token for matching it to a column."""
    if t.kind == CUSIP:
        return "cusip"
    if t.kind == DATE:
        return "date"
    if t.kind == TEXT:
        return "text"
    n = t.num
    if n is None:
        return "text"
    if n.kind == PCT:
        return "pct"
    if n.kind == ZERO:
        return "zero"
    if n.kind == NA:
        return "na"
    if n.kind == GARBLED:
        return "garbled"
    if n.dollar or n.grouped or n.negative:
        return "amount"
    if n.decimals and n.decimals >= 4:
        return "fraction"
    return "plain"


def is_dateish_label(text: str) -> bool:
    return bool(_DATEISH_LABEL_RE.search(text.strip().rstrip(":")) or text.strip().lower().endswith("date:"))


# Words a class's description cell holds before its figures: its coupon type or its rank
# ("Class A-1 Notes | Fixed | $ | 228,000,000.00"), never a row label of their own.
_DESCRIPTION_WORDS = frozenset({
    "fixed", "floating", "float", "variable", "adjustable", "senior", "subordinate", "subordinated",
    "mezzanine", "mezz", "residual", "notional", "sequential", "support", "strip", "accrual", "frn",
})


def split_records(toks: list[Tok], positional: bool) -> list[Row]:
    """Rows recovered from a stream: a class or label starts a row, figures follow it.

    Markers ('(a)', 'iv', 'C.') end the current row; text between rows is kept as a
    text-only row (a header or a title). A class designation immediately followed by a
    marker was itself a marker ('C | i | A-1 Notes').
    """
    simple = _split_simple(toks, positional)
    if simple is not None:
        return simple
    rows: list[Row] = []
    cur: Row | None = None
    pending: list[Tok] = []
    notes: list[Tok] = []  # a footnote printed between a row's label and its figures

    def close() -> None:
        nonlocal cur
        if cur is not None:
            if cur.kind == CLASS and not cur.values:
                head = cast(Tok, cur.head)  # a class row always has its head
                pending.append(Tok(head.text, TEXT, head.start, head.end, head.line))
            else:
                rows.append(cur)
        cur = None
        if notes:
            rows.append(Row(list(notes), notes[0].line, positional=positional, kind="text"))
            notes.clear()

    def flush_pending() -> None:
        if pending:
            rows.append(Row(list(pending), pending[0].line, positional=positional, kind="text"))
            pending.clear()

    lead: str | None = None  # a mark in a cell of its own, before the text it marks
    for t in toks:
        if t.kind == MARKER:
            if cur is not None and cur.kind == CLASS and not cur.values:
                cur = None  # "C" before "i" was an outline letter, not class C
                continue
            close()
            lead = t.text
            continue
        if lead is not None and t.kind == TEXT and t.mark is None:
            t.mark = lead  # the item mark in a cell of its own before this text ("8." "Note Balances")
        lead = None
        if t.kind == CLASS:
            if cur is not None and cur.kind == CLASS and not _has_figures(cur) and cur.values \
                    and all(v.kind == CUSIP for v in cur.values) and len(t.text) <= 4:
                cur.values.append(Tok(t.text, TEXT, t.start, t.end, t.line))  # description after CUSIP
                continue
            close()
            # pending text is flushed only once this class row gets a figure: a class
            # name with nothing after it is a heading and joins the text around it
            cur = Row([t], t.line, positional=positional, kind=CLASS, head=t)
            continue
        if t.kind == TEXT:
            if cur is not None and cur.kind == CLASS and _has_figures(cur) and _CODE_CELL_RE.match(t.text):
                # a code cell among a class row's figures ("30/360", "Feb-21"): a cell of the row
                cur.values.append(t)
                cur.toks.append(t)
                continue
            if cur is not None and cur.kind == CLASS and not _has_figures(cur) and len(t.text) <= 12 \
                    and " " not in t.text and (cur.values or len(t.text) <= 4
                                               or t.text.lower().rstrip(".") in _DESCRIPTION_WORDS):
                if not cur.values:
                    flush_pending()
                cur.values.append(t)  # SEN / IO / SUB / RES description column
                cur.toks.append(t)
                continue
            close()
            pending.append(t)
            continue
        # a value, CUSIP or date
        if t.kind == DATE and cur is None:
            label_text = pending[-1].text if pending else ""
            if not is_dateish_label(label_text):
                pending.append(Tok(t.text, TEXT, t.start, t.end, t.line, date=t.date))
                continue
        if cur is None:
            if not pending:
                continue  # a figure with nothing to say what it is (page number)
            if len(pending) >= 2 and _is_note(pending[-1]) and not _is_note(pending[-2]):
                notes.append(pending.pop())  # "(1) On 30/360 Day basis." interleaved: the label is above it
            label = pending.pop()
            flush_pending()
            cur = Row([label], label.line, positional=positional, kind="label", head=label)
        elif cur.kind == CLASS and not cur.values:
            flush_pending()
        cur.values.append(t)
        cur.toks.append(t)
    close()
    flush_pending()
    return rows


_FIGURE_KINDS = frozenset({VALUE, CUSIP, DATE})


def _is_note(t: Tok) -> bool:
    """A footnote: a sentence of three words or more under a numbered note mark."""
    return bool(t.mark and _NOTE_MARK_RE.match(t.mark) and t.text.rstrip().endswith(".")
                and len(t.text.split()) >= 3)


def _split_simple(toks: list[Tok], positional: bool) -> list[Row] | None:
    """What ``split_records`` makes of the shapes most lines have, without its state
    machine: all text (one text row), or one class or label followed by figures only (one
    row). None for any other shape, which the general loop handles.

    A label whose first figure is a date, and a class with no figure, take the general
    path: there the date may be text and the class a heading.
    """
    if not toks:
        return []
    head = toks[0]
    kind = head.kind
    if kind == TEXT:
        rest = toks[1:]
        if not rest:
            return [Row([head], head.line, positional=positional, kind="text")]
        k1 = rest[0].kind
        if k1 == TEXT:
            for t in rest:
                if t.kind != TEXT:
                    return None
            return [Row(list(toks), head.line, positional=positional, kind="text")]
        if k1 == DATE:
            return None
        row_kind = "label"
    elif kind == CLASS:
        rest = toks[1:]
        if not rest:
            return None
        row_kind = CLASS
    else:
        return None
    for t in rest:
        if t.kind not in _FIGURE_KINDS:
            return None
    return [Row(list(toks), head.line, positional=positional, kind=row_kind, head=head, values=rest)]


def _has_figures(row: Row) -> bool:
    return any(v.kind in (VALUE, DATE) for v in row.values)
