"""HTML reports: tables to rows of grid-positioned cells, everything else to text lines.

Cells get grid columns (colspan/rowspan expanded) so that the same column logic as for
fixed-width text applies, with grid columns in place of character columns. lxml parses in
C with its default depth limit (huge_tree off), and nothing here recurses in Python, so a
document nested thousands of levels deep cannot exhaust the stack.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from etl.parse.text_tables import cell_stream, rows_from_text
from etl.parse.tokens import CUSIP, VALUE, Row, Tok, merge_value_tokens, split_records, tokenize_cell

_WS_RE = re.compile(r"[ \t\r\n\f\v\u00a0\u2002\u2003\u2009\u200b]+")
_PLACEHOLDER_RE = re.compile(r"^\s*\[\[(T|P)(\d+)\]\]\s*$")
_BLOCK = (
    "p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote",
    "center", "hr", "title", "dt", "dd", "ul", "ol", "section", "article", "header", "footer",
)


def _parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(huge_tree=False, recover=True, remove_comments=True,
                                remove_pis=True, no_network=True, encoding="utf-8")


def _clean(text: str | None) -> str:
    return _WS_RE.sub(" ", text or "").strip()


def _cell_text(cell: etree._Element) -> str:
    # <br> inside a cell separates words, not cells
    return _clean(cell.text_content())


def table_grid(table: etree._Element) -> list[list[tuple[int, int, str]]]:
    """Rows of (grid start, grid end, text) with colspan and rowspan expanded."""
    grid: list[list[tuple[int, int, str]]] = []
    carry: dict[int, tuple[int, int, str]] = {}  # column -> (rows left, span, text) from rowspans
    for tr in table.iter("tr"):
        # rows of nested tables belong to those tables
        anc = tr.getparent()
        while anc is not None and anc.tag not in ("table",):
            anc = anc.getparent()
        if anc is not table:
            continue
        row: list[tuple[int, int, str]] = []
        col = 0
        new_carry: dict[int, tuple[int, int, str]] = {}
        cells = [c for c in tr if c.tag in ("td", "th")]
        ci = 0
        while ci < len(cells) or col in carry:
            if col in carry:
                left, span, text = carry[col]
                row.append((col, col + span, text))
                if left > 1:
                    new_carry[col] = (left - 1, span, text)
                col += span
                continue
            cell = cells[ci]
            ci += 1
            try:
                span = max(1, min(int(cell.get("colspan") or 1), 100))
            except ValueError:
                span = 1
            try:
                rspan = max(1, min(int(cell.get("rowspan") or 1), 500))
            except ValueError:
                rspan = 1
            text = _cell_text(cell)
            if text:
                row.append((col, col + span, text))
            if rspan > 1 and text and not any(ch.isdigit() for ch in text):
                # A label spanning rows (a pool or class name) applies to each of them;
                # figures are never copied.
                new_carry[col] = (rspan - 1, span, text)
            col += span
        carry = new_carry
        grid.append(row)
    return grid


def _spans_lost(grid: list[list[tuple[int, int, str]]], all_toks: list[tuple[int, list[Tok]]]) -> bool:
    """A table whose cells are all one grid column wide and whose header cells mostly sit
    over no figure lost its column spans (a converter dropped them, packing each row to the
    left): position cannot put its header over its figures, so it is read in order."""
    if any(e - s > 1 for cells in grid for s, e, _ in cells):
        return False
    head: list[int] = []
    fig_cols: set[int] = set()
    for _, toks in all_toks:
        cols = {t.col for t in toks if t.kind in (VALUE, CUSIP) and t.col is not None}  # dates head columns too
        if not cols and not fig_cols and len(toks) > len(head):
            head = [t.col for t in toks if t.col is not None]
        fig_cols |= cols
    if len(head) < 2 or not fig_cols:
        return False
    return 2 * sum(1 for c in head if c in fig_cols) < len(head)


def _grid_rows(grid: list[list[tuple[int, int, str]]], table_no: int, first_line: int) -> list[Row]:
    rows: list[Row] = []
    all_toks = []
    for ri, cells in enumerate(grid):
        toks = []
        for s, e, text in cells:
            for t in tokenize_cell(text, s, first_line, e):
                t.col = s
                toks.append(t)
        all_toks.append((ri, merge_value_tokens(toks)))
    # A table flattened to one cell per row, or several records per row, is a stream.
    multi = sum(1 for _, toks in all_toks if sum(t.kind == "class" for t in toks) > 1)
    single = sum(1 for _, toks in all_toks if len(toks) <= 1)
    nonempty = sum(1 for _, toks in all_toks if toks)
    if multi or (nonempty >= 6 and single >= 0.8 * nonempty) or _spans_lost(grid, all_toks):
        # read as text flattened with '|' marks is: a '$' or '%' in a row of its own joins its
        # figure, an amount and a note's title cut into cells are one issuance line
        stream = cell_stream([(first_line, text) for cells in grid for _s, _e, text in cells],
                             cols=[s for cells in grid for s, _e, _text in cells])
        for t in stream:
            t.start = t.end = -1
        out = split_records(stream, positional=False)
        for r in out:
            r.table = table_no
            r.positional = False
        return out
    for ri, toks in all_toks:
        if not toks:
            rows.append(Row([], first_line, table_no, ri, kind="blank"))
            continue
        recs = split_records(toks, positional=True)
        data = [r for r in recs if r.kind != "text"]
        if len(data) > 1:
            for r in recs:
                r.inline = True
        for r in recs:
            r.table, r.row, r.line = table_no, ri, first_line
            rows.append(r)
    return rows


def rows_from_html(html: str, warnings: list[str]) -> list[Row]:
    """Rows of an HTML document, tables and text in document order."""
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=_parser())
    except (etree.ParserError, ValueError) as exc:
        warnings.append(f"HTML could not be parsed ({exc}); read as text")
        return rows_from_text(re.sub(r"<[^>]+>", " ", html), warnings)
    if root is None:
        return []
    if root.xpath("boolean(//*[count(ancestor::*) >= 250])"):
        warnings.append("HTML nested deeper than 250 levels; content past that depth was not read")
    for bad in root.xpath("//script|//style|//head"):
        bad.getparent().remove(bad)
    # Pre-formatted blocks keep their lines; leaf tables become grids; both are replaced by
    # placeholders so that the remaining text can be flattened in one C-level call.
    pres: list[str] = []
    for pre in list(root.iter("pre")):
        pres.append(pre.text_content())
        _replace(pre, f"[[P{len(pres) - 1}]]")
    grids: list[list[list[tuple[int, int, str]]]] = []
    for table in list(root.iter("table")):
        if table.find(".//table") is not None:
            continue
        grids.append(table_grid(table))
        _replace(table, f"[[T{len(grids) - 1}]]")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text:
            el.text = _WS_RE.sub(" ", el.text)
        if el.tail:
            el.tail = _WS_RE.sub(" ", el.tail)
        if el.tag in _BLOCK:
            el.tail = "\n" + (el.tail or "")
            if el.tag != "br":
                el.text = "\n" + (el.text or "")
        elif el.tag in ("td", "th"):
            el.tail = "   " + (el.tail or "")
    flat = root.text_content()
    rows: list[Row] = []
    text_buf: list[str] = []
    line_base = 0

    def flush_text() -> None:
        nonlocal line_base
        if text_buf:
            chunk = "\n".join(text_buf)
            sub = rows_from_text(chunk, warnings, line_offset=line_base)
            rows.extend(sub)
            line_base += len(text_buf)
            text_buf.clear()

    for line in flat.split("\n"):
        m = _PLACEHOLDER_RE.match(line)
        if not m:
            if line.strip():
                text_buf.append(line.strip())
            continue
        flush_text()
        idx = int(m.group(2))
        if m.group(1) == "P":
            sub = rows_from_text(pres[idx], warnings, line_offset=line_base)
            rows.extend(sub)
            line_base += pres[idx].count("\n") + 1
        else:
            line_base += 1
            if rows:
                rows.append(Row([], line_base, kind="blank"))
            rows.extend(_grid_rows(grids[idx], idx + 1, line_base))
            rows.append(Row([], line_base, kind="blank"))
    flush_text()
    return rows


def _replace(el: etree._Element, marker: str) -> None:
    parent = el.getparent()
    if parent is None:
        return
    new = etree.Element("p")
    new.text = marker
    new.tail = el.tail
    parent.replace(el, new)
