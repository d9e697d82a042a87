"""Column models: what each column of a table means, from its header.

Positional tables (fixed-width text, HTML grids): header cells stack over the columns that
the figures themselves occupy. Streams (collapsed or flattened text) kept no positions:
there a column's meaning is recovered by anchoring a lexicon variant on the header word
that ends it ("Beginning ... Balance"), columns left to right, anchors left to right; the
rows of a stacked header then need not be known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from etl.parse import classes as cls
from etl.parse.dates import ANY_DATE_RE, parse_date
from etl.parse.measures import Match, Measure, lexicon
from etl.parse.tokens import Row, Tok, strip_lead_marker, value_type

_ENTITY_RE = re.compile(
    r"^(?:(?:loan\s+)?(?:pool|group|grp|sub-?pool|collateral\s+group|loan\s+group)\s*#?\s*([0-9]{1,2}[A-Z]?|[IVX]{1,4}[A-Z]?|[A-Z]))\b",
    re.I,
)
_TOTAL_RE = re.compile(r"^(?:total|totals|aggregate|all\s+pools|deal\s+total|total\s+pool|combined|grand\s+total)$", re.I)
_ACTIVITY_RE = re.compile(r"^(?:activity|change|net\s+change|increase/?\(?decrease\)?)$", re.I)
_LABEL_ANCHORS = frozenset({"class", "tranche", "classes"})
# Header words that read as a designation but name a measure or a unit.
_NOT_CLASS_HEADS = frozenset({"NA", "CUSIP", "AMOUNT", "RATE", "TOTAL", "FACTOR"})
LABEL_HEADER_WORDS = frozenset({"class", "classes", "tranche", "series", "certificate", "certificates",
                                "note", "notes", "securities", "bonds", "description"})

# How well a value type fits a measure type (1 fits, 0 does not).
_FIT: dict[str, dict[str, float]] = {
    "amount": {"amount": 1, "plain": 0.8, "zero": 1, "garbled": 1, "na": 0.6, "fraction": 0.6},
    "count": {"plain": 1, "amount": 0.7, "zero": 1, "na": 0.6},
    "rate": {"pct": 1, "plain": 0.8, "fraction": 0.8, "zero": 0.8, "na": 0.6, "garbled": 0.5},
    "pct": {"pct": 1, "plain": 0.6, "fraction": 0.6, "zero": 0.6, "na": 0.6},
    "factor": {"fraction": 1, "plain": 0.8, "zero": 0.8, "na": 0.6},
    "date": {"date": 1, "na": 0.5},
    "cusip": {"cusip": 1, "na": 1},
    "text": {"text": 1, "na": 0.5},
}


def fit(measure_type: str | None, vtype: str) -> float:
    if measure_type is None:
        return 0.5 if vtype not in ("cusip", "text", "date") else 0.3
    return _FIT.get(measure_type, {}).get(vtype, 0.0)


@dataclass
class Column:
    """One value column of a table."""

    start: int = -1
    end: int = -1
    label: str = ""
    matches: list[Match] = field(default_factory=list)
    entity: str | None = None
    date: str | None = None
    role: str | None = None
    per1000: bool = False
    vtype: str | None = None
    klass: str | None = None  # the class a column holds, in a table printed with classes as columns

    def measure_for(self, scope: str) -> Measure | None:
        for m in self.matches:
            if scope in m.measure.scopes:
                return m.measure
        return None

    @property
    def mtype(self) -> str | None:
        return self.matches[0].measure.type if self.matches else None


_DANGLING_RE = re.compile(r"(?i)\s+(?:as\s+of|as\s+at|at|on|for|of|ended|ending\s+on)$")


def describe(col: Column, loose: bool = True) -> None:
    """Fill entity, date, role hints and lexicon matches from ``col.label``; ``loose``: when
    no variant ends the label, accept one found anywhere in it."""
    lab = col.label.strip()
    lex = lexicon()
    if not lab:
        return
    m = _ENTITY_RE.match(lab)
    rest = lab
    k = None if m or _TOTAL_RE.match(lab) else cls.class_label(lab)
    if k is not None and k.designation.upper() not in _NOT_CLASS_HEADS:
        col.klass = k.designation
        return
    if m:
        col.entity = m.group(1).upper()
        rest = lab[m.end():].strip()
    elif _TOTAL_RE.match(lab):
        col.entity = "Total"
        rest = ""
    d = ANY_DATE_RE.search(rest)
    if d:
        col.date = parse_date(d.group(0))
        rest = (rest[: d.start()] + " " + rest[d.end():]).strip()
    if _ACTIVITY_RE.match(rest):
        col.role = "activity"
        rest = ""
    if lex.has_context(lab, "per_1000"):
        col.per1000 = True
        rest = re.split(r"(?i)\bper\b", rest)[0].strip() or rest
    # a label cut before its date ("Balance as of", the date printed in the row below)
    rest = _DANGLING_RE.sub("", rest).strip() or rest
    if rest and not (col.entity and rest.lower() in ("", "total")):
        col.matches = lex.lookup_label(rest)
        if not col.matches and col.entity is None and loose:
            # "Pool 1 Total" style headers carry no measure; others may be a whole phrase
            col.matches = [m for m in lex.lookup_label(rest, anchored=False) if m.score >= 20][:3]
        if col.matches and col.matches[0].measure.name == "balance" and col.role is None and col.date is None:
            # "Initial Outstanding Principal Amount": a bare balance whose label states its period
            for period in ("original", "beginning", "ending"):
                if lex.has_context(rest, period):
                    col.role = period
                    break
        if not col.matches and col.role is None and len(rest.split()) <= 4:
            # a column headed by its period alone ("Initial", "Beginning of Period", "End of
            # Period") holds that period's balances
            for period in ("original", "beginning", "ending"):
                if lex.has_context(rest, period):
                    col.role = period
                    col.matches = [Match(lex.measures["balance"], 10, False)]
                    break


def assign_date_roles(cols: list[Column]) -> None:
    """Two or more dated columns: the earliest holds beginning values, the latest ending."""
    dated = sorted({c.date for c in cols if c.date})
    if len(dated) < 2:
        return
    for c in cols:
        if c.date == dated[0]:
            c.role = "beginning"
        elif c.date == dated[-1]:
            c.role = "ending"


# ---------------------------------------------------------------- positional tables
def value_intervals(rows: list[Row]) -> list[tuple[int, int]]:
    """Column intervals from where the figures of ``rows`` are printed."""
    spans = sorted((t.start, t.end) for r in rows for t in r.values if t.start >= 0 and t.end > t.start)
    out: list[list[int]] = []
    for s, e in spans:
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(a, b) for a, b in out]


def column_of(tok: Tok, cols: list[Column], exact: bool = False) -> int | None:
    """The column a positioned token falls in (most overlap; for character columns also
    the nearest within two places, as hand-aligned text drifts)."""
    best, best_ov = None, 0
    for i, c in enumerate(cols):
        ov = min(tok.end, c.end) - max(tok.start, c.start)
        if ov > best_ov:
            best, best_ov = i, ov
    if best is not None or exact:
        return best
    for i, c in enumerate(cols):
        if abs(tok.end - c.end) <= 2 or abs(tok.start - c.start) <= 1:
            return i
    return None


def positional_columns(data: list[Row], header: list[Row],
                       ivs: list[tuple[int, int]] | None = None) -> tuple[list[Column], list[str]]:
    """Columns from the figures' intervals, labelled by the header cells stacked above them.

    Returns the columns and the header text over the row-label column ("Class").
    """
    cols = [Column(a, b) for a, b in (ivs if ivs is not None else value_intervals(data))]
    head_parts: list[str] = []
    if not cols:
        return cols, head_parts
    parts: list[list[str]] = [[] for _ in cols]
    own: list[list[str]] = [[] for _ in cols]  # header cells over this column alone
    spanned = [False] * len(cols)
    first = cols[0].start
    exact = any(r.table is not None for r in data)
    i: int | None  # a column's index; column_of's is None where the cell heads no column
    for hr in header:
        for t in hr.toks:
            if t.start < 0:
                continue
            if t.end <= first:
                head_parts.append(t.text)
                continue
            covered = [i for i, c in enumerate(cols) if t.start <= c.start and t.end >= c.end]
            if len(covered) > 1:
                for i in covered:
                    parts[i].append(t.text)
                    spanned[i] = True
                continue
            i = column_of(t, cols, exact)
            if i is not None:
                parts[i].append(t.text)
                own[i].append(t.text)
    for c, p, o, sp in zip(cols, parts, own, spanned, strict=True):
        c.label = " ".join(p)
        grouped = sp and bool(o)
        describe(c, loose=not grouped)
        if grouped and not c.matches and not c.entity:
            _describe_under_group(c, " ".join(x for x in p if x not in o), " ".join(o))
    assign_date_roles(cols)
    return cols, head_parts


def _describe_under_group(col: Column, group: str, own: str) -> None:
    """A column under a heading that spans several ("Current Distribution" over Principal,
    Interest and Total; "Certificate Balance" over Original, Beginning and Ending), whose
    stacked label read top-down names no measure: the heading may end the column's phrase
    ("Original" + "Certificate Balance") or only group the columns ("Interest")."""
    for label in (f"{own} {group}", own):
        alt = Column(col.start, col.end, label)
        describe(alt, loose=False)
        if alt.matches:
            col.label, col.matches = label, alt.matches
            col.date, col.role, col.per1000 = col.date or alt.date, col.role or alt.role, col.per1000 or alt.per1000
            return
    describe(col)


def header_overlaps(row: Row, data: list[Row], ivs: list[tuple[int, int]] | None = None) -> bool:
    """Does a text row sit over the value columns of ``data`` (a header, not a title)?"""
    if ivs is None:
        ivs = value_intervals(data)
    if not ivs:
        return False
    lo = ivs[0][0] - 2
    return any(t.start >= 0 and t.end > lo for t in row.toks)


# ---------------------------------------------------------------- streams
def profile(rows: list[Row]) -> list[str]:
    """Per-position value types of the most common row length among ``rows``."""
    lengths: dict[int, int] = {}
    for r in rows:
        lengths[len(r.values)] = lengths.get(len(r.values), 0) + 1
    if not lengths:
        return []
    n = max(lengths, key=lambda k: (lengths[k], k))
    types: list[str] = ["na"] * n
    for r in rows:
        if len(r.values) != n:
            continue
        for i, v in enumerate(r.values):
            vt = value_type(v)
            if types[i] in ("na", "zero", "garbled") or (types[i] == "plain" and vt in ("amount", "pct", "fraction")):
                types[i] = vt
    return types


def stream_class_columns(header: list[Tok], types: list[str]) -> tuple[list[Column], str]:
    """Columns of a stream class table: lexicon variants anchored on header words.

    Returns the columns and the title text (header words before the first one used).
    """
    lex = lexicon()
    words: list[str] = []
    owner: list[int] = []
    stops: list[int] = []  # word indices after which a sentence ended (title text)
    raw_index: list[int] = []  # of each word, the index of the printed word it came from in its token
    for ti, t in enumerate(header):
        text = ANY_DATE_RE.sub(" ", t.text)
        for ri, raw in enumerate(text.split()):
            for w in lex.normalize(raw):
                if words and words[-1] == "pass" and w == "through" and owner[-1] == ti:
                    words[-1] = "pass-through"
                    continue
                words.append(w)
                owner.append(ti)
                raw_index.append(ri)
            if raw.endswith((".", ":", ";")) and words and len(raw) > 3:
                stops.append(len(words))
    n, m = len(types), len(words)
    cols = [Column(vtype=t) for t in types]
    if not m or not n:
        return cols, " ".join(t.text for t in header)
    # Value columns' anchors come after the row-label column's own header ("Class"),
    # which starts the bottom header row in most stacked headers.
    lo = 0
    for i in range(m - 1, -1, -1):
        if words[i] in _LABEL_ANCHORS and m - i - 1 >= min(n, 2):
            lo = i + 1
            break
    # A sentence ending before the header ("...to Certificateholders.") closes the title.
    h0 = max((x for x in stops if x <= max(lo - 1, 0)), default=0)
    if h0:
        words, owner = [""] * h0 + words[h0:], owner
    # In a flattened stacked header, the words of one column's label sit about one header
    # row apart (a row holds about one cell per column).
    row_len = n + 1
    multi_tok = len(header) > 1
    # candidates[j][a]: (score, phrase, measure) for column j anchored at word a
    cand: list[dict[int, list[tuple[float, tuple[str, ...], Measure]]]] = [dict() for _ in range(n)]
    geo = _Geometry(words, owner, row_len, multi_tok)
    a: int | None  # an anchor word; in a column's choice below, None where the column has none
    for a in range(lo, m):
        phrases = lex.by_last.get(words[a], ())
        for phrase, meas in phrases:
            if "class" not in meas.scopes:
                continue
            got = geo.place(phrase, a, frozenset())
            if got is None:
                continue
            base = len(phrase) * 10 - got[1]
            for j in range(n):
                f = fit(meas.type, types[j])
                if f > 0:
                    cand[j].setdefault(a, []).append((base * f, phrase, meas))
    # DP over columns: anchors strictly increasing.
    neg = float("-inf")
    dp: dict[int, tuple[float, list[int | None]]] = {-1: (0.0, [])}
    for j in range(n):
        ndp: dict[int, tuple[float, list[int | None]]] = {}
        for last, (sc, ch) in dp.items():
            key = last
            val = sc - 1.0
            if ndp.get(key, (neg,))[0] < val:
                ndp[key] = (val, [*ch, None])
            for a, lst in cand[j].items():
                if a <= last:
                    continue
                best = max(x[0] for x in lst)
                val = sc + best
                if ndp.get(a, (neg,))[0] < val:
                    ndp[a] = (val, [*ch, a])
        dp = ndp
    _, choice = max(dp.values(), key=lambda x: x[0])
    used: set[int] = set()
    first_used = m
    for j, a in enumerate(choice):
        if a is None:
            continue
        # Now, left to right, each header word serves one column only.
        best_opt: tuple[float, list[int], Measure] | None = None
        for score, phrase, meas in cand[j][a]:
            got = geo.place(phrase, a, frozenset(used))
            if got is None:
                continue
            pos, pen = got
            sc = (len(phrase) * 10 - pen) * (score / max(1e-9, len(phrase) * 10 - (geo.place(phrase, a, frozenset()) or ([], 0.0))[1]))
            if best_opt is None or sc > best_opt[0] + 1e-9:
                best_opt = (sc, pos, meas)
        if best_opt is None:
            continue
        score, pos, meas = best_opt
        used.update(pos)
        first_used = min(first_used, *pos)
        col = cols[j]
        col.label = " ".join(header[owner[p]].text if p == a else words[p] for p in pos)
        col.matches = [Match(meas, int(score), False)]
        anchor_tok = header[owner[a]]
        col.date = anchor_tok.date or parse_date(anchor_tok.text)
    if not multi_tok:
        # the header begins at the first word a column's measure placed: words before it title the table
        _relabel_by_runs(cols, words, choice, types, max(h0, min(first_used, m)))
    # "per $1,000" printed in a column's stretch of header (or in the title) makes that
    # column a per-$1,000 amount, never dollars.
    per = [lex.has_context(t.text, "per_1000") for t in header]
    title_end = owner[first_used] if first_used < m else len(header)
    in_title = any(per[:title_end])
    prev_tok = -1
    for j, a in enumerate(choice):
        if a is None:
            continue
        tok = owner[a]
        if in_title or any(per[prev_tok + 1: tok + 1]):
            cols[j].per1000 = True
        prev_tok = tok
    assign_date_roles(cols)
    if not multi_tok and first_used < m:
        printed = ANY_DATE_RE.sub(" ", header[0].text).split()
        return cols, " ".join(printed[: raw_index[first_used]])
    title_toks = sorted({owner[p] for p in range(first_used)}) if first_used < m else list(range(len(header)))
    title = " ".join(header[i].text for i in title_toks)
    return cols, title


def _relabel_by_runs(cols: list[Column], words: list[str], choice: list[int | None], types: list[str],
                     h0: int) -> None:
    """Word streams: give each header word above the bottom row to one column so that
    each header row reads left to right (at most three rows), then read each column's
    stacked label against the lexicon."""
    lex = lexicon()
    anchored = [(j, a) for j, a in enumerate(choice) if a is not None]
    if not anchored:
        return
    first = min(a for _, a in anchored)
    # bottom-row words between two anchors belong to the later column's cell ("Int Rate")
    bottom: dict[int, list[int]] = {}
    prev = first - 1
    for j, a in anchored:
        bottom[j] = [i for i in range(prev + 1, a) if words[i] and words[i] not in _LABEL_ANCHORS] + [a]
        prev = a
    bottom[anchored[0][0]] = [anchored[0][1]]
    upper = [i for i in range(h0, first) if words[i] and words[i] not in _LABEL_ANCHORS]
    if not upper:
        return
    mods: list[set[str]] = []
    for j, a in anchored:
        ws: set[str] = set()
        for phrase, meas in lex.by_last.get(words[a], ()):
            if "class" in meas.scopes and fit(meas.type, types[j]) > 0:
                ws.update(phrase[:-1])
        mods.append(ws)
    k = len(anchored)
    # state: (run, last column) -> (score, assignment)
    states: dict[tuple[int, int], tuple[float, tuple[int, ...]]] = {(0, -1): (0.0, ())}
    for i in upper:
        w = words[i]
        new: dict[tuple[int, int], tuple[float, tuple[int, ...]]] = {}
        for (r, c), (sc, asg) in states.items():
            moves = [((r, c), sc, -1)]
            for c2 in range(k):
                if w not in mods[c2]:
                    continue
                if c2 >= max(c, 0):
                    moves.append(((r, c2), sc + 1.0 - (0.3 if c2 == c else 0.0), c2))
                if r < 2:
                    moves.append(((r + 1, c2), sc + 0.5, c2))
            for key, val, col in moves:
                if key not in new or val > new[key][0]:
                    new[key] = (val, (*asg, col))
        states = new
    _, best = max(states.values(), key=lambda x: x[0])
    extra: dict[int, list[int]] = {}
    for i, c in zip(upper, best, strict=True):
        if c >= 0:
            extra.setdefault(anchored[c][0], []).append(i)
    for j, _a in anchored:
        ids = extra.get(j, []) + bottom[j]
        label = tuple(words[i] for i in ids)
        found = [m for m in lex.lookup(label) if "class" in m.measure.scopes and fit(m.measure.type, types[j]) > 0]
        if found:
            cols[j].matches = found[:1]
            cols[j].label = " ".join(label)


class _Geometry:
    """Where a lexicon variant's words can sit in a flattened stacked header.

    Words of one column's label are one header row apart (about one cell per column), or
    side by side in one cell; two words a fraction of a row apart belong to different
    columns of the same row, so a variant needing that is not placed.
    """

    def __init__(self, words: list[str], owner: list[int], row_len: int, multi_tok: bool) -> None:
        self.words, self.owner, self.row_len, self.multi_tok = words, owner, row_len, multi_tok
        self.at: dict[str, list[int]] = {}
        for i, w in enumerate(words):
            self.at.setdefault(w, []).append(i)

    def _pair(self, p: int, q: int) -> float | None:
        if q == p + 1 and self.owner[p] == self.owner[q]:
            return 0.0
        cells = self.multi_tok and self.owner[q] != self.owner[p]
        gap = (self.owner[q] - self.owner[p]) if cells else (q - p)
        if cells and gap * 2 < self.row_len:
            return None
        return 10.0 * min(1.0, abs(gap - self.row_len) / self.row_len)

    def place(self, phrase: tuple[str, ...], a: int, used: frozenset[int]) -> tuple[list[int], float] | None:
        """Best positions for ``phrase`` ending at word ``a``, and their penalty."""
        if self.words[a] != phrase[-1]:
            return None
        # best[pos] = (penalty, positions) for the suffix of the phrase starting at pos
        best: dict[int, tuple[float, list[int]]] = {a: (0.0, [a])}
        for w in reversed(phrase[:-1]):
            nxt: dict[int, tuple[float, list[int]]] = {}
            for p in self.at.get(w, ()):
                cost_used = 15.0 if p in used else 0.0
                for q, (pen, pos) in best.items():
                    if p >= q:
                        continue
                    pp = self._pair(p, q)
                    if pp is None:
                        continue
                    tot = pen + pp + cost_used
                    if p not in nxt or tot < nxt[p][0]:
                        nxt[p] = (tot, [p, *pos])
            if not nxt:
                return None
            best = nxt
        pen, pos = min(best.values(), key=lambda x: x[0])
        return pos, pen


def _label_head_index(cells: list[Tok]) -> int | None:
    """Index of the last header cell that heads the row-label column ("Class", "Tranche")."""
    lex = lexicon()
    for i in range(len(cells) - 1, -1, -1):
        if lex.normalize(cells[i].text) in (("class",), ("tranche",), ("classes",), ("series",)):
            return i
    return None


def one_cell_per_column(header: list[Tok], n: int) -> bool:
    """The header is one row, led by the row-label head, with exactly one cell per value column."""
    cells = [t for t in header if t.text.strip()]
    return _label_head_index(cells) == 0 and len(cells) == n + 1


def _label_score(words: list[str], vtype: str) -> float:
    """How well a stacked label reads as a class measure fitting its figures (0: not at all)."""
    if not words:
        return 0.0
    c = Column(label=" ".join(words), vtype=vtype)
    describe(c, loose=False)
    if c.klass:
        return 0.0
    got = [m for m in c.matches if "class" in m.measure.scopes and fit(m.measure.type, vtype) > 0]
    return float(got[0].score) if got else (5.0 if c.date is not None or c.role else 0.0)


def stacked_line_columns(lines: list[str], types: list[str]) -> tuple[list[Column], str] | None:
    """Columns of a header stacked over two or three lines of single-spaced words (whitespace
    squeezed, line ends kept): the line led by the row-label head ("Class") has one word per
    column; each line below gives its words to distinct columns left to right, where the
    lexicon reads the stacked labels best ("Certificate" / "Pass-Through" / "Rate").
    None when no line has that shape."""
    lex = lexicon()
    n = len(types)
    rows = [ln.split() for ln in lines]
    top = next((k for k in range(len(rows) - 1, -1, -1) if rows[k] and len(rows[k]) == n + 1
                and lex.normalize(rows[k][0]) in (("class",), ("tranche",), ("classes",), ("series",))), None)
    if top is None or not 1 <= len(rows) - top - 1 <= 2:
        return None
    labels = [[w] for w in rows[top][1:]]
    for words in rows[top + 1:]:
        r = len(words)
        if r == 0 or r > n:
            return None
        # dp over (words placed, columns passed): best gain; a word goes to one column, in order
        neg = float("-inf")
        dp = [[neg] * (n + 1) for _ in range(r + 1)]
        back: list[list[int]] = [[0] * (n + 1) for _ in range(r + 1)]
        for j in range(n + 1):
            dp[0][j] = 0.0
        for i in range(1, r + 1):
            for j in range(i, n + 1):
                skip = dp[i][j - 1]
                c = j - 1
                gain = _label_score(labels[c] + [words[i - 1]], types[c]) - _label_score(labels[c], types[c])
                take = dp[i - 1][j - 1] + gain + 0.01 * j  # ties: toward the right, as stacked heads sit
                if take >= skip:
                    dp[i][j], back[i][j] = take, 1
                else:
                    dp[i][j], back[i][j] = skip, 0
        i, j = r, n
        placed: dict[int, str] = {}
        while i > 0 and j > 0:
            if back[i][j] == 1:
                placed[j - 1] = words[i - 1]
                i, j = i - 1, j - 1
            else:
                j -= 1
        for c, w in placed.items():
            labels[c].append(w)
    cols: list[Column] = []
    for j in range(n):
        col = Column(label=" ".join(labels[j]), vtype=types[j])
        describe(col)
        col.matches = [m for m in col.matches if "class" in m.measure.scopes and fit(m.measure.type, types[j]) > 0]
        cols.append(col)
    assign_date_roles(cols)
    return cols, "\n".join(lines[:top])


def stream_cell_columns(header: list[Tok], types: list[str]) -> tuple[list[Column], str] | None:
    """Columns of a flattened (one cell per line) stacked header, rows right-aligned.

    The row-label header ("Class") starts a full row of cells; cells before it are the
    rows above, cells after it the rows below, each ending on the last column, as HTML
    tables with a row-spanning first column flatten. None when that shape does not fit.
    """
    lex = lexicon()
    n = len(types)
    ncols = n + 1
    cells = [t for t in header if t.text.strip()]
    idx = _label_head_index(cells)
    if idx is None or idx + ncols > len(cells):
        return None
    rows: list[list[Tok]] = []
    upper = cells[:idx]
    title_cells: list[Tok] = []
    while upper and len(rows) < 3:
        take = upper[-(ncols - 1):] if len(upper) > ncols - 1 else upper
        rows.insert(0, take)
        upper = upper[: len(upper) - len(take)]
    title_cells = upper
    rows.append(cells[idx: idx + ncols])
    lower = cells[idx + ncols:]
    if len(lower) > ncols:
        return None
    if lower:
        rows.append(lower)
    parts: list[list[Tok]] = [[] for _ in range(ncols)]
    for r in rows:
        off = ncols - len(r)
        for i, t in enumerate(r):
            parts[off + i].append(t)
    cols: list[Column] = []
    for j in range(n):
        toks = parts[j + 1]
        c = Column(label=" ".join(t.text for t in toks), vtype=types[j])
        describe(c)
        if c.matches:
            fitting = [m for m in c.matches if "class" in m.measure.scopes and fit(m.measure.type, types[j]) > 0]
            c.matches = fitting
        if c.date is None:
            c.date = next((t.date for t in toks if t.date), None)
        cols.append(c)
    assign_date_roles(cols)
    per_title = any(lex.has_context(t.text, "per_1000") for t in title_cells)
    if per_title:
        for c in cols:
            c.per1000 = True
    return cols, " ".join(t.text for t in title_cells)


def stream_dated_band_columns(header: list[Tok], types: list[str]) -> tuple[list[Column], str] | None:
    """Columns of a flattened header whose bottom row dates every column and whose row above
    names runs of columns ("Balance as of" over two dates): each name spans the run of
    columns that its measure fits best, as a lost colspan would have. None when that shape
    does not fit."""
    n = len(types)
    cells = [t for t in header if t.text.strip()]
    if n < 2 or len(cells) < n + 1:
        return None
    bottom = cells[-n:]
    dates = [t.date or parse_date(t.text) for t in bottom]
    if not all(dates) or len(set(dates)) < 2:
        return None
    upper: list[Tok] = []
    for t in reversed(cells[:-n]):
        if t.mark or strip_lead_marker(t.text) != t.text or parse_date(t.text) or len(upper) == n:
            break  # an item heading ("B. Bond Balances") titles the table
        upper.insert(0, t)
    k = len(upper)
    if not k:
        return None
    named = []
    for t in upper:
        c = Column(label=t.text)
        describe(c)
        named.append(c)
    if not all(c.matches for c in named):
        return None

    @cache
    def best(i: int, j: int) -> tuple[float, tuple[int, ...]]:
        """Best fit of upper cells [i:] over columns [j:]: (score, run length of each cell)."""
        if i == k:
            return (0.0, ()) if j == n else (float("-inf"), ())
        out: tuple[float, tuple[int, ...]] = (float("-inf"), ())
        # a column the name's measure does not fit costs; between equal fits the earlier
        # name takes the longer run
        for run in range(n - j - (k - i - 1), 0, -1):
            sc = sum(fit(named[i].mtype, types[c]) or -1.0 for c in range(j, j + run))
            rest, runs = best(i + 1, j + run)
            if sc + rest > out[0]:
                out = (sc + rest, (run, *runs))
        return out

    score, runs = best(0, 0)
    if score <= 0:
        return None
    cols: list[Column] = []
    for cell, run in zip(named, runs, strict=True):
        for _ in range(run):
            j = len(cols)
            cols.append(Column(label=f"{cell.label} {bottom[j].text}", matches=list(cell.matches), vtype=types[j],
                               date=dates[j], per1000=cell.per1000, entity=cell.entity))
    # the earliest and latest dates under one name are its beginning and ending
    for cell in named:
        group = [c for c in cols if c.label.startswith(cell.label + " ")]
        assign_date_roles(group)
    title = " ".join(t.text for t in cells[: len(cells) - n - k])
    return cols, title


def stream_segment_columns(header: list[Tok], types: list[str]) -> tuple[list[Column], str] | None:
    """Columns of a flattened header whose cells run column by column (each column's
    stacked words one after another): the cells after the title, cut into one contiguous
    run per column so that the most runs read as a measure that fits the column's figures."""
    lex = lexicon()
    n = len(types)
    cells = [t for t in header if t.text.strip() and t.text.strip().lower() not in LABEL_HEADER_WORDS][-24:]
    m = len(cells)
    if n == 0 or m < n:
        return None

    @cache
    def seg(a: int, b: int, j: int) -> tuple[float, Match | None]:
        label = " ".join(c.text for c in cells[a:b])
        # a column of percentages is a rate or a share: left unnamed, the cut pays for it
        best: tuple[float, Match | None] = (-1.0 if types[j] == "pct" else 0.0, None)
        for mt in lex.lookup_label(label):
            if "class" in mt.measure.scopes and fit(mt.measure.type, types[j]) > 0:
                sc = (2.0 if mt.exact else 1.0) + 0.1 * (b - a)
                if sc > best[0]:
                    best = (sc, mt)
        return best

    # dp[j][i]: best score with columns [:j] labelled by cells [start:i]
    neg = float("-inf")
    best_total, best_plan = neg, None
    for start in range(0, m - n + 1):
        dp: list[dict[int, tuple[float, list[tuple[int, int]]]]] = [{start: (0.0, [])}]
        for j in range(n):
            nxt: dict[int, tuple[float, list[tuple[int, int]]]] = {}
            for i, (sc, plan) in dp[j].items():
                for e in range(i + 1, m - (n - j - 1) + 1):
                    v = sc + seg(i, e, j)[0]
                    if e not in nxt or v > nxt[e][0]:
                        nxt[e] = (v, [*plan, (i, e)])
            dp.append(nxt)
        if m in dp[n] and dp[n][m][0] > best_total:
            best_total, best_plan = dp[n][m][0], (start, dp[n][m][1])
    if best_plan is None or best_total <= 0:
        return None
    start, plan = best_plan
    cols: list[Column] = []
    for j, (a, b) in enumerate(plan):
        c = Column(label=" ".join(t.text for t in cells[a:b]), vtype=types[j])
        got = seg(a, b, j)[1]
        if got is not None:
            c.matches = [got]
        cols.append(c)
    return cols, " ".join(t.text for t in cells[:start])


