"""Which column of a class table holds which measure, decided by the arithmetic every class
row obeys, with the header's words breaking the ties the arithmetic leaves.

Header words alone misread tables whose header was lost, split or worded unusually. But
class rows obey identities: beginning − principal (− realized loss) = ending, principal +
interest = total distribution. A reading (an assignment of columns to measures) is
*confirmed* when the identities it implies hold on the rows that can tell (rows of zeros
prove nothing); where the header's reading fails an identity that another assignment of
the same columns satisfies, the arithmetic wins. Symmetric identities cannot swap roles:
the sum side of an identity is fixed by it, and between the two addends the header's
words, then the larger total (balances outweigh payments), decide.

Rows that do not conform as printed (interest-only notional classes, an
overcollateralisation class that grows, deferred interest) keep the table's reading and
are reported, never forced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from etl.parse.numbers import NA, PCT

if TYPE_CHECKING:
    from etl.parse.tokens import Row, Tok

# The measures the identities speak of.
BAL_ID = ("beginning_balance", "principal", "ending_balance")
LOSS_ID = ("beginning_balance", "principal", "realized_loss", "ending_balance")
DIST_ID = ("principal", "interest", "total_distribution")
_AMOUNT_MEASURES = frozenset({
    "original_balance", "beginning_balance", "principal", "interest", "total_distribution",
    "realized_loss", "ending_balance", "interest_distributable", "carryforward_interest",
    "interest_shortfall", "prepayment_interest_shortfall", "basis_risk_shortfall",
    "cumulative_realized_loss", "remittance_amount",
})
# Conforming rows a reading needs before the arithmetic may override the header.
_MIN_INFORMATIVE = 1
_MAX_COLUMNS = 14


@dataclass
class Reading:
    """The outcome for one table: measure per column, what confirmed it, what changed."""

    measures: dict[int, str | None]
    identities: list[str] = field(default_factory=list)
    confirmed: bool = False
    confidence: float = 0.0
    changed: dict[int, tuple[str | None, str]] = field(default_factory=dict)
    nonconforming: list[str] = field(default_factory=list)


def _tol(values: list[float], whole: bool) -> float:
    # whole-dollar reports round each figure: a sum of k rounded figures may be off by k/2
    return 0.5 * len(values) + 0.01 if whole else 0.005 * len(values) + 0.001


def _amount(tok: Tok | None) -> float | None:
    num = getattr(tok, "num", None)
    if num is None or num.value is None or num.kind in (PCT, NA):
        return None
    return float(num.value)


class _Matrix:
    """Figures of the class rows by column: rows[r][c] (None where nothing is printed)."""

    def __init__(self, rows: list[tuple[str, dict[int, Tok]]]) -> None:
        self.names = [n for n, _ in rows]
        self.cols = sorted({c for _, cells in rows for c in cells})
        self.val: list[dict[int, float]] = []
        self.decimals: dict[int, bool] = {}  # a column printing decimals in every figure
        whole = True
        for _, cells in rows:
            d: dict[int, float] = {}
            for c, tok in cells.items():
                v = _amount(tok)
                if v is not None:
                    d[c] = v
                    n = getattr(tok, "num", None)
                    if n is not None and n.decimals:
                        whole = False
                    self.decimals[c] = self.decimals.get(c, True) and bool(n is not None and n.decimals
                                                                            and n.decimals >= 2)
            self.val.append(d)
        self.whole = whole
        self.amount_cols = [c for c in self.cols if sum(1 for d in self.val if c in d) * 2 >= len(self.val)]

    def check(self, sum_col: int, parts: tuple[int, ...], signs: tuple[int, ...]) -> tuple[int, int, list[int]]:
        """(rows that hold and tell, rows that fail, failing rows) of sum = Σ sign·part."""
        ok = bad = 0
        failing: list[int] = []
        for r, d in enumerate(self.val):
            if sum_col not in d or any(p not in d for p in parts):
                continue
            vals = [d[p] for p in parts]
            if all(v == 0 for v in vals) and d[sum_col] == 0:
                continue  # zeros prove nothing
            resid = d[sum_col] - sum(s * v for s, v in zip(signs, vals, strict=True))
            if abs(resid) <= _tol([d[sum_col], *vals], self.whole):
                if sum(1 for v in vals if v != 0) >= 2:
                    ok += 1  # a row with one non-zero addend only says two columns are equal
            else:
                bad += 1
                failing.append(r)
        return ok, bad, failing

    def total(self, c: int) -> float:
        return sum(abs(d.get(c, 0.0)) for d in self.val)


def _holds(ok: int, bad: int) -> bool:
    return ok >= _MIN_INFORMATIVE and ok >= 2 * bad


def read_class_table(rows: list[tuple[str, dict[int, Tok]]], header: dict[int, str | None]) -> Reading:
    """The reading of one class table.

    ``rows``: (class name, {column: token}) per class row; ``header``: the measure the
    header's words give each column (None where they give none).
    """
    m = _Matrix(rows)
    reading = _read(m, header)
    _rate_by_type(m, rows, reading)
    _rate_by_sum(rows, reading)
    _total_above_interest(m, reading)
    return reading


def _pct_value(tok: Tok | None) -> float | None:
    num = getattr(tok, "num", None)
    return float(num.value) if num is not None and num.kind == PCT and num.value is not None else None


def _rate_by_sum(rows: list[tuple[str, dict[int, Tok]]], reading: Reading) -> None:
    """A floating coupon is printed with its parts: base rate + margin = coupon. Where one
    percentage column is the sum of two others in every row that prints them (one row at
    least with both parts non-zero), that column is the class's rate, not the base beside it."""
    cols = sorted({c for _, cells in rows for c, t in cells.items() if _pct_value(t) is not None})
    if len(cols) < 3:
        return
    for t in cols:
        for a in cols:
            for b in cols:
                if len({t, a, b}) < 3 or a > b:
                    continue
                ok = bad = 0
                for _, cells in rows:
                    vt, va, vb = (_pct_value(cells.get(c)) for c in (t, a, b))
                    if vt is None or va is None or vb is None:
                        continue
                    if abs(vt - va - vb) <= 0.00051:
                        ok += bool(va and vb)
                    else:
                        bad += 1
                if ok >= 1 and bad == 0:
                    names = reading.measures
                    for c in (a, b):
                        if names.get(c) == "pass_through_rate":
                            names[c] = None
                            reading.changed[c] = ("pass_through_rate", "")
                    if names.get(t) != "pass_through_rate":
                        reading.changed[t] = (names.get(t), "pass_through_rate")
                        names[t] = "pass_through_rate"
                    reading.identities.append("base rate + margin = coupon")
                    return


