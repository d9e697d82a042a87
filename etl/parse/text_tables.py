"""Text reports to rows: fixed-width lines keep their character columns; whitespace-collapsed
lines and cells flattened one per line (``|`` marks) become token streams.

EDGAR's ``<TABLE>``/``<CAPTION>``/``<S>``/``<C>`` markup lines are dropped: the character
columns of the figures themselves say where each column is.
"""

from __future__ import annotations

import re

from etl.parse import classes as cls
from etl.parse.classes import note_description
from etl.parse.reading import recut_centred_rows
from etl.parse.tokens import (
    CLASS,
    CUSIP,
    DATE,
    TEXT,
    VALUE,
    Row,
    Tok,
    merge_value_tokens,
    split_records,
    tokenize_cell,
    tokenize_fixed_line,
    tokenize_stream_text,
)

_MARKUP_RE = re.compile(r"^\s*(?:</?(?:TABLE|CAPTION|S|C|FN|PAGE|PRE|/?DOCUMENT|TEXT)>\s*)+$", re.I)
_MARKUP_INLINE_RE = re.compile(r"</?(?:S|C|FN|CAPTION|TABLE)>", re.I)
_MARKUP_WS_RE = re.compile(r"(?:\s*</?(?:S|C|FN|CAPTION|TABLE|PAGE)>)+\s*", re.I)
_PAGE_RE = re.compile(r"^\s*<PAGE>\s*\d*\s*$|^\f", re.I)
_NUMBERISH_WORD_RE = re.compile(r"(?:^|\s)[($-]*\d[\d,]*(?:\.\d+)?%?\)?(?=\s|$)")

_LONE_FIGURE_RE = re.compile(r"^[($\-]*\$?\s?\d[\d,]*(?:\.\d+)?\s?%?\)?$")
# A line with this many figures and no double space anywhere was collapsed.
_COLLAPSED_MIN_FIGURES = 4
_COLLAPSED_MIN_LEN = 120


def _is_collapsed(line: str) -> bool:
    s = line.strip()
    if len(s) < _COLLAPSED_MIN_LEN or "  " in _MARKUP_WS_RE.sub(" ", s):
        return False
    return len(_NUMBERISH_WORD_RE.findall(s)) >= _COLLAPSED_MIN_FIGURES


def _is_squeezed(lines: list[str]) -> bool:
    """Whitespace squeezed to single spaces, line ends kept: no line of figures keeps a run
    of two spaces, so character columns say nothing and each line is read as a stream."""
    figure_lines = 0
    spaced_lines: list[str] = []
    for ln in lines:
        s = ln.strip()
        if "  " in s or "\t" in s:
            spaced_lines.append(s)
        elif len(_NUMBERISH_WORD_RE.findall(s)) >= 3:  # a row of a table: a label and figures
            figure_lines += 1
    if figure_lines < 3:
        return False
    spaced = sum(1 for s in spaced_lines if len(_NUMBERISH_WORD_RE.findall(s)) >= 3)
    figure_lines += spaced
    return spaced * 10 < figure_lines


def _is_one_cell_per_line(lines: list[str]) -> bool:
    """HTML flattened one cell per line (text pasted from a browser): nearly every line one
    cell, figures standing alone on their lines, and no '|' marks."""
    cells = lone_figures = multi = 0
    for ln in lines:
        s = ln.strip()
        if not s:
            continue
        if s.startswith("|"):
            return False
        cells += 1
        if "  " in s or "\t" in s:
            multi += 1
            continue
        if _LONE_FIGURE_RE.match(s):
            lone_figures += 1
    return cells >= 20 and lone_figures >= 10 and lone_figures * 5 >= cells and multi * 10 < cells


def _is_collapsed_pipe(line: str) -> bool:
    """A whole flattened table on one line: cells marked by '|' (whitespace collapsed)."""
    return line.count("|") >= 6 or (line.count("|") >= 3 and len(line) > 200)


_WORDS_RE = re.compile(r"^(?:[A-Za-z&'./()-]+|\$\s?1,?000(?:\.00)?)(?:\s+(?:[A-Za-z&'./()-]+|\$\s?1,?000(?:\.00)?))*$")
_MARK_THEN_CELL_RE = re.compile(r"^[%)]\s+(?=\d|[A-Z][a-z]{2,8}\.?\s+\d)")  # "% February 17, 2015", not "% of Pool"
_CLASS_HEADS_RE = re.compile(r"\bClass\s+\S+\s+Class\s+\S+", re.I)
_AMOUNT_CELL_RE = re.compile(r"^\$?\s?\d{1,3}(?:,\d{3})+(?:\.\d{2})?$")


