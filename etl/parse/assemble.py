"""Assembly: rows -> tables -> classes, pools, deal measures, delinquencies, with provenance.

A table is a run of data rows under its header; its title (the text above the header)
sets the section context that changes what a column means ("AMOUNTS PER $1,000 UNIT"
turns "Prin" into principal per $1,000, "ORIGINAL DEAL PARAMETER INPUTS" turns a bare
"Balance" into the original balance). Every figure read becomes a field with where it was
printed, mapped or not; the typed views (classes, pools, ...) are built from the same reads.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TypedDict, cast

from etl.parse import classes as cls
from etl.parse.headers import (
    LABEL_HEADER_WORDS,
    Column,
    _quality,
    align,
    column_of,
    describe,
    fit,
    header_overlaps,
    one_cell_per_column,
    positional_columns,
    profile,
    stacked_line_columns,
    stream_cell_columns,
    stream_class_columns,
    stream_dated_band_columns,
    stream_label_columns,
    stream_segment_columns,
)
from etl.parse.measures import Match, Measure, best_for_scope, lexicon
from etl.parse.numbers import GARBLED, NA, PCT, ZERO, Number
from etl.parse.reading import Reading, read_class_table
from etl.parse.tokens import CLASS, CUSIP, DATE, MARKER, TEXT, VALUE, Row, Tok, strip_lead_marker, value_type

CLASS_KEYS = (
    "original_balance", "beginning_balance", "principal", "interest", "total_distribution",
    "realized_loss", "ending_balance", "pass_through_rate", "next_pass_through_rate",
    "principal_per_1000", "interest_per_1000", "total_per_1000", "realized_loss_per_1000",
    "ending_balance_per_1000", "interest_distributable", "carryforward_interest",
    "basis_risk_shortfall", "prepayment_interest_shortfall", "interest_shortfall",
    "remittance_amount", "cumulative_realized_loss",
)
POOL_KEYS = (
    "beginning_balance", "scheduled_principal", "prepayments", "liquidation_proceeds",
    "insurance_proceeds", "repurchases", "substitution_amount", "deleted_loan_balance",
    "principal_remittance", "ending_balance", "loan_count", "current_realized_loss",
    "cumulative_realized_loss", "gross_interest", "servicing_fee", "interest_remittance",
    "trustee_fee", "credit_risk_manager_fee", "net_interest_available",
)
# Measures that only say "how much per $1,000 of face": never dollars.
_PER1000 = {
    "principal": "principal_per_1000", "interest": "interest_per_1000",
    "total_distribution": "total_per_1000", "realized_loss": "realized_loss_per_1000",
    "ending_balance": "ending_balance_per_1000", "beginning_balance": "beginning_balance_per_1000",
    "original_balance": "original_balance_per_1000",
}
# A class is reported only when something other than per-$1,000 figures was read for it.
_SUBSTANTIVE = frozenset(k for k in CLASS_KEYS if "per_1000" not in k) | {"cusip"}

_TOTAL_RE = re.compile(r"^(?:total|totals|grand total|total:|totals:)\b", re.I)
_NOTE_MARK_RE = re.compile(r"^(?:\*{1,3}|\(\d{1,2}\)|\d\)|\u2020)$")
_FOOTNOTE_RE = re.compile(r"^(\*{1,3}|\(\d{1,2}\)|\d\)|\u2020)\s*(\S.*)$")
_POOL_PREFIX_RE = re.compile(r"^(?:loan\s+)?(?:pool|group|grp)\s*#?\s*([0-9]{1,2}[A-Z]?|[IVX]{1,4})\b[\s:\-]*", re.I)
_BUCKET_RANGE_RE = re.compile(r"(\d{1,3})\s*(?:-|\u2013|to)\s*(\d{1,3})")
_BUCKET_PLUS_RE = re.compile(r"(\d{1,3})\s*(?:\+|or\s+more|and\s+over|plus|days\s+or\s+more|\s*days\s*\+|or\s+greater)", re.I)
_BUCKET_DAYS_RE = re.compile(r"^(30|60|90|120|150|180)\s*days\b(?!\s*(?:\+|or\s+more|and\s+over|plus))")
_MAJOR_TITLE_RE = re.compile(r"^(?:[IVX]{1,4}\.\s|[A-H]\.\s|[Ss][Ee][Cc][Tt][Ii][Oo][Nn]\b|[A-Z][A-Z0-9&$,.'()\-/ ]{3,}$)")
_CONNECTOR_END_RE = re.compile(r"(?:\b(?:for|of|and|the|to|in|on|from|by|with|or|per)|[,&/\-])$", re.I)
_DATE_PAT = r"(?P<d>(?:\d{1,2}/\d{1,2}/\d{2,4})|(?:\d{4}-\d{2}-\d{2})|(?:\d{1,2}[- ][A-Za-z]{3,9}\.?[- ,]+\d{2,4})|(?:[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}))"


class FieldRecord(TypedDict):
    """One figure read, mapped to a measure or not, with where it was printed (``fields``)."""

    section: str | None
    label: str
    measure: str | None
    scope: str | None  # "class", "class_total", "pool", "deal", "delinquency"; None: none read
    entity: str | None  # the class or pool ("Total" for totals); "pool:bucket" for a delinquency
    value: Any  # as read: a number, a date or CUSIP as text, a description, or None
    raw: str
    document: str
    line: int
    table: int
    row: int | None
    column: int | None


class ClassTotal(TypedDict):
    """A "Total" row's figure under a class table's column (``class_totals``)."""

    section: str | None
    measure: str
    value: Any  # as read (see FieldRecord.value)
    rows: int  # the table's class rows above it
    line: int
    label: str
    raw: str


class TableColumn(TypedDict):
    column: int
    label: str | None
    measure: str | list[str] | None  # the one measure its figures were read as, or all of them


class UnreadFigure(TypedDict):
    line: int
    column: int | None
    raw: str
    label: str | None


class TableRecord(TypedDict):
    """How one table was read (``tables``): orientation, measure per column, what confirmed it."""

    table: int
    line: int | None
    kind: str  # "class", "pool" or "other"
    orientation: str
    title: str | None
    columns: list[TableColumn]
    identities: list[str]
    confirmed: bool
    confidence: float | None
    changed_by_arithmetic: list[int]
    nonconforming: list[str]
    unread: list[UnreadFigure]


@dataclass
class Ctx:
    """What the section a table sits in says about its figures."""

    title: str = ""
    period: str | None = None
    per1000: bool = False
    delinquency: bool = False


@dataclass
class Group:
    """A table: text rows above it, its data rows, notes under it."""

    above: list[Row]
    rows: list[Row]
    positional: bool
    inline: bool = False
    footnotes: list[tuple[str, str]] = field(default_factory=list)
    title: str = ""
    cols: list[Column] = field(default_factory=list)
    ctx: Ctx = field(default_factory=Ctx)
    index: int = 0
    ivs: list[tuple[int, int]] = field(default_factory=list)
    head_label: str = ""  # header text over the row-label column

    def add(self, r: Row) -> None:
        """Append a row and widen the value-column intervals by its figures."""
        self.rows.append(r)
        r.idx = len(self.rows)
        ivs = self.ivs
        spans = [(t.start, t.end) for t in r.values if t.start >= 0 and t.end > t.start
                 and not any(a <= t.start and t.end <= b for a, b in ivs)]
        if spans:
            self.ivs = _merge_spans(ivs + spans)


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(a, b) for a, b in out]


class Builder:
    """Accumulates everything read from one document."""

    def __init__(self, document: str) -> None:
        self.document = document
        self.classes: dict[str, dict[str, Any]] = {}
        self.pools: dict[str, dict[str, Any]] = {}
        self.deal: dict[str, Any] = {}
        self.delinq: dict[tuple[str, str], dict[str, Any]] = {}
        self.class_totals: list[ClassTotal] = []
        self.fields: list[FieldRecord] = []
        self.tables: list[TableRecord] = []
        self.warnings: list[str] = []
        self.footnotes: list[tuple[str, str]] = []
        self.amount_decimals: Counter[int] = Counter()
        self._warned: set[str] = set()
        # tables whose balances the roll-forward across tables named, by rows that tell
        self.across: Counter[int] = Counter()
        self.named_classes: list[str] = []  # classes known by a name, not a designation ("Exchange Note")

    def warn(self, msg: str) -> None:
        if msg not in self._warned:
            self._warned.add(msg)
            self.warnings.append(msg)

    # ------------------------------------------------------------------ entities
    def klass(self, name: str) -> dict[str, Any]:
        c = self.classes.get(name)
        if c is None:
            c = {"class": name, "cusip": None, "notional": False, "residual": cls.is_residual(name)}
            for k in CLASS_KEYS:
                c[k] = None
            self.classes[name] = c
        return c

    def pool(self, name: str) -> dict[str, Any]:
        p = self.pools.get(name)
        if p is None:
            p = {"pool": name}
            for k in POOL_KEYS:
                p[k] = None
            self.pools[name] = p
        return p

    def put(self, target: dict[str, Any], key: str, value: object, where: str) -> None:
        """First printed value wins; a different later one is a warning, not an overwrite."""
        if target.get(key) is None:
            target[key] = value
        elif value is not None and target[key] != value:
            self.warn(f"{where}: {key} printed twice ({target[key]} and {value}); kept the first")


# ---------------------------------------------------------------------- grouping
def _is_footnote(row: Row) -> tuple[str, str] | None:
    text = row.text.strip()
    m = _FOOTNOTE_RE.match(text)
    if m and len(m.group(2)) > 3 and not any(t.kind in (VALUE,) and t.num is not None for t in row.toks[1:]):
        return m.group(1), m.group(2)
    return None


def _fits(g: Group, r: Row) -> bool:
    if g.inline or r.inline or g.positional != r.positional:
        return False
    if not r.positional:
        return True
    ivs = g.ivs
    if not ivs:
        return False
    if r.blank_before and r.kind != g.rows[-1].kind and not (_TOTAL_RE.match(_head_text(r))):
        return False
    head: list[tuple[int, int]] | None = None
    for t in r.values:
        if t.start < 0 or any(min(t.end, b) - max(t.start, a) > 0 for a, b in ivs):
            continue
        # a column the rows above left empty still fits when the header heads it
        if head is None:
            head = []
            if g.above and g.above[-1].positional and _header_like(g.above[-1], ivs):
                head = [(x.start, x.end) for x in g.above[-1].toks if x.start >= 0]
        if not any(min(t.end, b) - max(t.start, a) > 0 for a, b in head):
            return False
    return True


def _text_cells_in_columns(g: Group, r: Row) -> bool:
    """A positional text row directly under a table's rows: a label, then a cell in each of
    three or more of the table's value columns."""
    if not (g.positional and r.positional) or r.blank_before or g.inline or len(r.toks) < 4 or not g.ivs:
        return False
    first = g.ivs[0][0]
    if r.toks[0].start < 0 or r.toks[0].end > first:
        return False
    return all(t.start >= 0 and any(min(t.end, b) - max(t.start, a) > 0 for a, b in g.ivs) for t in r.toks[1:])


