"""Inline SVG charts drawn in Python, so the report is one offline file: no script, font or
image is fetched when it is opened (analysts mail it around; some open it air-gapped).

Time runs on a real date axis (months are uneven and a month may be missing, which a category
axis would hide). A value of ``None`` breaks the line; a point with no neighbour is drawn as a
dot, so a deal with one month of data still shows its values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

#: colour-blind-aware palette (Okabe-Ito, then Tableau tones) for up to 16 series
PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#8C6D31", "#000000",
    "#4E79A7", "#F28E2B", "#59A14F", "#E15759", "#B07AA1", "#76B7B2", "#9C755F", "#BAB0AC",
)

WIDTH, HEIGHT = 960, 300
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 78, 20, 34, 44
LEGEND_ROW = 18


@dataclass(frozen=True)
class Series:
    """One line: a name and its (date, value) points; ``None`` values are gaps."""

    name: str
    points: Sequence[tuple[date, float | None]]
    color: str | None = None
    dashed: bool = False

    @property
    def values(self) -> list[float]:
        return [float(v) for _, v in self.points if v is not None and math.isfinite(float(v))]


def _nice_step(span: float, target_ticks: int = 5) -> float:
    raw = span / max(1, target_ticks)
    mag: float = 10 ** math.floor(math.log10(raw))
    for mult in (1, 2, 2.5, 5, 10):
        if raw <= mult * mag:
            return mult * mag
    return 10 * mag


def nice_ticks(lo: float, hi: float, target_ticks: int = 5, min_span: float = 0.0) -> list[float]:
    """Round tick values covering [lo, hi] (a flat series gets a band around its value).

    ``min_span`` keeps a near-flat series from filling the plot: 0.01% to 0.02% of CDR drawn
    from axis bottom to top would look like a crisis.
    """
    if hi < lo:
        lo, hi = hi, lo
    if hi - lo < min_span:
        hi = lo + min_span
    if hi == lo:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
        if lo < 0 <= hi - pad:  # keep a non-negative value's axis at zero, not below it
            lo = 0.0
    step = _nice_step(hi - lo, target_ticks)
    start = math.floor(lo / step + 1e-9) * step
    ticks = []
    v = start
    while v < hi + step * 0.999:
        ticks.append(round(v, 12))
        v += step
    return ticks


def _date_ticks(first: date, last: date, max_ticks: int = 8) -> list[date]:
    """Month starts (or years, for long deals) between two dates; the date itself if only one."""
    if first == last:
        return [first]
    months = (last.year - first.year) * 12 + last.month - first.month
    step = 1
    for s in (1, 2, 3, 6, 12, 24, 36, 60):
        step = s
        if months / s <= max_ticks:
            break
    ticks = []
    y, m = first.year, first.month
    if step >= 12:
        y, m = y + (1 if m > 1 else 0), 1
    elif m != 1 or first.day != 1:
        m += 1
        if m > 12:
            y, m = y + 1, 1
    while True:
        d = date(y, m, 1)
        if d > last:
            break
        if d >= first:
            ticks.append(d)
        m += step
        while m > 12:
            y, m = y + 1, m - 12
    return ticks or [first, last]


def _fmt_date_tick(d: date, span_days: int) -> str:
    if span_days > 3 * 366:
        return str(d.year)
    return d.strftime("%b %Y") if span_days > 62 else d.isoformat()


def _legend_layout(labels: Sequence[str], width: float) -> list[tuple[float, int]]:
    """(x offset, row) of each legend entry, flowing left to right and wrapping by text width."""
    places, x, row = [], 0.0, 0
    for label in labels:
        w = 19 + 7.2 * len(label) + 22  # swatch, text at ~7px a character (12px sans), gap
        if x > 0 and x + w > width:
            x, row = 0.0, row + 1
        places.append((x, row))
        x += max(w, 90.0)
    return places


def line_chart(
    title: str,
    series: Sequence[Series],
    fmt: Callable[[float], str],
    *,
    subtitle: str = "",
    y_from_zero: bool = True,
    no_data: str = "No data for this chart in the warehouse.",
    chart_id: str = "",
    min_span: float = 0.0,
    legend: bool | None = None,
) -> str:
    """An SVG line chart; with no value at all, a framed 'no data' panel instead.

    ``legend``: None shows one when there are several series (or one has no data).
    """
    drawable = [s for s in series if s.values]
    missing = [s.name for s in series if not s.values]
    if not drawable:
        return no_data_panel(title, no_data, chart_id=chart_id)

    dates = sorted({d for s in drawable for d, v in s.points if v is not None})
    first, last = dates[0], dates[-1]
    span_days = (last - first).days
    values = [v for s in drawable for v in s.values]
    lo, hi = min(values), max(values)
    if y_from_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    ticks = nice_ticks(lo, hi, min_span=min_span)
    y_lo, y_hi = ticks[0], ticks[-1]

    colors = [s.color or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]
    legend_items = list(zip(series, colors, strict=True))
    labels = [s.name if s.values else f"{s.name} (no data)" for s in series]
    show_legend = legend if legend is not None else (len(legend_items) > 1 or bool(missing))
    places = _legend_layout(labels, WIDTH - MARGIN_LEFT - MARGIN_RIGHT) if show_legend else []
    legend_rows = (max(r for _, r in places) + 1) if places else 0
    height = HEIGHT + legend_rows * LEGEND_ROW
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    x0, y0 = MARGIN_LEFT, MARGIN_TOP

    inset = 40.0  # keeps the first and last date labels inside the picture

    def x_of(d: date) -> float:
        if span_days == 0:
            return x0 + plot_w / 2
        return x0 + inset + (d - first).days / span_days * (plot_w - 2 * inset)

    def y_of(v: float) -> float:
        return y0 + plot_h - (v - y_lo) / ((y_hi - y_lo) or 1.0) * plot_h

    out: list[str] = [
        f'<svg class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="{escape(title)}">',
        f'<text class="title" x="{x0}" y="20">{escape(title)}</text>',
    ]
    if subtitle:
        out.append(f'<text class="subtitle" x="{WIDTH - MARGIN_RIGHT}" y="20" text-anchor="end">'
                   f'{escape(subtitle)}</text>')
    # grid and y axis
    for t in ticks:
        y = y_of(t)
        out.append(f'<line class="grid" x1="{x0}" x2="{x0 + plot_w}" y1="{y:.1f}" y2="{y:.1f}"/>')
        out.append(f'<text class="tick" x="{x0 - 8}" y="{y + 4:.1f}" text-anchor="end">{escape(fmt(t))}</text>')
    # x axis
    out.append(f'<line class="axis" x1="{x0}" x2="{x0 + plot_w}" y1="{y0 + plot_h}" y2="{y0 + plot_h}"/>')
    # a few months: label each distribution date; many: month or year starts
    x_ticks = dates if len(dates) <= 8 else _date_ticks(first, last)
    for d in x_ticks:
        x = x_of(d)
        label = d.isoformat() if len(dates) <= 8 else _fmt_date_tick(d, span_days)
        out.append(f'<line class="axis" x1="{x:.1f}" x2="{x:.1f}" y1="{y0 + plot_h}" y2="{y0 + plot_h + 5}"/>')
        out.append(f'<text class="tick" x="{x:.1f}" y="{y0 + plot_h + 19}" text-anchor="middle">'
                   f'{escape(label)}</text>')
    # series
    for s, color in legend_items:
        if not s.values:
            continue
        segments: list[list[tuple[date, float]]] = [[]]
        for d, v in sorted(s.points, key=lambda p: p[0]):
            if v is None or not math.isfinite(float(v)):
                if segments[-1]:
                    segments.append([])
                continue
            segments[-1].append((d, float(v)))
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        for seg in segments:
            if len(seg) >= 2:
                pts = " ".join(f"{x_of(d):.1f},{y_of(v):.1f}" for d, v in seg)
                out.append(f'<polyline class="line" points="{pts}" stroke="{color}"{dash}/>')
        # dots on every month while they stay readable; a lone point always gets one
        radius = 3.0 if len(dates) <= 36 else 0.0
        for seg in segments:
            for d, v in seg:
                r = 4.5 if len(seg) == 1 else radius
                if r:
                    out.append(f'<circle class="point" cx="{x_of(d):.1f}" cy="{y_of(v):.1f}" r="{r}" '
                               f'fill="{color}"><title>{escape(s.name)} {d.isoformat()}: '
                               f'{escape(fmt(v))}</title></circle>')
    # legend
    for (s, color), label, (lx, row) in zip(legend_items, labels, places, strict=False):
        ly = HEIGHT - 6 + row * LEGEND_ROW
        css = "legend missing" if not s.values else "legend"
        out.append(f'<rect x="{x0 + lx:.1f}" y="{ly - 9}" width="14" height="4" fill="{color}"/>')
        out.append(f'<text class="{css}" x="{x0 + lx + 19:.1f}" y="{ly - 4}">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def no_data_panel(title: str, message: str, chart_id: str = "") -> str:
    """A framed panel in place of a chart, saying plainly that there is nothing to draw."""
    h = 110
    return "\n".join([
        f'<svg class="chart nodata" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {h}" width="100%" role="img" aria-label="{escape(title)}: no data">',
        f'<text class="title" x="{MARGIN_LEFT}" y="20">{escape(title)}</text>',
        f'<rect class="nodata-box" x="{MARGIN_LEFT}" y="32" width="{WIDTH - MARGIN_LEFT - MARGIN_RIGHT}" '
        f'height="{h - 44}" rx="6"/>',
        f'<text class="nodata-text" x="{WIDTH / 2:.0f}" y="{32 + (h - 44) / 2 + 5:.0f}" text-anchor="middle">'
        f'{escape(message)}</text>',
        "</svg>",
    ])


STATUS_COLORS = {"pass": "#2E7D32", "warn": "#F9A825", "fail": "#C62828"}
UNKNOWN_COLOR = "#9E9E9E"


def status_strip(title: str, cells: Sequence[tuple[date, str]], chart_id: str = "") -> str:
    """One coloured cell per distribution date: the month's data-quality status at a glance."""
    if not cells:
        return no_data_panel(title, "No data-quality results for this deal.", chart_id=chart_id)
    n = len(cells)
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    cell_w = min(60.0, plot_w / n)
    label_every = max(1, math.ceil(n / 12))
    h = 112
    out = [
        f'<svg class="chart strip" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {h}" width="100%" role="img" aria-label="{escape(title)}">',
        f'<text class="title" x="{MARGIN_LEFT}" y="20">{escape(title)}</text>',
    ]
    for i, (d, status) in enumerate(cells):
        x = MARGIN_LEFT + i * cell_w
        color = STATUS_COLORS.get(status, UNKNOWN_COLOR)
        out.append(f'<rect x="{x + 1:.1f}" y="32" width="{max(cell_w - 2, 1):.1f}" height="34" fill="{color}">'
                   f'<title>{d.isoformat()}: {escape(status)}</title></rect>')
        if i % label_every == 0:
            out.append(f'<text class="tick" x="{x + cell_w / 2:.1f}" y="82" text-anchor="middle">'
                       f'{escape(d.strftime("%b %Y"))}</text>')
    lx = MARGIN_LEFT
    for name, color in (*STATUS_COLORS.items(), ("not validated", UNKNOWN_COLOR)):
        out.append(f'<rect x="{lx}" y="95" width="12" height="12" fill="{color}"/>')
        out.append(f'<text class="legend" x="{lx + 17}" y="105">{escape(name)}</text>')
        lx += 110
    out.append("</svg>")
    return "\n".join(out)
