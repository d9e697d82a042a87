"""Render a fixed-width text report as an HTML document of tables (one cell per token).

Used by the tests and the benchmark to read the same report in the HTML rendering that
10-D filers use; it is not on the parsing path.
"""

from __future__ import annotations

import html
import re

_CELL_RE = re.compile(r"\S+(?: \S+)*")


def _blocks(lines: list[str]) -> list[list[str]]:
    out: list[list[str]] = []
    cur: list[str] = []
    for ln in lines:
        if ln.strip():
            cur.append(ln)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def fixed_width_to_html(text: str, split_dollar: bool = True) -> str:
    """Each blank-line-separated block becomes a <table>; cells sit in grid columns found
    from where the cells end (figures are right-aligned), labels in the first column.
    ``split_dollar`` puts a '$' before figures in a cell of its own, as many filers do."""
    parts = ["<html><head><title>report</title></head><body>"]
    for block in _blocks(text.expandtabs(8).split("\n")):
        rows = [[(m.start(), m.end(), m.group(0)) for m in _CELL_RE.finditer(ln)] for ln in block]
        if all(len(r) <= 1 for r in rows):
            parts.extend(f"<p>{html.escape(r[0][2])}</p>" for r in rows if r)
            continue
        ends = sorted({e for r in rows for s, e, _ in r if s > 0})
        slots: list[int] = []
        for e in ends:
            if not slots or e - slots[-1] > 3:
                slots.append(e)
            else:
                slots[-1] = e
        parts.append("<table border=\"1\">")
        for r in rows:
            grid = [""] * (len(slots) + 1)
            for s, e, t in r:
                idx = 0 if s == 0 else next((i + 1 for i, se in enumerate(slots) if e <= se + 3), len(slots))
                grid[idx] = (grid[idx] + " " + t).strip()
            cells = []
            for i, t in enumerate(grid):
                if split_dollar and i and t and t[0].isdigit() and "," in t:
                    cells.append("<td>$</td>")
                    cells.append(f"<td align=\"right\">{html.escape(t)}</td>")
                else:
                    cells.append(f"<td colspan=\"2\">{html.escape(t)}</td>" if split_dollar and i else
                                 f"<td>{html.escape(t)}</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