def _quality(cols: list[Column]) -> int:
    """Columns read as a measure that fits their figures (a bare "balance" with no period
    to say which one is not read)."""
    return sum(1 for c in cols if c.matches and fit(c.mtype, c.vtype or "na") > 0
               and not (c.matches[0].measure.name == "balance" and c.role is None and c.date is None))


def stream_label_columns(header: list[Tok], n: int) -> list[Column]:
    """Columns of a stream label table (pools side by side, dated balances): the last
    ``n`` header cells name the columns."""
    cells = [t for t in header if t.text.strip()]
    tail = cells[-n:] if n else []
    # classes as columns ("Class A-1 | Class A-2 | ... | Total"): the figures start under the
    # first class, and a row with fewer figures than heads ends early (a rate has no total,
    # a cut row stops): aligned on the right, it would give each figure to the next class
    first = next((i for i in range(len(cells) - 1) if cls.class_label(cells[i].text) is not None
                  and cls.class_label(cells[i + 1].text) is not None), None)
    if first is not None and n and len(cells) - first > n:
        tail = cells[first:first + n]
    cols = [Column() for _ in range(n - len(tail))]
    for t in tail:
        c = Column(label=t.text)
        describe(c)
        if c.date is None and t.date:
            c.date = t.date
        cols.append(c)
    assign_date_roles(cols)
    return cols