_RULE_LINE_RE = re.compile(r"^\s*[-=_]{3,}[-=_\s]*$")
_LEAD_FIGURE_RE = re.compile(r"^(?:[0-9A-Z]{8}\d|\(?\$?\d[\d,]*(?:\.\d+)?\)?\s*%?)(?:\s|$)")


def _cells_after_lone_class(lines: list[str], i: int, n: int) -> int | None:
    """The line holding the cells of a class printed alone on line ``i`` (the next line, or
    the one after a blank line), when that line starts with a CUSIP or a figure and so cannot
    be a row of its own; else None."""
    s = lines[i].strip()
    if not s or len(s) > 24 or cls.class_label(s) is None:
        return None
    j = i + 1
    while j < n and j <= i + 2 and (not lines[j].strip() or _RULE_LINE_RE.match(lines[j])):
        j += 1  # a blank line or a rule between the class and its cells
    if j >= n:
        return None
    nxt = lines[j].strip()
    return j if _LEAD_FIGURE_RE.match(nxt) and len(nxt.split()) >= 3 else None


def cell_stream(lines: list[tuple[int, str]], cols: list[int] | None = None) -> list[Tok]:
    """Tokens of a flattened table's cells, in order: '|' starts a cell. Shared by text
    flattened with '|' marks and HTML tables flattened one cell per row (``cols``: each
    line's grid column, kept as its tokens' column)."""
    toks: list[Tok] = []
    cells: list[tuple[int, str, int | None]] = []
    for k, (line_no, text) in enumerate(lines):
        col = cols[k] if cols is not None else None
        for cell in text.split("|"):
            c = cell.strip()
            if _MARK_THEN_CELL_RE.match(c):
                # "% February 17, 2015": the closing mark of the figure before, then a cell of
                # its own whose '|' the flattening lost
                cells.append((line_no, c[0], col))
                c = c[1:].strip()
            if c:
                cells.append((line_no, c, col))
    joined: list[tuple[int, str, int | None]] = []
    for line_no, c, col in cells:
        # "$ | 335,000,000 | Class A-1 2.0008% Asset Backed Notes due ...": an issuance line whose
        # amount and title the flattening cut into cells is one cell again
        # (a title says more than a class: a coupon, or a due date; "$ | 531,235.78 | Class A-3
        # Notes" is a figure and the next row's label)
        if joined and _AMOUNT_CELL_RE.match(joined[-1][1]) and ("%" in c or " due " in c):
            desc = f"{joined[-1][1]} {c}"
            if len(joined) >= 2 and joined[-2][1] == "$":
                desc = f"$ {desc}"
            if note_description(desc) is not None:
                del joined[-2 if desc.startswith("$ ") else -1:]
                joined.append((line_no, desc.replace("$ ", "$", 1), col))
                continue
        joined.append((line_no, c, col))
    for line_no, c, col in joined:
        if c.count(" ") >= 6 and any(ch.isdigit() for ch in c) and note_description(c) is None:
            # text pasted around the cells (a page number, a heading) ran into this one
            got = tokenize_stream_text(c, line_no)
        else:
            got = tokenize_cell(c, -1, line_no)
        if col is not None:
            for t in got:
                t.col = col
        toks.extend(got)
    return merge_value_tokens(toks)


_MORE_LINE_RE = re.compile(r"^[ \t]{2,}[($\-]*\$?\d")


def _indent(line: str) -> int:
    s = line.expandtabs(8)
    return len(s) - len(s.lstrip()) if s.strip() else 1 << 30


def _record_start(toks: list[Tok]) -> bool:
    return bool(toks) and toks[0].kind == CLASS and any(t.kind == VALUE for t in toks[1:])


def _record_more(toks: list[Tok], label_end: int) -> bool:
    return bool(toks) and toks[0].kind in (VALUE, CUSIP) and toks[0].start > label_end \
        and all(t.kind in (VALUE, CUSIP, DATE) for t in toks)