def _head_text(r: Row) -> str:
    return r.head.text if r.head is not None else ""


def group_rows(rows: list[Row], b: Builder) -> list[Group]:
    groups: list[Group] = []
    pending: list[Row] = []
    cur: Group | None = None
    blank = False
    for r in rows:
        if r.kind == "blank":
            blank = True
            continue
        if r.kind == "text":
            if not r.positional and len(r.toks) > 1 and _is_footnote(Row(r.toks[:1], r.line, kind="text")):
                # a stream's cells: a note cell, then the next table's header cells
                b.footnotes.append(cast(tuple[str, str], _is_footnote(Row(r.toks[:1], r.line, kind="text"))))
                r = Row(r.toks[1:], r.toks[1].line, positional=False, kind="text", blank_before=True)
            fn = _is_footnote(r)
            if fn is not None:
                b.footnotes.append(fn)
                if cur is not None and not pending:
                    cur.footnotes.append(fn)
                blank = False
                continue
            if r.marker is not None and _NOTE_MARK_RE.match(r.marker):
                # "(1) Notional balance ...": the tokenizer took the mark off as item numbering;
                # it is also a footnote mark a class row may carry ("A-IO(1)"). The line stays
                # text (an outline item "(1) Amount of principal being paid:" heads what follows).
                b.footnotes.append((r.marker, r.text))
            r.blank_before = r.blank_before or blank
            blank = False
            if cur is not None and not pending and _text_cells_in_columns(cur, r):
                # a row of text cells under the table's columns (descriptions, codes): a row
                # of the table, not a new header
                r.kind, r.head, r.values = "label", r.toks[0], list(r.toks[1:])
                cur.add(r)
                continue
            pending.append(r)
            continue
        if r.kind == "values" and pending and pending[-1].kind == "text" \
                and len(pending[-1].toks) == 1 and pending[-1].toks[0].kind == TEXT \
                and sum(1 for v in r.values if value_type(v) == "amount") >= 2 \
                and all(v.kind in (VALUE, MARKER) for v in r.values):
            # figures alone on a line under a line of words alone ("Original Note Balance" /
            # "{10} 238,000,000.00 323,470,000.00 ..."): the words label the figures
            lab = pending.pop()
            r.kind, r.head, r.toks = "label", lab.toks[0], [lab.toks[0], *r.values]
            r.values = [v for v in r.values if v.kind != MARKER]
            r.toks = [lab.toks[0], *r.values]
            r.blank_before = lab.blank_before
            r.positional = False  # its label is not over its figures: read in order
            for v in r.toks:
                v.start = v.end = -1
        if r.kind == "values":
            # figures alone under a row: that row continued on the next line
            if cur is not None and not pending and cur.positional and r.positional and cur.rows:
                last = cur.rows[-1]
                ivs = cur.ivs
                first = ivs[0][0] if ivs else 0
                taken = [(v.start, v.end) for v in last.values if v.start >= 0]
                added = False
                for t in r.values:
                    if t.start < first - 1:
                        continue  # under the row labels: a page number, not a figure
                    if any(min(t.end, bb) - max(t.start, a) > 0 for a, bb in taken):
                        continue  # that cell of the row is already filled
                    last.values.append(t)
                    added = True
                if added:
                    cur.ivs = _merge_spans(cur.ivs + [(t.start, t.end) for t in r.values if t.start >= first - 1])
            blank = False
            continue
        r.blank_before = r.blank_before or blank
        blank = False
        # a label wrapped onto two lines: "Aggregate Advances required for" / "the Collection Period"
        if pending and r.kind == "label" and r.positional and r.head is not None:
            prev = pending[-1]
            if (not r.blank_before and prev.positional and prev.toks and prev.toks[0].start >= 0
                    and abs(prev.toks[0].start - r.head.start) <= 4 and not header_overlaps(prev, [r])
                    and (_CONNECTOR_END_RE.search(prev.text) or r.head.text[:1].islower())):
                r.head = Tok(prev.text + " " + r.head.text, TEXT, prev.toks[0].start, r.head.end, prev.line)
                pending.pop()
        if cur is not None and not pending and _fits(cur, r):
            cur.add(r)
            continue
        cur = Group(above=pending, rows=[], positional=r.positional, inline=r.inline)
        cur.add(r)
        groups.append(cur)
        pending = []
    return groups


# ---------------------------------------------------------------------- context
def _ctx_for(title: str, prev: Ctx) -> Ctx:
    lex = lexicon()
    if not title.strip():
        return prev
    per1000 = lex.has_context(title, "per_1000")
    delinq = lex.has_context(title, "delinquency")
    period = None
    for name in ("original", "beginning", "ending"):
        if lex.has_context(title, name):
            period = name
            break
    lines = [ln.strip() for ln in title.strip().split("\n") if ln.strip()]
    major = any(_MAJOR_TITLE_RE.match(ln) and not cls.class_label(ln) for ln in lines[-3:])
    if not (per1000 or delinq or period or major):
        return Ctx(title, prev.period, prev.per1000, prev.delinquency)
    return Ctx(title, period, per1000, delinq)


def _label_period(label: str) -> str | None:
    """The period a row label states of its own figures ("... as of prior Distribution Date")."""
    lex = lexicon()
    for name in ("original", "beginning", "ending"):
        if lex.has_context(label, name):
            return name
    return None


