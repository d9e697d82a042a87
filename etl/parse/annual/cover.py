"""Facts of the 10-K cover page and Parts I-IV: fiscal year, trust, depositor, file number, dates.

ABS 10-Ks reuse the corporate 10-K form, so the facts sit in the same places whatever the
trustee: the cover ("For the fiscal year ended ...", "Commission file number ...", the
registrant/issuing-entity/depositor names above their "(Exact name of ...)" captions), Item 5
(holders of record) and Item 15 (8-Ks or 10-Ds filed in the period). Each extractor returns
None or [] when its fact is absent; the caller turns that into a warning.
"""

from __future__ import annotations

import re

from .textutil import DATE_RE, NUMBER, all_dates, date_from_match, parse_date, squash, to_int

_FYE_RE = re.compile(r"fiscal\s+year\s+end(?:ed|ing)?\s*:?\s*", re.IGNORECASE)


def fiscal_year_end(text: str) -> str | None:
    """ "For the fiscal year ended DECEMBER 31, 2003" -> "2003-12-31"."""
    for m in _FYE_RE.finditer(text[:200000]):
        iso = parse_date(text[m.end(): m.end() + 40])
        if iso:
            return iso
    hm = re.search(r"CONFORMED\s+PERIOD\s+OF\s+REPORT:\s*(\d{4})(\d{2})(\d{2})", text[:20000])
    if hm:
        return f"{hm.group(1)}-{hm.group(2)}-{hm.group(3)}"
    return None


_FILE_NO = r"(?P<no>\d{1,3}-\d{4,6}(?:-\d{1,3})?)(?![\d-])"
_CFN_LABEL_RE = re.compile(
    r"Commission\s+file\s+(?:number|no\.?)(?P<of>\s+of\s+(?:the\s+)?(?P<whose>issuing\s+entity|depositor|sponsor|registrant))?"
    r"[\s:\-]*" + _FILE_NO,
    re.IGNORECASE,
)


def commission_file_numbers(text: str) -> dict[str, str]:
    """File numbers by whose they are: {"issuing_entity": ..., "depositor": ..., "registrant": ...}.

    Reg AB covers print one for the issuing entity and one for the depositor; older covers
    print the registrant's; some print the number on the line above its caption.
    """
    head = text[:60000]
    out: dict[str, str] = {}
    for m in _CFN_LABEL_RE.finditer(head):
        whose = (m.group("whose") or "registrant").lower().replace(" ", "_")
        out.setdefault(whose, m.group("no"))
    if not out:  # "333-106925-11\n(Commission File Number)" in columns
        cap = re.search(r"\(\s*Commission\s+(?:\n\s*|.{0,60})?File\s+(?:Number|No)", head, re.IGNORECASE | re.DOTALL)
        if cap:
            nums = list(re.finditer(_FILE_NO, head[max(0, cap.start() - 600): cap.start()]))
            if nums:
                out["registrant"] = nums[-1].group("no")
    return out


def commission_file_number(text: str) -> str | None:
    """The trust's own file number (issuing entity's when printed, else the registrant's)."""
    nums = commission_file_numbers(text)
    return nums.get("issuing_entity") or nums.get("registrant") or nums.get("depositor")


def name_above(text: str, caption_re: str, max_lines: int = 4) -> str | None:
    """The name printed on the lines just above a "(Exact name of ...)" caption."""
    m = re.search(caption_re, text[:60000], re.IGNORECASE)
    if not m:
        return None
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.start())
    line = text[line_start: line_end if line_end >= 0 else len(text)]
    if line.lstrip().startswith("|"):  # HTML cover: the name sits in the same column one row up
        col = text[line_start: m.start()].count("|") - 1
        rows = [r for r in text[:line_start].split("\n")[-8:] if r.strip().strip("|").strip()]
        for row in reversed(rows):
            cells = [c.strip() for c in row.strip().strip("|").split("|")]
            if 0 <= col < len(cells) and cells[col] and not cells[col].startswith("("):
                return squash(cells[col]).strip(" ,") or None
            if 0 <= col < len(cells) and cells[col].startswith("("):
                break
        return None
    before = text[: m.start()].rstrip().split("\n")
    lines: list[str] = []
    for line in reversed(before[-12:]):
        s = line.strip().strip("|").strip()
        if not s:
            if lines:
                break
            continue
        if s.startswith(")") or (s.endswith(")") and "(" not in s and not lines):
            # the tail of a parenthetical block ("SERIES 2003-1)") is not the name
            break
        lines.insert(0, s)
        if len(lines) >= max_lines:
            break
    name = squash(" ".join(lines)).strip(" ,|")
    name = re.sub(r"\s*\|\s*", " ", name)
    return name or None


def depositor(text: str) -> str | None:
    """The depositor: Reg AB caption, else the registrant named "AS DEPOSITOR UNDER ..."."""
    name = name_above(text, r"\(\s*Exact\s+name\s+of\s+depositor")
    if name:
        return name
    m = re.search(r"\n([^\n()]{3,120})\n\s*\n?\s*\(\s*(?:as\s+)?depositor\s+(?:under|for|of)", text[:60000], re.IGNORECASE)
    if m:
        return squash(m.group(1)).strip(" ,") or None
    m = re.search(
        r"([A-Z][A-Za-z0-9.&,' \-]{3,100}?),?\s+(?:as|the)\s+depositor\b", text[:60000]
    )
    if m:
        return squash(m.group(1)).strip(" ,") or None
    return None


_CERT_WORDS = re.compile(
    r",?\s*\b(?:(?:mortgage|asset[\s-]+backed|home\s+equity(?:\s+loan)?|collateralized)\s+)*"
    r"(?:(?:pass[\s-]+through|trust)\s+)?(?:certificates|notes|securities)\b,?",
    re.IGNORECASE,
)