def _multiline_records(lines: list[str]) -> tuple[dict[int, int], dict[int, list[int]]]:
    """Class tables whose every class record takes two or three lines under a header of as
    many lines (line j of the header heads line j of each record): each later line is read
    as if printed to the right of the first, so a record is one row and each header line
    heads its own columns. Returns (line -> character shift, record line -> its later lines)."""
    shift: dict[int, int] = {}
    more: dict[int, list[int]] = {}
    toks = {}

    def tk(i: int) -> list[Tok]:
        if i not in toks:
            raw = lines[i].expandtabs(8) if "\t" in lines[i] else lines[i]
            toks[i] = tokenize_fixed_line(raw, i + 1) if raw.strip() else []
        return toks[i]

    n = len(lines)
    # cheap first look: a line of figures only, indented, right under a line that starts with words
    cand = {j for j in range(1, n) if _MORE_LINE_RE.match(lines[j]) and _indent(lines[j - 1]) < _indent(lines[j])}
    if not cand:
        return shift, more
    i = 0
    while i < n:
        if i + 1 not in cand or not _record_start(tk(i)):
            i += 1
            continue
        label_end = tk(i)[0].end
        m = 1
        while i + m < n and m < 3 and _record_more(tk(i + m), label_end):
            m += 1
        if m == 1:
            i += 1
            continue
        # records of m lines each, one after another (blank lines between records allowed)
        starts = [i]
        k = i + m
        while True:
            while k < n and not lines[k].strip():
                k += 1
            if k + m > n or not _record_start(tk(k)) \
                    or not all(_record_more(tk(k + j), label_end) for j in range(1, m)) \
                    or (k + m < n and _record_more(tk(k + m), label_end)):
                break
            starts.append(k)
            k += m
        head: list[int] = []
        h = i - 1
        while h >= 0 and len(head) < m:
            if lines[h].strip() and not set(lines[h].strip()) <= set("-=_ "):
                if any(t.kind == VALUE for t in tk(h)):
                    break
                head.insert(0, h)
            h -= 1
        if len(starts) < 2 or len(head) != m:
            i = k
            continue
        width = max(len(lines[j].expandtabs(8)) for j in [*head, *range(i, k)]) + 4
        for j, hl in enumerate(head):
            if j:
                shift[hl] = j * width
        for s0 in starts:
            more[s0] = [s0 + j for j in range(1, m)]
            for j in range(1, m):
                shift[s0 + j] = j * width
        i = k
    return shift, more