def _resolve(meas: Measure | None, col: Column | None, ctx: Ctx, per1000_label: bool, scope: str) -> str | None:
    """The measure name a figure lands under, given its column and its section."""
    if meas is None:
        return None
    name = meas.name
    role = col.role if col is not None else None
    if name == "balance":
        r = role if role in ("original", "beginning", "ending") else ctx.period
        if r not in ("original", "beginning", "ending"):
            return None
        name = f"{r}_balance"
    elif role == "activity":
        name = f"{name}_activity"
    elif role == "beginning" and scope == "pool" and not name.endswith("_balance"):
        name = f"beginning_{name}"
    per1000 = per1000_label or (col is not None and col.per1000) or ctx.per1000
    if per1000 and meas.type in ("amount", "count"):
        name = _PER1000.get(name, f"{name}_per_1000")
    return name


def _number(tok: Tok, b: Builder, where: str, measure_type: str | None) -> tuple[object, bool]:
    """(value, ok). Figures in dollars or percent as printed; unreadable ones are None."""
    if tok.kind == DATE:
        return tok.date, True
    if tok.kind == CUSIP:
        return tok.text, True
    n = tok.num
    if n is None:
        return None, False
    if n.kind == GARBLED:
        b.warn(f"{where}: {n.problem or 'unreadable figure'}; left empty")
        return None, True
    if n.kind == NA:
        return None, True
    if n.kind == PCT and measure_type in ("amount", "count", "factor"):
        return None, False
    if measure_type in ("amount", "count") and n.kind not in (ZERO,) and n.decimals is not None:
        b.amount_decimals[n.decimals] += 1
    return n.value, True