def _rate_by_type(m: _Matrix, rows: list[tuple[str, dict[int, Tok]]], reading: Reading) -> None:
    """A rate is printed as a percentage and is never over 20: where the words gave the rate
    to a column of no percentages holding a figure no rate can be, and one unnamed column
    prints percentages in every row, that column is the rate."""
    names = reading.measures
    rate = next((c for c, v in names.items() if v == "pass_through_rate"), None)
    if rate is None:
        return
    if any(_pct(cells.get(rate)) for _, cells in rows) or not any(d.get(rate, 0) > 20 for d in m.val):
        return
    pcts = [c for c in {c for _, cells in rows for c in cells} if names.get(c) is None
            and all(_pct(cells.get(c)) for _, cells in rows)]
    if len(pcts) == 1:
        names[rate], names[pcts[0]] = None, "pass_through_rate"
        reading.changed[rate] = ("pass_through_rate", "")
        reading.changed[pcts[0]] = (None, "pass_through_rate")


def _pct(tok: Tok | None) -> bool:
    num = getattr(tok, "num", None)
    return num is not None and num.kind == PCT


def _total_above_interest(m: _Matrix, reading: Reading) -> None:
    """A class's total distribution is its principal plus its interest, never less than the
    interest, and equal to it where no principal is paid: where the column read as total is
    the smaller of the two in most rows where they differ, and the two are equal in some row
    or differ by the principal, they were swapped."""
    by = {v: k for k, v in reading.measures.items() if v is not None}
    i, t = by.get("interest"), by.get("total_distribution")
    if i is None or t is None or not _larger_in_most_rows(m, i, t):
        return
    p = by.get("principal")
    if not any(d.get(i) and d.get(t) is not None and (
            abs(d[i] - d[t]) <= 0.01 or (p is not None and d.get(p) and abs(d[i] - d[t] - d[p]) <= 0.02))
            for d in m.val):
        return
    reading.measures[i], reading.measures[t] = "total_distribution", "interest"
    reading.changed[i] = ("interest", "total_distribution")
    reading.changed[t] = ("total_distribution", "interest")