def align(values: list[Tok], cols: list[Column]) -> list[tuple[int, Tok]]:
    """Values in header order to columns, leaving blanks where types say a cell is empty."""
    nv, nc = len(values), len(cols)
    if nv == 0 or nc == 0:
        return []
    if nv == nc:
        ok = all(fit(c.mtype or _vt_to_mt(c.vtype), value_type(v)) > 0 for v, c in zip(values, cols, strict=True))
        if ok:
            return list(enumerate(values))
    inf = float("inf")
    vts = [value_type(v) for v in values]

    def cost(i: int, j: int) -> float:
        c = cols[j]
        mt = c.mtype or _vt_to_mt(c.vtype)
        f = fit(mt, vts[i])
        if c.vtype and c.mtype is None:
            f = max(f, 1.0 if c.vtype == vts[i] else 0.0)
        return inf if f <= 0 else (1 - f)

    def skip(j: int) -> float:
        c = cols[j]
        if c.role == "activity":
            return 0.3
        if c.label and _TOTAL_RE.match(c.label.strip()):
            return 0.5  # a row of rates or dates has no total: its total's cell is the one left empty
        return 1.0 if (c.matches or c.entity or c.date) else 0.6

    # dp[i][j] = min cost placing values[:i] in cols[:j]
    dp = [[inf] * (nc + 1) for _ in range(nv + 1)]
    back: list[list[int]] = [[0] * (nc + 1) for _ in range(nv + 1)]
    dp[0][0] = 0.0
    for j in range(1, nc + 1):
        dp[0][j] = dp[0][j - 1] + skip(j - 1)
        back[0][j] = 1
    for i in range(1, nv + 1):
        for j in range(1, nc + 1):
            a = dp[i - 1][j - 1] + cost(i - 1, j - 1)
            b = dp[i][j - 1] + skip(j - 1)
            if a < b - 1e-9:  # a tie leaves the later cell empty: short rows end early
                dp[i][j], back[i][j] = a, 0
            else:
                dp[i][j], back[i][j] = b, 1
    if dp[nv][nc] == inf:
        return list(enumerate(values[:nc]))
    out: list[tuple[int, Tok]] = []
    i, j = nv, nc
    while i > 0 and j > 0:
        if back[i][j] == 0:
            out.append((j - 1, values[i - 1]))
            i, j = i - 1, j - 1
        else:
            j -= 1
    out.reverse()
    return out


def _vt_to_mt(vt: str | None) -> str | None:
    return {"amount": "amount", "pct": "rate", "fraction": "factor", "cusip": "cusip", "text": "text",
            "date": "date", "plain": None}.get(vt or "")