# ---------------------------------------------------------------------- emission
class Emitter:
    def __init__(self, b: Builder) -> None:
        self.b = b
        self.lex = lexicon()
        self.current_class: str | None = None

    def field(self, g: Group, row: Row, label: str, measure: str | None, scope: str | None,
              entity: str | None, value: object, tok: Tok, ci: int | None) -> None:
        self.b.fields.append({
            "section": g.title or g.ctx.title or None,
            "label": label,
            "measure": measure,
            "scope": scope,
            "entity": entity,
            "value": value,
            "raw": tok.text,
            "document": self.b.document,
            "line": tok.line or row.line,
            "table": row.table if row.table is not None else g.index,
            "row": row.row if row.row is not None else (row.idx or None),
            "column": (tok.col + 1) if tok.col is not None else ((ci + 1) if ci is not None else None),
        })

    def issuance_lines(self, rows: list[Row]) -> None:
        """Classes described by their issuance line: original balance and coupon."""
        g = Group(above=[], rows=[], positional=False, title="issuance")
        for row in rows:
            if row.kind != "text" and (row.positional or row.head is None):
                continue
            # collapsed text: an issuance line may head the figure printed after it
            for tok in (row.toks if row.kind == "text" else [cast(Tok, row.head)]):  # not text: a head
                named = cls.named_note(tok.text) if tok.kind == TEXT and row.kind == "text" else None
                if named is not None and named[0] not in self.b.named_classes:
                    # "3.35% Exchange Note": a class known by its name; labels naming it are its figures
                    self.b.named_classes.append(named[0])
                    c = self.b.klass(named[0])
                    self.b.put(c, "pass_through_rate", named[1], f"class {named[0]}")
                    self.field(g, row, tok.text, "pass_through_rate", "class", named[0], named[1], tok, None)
                    continue
                coupon = cls.title_coupon(tok.text) if tok.kind == TEXT and row.kind == "text" else None
                if coupon is not None:
                    # "Class A-1 2.72404% Asset Backed Notes": a title line giving the coupon
                    c = self.b.klass(coupon[0])
                    self.b.put(c, "pass_through_rate", coupon[1], f"class {coupon[0]}")
                    self.field(g, row, tok.text, "pass_through_rate", "class", coupon[0], coupon[1], tok, None)
                    continue
                if tok.kind != TEXT or not tok.text.startswith("$"):
                    continue
                got = cls.note_description(tok.text)
                if got is None:
                    continue
                name, amount, rate = got
                c = self.b.klass(name)
                self.b.put(c, "original_balance", amount, f"class {name}")
                self.field(g, row, tok.text, "original_balance", "class", name, amount, tok, None)
                if rate is not None:
                    self.b.put(c, "pass_through_rate", rate, f"class {name}")
                    self.field(g, row, tok.text, "pass_through_rate", "class", name, rate, tok, None)

    # -------------------------------------------------------------- per table
    def table(self, g: Group) -> None:
        _printed_apart(g)
        cols = g.cols
        n_class = 0
        first_field = len(self.b.fields)
        assigns = [self._assign(row, cols, g) for row in g.rows]
        reading = self._read_by_arithmetic(g, assigns)
        for row, assign in zip(g.rows, assigns, strict=True):
            if row.kind == CLASS and row.head is not None and row.head.klass is not None:
                n_class += 1
                self.class_row(g, row, assign)
            elif row.head is not None and _TOTAL_RE.match(strip_lead_marker(row.head.text)) and n_class:
                self.total_row(g, row, assign, n_class)
            else:
                self.label_row(g, row, assign)
        self._describe_table(g, reading, first_field)

    def _read_by_arithmetic(self, g: Group, assigns: list[list[tuple[int | None, Tok]]]) -> Reading | None:
        """Check the header's reading of a class table against the rows' arithmetic and
        take the arithmetic's where they differ (see reading.py)."""
        for ci, col in enumerate(g.cols):
            if col.per1000 and any(c == ci and _beyond_per1000(t) for row, assign in zip(g.rows, assigns, strict=True)
                                   if row.kind == CLASS for c, t in assign):
                col.per1000 = False  # figures per $1,000 stay near 1,000 or below: the words named another column
        if g.ctx.per1000:
            return None
        dollars = any(c.vtype == "amount" for c in g.cols)
        for col in g.cols:
            meas = col.measure_for("class")
            if dollars and col.vtype == "fraction" and meas is not None and meas.type == "amount":
                # beside dollar columns, ungrouped figures of four decimals or more are factors
                # (per $1,000 or of the balance), never dollars: the words missed "per $1,000"
                col.per1000 = True
        # the identities are of dollars: columns per $1,000 stay out of the arithmetic
        apart = {ci for ci, col in enumerate(g.cols) if col.per1000
                 and (col.measure_for("class") is None or cast(Measure, col.measure_for("class")).type == "amount")}
        if len(apart) == len(g.cols):
            return None  # a table per $1,000 stands on its words
        rows = []
        for row, assign in zip(g.rows, assigns, strict=True):
            if row.kind == CLASS and row.head is not None and row.head.klass is not None:
                cells = {ci: tok for ci, tok in assign if ci is not None and tok.kind == VALUE and ci not in apart}
                rows.append((row.head.klass.designation, cells))
        if not g.cols or not any(cells for _, cells in rows):
            return None
        header: dict[int, str | None] = {}
        for ci, col in enumerate(g.cols):
            if ci in apart:
                continue
            meas = col.measure_for("class")
            header[ci] = _resolve(meas, col, g.ctx, False, "class") if meas is not None else None
        reading = read_class_table(rows, header)
        for ci, (_old, new) in reading.changed.items():
            if ci >= len(g.cols):
                continue
            col = g.cols[ci]
            if new:
                col.matches = [Match(self.lex.measures[new], 100, True)]
                col.role = None
            else:
                col.matches = []
        if reading.changed:
            moved = ", ".join(f"column {ci + 1} {o or 'unnamed'} -> {n or 'none'}"
                              for ci, (o, n) in sorted(reading.changed.items()))
            self.b.warn(f"table {g.index} at line {g.rows[0].line}: read by arithmetic "
                        f"({'; '.join(reading.identities)}): {moved}")
        return reading

    def _describe_table(self, g: Group, reading: Reading | None, first_field: int) -> None:
        """The table's reading as output: orientation, measure per column, what confirmed
        it, and the figures no measure claimed."""
        fields = self.b.fields[first_field:]
        if not fields:
            return
        scopes = {f["scope"] for f in fields}
        kind = "class" if "class" in scopes else ("pool" if "pool" in scopes else "other")
        cols: list[TableColumn] = []
        for ci, col in enumerate(g.cols):
            got = {f["measure"] for f in fields if f["column"] == ci + 1 and f["measure"]}
            cols.append({"column": ci + 1, "label": col.label or None,
                         "measure": sorted(got)[0] if len(got) == 1 else (sorted(got) if got else None)})
        unread: list[UnreadFigure] = [
            {"line": f["line"], "column": f["column"], "raw": f["raw"], "label": f["label"] or None}
            for f in fields if f["measure"] is None and f["raw"] not in ("", None)
            and f["scope"] != "class_total"]
        self.b.tables.append({
            "table": g.index,
            "line": g.rows[0].line if g.rows else None,
            "kind": kind,
            "orientation": "rows",
            "title": (g.title or g.ctx.title or "").strip() or None,
            "columns": cols,
            "identities": list(reading.identities) if reading else [],
            # a table the arithmetic did not read (per-$1,000 figures) stands on its words
            "confirmed": bool(reading.confirmed) if reading else all(c["measure"] for c in cols),
            "confidence": round(reading.confidence, 2) if reading else None,
            "changed_by_arithmetic": sorted(ci + 1 for ci in reading.changed) if reading else [],
            "nonconforming": list(reading.nonconforming) if reading else [],
            "unread": unread,
        })

    def _assign(self, row: Row, cols: list[Column], g: Group) -> list[tuple[int | None, Tok]]:
        vals = row.values
        if not cols or row.inline:
            return [(None, v) for v in vals]
        if g.positional and all(v.start >= 0 for v in vals):
            out: list[tuple[int | None, Tok]] = []
            exact = row.table is not None
            for v in vals:
                out.append((column_of(v, cols, exact), v))
            return out
        return [(i, t) for i, t in align(vals, cols)]

    def class_row(self, g: Group, row: Row, assign: list[tuple[int | None, Tok]]) -> None:
        b = self.b
        k = cast(cls.ClassName, cast(Tok, row.head).klass)  # table() sends class rows with a class head
        name = k.designation
        c = b.klass(name)
        self.current_class = name
        if k.mark:
            c["_mark"] = k.mark
        where = f"class {name}"
        # "(1) Amount of principal being paid: (a) Class A-1 Notes: $0.00": one figure under
        # a heading that names the measure, no column header at all
        heading = None
        if len(assign) == 1 and not any(c.label for c in g.cols):
            heading = self._heading_measure(g)
        for ci, tok in assign:
            col = g.cols[ci] if ci is not None and ci < len(g.cols) else None
            self.class_value(g, row, c, name, col, ci, tok, where, col.label if col else "", meas=heading)

    def class_value(self, g: Group, row: Row, c: dict[str, Any], name: str, col: Column | None,
                    ci: int | None, tok: Tok, where: str, label: str, meas: Measure | None = None,
                    per1000_label: bool = False) -> None:
        b = self.b
        vt = value_type(tok)
        if meas is None and col is not None:
            meas = col.measure_for("class")
        if vt == "cusip" or (meas is not None and meas.name == "cusip"):
            cusip = tok.text if cls.looks_like_cusip(tok.text) else None
            if cusip and not cls.cusip_is_valid(cusip):
                b.warn(f"{where}: CUSIP {cusip} fails its check digit")
            b.put(c, "cusip", cusip, where)
            self.field(g, row, label or "CUSIP", "cusip", "class", name, cusip, tok, ci)
            return
        if vt == "text":
            b.put(c, "description", tok.text, where)
            if cls.is_notional_description(tok.text):
                c["notional"] = True
            if cls.is_residual(name, tok.text):
                c["residual"] = True
            self.field(g, row, label or "Description", "description", "class", name, tok.text, tok, ci)
            return
        mname = _resolve(meas, col, g.ctx, per1000_label, "class")
        mtype = meas.type if meas is not None else None
        if mname is not None and mname.endswith("_per_1000"):
            mtype = "factor"
        value, ok = _number(tok, b, f"{where} {mname or label}", mtype)
        if not ok:
            mname = None
        if meas is not None and tok.num is not None and tok.num.kind == PCT and meas.type in ("amount", "count"):
            mname = None
        self.field(g, row, label, mname, "class", name, value, tok, ci)
        if mname == "principal_part":
            if isinstance(value, (int, float)):
                c.setdefault("_principal_parts", []).append(value)
        elif mname is not None:
            b.put(c, mname, value, where)
        elif meas is not None and meas.name == "balance" and ok and isinstance(value, (int, float)):
            # a balance that says neither beginning nor ending: the class's arithmetic may
            c.setdefault("_balances", []).append((value, len(b.fields) - 1))

    def total_row(self, g: Group, row: Row, assign: list[tuple[int | None, Tok]], n_class: int) -> None:
        b = self.b
        for ci, tok in assign:
            col = g.cols[ci] if ci is not None and ci < len(g.cols) else None
            meas = col.measure_for("class") if col else None
            mname = _resolve(meas, col, g.ctx, False, "class")
            mtype = "factor" if mname and mname.endswith("_per_1000") else (meas.type if meas else None)
            value, ok = _number(tok, b, f"total {mname}", mtype)
            # table() sends total rows with a head
            label = f"{cast(Tok, row.head).text} {col.label if col else ''}".strip()
            self.field(g, row, label, mname if ok else None, "class_total", "Total", value, tok, ci)
            if ok and mname is not None and tok.kind == VALUE:
                b.class_totals.append({
                    "section": g.title or g.ctx.title or None, "measure": mname, "value": value,
                    "rows": n_class, "line": tok.line or row.line, "label": cast(Tok, row.head).text,
                    "raw": tok.text,
                })

    def label_row(self, g: Group, row: Row, assign: list[tuple[int | None, Tok]]) -> None:
        b = self.b
        if row.head is None:
            return
        label = strip_lead_marker(row.head.text).strip()
        per1000_label = self.lex.has_context(label, "per_1000")
        mtext = re.split(r"(?i)\bper\s+\$?\s?1,?000", label)[0].strip() if per1000_label else label
        # A whole-label variant ("Class X Cap Payment") outranks a class named inside it.
        exact = [m for m in self.lex.lookup_label(mtext) if m.exact]
        k = None if any("class" not in m.measure.scopes for m in exact) else cls.class_in_label(mtext)
        if k is not None and sum(1 for c in g.cols if c.klass) >= 2 and len(row.values) >= 2:
            # classes as columns: a figure's class is its column's, whatever the label names
            # ("Class II A and Class II B Distribution Amounts" over Class A-1 | Class A-2)
            k = None
        if k is None and b.named_classes:
            k = cls.named_in_label(mtext, b.named_classes)
        pool_m = _POOL_PREFIX_RE.match(mtext)
        pool_name = None
        if pool_m:
            pool_name = pool_m.group(1).upper()
            mtext = mtext[pool_m.end():]
        rest = k.remainder if k is not None else mtext
        if any(v.kind == CUSIP for v in row.values) and _CUSIP_TAIL_RE.search(rest) \
                and _CUSIP_TAIL_RE.sub("", rest).strip():
            # "Beginning Class A-1 Note Balance -- CUSIP 000000XX0 123,363,116.72": the CUSIP
            # is the class's, the words before it name the figure
            rest = _CUSIP_TAIL_RE.sub("", rest)
        matches = self.lex.lookup_label(rest) if rest else []
        if k is not None and not matches and rest:
            matches = self.lex.lookup_label(mtext)
        bucket = _bucket(label) if (g.ctx.delinquency or _delinquency_cols(g.cols)) else None
        title_entity = _title_entity(g.title or g.ctx.title)
        for idx, (ci, tok) in enumerate(assign):
            col = g.cols[ci] if ci is not None and ci < len(g.cols) else None
            if tok.kind == TEXT:
                continue
            # ---- delinquency buckets
            if bucket is not None:
                self.delinquency(g, row, label, bucket, col, ci, tok)
                continue
            # ---- a class named in the label
            if k is not None:
                meas = best_for_scope(matches, "class")
                if meas is None and col is not None:
                    meas = col.measure_for("class")
                if meas is None and not rest:
                    meas = self._heading_measure(g)
                c = b.klass(k.designation)
                self.current_class = k.designation
                self.class_value(g, row, c, k.designation, col, ci, tok, f"class {k.designation}", label,
                                 meas=meas, per1000_label=per1000_label)
                continue
            if col is not None and col.klass and k is None:
                # a table with the classes as columns: the row's label names the measure (a
                # variant anywhere in it: "Note balance as of prior Distribution Date"), and
                # the label its period
                meas = best_for_scope(matches, "class") or best_for_scope(
                    [m for m in self.lex.lookup_label(rest, anchored=False) if m.score >= 20], "class")
                if meas is not None:
                    c = b.klass(col.klass)
                    period = _label_period(label)
                    if _TOTAL_LABEL_RE.match(label):
                        # "Total Principal Distribution" after its parts ("(a) Scheduled Principal
                        # Due" ...): the total is the class's figure, not the first part
                        mname = _resolve(meas, Column(role=period) if period else None, g.ctx, per1000_label, "class")
                        if mname and c.get(mname) is not None:
                            c[mname] = None
                    self.class_value(g, row, c, col.klass, Column(role=period) if period else None, ci, tok,
                                     f"class {col.klass}", label, meas=meas, per1000_label=per1000_label)
                    continue
            entity = col.entity if col is not None and col.entity else (pool_name or title_entity)
            # ---- per $1,000 lines under a class ("per $1,000 original principal amount")
            if per1000_label and self.current_class and not entity:
                meas = best_for_scope(matches, "class") or self._heading_measure(g)
                c = b.klass(self.current_class)
                self.class_value(g, row, c, self.current_class, col, ci, tok, f"class {self.current_class}",
                                 label, meas=meas, per1000_label=True)
                continue
            if idx > 0 and col is None:
                # several figures and no columns to say which is which: keep them as fields
                value, _ = _number(tok, b, label, None)
                self.field(g, row, label, None, None, None, value, tok, ci)
                continue
            scope, meas = None, None
            if entity:
                meas = best_for_scope(matches, "pool")
                scope = "pool" if meas else None
                if meas is None:
                    meas = best_for_scope(matches, "deal")
                    scope = "deal" if meas else None
            else:
                for sc in ("deal", "pool"):
                    meas = best_for_scope(matches, sc)
                    if meas is not None:
                        scope = sc
                        break
            if meas is None and matches and col is not None and col.measure_for("pool"):
                meas, scope = col.measure_for("pool"), "pool"
            mname = _resolve(meas, col, g.ctx, per1000_label, scope or "deal") if scope else None
            if scope == "deal" and entity and entity != "Total":
                # a deal figure printed per pool ("Prepayment Penalties" under Group 1, Group 2,
                # Total): that pool's share, kept with the pool; only the Total is the deal's
                scope = "pool"
            mtype = meas.type if meas is not None else None
            value, ok = _number(tok, b, f"{label}", mtype)
            if not ok:
                mname = None
            ent = (entity or "Total") if scope == "pool" else None
            self.field(g, row, label, mname, scope, ent, value, tok, ci)
            if mname is None or value is None and tok.kind != VALUE:
                continue
            if scope == "pool":
                b.put(b.pool(ent or "Total"), mname, value, f"pool {ent}")
            elif scope == "deal":
                b.put(b.deal, mname, value, "deal")

    def _heading_measure(self, g: Group) -> Measure | None:
        for text in (g.head_label, g.title, g.ctx.title):
            if text:
                got = best_for_scope(self.lex.lookup_label(text.split("\n")[-1]), "class")
                if got is not None:
                    return got
        return None

    def delinquency(self, g: Group, row: Row, label: str, bucket: str, col: Column | None, ci: int | None,
                    tok: Tok) -> None:
        b = self.b
        meas = col.measure_for("delinquency") if col is not None else None
        vt = value_type(tok)
        if meas is None and col is not None:
            m2 = col.measure_for("pool") or col.measure_for("class")
            if m2 is not None and m2.name in ("loan_count",):
                meas = lexicon().measures.get("count")
        if meas is None:
            if vt == "plain" and tok.num is not None and tok.num.decimals == 0:
                meas = lexicon().measures.get("count")
            elif vt == "pct":
                meas = None
            else:
                meas = lexicon().measures.get("delinquent_balance")
        mname = meas.name if meas is not None else None
        value, ok = _number(tok, b, f"delinquency {label}", meas.type if meas else None)
        pool = (col.entity if col is not None and col.entity else None) or "Total"
        self.field(g, row, label, mname if ok else None, "delinquency", f"{pool}:{bucket}", value, tok, ci)
        if not ok or mname is None:
            return
        entry = b.delinq.get((pool, bucket))
        if entry is None:
            entry = {"pool": pool, "bucket": bucket, "count": None, "unpaid_principal_balance": None,
                     "stated_principal_balance": None, "includes_fc_bk_reo": _includes(label, g, b),
                     "label": label}
            b.delinq[(pool, bucket)] = entry
        b.put(entry, mname, value, f"delinquency {pool} {bucket}")


