"""The run history on the Data Docs index: every kept validation run, readable without a network.

Great Expectations' index page lists validation results in a table that JavaScript from public
CDNs (jQuery, bootstrap-table) draws; offline, or where those hosts are blocked, the table stays
empty although every result page is plain HTML. So after each build the index also gets a static
section, one row per validation run (newest first) with each suite's verdict and a link to its
page, drawn from the kept results themselves (``data/dq_results``, GX's filesystem store).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

SECTION_ID = "edgar-run-history"
_START, _END = f"<!-- {SECTION_ID} -->", f"<!-- /{SECTION_ID} -->"
#: where the section goes: before GX's own first section, in the page's main column
_ANCHOR = '<div id="section-1"'

_CSS = """
#edgar-run-history { font-family: system-ui, sans-serif; margin: 0 0 1.5rem 0; }
#edgar-run-history h2 { font-size: 1.25rem; margin: 0 0 .25rem 0; }
#edgar-run-history p { margin: 0 0 .5rem 0; color: #444; }
#edgar-run-history table { border-collapse: collapse; width: 100%; font-size: .9rem; }
#edgar-run-history th, #edgar-run-history td { border-bottom: 1px solid #ddd; padding: .3rem .5rem;
  text-align: left; vertical-align: top; }
#edgar-run-history .ok { color: #1b7f3b; } #edgar-run-history .bad { color: #c62828; font-weight: 600; }
#edgar-run-history a { margin-right: .6rem; white-space: nowrap; }
"""


@dataclass
class Run:
    name: str
    time: str  # GX's run time key, e.g. 20040105T110000.000000Z (sorts as time)
    suites: list[tuple[str, bool, str]] = field(default_factory=list)  # (suite, success, page path)

    @property
    def failed(self) -> list[str]:
        return [s for s, ok, _ in self.suites if not ok]

    @property
    def shown_time(self) -> str:
        t = self.time
        return f"{t[0:4]}-{t[4:6]}-{t[6:8]} {t[9:11]}:{t[11:13]}:{t[13:15]} UTC" if len(t) >= 15 else t


def kept_runs(results_dir: Path) -> list[Run]:
    """The validation runs kept in GX's filesystem store, oldest first.

    A result is stored as ``{suite name split on dots}/{run name}/{run time}/{batch}.json``; its
    Data Docs page sits at the same path under ``validations/``, ending in ``.html``.
    """
    runs: dict[tuple[str, str], Run] = {}
    if not results_dir.is_dir():
        return []
    for path in sorted(results_dir.rglob("*.json")):
        rel = path.relative_to(results_dir)
        if len(rel.parts) < 4:
            continue
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a result being written by another process, or damaged: not listed
        run_name, run_time = rel.parts[-3], rel.parts[-2]
        suite = doc.get("suite_name") or ".".join(rel.parts[:-3])
        page = Path("validations", *rel.parts).with_suffix(".html").as_posix()
        runs.setdefault((run_name, run_time), Run(run_name, run_time)).suites.append(
            (suite, bool(doc.get("success")), page))
    return sorted(runs.values(), key=lambda r: (r.time, r.name))


def render(runs: list[Run]) -> str:
    rows = []
    for run in reversed(runs):  # newest first
        links = "".join(
            f'<a class="{"ok" if ok else "bad"}" href="{escape(page)}">{"✓" if ok else "✗"} {escape(suite)}</a>'
            for suite, ok, page in sorted(run.suites))
        verdict = (f'<span class="bad">{len(run.failed)} of {len(run.suites)} suites failed</span>' if run.failed
                   else f'<span class="ok">all {len(run.suites)} suites passed</span>')
        rows.append(f'<tr class="run"><td class="run-name">{escape(run.name)}</td><td>{escape(run.shown_time)}</td>'
                    f"<td>{verdict}</td><td>{links}</td></tr>")
    body = "".join(rows) or '<tr><td colspan="4">No validation run is kept yet.</td></tr>'
    return (f'{_START}<style>{_CSS}</style><section id="{SECTION_ID}"><h2>Validation runs</h2>'
            f"<p>{len(runs)} run(s) kept, newest first. A suite fails when one of its checks flags a row "
            "(a warn-severity suite failing only warns); each link opens that run's results for the suite.</p>"
            f'<table><thead><tr><th>Run</th><th>Time</th><th>Verdict</th><th>Suites</th></tr></thead>'
            f"<tbody>{body}</tbody></table></section>{_END}")


def add_to_index(docs_dir: Path, results_dir: Path) -> Path | None:
    """Insert (or replace) the run history in ``docs_dir/index.html``; returns the index path."""
    index = docs_dir / "index.html"
    if not index.exists():
        return None
    page = index.read_text(encoding="utf-8")
    if _START in page and _END in page:
        head, rest = page.split(_START, 1)
        page = head + rest.split(_END, 1)[1]
    section = render(kept_runs(results_dir))
    page = page.replace(_ANCHOR, section + _ANCHOR, 1) if _ANCHOR in page else page.replace(
        "<body>", "<body>" + section, 1)
    tmp = index.with_name(f".{index.name}.{os.getpid()}.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, index)  # a browser never sees half a page
    return index