def _read(m: _Matrix, header: dict[int, str | None]) -> Reading:
    reading = Reading(measures=dict(header))
    cols = [c for c in m.amount_cols if header.get(c) in _AMOUNT_MEASURES or header.get(c) is None]
    if len(m.val) < 1 or len(cols) < 3 or len(cols) > _MAX_COLUMNS:
        reading.confirmed = _header_confirmed(m, header, reading)
        reading.confirmed = reading.confirmed and all(header.get(c) is not None for c in m.amount_cols)
        return reading

    # 1. The header's own reading: which identities does it satisfy?
    words_only = Reading(measures=dict(header))
    words_only.confirmed = _header_confirmed(m, header, words_only)
    if words_only.confirmed and words_only.identities and all(header.get(c) for c in cols) \
            and len(words_only.identities) >= 2:
        # the words name every column and both identities hold: nothing for a search to add
        reading.identities, reading.nonconforming = words_only.identities, words_only.nonconforming
        reading.confirmed, reading.confidence = True, words_only.confidence
        return reading
    # 2. Every sum identity the columns satisfy: sum column = addend + addend.
    triples: list[tuple[int, int, int, int]] = []  # (sum, a, b, rows that tell)
    for t in cols:
        for a in cols:
            for b in cols:
                if len({t, a, b}) < 3 or a > b:
                    continue
                ok, bad, _ = m.check(t, (a, b), (1, 1))
                if _holds(ok, bad):
                    triples.append((t, a, b, ok))
    assign = _roles_from_triples(triples, header, m, cols)
    if words_only.confirmed and words_only.identities:
        # the words' reading holds where it can be checked: the arithmetic only adds what the
        # words did not check (a distribution identity over columns the words misnamed)
        by = {v: k for k, v in header.items() if v is not None}
        held = {by[n] for name in words_only.identities for n in _IDENTITY_MEASURES[name] if n in by}
        extra = {c: v for c, v in assign.items() if c not in held}
        agrees = all(assign.get(c, header.get(c)) == header.get(c) for c in held)
        reading.identities, reading.nonconforming = list(words_only.identities), words_only.nonconforming
        reading.confirmed, reading.confidence = True, words_only.confidence
        if not (agrees and extra and any(v == "total_distribution" for v in extra.values())):
            _fill_unmapped(m, reading, cols)
            return reading
        assign = extra
        reading.identities.append("principal + interest = total distribution")
        _apply(reading, header, assign)
        reading.confidence = min(1.0, 0.5 + 0.25 * len(reading.identities))
        return reading
    if any(v == "beginning_balance" for v in assign.values()):
        reading.identities.append("beginning - principal = ending")
    if any(v == "total_distribution" for v in assign.values()):
        reading.identities.append("principal + interest = total distribution")
    if not assign:
        reading.confirmed = words_only.confirmed
        reading.confidence = words_only.confidence
        return reading
    _original_by_size(m, header, assign, cols)
    _apply(reading, header, assign)
    _rate_by_size(m, reading)
    reading.confirmed = True
    reading.confidence = min(1.0, 0.5 + 0.25 * len(reading.identities))
    return reading