def _printed_apart(g: Group) -> None:
    """Two rows of one table whose labels reduce to the same designation ("A" and "A
    Certificate") are two classes: the shortest printing keeps the designation, a longer
    one is named as printed."""
    heads: dict[str, list[Tok]] = {}
    for row in g.rows:
        if row.kind == CLASS and row.head is not None and row.head.klass is not None:
            heads.setdefault(row.head.klass.designation, []).append(row.head)
    for toks in heads.values():
        printed = {_printing(t.text) for t in toks}
        if len(printed) < 2:
            continue
        bare = min(printed, key=len)
        for t in toks:
            k = cast(cls.ClassName, t.klass)
            if _printing(t.text) != bare:
                t.klass = cls.ClassName(" ".join(t.text.split()).rstrip(":").strip(), k.mark, k.remainder)


_CLASS_PREFIX_RE = re.compile(r"^(?:class(?:es)?|tranche)\s+", re.I)
_CLASS_MARKS_RE = re.compile(r"(?:\*{1,3}|\(\d{1,2}\)|\u2020)$")


def _printing(text: str) -> str:
    """A class label as printed, without a "Class" before it, a mark or a colon after it."""
    t = " ".join(text.split()).rstrip(":").strip()
    return _CLASS_MARKS_RE.sub("", _CLASS_PREFIX_RE.sub("", t)).strip().lower()


def _title_entity(title: str) -> str | None:
    """The pool a table's own title names ("Group 1 Collateral Statement"): its label rows
    are that pool's figures when no column names a pool."""
    lines = [ln.strip() for ln in title.split("\n") if ln.strip()]
    if not lines:
        return None
    m = _POOL_PREFIX_RE.match(lines[-1])
    return m.group(1).upper() if m else None


def _delinquency_cols(cols: list[Column]) -> bool:
    return any(c.measure_for("delinquency") is not None and cast(Measure, c.measure_for("delinquency")).name
               in ("unpaid_principal_balance", "stated_principal_balance") for c in cols)


def _bucket(label: str) -> str | None:
    low = label.lower()
    if "foreclos" in low:
        return "foreclosure"
    if "bankrupt" in low:
        return "bankruptcy"
    if re.search(r"\breo\b|real estate owned", low):
        return "reo"
    m = _BUCKET_RANGE_RE.search(low)
    if m:
        return f"{int(m.group(1))}-{int(m.group(2))}"
    m = _BUCKET_PLUS_RE.search(low)
    if m:
        return f"{int(m.group(1))}+"
    m = _BUCKET_DAYS_RE.match(low)
    if m:  # "30 Days", "60 Days Delinquent": the month-wide band that starts there
        return f"{int(m.group(1))}-{int(m.group(1)) + 29}"
    if low.startswith("total"):
        return "total"
    if low.startswith("current"):
        return "current"
    return None


