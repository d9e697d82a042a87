"""Render bench/results.json into the tables of bench/README.md.

Only the blocks between ``<!-- bench:NAME:start -->`` and ``<!-- bench:NAME:end -->`` are
regenerated; the prose around them (findings, explanations) is written by people and kept.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from devtools.bench.corpus import ROOT

README = ROOT / "bench" / "README.md"


def _f(v: Any, nd: int = 1) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.{nd}f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def _size(run_name: str) -> str:
    """'uncapped-20000' -> '20k' (the sizes the linearity goal compares)."""
    n = run_name.rsplit("-", 1)[-1]
    return f"{int(n) // 1000}k" if n.isdigit() and int(n) % 1000 == 0 else n


def _holds(g: dict[str, Any] | None) -> str:
    if not g:
        return "not measured"
    return "**holds**" if g.get("holds") else "**misses**"


def results_block(results: dict[str, Any]) -> str:
    """The runs table, the goals and the side results (Airflow, DQ, resume)."""
    runs = results.get("runs") or []
    m = results.get("machine", {})
    lines = [
        f"Measured {results.get('generated_at', '?')} on {m.get('cpus', '?')} CPUs, "
        f"{m.get('memory_gb', '?')} GB, Python {m.get('python', '?')} by `{results.get('command', '')}`.",
        "",
        "| run | command | ABS filings (submissions) | loaded | failed, recorded | unaccounted | duplicates "
        "| end-to-end filings/s | fetch/s | parse/s | validate/s | load/s | parse+validate+load /s "
        "| peak RSS MB | max req in any 1 s (cap) | requests | retries | faults injected |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in runs:
        if "error" in r:
            lines.append(f"| {r['name']} | `{r['command']}` | failed: {r['error']} |" + " |" * 15)
            continue
        st = r.get("stages_filings_per_s", {})
        faults = r.get("faults_injected") or {}
        fault_s = ", ".join(f"{k} {v}" for k, v in sorted(faults.items())) if faults else "–"
        cap = f"{r['max_requests_in_any_second']} ({_f(r.get('rate_limit'), 0) if r.get('rate_limit') else 'none'})"
        lines.append(
            f"| {r['name']} | `{r['command']}` | {_f(r['filings'])} ({_f(r.get('corpus_submissions'))}) "
            f"| {_f(r['loaded'])} | {_f(r['failed_recorded'])} | {_f(r.get('unaccounted'))} | {_f(r['duplicates'])} "
            f"| {_f(r['end_to_end_filings_per_s'])} | {_f(st.get('fetch'))} | {_f(st.get('parse'))} "
            f"| {_f(st.get('validate'))} | {_f(st.get('load'))} | {_f(r.get('parse_validate_load_filings_per_s'))} "
            f"| {_f(r['peak_rss_mb'], 0)} | {cap} | {_f(r.get('requests'))} | {_f(r.get('retries'))} | {fault_s} |"
        )
    g = results.get("goals", {})
    lin = g.get("time_linear_in_n", {})
    pvl = g.get("parse_validate_load_ge_100_per_s", {})
    rss = g.get("peak_rss_within_goal", {})
    cap = g.get("cap_never_exceeded", {})
    sizes = [_size(name) for name in lin.get("compared") or []] or ["?"]
    first, prev, last = sizes[0], sizes[-2] if len(sizes) > 1 else sizes[0], sizes[-1]
    lines += [
        "",
        "| goal | verdict | measured |",
        "|---|---|---|",
        f"| parse+validate+load ≥ {_f(pvl.get('goal'), 0)} filings/s, cap lifted | {_holds(pvl)} | "
        + ", ".join(f"{k}: {_f(v)}/s" for k, v in (pvl.get("measured") or {}).items()) + " |",
        *[f"| {label} | {_holds(g.get(key))} | "
          + ", ".join(f"{k}: {_f(v, digits)}" for k, v in ((g.get(key) or {}).get("measured") or {}).items()) + " |"
          for key, label, digits in (
              ("end_to_end_uncapped", f"end to end ≥ {_f((g.get('end_to_end_uncapped') or {}).get('goal'), 0)} "
                                      "filings/s, cap lifted", 1),
              ("reprocess_all", f"`reprocess --all` ≥ {_f((g.get('reprocess_all') or {}).get('goal'), 0)} filings/s",
               1),
              ("capped_share_of_limit", "capped run: (requests ÷ cap) ÷ wall ≥ "
                                        f"{_f((g.get('capped_share_of_limit') or {}).get('goal'), 2)}", 3),
              ("requests_per_filing", "requests per filing ≤ "
                                      f"{_f((g.get('requests_per_filing') or {}).get('goal'), 2)} (no faults)", 3),
          )],
        f"| peak memory ≤ {_f(rss.get('goal_mb'), 0)} MB whatever N | {_holds(rss)} | "
        + ", ".join(f"{k}: {_f(v, 0)} MB" for k, v in (rss.get("measured_mb") or {}).items()) + " |",
        f"| time linear in N (time per filing at the largest N / smallest N ≤ {lin.get('goal_max_ratio', '?')}, "
        f"and no stage's time per filing growing more than that between the two largest N) | {_holds(lin)} | "
        f"end-to-end ratio {last}/{first} {lin.get('ratio_time_per_filing', '–')}, {last}/{prev} "
        f"{lin.get('ratio_time_per_filing_vs_previous', '–')} "
        f"({', '.join(f'{k}: {v} ms' for k, v in (lin.get('ms_per_filing') or {}).items())}); "
        f"per stage {last}/{prev}: "
        f"{', '.join(f'{k} {v}' for k, v in (lin.get('ratio_by_stage_vs_previous') or {}).items())}; "
        f"superlinear: {', '.join(lin.get('superlinear_stages') or []) or 'none'} |",
        f"| with the cap on, max requests in any second ≤ cap | {_holds(cap)} | "
        + ", ".join(f"{k}: {v['max_requests_in_any_second']} ≤ {v['rate_limit']}"
                    for k, v in (cap.get("measured") or {}).items()) + " |",
        f"| every filing loaded or failed with a recorded reason, no duplicates | "
        f"{'**holds**' if results.get('invariants_hold') else '**misses**'} | "
        f"{sum(1 for v in (results.get('invariants') or {}).values() if all(v.values()))}"
        f"/{len(results.get('invariants') or {})} runs |",
    ]
    extra: list[str] = []
    for r in runs:
        af = r.get("airflow")
        if af:
            extra.append(
                f"- **Airflow** ({r['name']}): `{af['command']}` took {_f(af['dags_test_s'])} s against "
                f"{_f(af['in_process_s'])} s in-process: `airflow_overhead_s` = {_f(af['overhead_s'])} "
                f"({_f(af.get('filings_per_s'))} filings/s; loaded {_f(af['loaded'])}, same as in-process: "
                f"{af['same_loaded_as_in_process']}; duplicates {af['duplicates']}; Airflow DB set-up "
                f"{_f(af['prepare_s'])} s not counted).")
        if r.get("dq_recall") is not None:
            kinds = ", ".join(f"{k} {v['flagged']}/{v['injected']}" for k, v in (r.get("dq_recall_by_kind") or {}).items())
            extra.append(
                f"- **Data quality** ({r['name']}): recall {r['dq_recall']}, precision {r.get('dq_precision')} "
                f"({r['dq_true_positives']} of {r['dq_injected']} filings with a printed mistake quarantined, "
                f"{r['dq_flagged']} quarantined in all; by kind: {kinds}).")
        ad = r.get("asset_data")
        if ad:
            extra.append(
                f"- **Asset data** ({r['name']}): {_f(ad['abs_ee_staged'])} of {_f(ad['abs_ee_in_truth'])} Form ABS-EE "
                f"filings staged with {_f(ad['assets_staged'])} of {_f(ad['assets_in_truth'])} assets, "
                f"{_f(ad['asset_periods_loaded'])} rows in `fct_asset_period`, {ad['abs_ee_quarantined']} quarantined.")
        if r.get("resume"):
            extra.append(
                f"- **Resume** ({r['name']}): {r.get('previously_not_loaded')} filings were not loaded after the "
                f"previous run; the re-run downloaded {r.get('refetched')} (`refetched`), skipped "
                f"{r.get('skipped_held')} already held, and left {r.get('loaded_after_resume')} loaded.")
    if extra:
        lines += ["", *extra]
    return "\n".join(lines)


def peer_block(peer: dict[str, Any] | None) -> str:
    if not peer:
        return "Not run yet: `.venv/bin/python bench/run_peer.py`."
    et = peer["edgartools"]
    lines = [
        f"Measured {peer.get('generated_at')} by `{peer.get('command')}`. {et.get('note', '')} "
        f"Network attempts blocked in the peer worker: {len(et.get('network_attempts_blocked') or [])}.",
        "",
        "| documents | parser | docs | ms/doc | values extracted | exact vs truth (class/pool values) "
        "| headline fields extracted | headline fields exact |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for src, label in (("synthetic-html", "synthetic HTML 10-D EX-99.1"), ("seed-as-html", "seed 8-K as HTML")):
        for name, side in (("ours (`parse_bytes`)", peer["ours"].get(src)),
                           (f"edgartools {et.get('version_run')}", peer["edgartools_summary"].get(src))):
            if not side:
                continue
            vm = (f"{_f(side['value_matches'])}/{_f(side['truth_values'])}" if side.get("value_matches") is not None
                  else "– (no per-class values)")
            lines.append(
                f"| {label} | {name} | {side['documents']} | {_f(side['ms_per_document'], 2)} "
                f"| {_f(side['values_extracted'])} | {vm} | {side['headline_extracted']}/{side['headline_fields_known']} "
                f"| {side['headline_exact']}/{side['headline_fields_known']} |")
    lines += ["", "Headline fields, exact matches per field (synthetic HTML):", "",
              "| field | ours | edgartools |", "|---|---:|---:|"]
    ours_f = (peer["ours"].get("synthetic-html") or {}).get("headline_exact_by_field", {})
    theirs_f = (peer["edgartools_summary"].get("synthetic-html") or {}).get("headline_exact_by_field", {})
    for field in sorted(set(ours_f) | set(theirs_f)):
        lines.append(f"| {field} | {ours_f.get(field, '–')} | {theirs_f.get(field, '–')} |")
    lines += ["", f"edgartools also returned {_f(peer.get('edgartools_tables'))} raw tables holding "
              f"{_f(peer.get('edgartools_numeric_cells'))} numeric cells as unlabelled strings (not counted as values)."]
    return "\n".join(lines)


def _replace(text: str, name: str, body: str) -> str:
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    block = f"{start}\n{body}\n{end}"
    if start in text and end in text:
        return re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _m: block, text, flags=re.S)
    return text.rstrip() + f"\n\n{block}\n"


def write_readme(results: dict[str, Any], path: Path = README) -> None:
    """Regenerate the result blocks of bench/README.md, keeping everything else."""
    text = path.read_text() if path.is_file() else "# Backfill benchmark\n"
    if results.get("runs"):
        text = _replace(text, "results", results_block(results))
    if results.get("peer"):
        text = _replace(text, "peer", peer_block(results["peer"]))
    path.write_text(text.rstrip() + "\n")