def normalize_trust_name(name: str | None) -> str | None:
    """Upper-case deal name without the certificate wording, as EDGAR conforms filer names.

    "AAMES MORTGAGE TRUST PASS-THROUGH CERTIFICATES Series 2003-1" -> "AAMES MORTGAGE TRUST 2003-1".
    """
    if not name:
        return None
    s = squash(name)
    s = re.sub(r"\((?:the\s+)?[\"“”'][^)]{0,40}\)", "", s)
    s = _CERT_WORDS.sub(" ", s)
    s = re.sub(r"\bseries\b\s*", " ", s, flags=re.IGNORECASE)
    s = squash(s).strip(" ,.;:")
    tokens = s.split()
    seen: set[str] = set()
    kept = []
    for tok in tokens:  # "Trust 2006-AR1, ... Series 2006-AR1": keep the series id once
        key = tok.upper().strip(",")
        if re.search(r"\d", key) and key in seen:
            continue
        seen.add(key)
        kept.append(tok.strip(","))
    return " ".join(kept).upper() or None


def trust_printed(text: str) -> str | None:
    """The trust's name as printed: issuing-entity caption, "providing for the issuance of" or
    the securities title on the cover."""
    name = name_above(text, r"\(\s*Exact\s+name\s+of\s+issuing\s+entity")
    if name:
        return name
    m = re.search(r"providing\s+for(?:,?\s+inter\s+alia,)?\s+the\s+issuance\s+of\s+([^)]{5,200}?)\s*(?:\)|\n\s*\n)",
                  text[:60000], re.IGNORECASE)
    if m:
        return squash(m.group(1)).strip(" ,.")
    name = name_above(text, r"\(\s*Title\s+of\s+each\s+class\s+of\s+securities")
    if name:
        return name
    m = re.search(r"\b([A-Z][A-Za-z0-9&.\- ]{2,60}\bTrust\b,?\s+(?:Series\s+)?\d{4}-[A-Z0-9]{1,6})\b", text[:60000])
    return squash(m.group(1)) if m else None


_CLOSING_RE = re.compile(r"closing\s+date\b", re.IGNORECASE)


def closing_date(text: str) -> str | None:
    """ "The closing date for the transaction was 10/30/2003" -> "2003-10-30"."""
    for m in _CLOSING_RE.finditer(text[:300000]):
        window = text[m.end(): m.end() + 120]
        window = window.split("\n\n")[0]
        d = DATE_RE.search(window)
        if d and date_from_match(d):
            return date_from_match(d)
    cm = re.search(r"\bclosed\s+on\s+", text[:300000], re.IGNORECASE)
    if cm:
        return parse_date(text[cm.end(): cm.end() + 40])
    return None


_HOLDERS_RE = re.compile(
    rf"(?P<n>{NUMBER})\s*(?:\(\s*(?P<d>\d[\d,]*)\s*\)\s*)?(?:registered\s+)?holders?\s+of\s+record"
    rf"|(?:number\s+of\s+)?holders?\s+of\s+record[^.]{{0,160}}?\b(?:was|were|is|are|:|totaled|totalled)\s+"
    rf"(?:approximately\s+)?(?P<n2>{NUMBER})(?:\s*\(\s*(?P<d2>\d[\d,]*)\s*\))?",
    re.IGNORECASE,
)


def holders_of_record(text: str) -> int | None:
    """ "the Trust had Forty (40) holders of record" -> 40 (digits win over words)."""
    for m in _HOLDERS_RE.finditer(text[:400000]):
        for raw in (m.group("d"), m.group("d2"), m.group("n"), m.group("n2")):
            n = to_int(raw) if raw else None
            if n is not None:
                return n
    return None


_REPORTS_RE = re.compile(r"reports?\s+on\s+form\s+(?:8-K|10-D)|form\s+10-D\s+reports?|current\s+reports?\s+on\s+form\s+8-K",
                         re.IGNORECASE)
_BLOCK_END_RE = re.compile(
    r"\n\s*\((?:c|d)\)|\n\s*Item\s+\d|\n\s*SIGNATURES?\b|\n\s*EXHIBIT\s+INDEX|\n\s*PART\s+[IV]+\b",
    re.IGNORECASE,
)


def distribution_report_dates(text: str) -> list[str]:
    """Dates of the 8-Ks (or 10-Ds) the 10-K lists as filed in the period, in order."""
    out: list[str] = []
    for m in _REPORTS_RE.finditer(text[:400000]):
        block = text[m.end(): m.end() + 3000]
        end = _BLOCK_END_RE.search(block)
        if end:
            block = block[: end.start()]
        block = re.sub(r"(?i)dated\s+as\s+of\s+" + DATE_RE.pattern, "", block)  # agreements' dates
        first = DATE_RE.search(block)
        if not first or first.start() > 400:  # a passing mention ("all reports on Form 8-K ..."), not a list
            continue
        gap = re.search(r"\n[ \t]*\n", block[first.end():])
        if gap:  # the list ends at the first blank line after it starts
            block = block[: first.end() + gap.start()]
        for d in all_dates(block):
            if d not in out:
                out.append(d)
    return out


def is_reg_ab(text: str, sections_types: list[str]) -> bool:
    """Regulation AB 10-K: EX-33/34/35 present, or Items 1122/1123 / criteria 1122(d) cited."""
    if any(re.match(r"EX-3[345]\b", t or "", re.IGNORECASE) for t in sections_types):
        return True
    return bool(re.search(r"\bItem\s+112[23]\b|\b1122\s*\(d\)|Regulation\s+AB\b", text, re.IGNORECASE))