def _includes(label: str, g: Group, b: Builder) -> bool | None:
    """Per the report's own footnote: does this bucket already include FC/BK/REO loans?"""
    notes = g.footnotes or b.footnotes
    relevant = [(mark, text) for mark, text in notes
                if re.search(r"includ", text, re.I) and re.search(r"foreclos|bankrupt|\breo\b", text, re.I)]
    if not relevant:
        return None
    stripped = label.rstrip()
    return any(stripped.endswith(mark) or stripped.endswith(mark + ":") for mark, _ in relevant)


# ---------------------------------------------------------------------- columns
def build_columns(g: Group, prev: Group | None) -> None:
    """Header, title and columns of one table."""
    if g.inline:
        g.title = "\n".join(r.text for r in g.above)
        return
    class_rows = [r for r in g.rows if r.kind == CLASS]
    if g.positional:
        header: list[Row] = []
        i = len(g.above) - 1
        gap = g.rows[0].blank_before
        sub = prev is not None and prev.positional and bool(prev.cols) and _sub_heading(g, prev)
        while i >= 0 and len(header) < 5 and not sub:
            r = g.above[i]
            if not r.positional or not header_overlaps(r, g.rows, g.ivs):
                break
            if len(r.toks) == 1 and len(r.toks[0].text.split()) >= 4 and len(g.ivs) > 2:
                break  # one long centred line over the table is its title, not a column head
            if gap and not _header_like(r, g.ivs):
                break  # across a blank line or a rule only column heads join the band
            header.insert(0, r)
            gap = r.blank_before
            i -= 1
        g.title = "\n".join(r.text for r in g.above[: i + 1][-4:])
        g.cols, head_parts = positional_columns(g.rows, header, g.ivs)
        g.head_label = " ".join(head_parts)
        _fix_total_columns(g)
        _issuance_roles(g)
        if not header and _carries_classes(g, prev, sum(1 for r in g.above if r.kind == "text")) and prev is not None:
            # classes as columns: an item heading with no figures ("(b) Formula Principal
            # Distribution Amount") heads rows of the same table; its class columns go on
            pairs = _columns_under(g.cols, prev.cols) or (
                list(zip(g.cols, prev.cols, strict=True)) if len(g.cols) == len(prev.cols) else None)
            if pairs is not None:
                for c, p in pairs:
                    c.label, c.klass, c.entity = p.label, p.klass, p.entity
                return
        if not header and prev is not None and prev.cols and prev.positional and (not g.title or sub):
            # a table continued after a page break or a sub-heading, its header not repeated:
            # each column takes the meaning of the column above it
            pairs = _columns_under(g.cols, prev.cols)
            if pairs is None and len(prev.cols) == len(g.cols):
                pairs = list(zip(g.cols, prev.cols, strict=True))  # the same grid, shifted
            if pairs is not None and (sub or len(prev.cols) == len(g.cols)):
                class_cols = sum(1 for p in prev.cols if p.klass) >= 2
                for c, p in pairs:
                    c.label, c.matches, c.entity, c.date, c.role, c.per1000 = (
                        p.label, p.matches, p.entity, p.date, p.role, p.per1000)
                    c.klass = p.klass if class_cols else None
                if g.title:
                    g.head_label, g.title = prev.head_label, prev.title
        return
    htoks = [t for r in g.above for t in r.toks if t.kind == TEXT][-80:]
    stacked = None
    if class_rows and all(r.squeezed for r in class_rows) and g.above:
        # squeezed lines keep their ends: a header stacked over lines is read line by line
        stacked = stacked_line_columns([r.text for r in g.above if r.kind == "text"][-6:], profile(class_rows))
    if htoks and class_rows and all(r.squeezed for r in class_rows):
        # squeezed lines: a header line holds several cells, so its words are read as one
        # stream whose rows are about one word per column apart
        htoks = [Tok(" ".join(t.text for t in htoks), TEXT, -1, -1, htoks[0].line)]
    if class_rows:
        types = profile(class_rows)
        g.cols, g.title = stream_class_columns(htoks, types)
        if len(htoks) > 1:
            alt = stream_cell_columns(htoks, types)
            # a header row that holds one cell per column (from the row-label head on) is read
            # cell by cell: word geometry is for streams that lost their cell boundaries
            if alt is not None and (_quality(alt[0]) >= _quality(g.cols)
                                    or (_quality(alt[0]) > 0 and one_cell_per_column(htoks, len(types)))):
                g.cols, g.title = alt
            banded = stream_dated_band_columns(htoks, types)
            if banded is not None and _quality(banded[0]) >= _quality(g.cols):
                g.cols, g.title = banded
            if _quality(g.cols) < len(g.cols):
                seg = stream_segment_columns(htoks, types)
                if seg is not None and _quality(seg[0]) > _quality(g.cols):
                    g.cols, g.title = seg
        if prev is not None and not prev.positional and len(htoks) <= 3 and prev.cols \
                and any(c.matches for c in prev.cols) and len(prev.cols) <= len(g.cols) \
                and not any(c.matches for c in g.cols[: len(prev.cols)]) \
                and _quality(g.cols) <= len(g.cols) - len(prev.cols):
            # class rows under a sub-heading ("Notes", or "Notes | Ratio" naming a column the
            # rows above lacked) in a table whose header the rows above it had: the same
            # columns go on, and the sub-heading's cells head the new ones to their right
            for c, p in zip(g.cols, prev.cols, strict=False):
                c.label, c.matches, c.entity, c.date, c.role, c.per1000 = (
                    p.label, p.matches, p.entity, p.date, p.role, p.per1000)
        if stacked is not None and _quality(stacked[0]) > _quality(g.cols):
            g.cols, g.title = stacked
        _fix_total_columns(g)
        _issuance_roles(g)
    else:
        n = max((len(r.values) for r in g.rows), default=0)
        if n <= 1:
            g.title = " ".join(t.text for t in htoks)
            g.cols = []
        else:
            cells = [t for t in htoks if not _is_label_header(t.text)]
            while cells and cells[-1].mark and len(cells) > n:
                cells.pop()  # an item heading ("8. Note Balances") after the column heads titles the rows
            g.cols = stream_label_columns(cells, n)
            named = [r for r in g.rows if r.head is not None and cls.class_in_label(r.head.text)]
            if len(named) >= 2 and _quality(g.cols) < len(g.cols):
                # rows whose labels name a class ("Required Class A-1 Interest") are class rows:
                # their header's cells are cut into runs by the fit of the measures they name
                types = profile(named)
                typed = [Column(label=c.label, matches=c.matches, role=c.role, date=c.date,
                                vtype=types[j] if j < len(types) else None) for j, c in enumerate(g.cols)]
                seg = stream_segment_columns(cells, types)
                if seg is None and 0 < len(cells) < n:
                    # fewer head cells than columns (collapsed text ran them together): cut the words
                    words = [Tok(w, TEXT, -1, -1, c.line) for c in cells for w in c.text.split()]
                    seg = stream_segment_columns(words, types)
                if seg is not None and len(seg[0]) == n and _typed_fit(seg[0]) > _typed_fit(typed):
                    g.cols = seg[0]
            _class_columns(g)
            if not any(c.entity or c.date or c.role or c.matches or c.klass for c in g.cols):
                g.cols = []
            # with no column heads read, the text above is all title
            g.title = " ".join(t.text for t in (htoks[: max(0, len(htoks) - n)] if g.cols else htoks))
        if _carries_classes(g, prev, sum(1 for r in g.above if r.kind == "text")):
            g.cols = [Column(label=p.label, klass=p.klass, entity=p.entity) for p in cast(Group, prev).cols]


_CUSIP_TAIL_RE = re.compile(r"[\s\-\u2013\u2014,;:(]*\bCUSIP\b[\s#:.)]*$", re.I)
_TOTAL_LABEL_RE = re.compile(r"^total\s+\w", re.I)


def _carries_classes(g: Group, prev: Group | None, heading_lines: int) -> bool:
    """Rows under one or two heading lines, with no column heads of their own, right after a
    table with the classes as columns: the same table goes on (its classes are its columns)."""
    return (prev is not None and sum(1 for p in prev.cols if p.klass) >= 2
            and not any(c.klass for c in g.cols) and heading_lines <= 2
            and not any(r.kind == CLASS for r in g.rows)
            and all(len(r.values) <= len(prev.cols) for r in g.rows))


