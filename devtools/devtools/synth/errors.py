"""Printing mistakes planted in a report, recorded so a benchmark can score data-quality checks.

Each kind breaks a different identity of DOMAIN.md, the way real printers' mistakes
do: transposed digits in a class's ending balance (roll-forward, totals, OC), a changed
pass-through rate (interest accrual), a dropped class row (Total rows), a changed
Total, a changed pool ending balance (pool roll-forward, pools adding to Total).
Every mistake is large enough to fall outside rounding tolerance.
"""

from __future__ import annotations

import random
from typing import Any

ERROR_KINDS = ("transposed_digits", "changed_rate", "dropped_class_row", "total_changed", "pool_ending_changed")


def _swap_adjacent(value: int, unit: int, rng: random.Random) -> int | None:
    """``value`` with two adjacent, different digits of its whole-dollar part swapped."""
    digits = str(value)
    keep = 2 if unit == 100 else 0  # leave the cents alone: a cents-only swap is within rounding
    head, tail = digits[: len(digits) - keep], digits[len(digits) - keep:]
    pairs = [i for i in range(len(head) - 1) if head[i] != head[i + 1] and not (i == 0 and head[1] == "0")]
    if not pairs:
        return None
    i = rng.choice(pairs)
    swapped = head[:i] + head[i + 1] + head[i] + head[i + 2:]
    return int(swapped + tail)


def _change_digit(value: int, unit: int, rng: random.Random) -> int:
    """``value`` with one whole-dollar digit replaced (a visible change, never within rounding).

    In a whole-dollar report the units digit is left alone: a Total of 14 rows may differ
    from their sum by 7 dollars of rounding, so a change of a few dollars there is invisible
    (a printed Total 751,368 for 751,369 is not a mistake any check can see)."""
    dollars = value // unit
    digits = list(str(dollars)) if dollars >= 10 else list(f"{dollars:04d}")
    i = rng.randrange(len(digits) - 1 if unit == 1 else len(digits))
    choices = [d for d in "0123456789" if d != digits[i] and not (i == 0 and d == "0")]
    digits[i] = rng.choice(choices)
    return int("".join(digits)) * unit + value % unit


def inject(view: dict[str, Any], unit: int, rng: random.Random,
           injected: bool) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A copy of ``view`` carrying one printing mistake, and the record describing it
    (``None`` when no mistake applies, e.g. a report of a paid-off deal)."""
    view = dict(view)
    kinds = list(ERROR_KINDS)
    rng.shuffle(kinds)
    for kind in kinds:
        record = _apply(kind, view, unit, rng)
        if record is not None:
            record["injected"] = injected
            return view, record
    return view, None


def _apply(kind: str, view: dict[str, Any], unit: int, rng: random.Random) -> dict[str, Any] | None:
    classes = view["classes"]
    if kind == "transposed_digits":
        cands = [r for r in classes if r["kind"] in ("senior", "mezz", "sub") and r["ending_balance"] >= 100 * unit]
        rng.shuffle(cands)
        for r in cands:
            new = _swap_adjacent(r["ending_balance"], unit, rng)
            if new is not None and new != r["ending_balance"]:
                view["classes"] = [dict(c, ending_balance=new) if c is r else c for c in classes]
                return _record(kind, "class", r["class"], "ending_balance", r["ending_balance"], new, unit)
        return None
    if kind == "changed_rate":
        cands = [r for r in classes if r["kind"] in ("senior", "mezz", "sub", "io")
                 and r["beginning_balance"] >= 1_000_000 * unit and r["pass_through_rate"]]
        if not cands:
            return None
        r = rng.choice(cands)
        delta = rng.choice((0.125, 0.25, 0.5, 1.0, -0.125, -0.25))
        new_rate = round(r["pass_through_rate"] + delta, 5)
        if new_rate <= 0:
            new_rate = round(r["pass_through_rate"] + abs(delta), 5)
        view["classes"] = [dict(c, pass_through_rate=new_rate) if c is r else c for c in classes]
        return {"kind": kind, "scope": "class", "entity": r["class"], "measure": "pass_through_rate",
                "true_value": r["pass_through_rate"], "printed_value": new_rate}
    if kind == "dropped_class_row":
        cands = [r for r in classes if r["kind"] in ("senior", "mezz", "sub")
                 and r["beginning_balance"] > 0 and r["interest"] > 0]
        if not cands:
            return None
        r = rng.choice(cands)
        view["classes"] = [c for c in classes if c is not r]
        return {"kind": kind, "scope": "class", "entity": r["class"], "measure": None,
                "true_value": None, "printed_value": None}
    if kind == "total_changed":
        cands = [t for t in view["totals"] if t["measure"] in ("beginning_balance", "ending_balance", "interest",
                                                               "principal") and t["value"] >= 1000 * unit]
        if not cands:
            return None
        t = rng.choice(cands)
        new = _change_digit(t["value"], unit, rng)
        view["totals"] = [dict(x, value=new) if x is t else x for x in view["totals"]]
        return _record(kind, "class_total", t["section"], t["measure"], t["value"], new, unit)
    if kind == "pool_ending_changed":
        pools = [pl for pl in view["pools"] if pl["pool"] != "Total" and pl["ending_balance"] >= 1000 * unit]
        if not pools:
            return None
        pl = rng.choice(pools)
        new = _change_digit(pl["ending_balance"], unit, rng)
        view["pools"] = [dict(x, ending_balance=new) if x is pl else x for x in view["pools"]]
        return _record(kind, "pool", pl["pool"], "ending_balance", pl["ending_balance"], new, unit)
    raise ValueError(kind)


def _record(kind: str, scope: str, entity: str, measure: str, true: int, printed: int, unit: int) -> dict[str, Any]:
    scale = 1 if unit == 1 else 100.0
    return {"kind": kind, "scope": scope, "entity": entity, "measure": measure,
            "true_value": true if unit == 1 else round(true / scale, 2),
            "printed_value": printed if unit == 1 else round(printed / scale, 2)}