def _rate_by_size(m: _Matrix, reading: Reading) -> None:
    """A column the arithmetic left unnamed, in a table with no rate column, whose figures
    (in most rows; a row may print N/A) are all between 0 and 20 with decimals and are not the balance factor (balance ÷
    original) is the classes' interest rate."""
    names = reading.measures
    if "pass_through_rate" in names.values():
        return
    by = {v: k for k, v in names.items() if v is not None}
    bal = by.get("ending_balance", by.get("beginning_balance"))
    orig = by.get("original_balance")
    if bal is None:
        return
    for c in m.cols:
        if names.get(c) is not None:
            continue
        vals = [(d[c], d) for d in m.val if d.get(c) is not None]  # rows printing N/A there say nothing
        if len(vals) < max(2, (len(m.val) + 1) // 2) or not any(v for v, _ in vals):
            continue
        if not all(0 <= v <= 20 for v, _ in vals) or not m.decimals.get(c):
            continue
        if orig is not None and all(d.get(orig) and abs(v - d.get(bal, 0) / d[orig]) < 1e-4
                                    for v, d in vals if d.get(orig)):
            continue  # a factor column
        names[c] = "pass_through_rate"
        reading.changed[c] = (None, "pass_through_rate")
        return


def _original_by_size(m: _Matrix, header: dict[int, str | None], assign: dict[int, str], cols: list[int]) -> None:
    """A class's original balance is never below its beginning balance, and never zero while
    the class has one. Where the column the words call original breaks that and one other
    column keeps it in every row, that column is the original balance."""
    b = next((c for c, v in assign.items() if v == "beginning_balance"), None)
    o = next((c for c, v in header.items() if v == "original_balance"), None)
    if b is None:
        return
    rows = [d for d in m.val if d.get(b)]
    if not rows:
        return
    if o is not None and o not in assign and all(d.get(o, 0) >= d[b] - 0.01 for d in rows):
        return  # the words' original column is a possible one
    fits = [c for c in cols if c not in assign and c != o
            and all(d.get(c) is not None and d[c] >= d[b] - 0.01 for d in rows)]
    if len(fits) == 1:
        assign[fits[0]] = "original_balance"


_IDENTITY_MEASURES = {
    "beginning - principal = ending": BAL_ID,
    "beginning - principal - realized loss = ending": LOSS_ID,
    "principal + interest = total distribution": DIST_ID,
}


def _apply(reading: Reading, header: dict[int, str | None], assign: dict[int, str]) -> None:
    """The arithmetic's roles replace the header's where they differ; a measure the
    arithmetic moved leaves the column the header gave it."""
    for c, name in assign.items():
        old = header.get(c)
        if old != name:
            reading.changed[c] = (old, name)
        for c2, v in list(reading.measures.items()):
            if v == name and c2 != c:
                reading.measures[c2] = None
                reading.changed.setdefault(c2, (v, ""))
        reading.measures[c] = name


def _header_confirmed(m: _Matrix, header: dict[int, str | None], reading: Reading) -> bool:
    """Does the header's reading satisfy every identity it can be checked on (and at least one)?"""
    by = {v: k for k, v in header.items() if v is not None}
    checked = held = 0
    parts = [c for c, v in header.items() if v == "principal_part"]
    if "principal" not in by and parts and "beginning_balance" in by and "ending_balance" in by:
        # the principal paid in several allocations: beginning - their sum = ending
        ok, bad, fail = m.check(by["beginning_balance"], (*parts, by["ending_balance"]), (1,) * (len(parts) + 1))
        if ok or bad:
            checked += 1
            if _holds(ok, bad):
                held += 1
                reading.identities.append("beginning - principal (sum of allocations) = ending")
                reading.nonconforming.extend(m.names[r] for r in fail)
    if all(k in by for k in BAL_ID):
        if "realized_loss" in by:
            # a loss printed in parentheses is a deduction, not a negative loss
            cols3 = (by["principal"], by["realized_loss"], by["ending_balance"])
            ok, bad, fail = max((m.check(by["beginning_balance"], cols3, (1, sign, 1)) for sign in (1, -1)),
                                key=lambda x: (x[0] - x[1]))
            name = "beginning - principal - realized loss = ending"
        else:
            ok, bad, fail = m.check(by["beginning_balance"], (by["principal"], by["ending_balance"]), (1, 1))
            name = "beginning - principal = ending"
        if ok or bad:
            checked += 1
            if _holds(ok, bad) and _larger_in_most_rows(m, by["principal"], by["ending_balance"]):
                # principal and ending are the identity's two addends: the words swapped them
                ok = 0
            if _holds(ok, bad):
                held += 1
                reading.identities.append(name)
                reading.nonconforming.extend(m.names[r] for r in fail)
    if all(k in by for k in DIST_ID):
        ok, bad, fail = m.check(by["total_distribution"], (by["principal"], by["interest"]), (1, 1))
        if ok or bad:
            checked += 1
            if _holds(ok, bad):
                held += 1
                reading.identities.append("principal + interest = total distribution")
                reading.nonconforming.extend(m.names[r] for r in fail if m.names[r] not in reading.nonconforming)
    if checked and held == checked:
        reading.confidence = min(1.0, 0.5 + 0.25 * held)
        return True
    if not checked:
        # nothing to check against: the words alone, taken when they name every column of figures
        named = [c for c in m.amount_cols if header.get(c) is not None]
        reading.confidence = 0.4 if named and len(named) == len(m.amount_cols) else 0.2
        return bool(named) and len(named) == len(m.amount_cols)
    return False


def _fill_unmapped(m: _Matrix, reading: Reading, cols: list[int]) -> None:
    """A confirmed reading with one column the words left unnamed: if it completes an
    identity (total = principal + interest), the identity names it."""
    by = {v: k for k, v in reading.measures.items() if v is not None}
    free = [c for c in cols if reading.measures.get(c) is None]
    if not free:
        return
    if "principal" in by and "interest" in by and "total_distribution" not in by:
        for c in free:
            ok, bad, _ = m.check(c, (by["principal"], by["interest"]), (1, 1))
            if _holds(ok, bad):
                reading.measures[c] = "total_distribution"
                reading.changed[c] = (None, "total_distribution")
                reading.identities.append("principal + interest = total distribution")
                return


def _roles_from_triples(triples: list[tuple[int, int, int, int]], header: dict[int, str | None],
                        m: _Matrix, cols: list[int]) -> dict[int, str]:
    """Roles from the sum identities found. Balance roll-forward and distribution are both
    "one column is the sum of two", sharing the principal: of two such identities sharing an
    addend, the one whose sum is larger is the balance's (balances outweigh payments); a
    lone identity is the one the header's words agree with, else the balance's unless its sum
    is a small fraction (under a quarter) of the table's largest column."""
    if not triples:
        return {}
    top = max(m.total(c) for c in cols)

    def bal_roles(t: int, a: int, b: int) -> dict[int, str]:
        p, e = _order_addends(a, b, header, ("principal", "ending_balance"), m)
        return {t: "beginning_balance", p: "principal", e: "ending_balance"}

    best: tuple[float, dict[int, str]] | None = None
    for t, a, b, ok in triples:
        for t2, a2, b2, ok2 in [(None, None, None, 0), *triples]:
            if t2 is not None and len({t, a, b} & {t2, a2, b2}) != 1:
                continue
            if t2 is not None and not ({a, b} & {a2, b2}):
                continue  # the two identities share the principal
            roles = bal_roles(t, a, b)
            if t2 is not None:
                if m.total(t2) > m.total(t):
                    continue  # the larger-sum identity is the balance's; taken the other way round
                p = next(c for c, v in roles.items() if v == "principal")
                if p not in (a2, b2):
                    continue
                i = cast(int, b2 if a2 == p else a2)  # t2 set: a2 and b2 are a triple's columns too
                roles.update({t2: "total_distribution", i: "interest"})
            score = ok * 10 + ok2 * 10 + _agree(header, roles)
            if t2 is None and not _agree(header, roles) and m.total(t) * 4 < top:
                # a lone identity of figures a fraction of the table's balances: a month's
                # payments, principal + interest = total
                dist = _dist_roles(t, a, b, header, m)
                score = ok * 10 + _agree(header, dist)
                roles = dist
            if best is None or score > best[0]:
                best = (score, roles)
    return dict(best[1]) if best else {}


def _dist_roles(t: int, a: int, b: int, header: dict[int, str | None], m: _Matrix) -> dict[int, str]:
    p, i = _order_addends(a, b, header, ("principal", "interest"), m)
    return {t: "total_distribution", p: "principal", i: "interest"}


def _agree(header: dict[int, str | None], roles: dict[int, str]) -> float:
    return sum(3.0 for c, v in roles.items() if header.get(c) == v)


def _larger_in_most_rows(m: _Matrix, a: int, b: int, zeros_vote: bool = False) -> bool | None:
    """Is column ``a`` the larger of the two in most rows where both are non-zero (None: no
    such row, or as many each way)? With ``zeros_vote`` a row where one of them is zero and
    the other is not votes too: of a balance's two addends the zero one is the payment (a
    class paying nothing this month keeps its balance; paying off happens once)."""
    more = less = 0
    for d in m.val:
        x, y = d.get(a, 0.0), d.get(b, 0.0)
        if (x and y) or (zeros_vote and (x or y)):
            more += abs(x) > abs(y)
            less += abs(x) < abs(y)
    return None if more == less else more > less


def _order_addends(a: int, b: int, header: dict[int, str | None], names: tuple[str, str],
                   m: _Matrix) -> tuple[int, int]:
    """Which of two addend columns plays which role. For a balance's addends the figures
    decide when they can: an ending balance outweighs a month's principal in most rows.
    Otherwise the header's words, then the larger total for the second role."""
    if names == ("principal", "ending_balance"):
        big = _larger_in_most_rows(m, a, b, zeros_vote=True)
        if big is not None:
            return (b, a) if big else (a, b)
    ha, hb = header.get(a), header.get(b)
    if ha == names[0] or hb == names[1]:
        return a, b
    if ha == names[1] or hb == names[0]:
        return b, a
    return (a, b) if m.total(b) >= m.total(a) else (b, a)


# ----------------------------------------------------------------- rows cut at their labels

def _row_fit(rows: list[list[Tok]]) -> int:
    """How many rows the best sum identity (c = a + b) and the best ratio identity (a factor
    c = a ÷ b, or per $1,000 c = 1,000·a ÷ b) hold on, columns by position. Rows of zeros
    prove nothing."""
    m = _Matrix([("", dict(enumerate(vals))) for vals in rows])
    pos = m.cols
    best_sum = 0
    for t in pos:
        for a in pos:
            for b in pos:
                if a < b and t not in (a, b):
                    ok, bad, _ = m.check(t, (a, b), (1, 1))
                    if _holds(ok, bad):
                        best_sum = max(best_sum, ok)
    best_ratio = 0
    dec = {(r, c): getattr(getattr(tok, "num", None), "decimals", None) for r, vals in enumerate(rows)
           for c, tok in enumerate(vals)}
    for c in pos:
        for a in pos:
            for b in pos:
                if len({a, b, c}) < 3:
                    continue
                for scale in (1.0, 1000.0):
                    ok = bad = 0
                    for r, d in enumerate(m.val):
                        x, y, z = d.get(a), d.get(b), d.get(c)
                        if not x or not y or not z:
                            continue
                        tol = 0.5 * 10.0 ** -(dec.get((r, c)) or 0) + 1e-9
                        if abs(z - scale * x / y) <= tol:
                            ok += 1
                        else:
                            bad += 1
                    if _holds(ok, bad):
                        best_ratio = max(best_ratio, ok)
    return best_sum + best_ratio


def recut_centred_rows(rows: list[Row], class_kind: str = "class") -> list[Row]:
    """A text rendering of a page (a PDF's text) prints a row's label in the middle of its
    cells when the label is centred vertically: the figures before the first class label
    then begin the first class's row, and every class row runs from the middle of one label
    to the middle of the next. Where a run of class rows with equal numbers of figures
    follows a label row with fewer, and the rows cut that way obey more identities than cut
    at their labels, they are recut; the last class's trailing figures begin the label row
    after the run (its total)."""
    out = list(rows)
    i = 0
    while i < len(out):
        lead = out[i]
        if lead.positional or lead.kind != "label" or not lead.values:
            i += 1
            continue
        k = i + 1
        while k < len(out) and out[k].kind == class_kind and not out[k].positional:
            k += 1
        run = out[i + 1:k]
        j = len(lead.values)
        if len(run) < 2 or k >= len(out) or out[k].kind != "label" or out[k].positional:
            i = max(k, i + 1)
            continue
        n = len(run[0].values)
        if n <= j or any(len(r.values) != n for r in run) or any(_amount(v) is None for v in lead.values):
            i = k
            continue
        cut = n - j
        shifted = [lead.values + run[0].values[:cut]]
        shifted += [run[q - 1].values[cut:] + run[q].values[:cut] for q in range(1, len(run))]
        fit_shifted = _row_fit(shifted)
        if fit_shifted >= 2 and fit_shifted > _row_fit([r.values for r in run]):
            # label and class rows (split_records) always have their head
            tail = run[-1].values[cut:]
            for r, vals in zip(run, shifted, strict=True):
                r.values = vals
                r.toks = [cast("Tok", r.head), *vals]
            total = out[k]
            total.values = tail + total.values
            total.toks = [cast("Tok", total.head), *total.values]
            lead.kind, lead.values, lead.toks = "text", [], [cast("Tok", lead.head)]
            prev = out[i - 1] if i else None
            if prev is not None and prev.kind == "text" and not prev.positional:
                prev.toks.append(cast("Tok", lead.head))  # the label was the header's last word
                del out[i]
                k -= 1
        i = k
    return out