def _issuance_roles(g: Group) -> None:
    """A class table that gives each class's final scheduled payment date describes the notes
    as issued: a balance it does not date or name as of a period is the original balance."""
    if not any(c.matches and c.matches[0].measure.name == "final_scheduled_date" for c in g.cols):
        return
    for c in g.cols:
        if c.matches and c.matches[0].measure.name == "balance" and c.role is None and c.date is None:
            c.role = "original"


def _typed_fit(cols: list[Column]) -> float:
    """How well the measures a reading names fit the figures under them (a rate over
    percentages 1, over plain figures less)."""
    return sum(fit(c.mtype, c.vtype or "na") for c in cols if c.matches and c.mtype)


def _sub_heading(g: Group, prev: Group) -> bool:
    """One short line of words between two runs of class rows ("Subordinate Certificates"):
    a sub-heading of the table above, not a new table's title."""
    if len(g.above) != 1 or not any(r.kind == CLASS for r in g.rows) or not any(r.kind == CLASS for r in prev.rows):
        return False
    if not any(c.label for c in prev.cols):
        return False  # nothing above to carry down
    toks = g.above[0].toks
    text = toks[0].text if len(toks) == 1 else ""
    return toks[0].kind == TEXT and 0 < len(text.split()) <= 5 and not text.endswith(":") \
        and not any(ch.isdigit() for ch in text)


def _columns_under(cols: list[Column], above: list[Column]) -> list[tuple[Column, Column]] | None:
    """Each column paired with the column above it that it overlaps most; None when a
    column overlaps none (another table's grid)."""
    pairs = []
    for c in cols:
        ov, best = max(((min(c.end, p.end) - max(c.start, p.start), p) for p in above), key=lambda x: x[0])
        if ov <= 0:
            return None
        pairs.append((c, best))
    return pairs


def _header_like(r: Row, ivs: list[tuple[int, int]]) -> bool:
    """A text row that reads as column heads: two cells or more, one of them over a value
    column; a title or a sentence is one cell."""
    cells = [t for t in r.toks if t.start >= 0 and t.kind == TEXT]
    if len(cells) < 2:
        return False
    return any(min(t.end, b) - max(t.start, a) > 0 for t in cells for a, b in ivs)


def _class_columns(g: Group) -> None:
    """Classes as columns: two or more columns headed by class designations, the rows
    naming the measures. One such head alone is a header word, not a layout."""
    heads = [c for c in g.cols if c.klass]
    if len(heads) >= 2 and not any(r.kind == CLASS for r in g.rows) \
            and any(len(c.klass or "") > 1 for c in heads):  # column letters "A B C" are no classes
        return
    for c in heads:
        c.klass = None
        describe(c)


def _fix_total_columns(g: Group) -> None:
    """In a class table a column headed "Total" is the total distribution, not a pool."""
    _class_columns(g)
    if not any(r.kind == CLASS for r in g.rows):
        return
    for c in g.cols:
        if c.entity == "Total" and not c.matches:
            c.entity = None
            c.matches = lexicon().lookup_label(c.label)


def _is_label_header(text: str) -> bool:
    return text.strip().lower() in LABEL_HEADER_WORDS


# ---------------------------------------------------------------------- entry
def assemble(rows: list[Row], document: str, truncated: bool) -> Builder:
    """Everything a document's rows say, as typed views plus fields with provenance."""
    b = Builder(document)
    if truncated:
        _drop_cut_figure(rows, b)
    em = Emitter(b)
    em.issuance_lines(rows)
    groups = group_rows(rows, b)
    ctx = Ctx()
    prev: Group | None = None
    for gi, g in enumerate(groups, 1):
        g.index = gi
        build_columns(g, prev)
        if prev is not None and not g.head_label and not g.title and not g.above:
            g.head_label = prev.head_label  # the same heading goes on over a broken grid
        g.ctx = ctx = _ctx_for(g.title, ctx)
        if ctx.per1000 and _amounts_beyond_per1000(g):
            g.ctx = Ctx(ctx.title, ctx.period, False, ctx.delinquency)
        em.table(g)
        prev = g
    _deductions_as_amounts(b)
    _finish_classes(b)
    _refresh_unread(b)
    return b


def _refresh_unread(b: Builder) -> None:
    """Figures the arithmetic named after their table was described (a balance's period from
    the roll-forward, a total from principal + interest) are read: off the unread lists."""
    named: set[tuple[int, int, int | None, str]] = set()
    col_measures: dict[tuple[int, int | None], set[str]] = {}
    unnamed_class: set[int] = set()  # tables with a class figure no measure claimed
    for f in b.fields:
        if f["measure"]:
            named.add((f["table"], f["line"], f["column"], f["raw"]))
            col_measures.setdefault((f["table"], f["column"]), set()).add(f["measure"])
        elif f["scope"] == "class" and f["column"] is not None:
            unnamed_class.add(f["table"])
    for t in b.tables:
        t["unread"] = [u for u in t["unread"] if (t["table"], u["line"], u["column"], u["raw"]) not in named]
        for col in t["columns"]:
            got = col_measures.get((t["table"], col["column"]), set())
            if col["measure"] is None and len(got) == 1:
                col["measure"] = next(iter(got))
        if not t["confirmed"] and b.across.get(t["table"]) and all(c["measure"] for c in t["columns"]) \
                and t["table"] not in unnamed_class:
            # every column named, the balances by the class's roll-forward across tables
            t["confirmed"] = True
            t["identities"] = [*t["identities"], "beginning - principal = ending (across tables)"]
            t["confidence"] = max(t["confidence"] or 0.0, 0.75)


def _amounts_beyond_per1000(g: Group) -> bool:
    """A figure per $1,000 of original balance stays near 1,000 or below: a class table whose
    rows print balances in the hundreds of thousands is in dollars, and the "per $1,000" of
    its heading names one of its columns, not the table."""
    return any(_beyond_per1000(t) for r in g.rows if r.kind == CLASS for t in r.values)


def _beyond_per1000(t: Tok) -> bool:
    return t.num is not None and t.num.kind not in (PCT, NA) and t.num.value is not None and abs(t.num.value) >= 100_000


def _deductions_as_amounts(b: Builder) -> None:
    """Fees and losses a table prints in parentheses or with a minus, every non-zero one of
    them: the sign says "deducted" ("Less: Servicing Fee (100,437.19)", a Realized Losses
    column of "(12,345.67)"), and the amount is read without it. A table printing some of a
    measure's figures negative and others positive keeps every sign as printed (a recovery
    among losses)."""
    deductions = {name for name, m in lexicon().measures.items() if m.deduction}
    deductions |= {_PER1000[n] for n in deductions if n in _PER1000}
    by_table: dict[tuple[int, str], list[FieldRecord]] = {}
    for f in b.fields:
        if f["measure"] in deductions and isinstance(f["value"], (int, float)) and f["value"] != 0:
            by_table.setdefault((f["table"], f["measure"]), []).append(f)
    for (_, measure), fields in by_table.items():
        if any(f["value"] > 0 for f in fields):
            continue
        for f in fields:
            v = f["value"]
            f["value"] = -v
            scope, entity = f["scope"], f["entity"]
            # a class or pool figure names its class or pool
            if scope == "class":
                target = b.classes.get(cast(str, entity))
            elif scope == "pool":
                target = b.pools.get(cast(str, entity))
            elif scope == "deal":
                target = b.deal
            else:
                target = None
                for t in b.class_totals:
                    if t["measure"] == measure and t["value"] == v and t["line"] == f["line"]:
                        t["value"] = -v
            if target is not None and target.get(measure) == v:
                target[measure] = -v