def rows_from_text(text: str, warnings: list[str] | None = None, line_offset: int = 0) -> list[Row]:
    """Rows of a text document in order; blank lines are kept as ``blank`` rows."""
    rows: list[Row] = []
    lines = text.split("\n")
    n = len(lines)
    i = 0
    blank = False
    squeezed = False
    if _is_one_cell_per_line(lines):
        # cells flattened one per line with no marks: read as the '|'-marked flattening is
        lines = [("|" + ln.strip()) if ln.strip() else "|" for ln in lines]
    else:
        squeezed = _is_squeezed(lines)
    shift, more = ({}, {}) if squeezed or n > 20_000 else _multiline_records(lines)
    joined: set[int] = {j for js in more.values() for j in js}
    while i < n:
        if i in joined:
            i += 1  # a later line of a class record: read with its first line
            continue
        raw = lines[i]
        line_no = i + 1 + line_offset
        if "\t" in raw:
            raw = raw.expandtabs(8)
        stripped = raw.strip()
        if not stripped:
            blank = True
            i += 1
            continue
        if _PAGE_RE.match(raw):
            rows.append(Row([], line_no, kind="blank", page_break=True))
            blank = True
            i += 1
            continue
        if _MARKUP_RE.match(raw):
            i += 1
            continue
        if not stripped.startswith("|") and stripped.count("|") >= 3 and (
                _is_collapsed_pipe(stripped) or (stripped.endswith("|") and " | " in stripped)):
            # a row of flattened cells on one line ("Class B Initial Invested Amount | | $57,000,000.00 |")
            recs = split_records(cell_stream([(line_no, stripped)]), positional=False)
            if recs:
                recs[0].blank_before = True
            rows.extend(recs)
            blank = True
            i += 1
            continue
        if stripped.startswith("|"):
            # a flattened table: gather the region
            region: list[tuple[int, str]] = []
            prev_bare = False
            while i < n:
                s = lines[i].strip()
                if s.startswith("|"):
                    region.append((i + 1 + line_offset, s))
                    prev_bare = s.replace("|", "").strip() == ""
                    i += 1
                    continue
                if s and prev_bare:
                    region.append((i + 1 + line_offset, s))  # the content of a bare '|' cell
                    prev_bare = False
                    i += 1
                    continue
                if s and len(s) <= 80 and i + 1 < n and lines[i + 1].strip().startswith("|"):
                    # one short line without its mark between two cells: words under words
                    # continue the cell above ("|Principal per $1000" / "Face Amount"); else a
                    # cell whose '|' the converter dropped, not the end of the table
                    above = region[-1][1].lstrip("|").strip() if region else ""
                    below = lines[i + 1].strip().lstrip("|").strip()
                    # (words with figures after them label a row: "|Total" / "Note Rate" / "|1.99")
                    if _WORDS_RE.match(s) and _WORDS_RE.match(above) and any(ch.isalpha() for ch in above) \
                            and (not below or _WORDS_RE.match(below)):
                        region[-1] = (region[-1][0], f"{region[-1][1]} {s}")
                    else:
                        region.append((i + 1 + line_offset, "|" + s))
                    prev_bare = False
                    i += 1
                    continue
                break
            recs = split_records(cell_stream(region), positional=False)
            if recs:
                recs[0].blank_before = True
            rows.extend(recs)
            blank = True
            continue
        if squeezed or _is_collapsed(raw):
            if "<" in raw:
                raw = _MARKUP_WS_RE.sub(" ", raw)
            j = _cells_after_lone_class(lines, i, n) if squeezed else None
            if j is not None:
                raw = f"{stripped} {lines[j].strip()}"  # the class and its cells, one record
                i = j
            recs = split_records(tokenize_stream_text(raw, line_no), positional=False)
            for r in recs:
                r.squeezed = squeezed
            if recs:
                recs[0].blank_before = True if not squeezed else blank
            rows.extend(recs)
            blank = not squeezed
            i += 1
            continue
        if "<" in raw and ">" in raw:
            raw = _MARKUP_INLINE_RE.sub(lambda m: " " * len(m.group(0)), raw)
        toks = tokenize_fixed_line(raw, line_no)
        j = _cells_after_lone_class(lines, i, n) if len(toks) == 1 and toks[0].kind == CLASS else None
        if j is not None and j not in joined:
            more_toks = tokenize_fixed_line(lines[j].expandtabs(8), j + 1 + line_offset)
            if len(more_toks) >= 3 and more_toks[0].kind in (CUSIP, VALUE) \
                    and sum(t.kind == VALUE for t in more_toks) >= 2:
                for t in more_toks:
                    if t.kind == CLASS:  # "IO" after the CUSIP: the class's description
                        t.kind, t.klass = TEXT, None
                # a class alone on its line and its cells on the next, indented (an HTML table
                # rendered as text): one record, read in order since the header's columns are
                # spaced as the browser drew them, not as the figures are
                rec = Row([toks[0], *more_toks], line_no, positional=False, kind=CLASS, head=toks[0],
                          values=list(more_toks))
                for t in rec.toks:
                    t.start = t.end = -1
                rec.blank_before = blank
                rows.append(rec)
                blank = False
                i = j + 1
                continue
        if len(toks) == 1 and toks[0].kind == TEXT and _CLASS_HEADS_RE.search(stripped):
            # "Class A-1 Class A-2 Class B Total" in single spaces: the heads of classes as
            # columns, each a cell (as in a collapsed stream)
            toks = tokenize_stream_text(raw, line_no)
        if i in shift:
            for t in toks:
                t.start += shift[i]
                t.end += shift[i]
        for j in more.get(i, ()):
            for t in tokenize_fixed_line(lines[j].expandtabs(8), j + 1 + line_offset):
                t.start += shift[j]
                t.end += shift[j]
                toks.append(t)
        if not toks:
            i += 1
            continue
        recs = split_records(toks, positional=True)
        data = [r for r in recs if r.kind != "text"]
        if len(data) > 1 or (data and len(recs) > 1 and recs[-1].kind == "text"):
            for r in recs:
                r.inline = True
        if not recs:
            # figures only: a row continued from the line above, or a page number
            recs = [Row(toks, line_no, kind="values", values=list(toks))]
        for r in recs:
            r.line = line_no
            r.positional = True
        recs[0].blank_before = blank
        rows.extend(recs)
        blank = False
        i += 1
    return recut_centred_rows(rows)
