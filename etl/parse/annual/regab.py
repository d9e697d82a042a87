"""Regulation AB servicing compliance (2006 on): EX-33 assessments against Item 1122(d).

Each party participating in servicing files a report assessing the 30 criteria of
Item 1122(d); it says which criteria do not apply to it (in prose, "except for criteria
1122(d)(1)(iii), ... which the Company has determined are not applicable", or in a checklist
table with columns such as "Applicable" / "Inapplicable") and names every material instance
of noncompliance. This module reads both presentations.
"""

from __future__ import annotations

import re
from typing import Any

from .compliance import noncompliance_passages
from .criteria import FRAMEWORK_REG_AB, criterion_codes, reg_ab_refs
from .textutil import parse_sample, sentences


def _nearest(cols: list[tuple[int, str]], at: int) -> tuple[int, str]:
    """The column heading whose middle is nearest position ``at``."""
    return min(cols, key=lambda c: abs((c[0] + len(c[1]) // 2) - at))


_NA_WORDS = re.compile(
    r"not\s+applicable|inapplicable|\bn/a\b|not\s+performed|does\s+not\s+perform|excluding\s+(?:servicing\s+)?criteri"
    r"|except(?:ing)?\s+for\s+(?:servicing\s+)?criteri",
    re.IGNORECASE,
)
_MARK_RE = re.compile(r"^(?:x|✓|√|✔|yes|•|\*)$", re.IGNORECASE)


def _na_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of sentences that declare criteria not applicable (table rows excluded)."""
    spans = []
    pos = 0
    for s in sentences(text):
        start = text.find(s[:40], pos)
        if start < 0:
            continue
        end = start + len(s)
        pos = end
        if s.lstrip().startswith("|"):
            continue
        if _NA_WORDS.search(s) and not re.search(r"material\s+(?:instance|non)", s, re.IGNORECASE):
            spans.append((start, end))
    return spans


def ref_finder_excluding_na(text: str) -> list[tuple[str, str | None, int, int]]:
    """Criteria cited in ``text`` outside not-applicable declarations and checklist rows."""
    spans = _na_spans(text)
    out = []
    for r in reg_ab_refs(text):
        if any(a <= r[2] < b for a, b in spans):
            continue
        line_start = text.rfind("\n", 0, r[2]) + 1
        if text[line_start: r[2]].strip().startswith("|"):
            continue
        out.append(r)
    return out


def _header_labels(rows: list[list[str]]) -> list[str]:
    width = max((len(r) for r in rows), default=0)
    labels = []
    for i in range(width):
        labels.append(" ".join(r[i] for r in rows if i < len(r) and r[i]).lower())
    return labels


def _label_is_na(label: str) -> bool:
    return bool(re.search(r"inapplicable|not\s+applicable|not\s+performed|n/a|is\s+not\s+the\s+responsible", label))


def _table_applicability(text: str) -> tuple[set[str], set[str]]:
    """(not applicable, applicable) codes read from ``| cell | cell |`` checklist rows."""
    na: set[str] = set()
    ok: set[str] = set()
    header_rows: list[list[str]] = []
    labels: list[str] = []
    in_criteria = False
    for line in text.split("\n"):
        s = line.strip()
        if not s.startswith("|"):
            continue  # a checklist may be broken by page breaks; its header still holds
        cells = [c.strip() for c in s.strip("|").split("|")]
        refs = reg_ab_refs(" ".join(cells[:2]))
        if not refs:
            if re.search(r"applicable|performed", s, re.IGNORECASE):
                if in_criteria:  # the header of a new checklist
                    header_rows, in_criteria = [], False
                header_rows.append(cells)
                labels = _header_labels(header_rows)
            continue
        in_criteria = True
        code, sub = refs[0][0], refs[0][1]
        marked = [i for i, c in enumerate(cells) if i >= 1 and _MARK_RE.match(c)]
        texts = [c.lower() for c in cells[2:]]
        if any(re.fullmatch(r"n/?a|not\s+applicable|inapplicable", t) for t in texts):
            state = "na"
        elif marked and labels:
            na_cols = [i for i in marked if i < len(labels) and _label_is_na(labels[i])]
            state = "na" if len(na_cols) == len(marked) else "ok"
        elif marked or any(t == "applicable" for t in texts):
            state = "ok"
        else:
            continue
        if sub:  # a sub-part marked alone does not decide the whole criterion
            if state == "ok":
                ok.add(code)
            continue
        (na if state == "na" else ok).add(code)
    return na - ok, ok


def _fixed_width_applicability(text: str) -> tuple[set[str], set[str]]:
    """(not applicable, applicable) from a fixed-width checklist: "X" under a column title."""
    head = None
    for m in re.finditer(r"^(?P<line>[^\n|]*\bApplicable\b[^\n|]*)$", text, re.MULTILINE | re.IGNORECASE):
        line = m.group("line")
        cols = [(c.start(), c.group(0)) for c in re.finditer(r"(?i)\b(?:not\s+applicable|inapplicable|applicable)\b", line)]
        columnar = len(re.findall(r"\S {3,}\S", line)) >= 1 and len(line.split()) <= 10
        if len(cols) >= 2 and columnar:
            head = (m.end(), cols)
            break
    if not head:
        return set(), set()
    start, cols = head
    body = text[start: start + 40000]
    refs = [r for r in reg_ab_refs(body) if r[1] is None]
    na: set[str] = set()
    ok: set[str] = set()
    for k, (code, _sub, pos, _end) in enumerate(refs):
        line_start = body.rfind("\n", 0, pos) + 1
        if body[line_start:pos].strip():  # only refs that start their row
            continue
        stop = refs[k + 1][2] if k + 1 < len(refs) else min(len(body), pos + 600)
        block_start = line_start
        for line in body[block_start:stop].split("\n"):
            for x in re.finditer(r"(?<!\S)[Xx✓](?!\S)", line):
                col = _nearest(cols, x.start())
                (na if _label_is_na(col[1].lower()) else ok).add(code)
    return na - ok, ok


def applicability(text: str) -> tuple[set[str], dict[str, list[str]]]:
    """(codes not applicable, {code: [sub-parts declared not applicable]}) of an EX-33 report."""
    na_table, ok_table = _table_applicability(text)
    na_fixed, ok_fixed = _fixed_width_applicability(text)
    na = set(na_table) | set(na_fixed)
    ok = ok_table | ok_fixed
    partial: dict[str, list[str]] = {}
    for a, b in _na_spans(text):
        for code, sub, _s, _e in reg_ab_refs(text[a:b]):
            if sub:
                partial.setdefault(code, [])
                if sub not in partial[code]:
                    partial[code].append(sub)
            elif code not in ok:
                na.add(code)
    return na, partial


def exceptions_in(text: str) -> list[dict[str, Any]]:
    """Criteria the report names as materially noncompliant, with detail and sample counts."""
    out = []
    for code, detail, sub in noncompliance_passages(text, ref_finder_excluding_na):
        size, bad = parse_sample(detail)
        out.append({"criterion": code, "sub": sub, "detail": detail, "sample_size": size, "sample_exceptions": bad})
    return out


def unknown_refs(text: str) -> list[str]:
    """Citations that are not criteria of Item 1122(d) (typos, "(d)(4)(xvi)")."""
    known = set(criterion_codes(FRAMEWORK_REG_AB))
    return sorted({r[0] for r in reg_ab_refs(text) if r[0] not in known})