def _drop_cut_figure(rows: list[Row], b: Builder) -> None:
    """A document cut part-way: its last figure may be cut too. Drop it when its precision
    differs from the report's (a cut '$40,400' in a report printed to the cent)."""
    decs: Counter[int] = Counter()
    for r in rows:
        for t in r.values:
            if t.kind == VALUE and t.num is not None and t.num.decimals is not None:
                decs[t.num.decimals] += 1
    if not decs:
        return
    mode = decs.most_common(1)[0][0]
    for r in reversed(rows):
        if not r.values:
            if r.toks:
                return
            continue
        last = r.values[-1]
        if r.toks and r.toks[-1] is not last:
            return
        n = last.num
        if last.kind == VALUE and n is not None and n.kind not in (ZERO,) and (n.kind == GARBLED or n.decimals != mode):
            # it keeps its cell (the figures before it keep theirs) but has no value
            cut = Tok(last.text, VALUE, last.start, last.end, last.line,
                      num=Number(None, NA, last.text, problem="cut off at the end of the document"))
            r.values[-1] = cut
            r.toks[-1] = cut
            b.warn(f"document ends part-way: its last figure {last.text!r} may be cut off and was not read")
        return


def _balance_by_arithmetic(b: Builder, c: dict[str, Any]) -> None:
    """A class balance printed with no period ("Class A-1 Principal Balance") is the
    beginning balance when it less the principal (and loss) is the printed ending balance,
    the ending one when the printed beginning less the principal is it; anything else
    stays unread."""
    cands = c.pop("_balances", None)
    if not cands:
        return
    p, loss = c.get("principal"), c.get("realized_loss") or 0
    beg, end = c.get("beginning_balance"), c.get("ending_balance")
    if not isinstance(p, (int, float)):
        return  # (with no principal paid the two balances are equal: either reading gives the same figure)
    places = {(b.fields[fi]["table"], b.fields[fi]["row"]) for _, fi in cands}
    if beg is None and end is None and len(cands) == 2 and len(places) == 2:
        # two period-less balances printed in two places that differ by the principal (and
        # loss) paid: the larger is the balance before the distribution, the smaller after
        (hi, fhi), (lo, flo) = sorted(cands, key=lambda x: -x[0])
        if abs(hi - p - loss - lo) < 0.011:
            c["beginning_balance"], c["ending_balance"] = hi, lo
            b.fields[fhi]["measure"], b.fields[flo]["measure"] = "beginning_balance", "ending_balance"
            _told(b, p, fhi, flo)
        return
    for value, fi in cands:
        if beg is None and isinstance(end, (int, float)) and abs(value - p - loss - end) < 0.011:
            c["beginning_balance"] = beg = value
            b.fields[fi]["measure"] = "beginning_balance"
            _told(b, p, fi)
        elif end is None and isinstance(beg, (int, float)) and abs(beg - p - loss - value) < 0.011:
            c["ending_balance"] = end = value
            b.fields[fi]["measure"] = "ending_balance"
            _told(b, p, fi)


def _told(b: Builder, principal: float, *fis: int) -> None:
    """A row with a principal paid tells the roll-forward; a row of none proves nothing."""
    if principal:
        for fi in fis:
            if b.fields[fi]["table"] is not None:
                b.across[b.fields[fi]["table"]] += 1


# what a class is due, taken as what it is paid where the report prints no payment at all
_DUE_FOR_PAID = (("principal", "principal_distributable"), ("interest", "interest_distributable"))


def _due_as_paid(b: Builder) -> None:
    """A report that prints what each class is due (principal or interest distributable) and
    no amount paid to any class pays what is due: the due amount is the payment, with a
    warning naming the label it came from."""
    for paid, due in _DUE_FOR_PAID:
        if any(c.get(paid) is not None for c in b.classes.values()):
            continue
        dues = {f["entity"]: f for f in b.fields if f["measure"] == due and f["scope"] == "class"
                and isinstance(f["value"], (int, float))}
        for name, c in b.classes.items():
            f = dues.get(name)
            if f is None:
                continue
            c[paid] = f["value"]
            b.warn(f"class {name}: {paid} read from \"{f['label']}\" (line {f['line']}): "
                   f"the report prints what is due and no {paid} paid")


def _total_by_arithmetic(b: Builder) -> None:
    """A column of class figures, unnamed or named as another measure, that equals each
    class's principal plus its interest (read in other columns) in every row where both are
    non-zero, is the total distribution: principal + interest = total across tables. A
    column is a grid column, or where rows were cut from a stream, a figure's place in its
    row."""
    if any(c.get("total_distribution") is not None for c in b.classes.values()):
        return
    place: dict[int, int] = {}
    seen: Counter[tuple[int, int | None]] = Counter()
    for i, f in enumerate(b.fields):
        if f["scope"] == "class" and f["column"] is not None and isinstance(f["value"], (int, float)):
            place[i] = seen[(f["table"], f["row"])]
            seen[(f["table"], f["row"])] += 1
    best: tuple[int, bool, tuple[int, int]] | None = None  # (figures covered, by place, key)
    for by_place in (False, True):
        # the figures in ``place`` are class figures in a column: their entity and column are set
        keys = {i: (f["table"], place[i] if by_place else cast(int, f["column"]))
                for i, f in enumerate(b.fields) if i in place}
        tally: dict[tuple[int, int], list[int]] = {}
        for i, k in keys.items():
            f = b.fields[i]
            if f["measure"] not in (None, "interest", "principal", "interest_distributable"):
                continue
            c = b.classes.get(cast(str, f["entity"]))
            if c is None or not c.get("principal") or not c.get("interest"):
                continue
            t = tally.setdefault(k, [0, 0])
            t[0 if abs(f["value"] - c["principal"] - c["interest"]) <= 0.015 else 1] += 1
        hits = [k for k, (ok, bad) in tally.items() if ok and not bad]
        if len(hits) == 1:
            covered = sum(1 for k in keys.values() if k == hits[0])
            if best is None or covered > best[0]:
                best = (covered, by_place, hits[0])
    if best is None:
        return
    _, by_place, hit = best
    for i, f in enumerate(b.fields):
        if i not in place or (f["table"], place[i] if by_place else f["column"]) != hit:
            continue
        c = b.classes.get(cast(str, f["entity"]))
        if c is None or c.get("total_distribution") is not None:
            continue
        old = f["measure"]
        f["measure"] = "total_distribution"
        c["total_distribution"] = f["value"]
        if old and c.get(old) == f["value"]:
            other = next((g["value"] for g in b.fields if g["entity"] == f["entity"] and g["measure"] == old
                          and g["scope"] == "class" and g is not f), None)
            c[old] = other
    b.warn(f"table {hit[0]}: {'figure ' if by_place else 'column '}{hit[1] + (1 if by_place else 0)} "
           "read as total distribution (principal + interest = total)")


def _finish_classes(b: Builder) -> None:
    notional_marks = {mark for mark, text in b.footnotes if re.search(r"notional", text, re.I)}
    _due_as_paid(b)
    _total_by_arithmetic(b)
    for name in list(b.classes):
        c = b.classes[name]
        parts = c.pop("_principal_parts", None)
        if parts and c.get("principal") is None:
            c["principal"] = round(sum(parts), 2)  # the principal paid in several allocations
        _balance_by_arithmetic(b, c)
        mark = c.pop("_mark", None)
        if mark and mark in notional_marks:
            c["notional"] = True
        if not any(c.get(k) is not None for k in _SUBSTANTIVE) and c.get("description") is None:
            del b.classes[name]


DIST_DATE_RE = re.compile(rf"(?:distribution|payment)\s+date\b[\s:|]*(?:of\s+|is\s+)?{_DATE_PAT}", re.I)
RECORD_DATE_RE = re.compile(rf"record\s+date\b[\s:|]*{_DATE_PAT}", re.I)
REPORT_DATE_RE = re.compile(rf"date\s+of\s+report\b[^:\n]{{0,40}}:?[\s|]*{_DATE_PAT}", re.I)
ACCRUAL_RE = re.compile(
    rf"accrual\s+period\b[^0-9A-Za-z]{{0,12}}(?:from\s*:?\s*|begin\w*\s*:?\s*)?{_DATE_PAT}"
    rf"\s*(?:-|\u2013|to|through|thru)\s*(?:to\s*:?\s*)?(?P<e>(?:\d{{1,2}}/\d{{1,2}}/\d{{2,4}})|(?:\d{{4}}-\d{{2}}-\d{{2}})|(?:\d{{1,2}}[- ][A-Za-z]{{3,9}}\.?[- ,]+\d{{2,4}})|(?:[A-Za-z]{{3,9}}\.?\s+\d{{1,2}},?\s+\d{{4}}))",
    re.I,
)
