"""The standard suite behind ``make bench``: fixed sizes and scenarios, each run as its own
``edgar-etl bench`` process so every row's peak memory is that run's alone.

Writes ``bench/results.json`` (every row's full JSON, the goals and whether they hold) and
regenerates ``bench/README.md`` from it.
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devtools.bench.corpus import ROOT, corpus_for, work_root

RESULTS = ROOT / "bench" / "results.json"
README = ROOT / "bench" / "README.md"
SIZES = (1000, 5000, 20000, 100000)  # issue 16: memory and time per filing judged at 100k
PVL_GOAL = 150.0  # filings/s for parse + validate + load, cap lifted
E2E_GOAL = 100.0  # filings/s end to end, cap lifted, at every size
REPROCESS_GOAL = 150.0  # filings/s of `reprocess --all` on held filings
CAPPED_SHARE_GOAL = 0.95  # wall of a capped run >= this share of the limit (requests / cap)
REQUESTS_PER_FILING_GOAL = 1.02
RSS_GOAL_MB = 1024.0  # 1 GB, whatever N
LINEAR_GOAL = 1.2  # time per filing at the largest size / at the smallest
RUN_TIMEOUT_S = 3 * 3600  # one row; a 20k run takes minutes, never hours


@dataclass(frozen=True)
class Row:
    name: str
    args: tuple[str, ...]
    filings: int
    inject_errors: float = 0.0
    asset_data: int = 0

    @property
    def command(self) -> str:
        return "edgar-etl bench " + " ".join(shlex.quote(a) for a in self.args) + " --json"


def suite(sizes: tuple[int, ...] = SIZES) -> list[Row]:
    """The rows, in the order they run (the two resume rows share one data dir)."""
    rows = [Row(f"uncapped-{n}", ("--filings", str(n), "--uncapped",
                                  *(("--airflow", "--reprocess") if i == 0 else ())), n)
            for i, n in enumerate(sizes)]
    rows += [
        Row("capped-600", ("--filings", "600", "--rate-limit", "10"), 600),
        Row("faults-500", ("--filings", "500", "--fault-rate", "0.1", "--uncapped"), 500),
        Row("faults-500-no-retry", ("--filings", "500", "--fault-rate", "0.1", "--max-retries", "1", "--uncapped",
                                    "--label", "resume-500"), 500),
        Row("resume-500", ("--filings", "500", "--uncapped", "--resume", "--label", "resume-500"), 500),
        Row("dq-1000", ("--filings", "1000", "--inject-errors", "0.1", "--uncapped"), 1000, 0.1),
        Row("absee-600", ("--filings", "600", "--uncapped", "--asset-data", "500"), 600, asset_data=500),
    ]
    return rows


def _run_row(row: Row, work: Path | None) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "etl.cli", "bench", *row.args, "--json"]
    if work:
        cmd += ["--work-dir", str(work)]
    t = time.perf_counter()
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
                         env={**os.environ, "EDGAR_LOG_LEVEL": "WARNING"})
    wall = time.perf_counter() - t
    lines = [ln for ln in res.stdout.splitlines() if ln.startswith("{")]
    if res.returncode != 0 or not lines:
        return {"name": row.name, "command": row.command, "error": f"exit {res.returncode}",
                "stderr_tail": res.stderr[-3000:], "wall_s": round(wall, 1)}
    out = json.loads(lines[-1])
    out.update(name=row.name, command=row.command, wall_s=round(wall, 1))
    return out


def evaluate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The four goals and the invariants, each with the figures it was judged on."""
    ok = [r for r in rows if "error" not in r]
    unc = sorted((r for r in ok if r["name"].startswith("uncapped-")), key=lambda r: r["filings"])
    goals: dict[str, Any] = {}
    pvl = {r["name"]: r["parse_validate_load_filings_per_s"] for r in unc}
    goals["parse_validate_load_ge_100_per_s"] = {
        "holds": bool(pvl) and all((v or 0) >= PVL_GOAL for v in pvl.values()), "goal": PVL_GOAL, "measured": pvl}
    e2e = {r["name"]: r["end_to_end_filings_per_s"] for r in unc}
    goals["end_to_end_uncapped"] = {
        "holds": bool(e2e) and all((v or 0) >= E2E_GOAL for v in e2e.values()), "goal": E2E_GOAL, "measured": e2e}
    rep = {r["name"]: r["reprocess"]["filings_per_s"] for r in ok if r.get("reprocess")}
    goals["reprocess_all"] = {
        "holds": bool(rep) and all((v or 0) >= REPROCESS_GOAL for v in rep.values()), "goal": REPROCESS_GOAL,
        "measured": rep}
    share = {r["name"]: round(r["requests"] / r["rate_limit"] / r["timings_s"]["total"], 3)
             for r in ok if r.get("rate_limit") and r["timings_s"].get("total")}
    goals["capped_share_of_limit"] = {
        "holds": bool(share) and all(v >= CAPPED_SHARE_GOAL for v in share.values()), "goal": CAPPED_SHARE_GOAL,
        "measured": share}
    per = {r["name"]: round(r["requests"] / r["filings"], 3) for r in ok
           if r.get("filings") and not r.get("fault_rate") and not r.get("resume")}
    goals["requests_per_filing"] = {
        "holds": bool(per) and all(v <= REQUESTS_PER_FILING_GOAL for v in per.values()),
        "goal": REQUESTS_PER_FILING_GOAL, "measured": per}
    rss = {r["name"]: r["peak_rss_mb"] for r in ok}
    goals["peak_rss_within_goal"] = {
        "holds": bool(rss) and all(v < RSS_GOAL_MB for v in rss.values()), "goal_mb": RSS_GOAL_MB, "measured_mb": rss}
    if len(unc) >= 2:
        goals["time_linear_in_n"] = linearity(unc)
    capped = [r for r in ok if r.get("rate_limit")]
    goals["cap_never_exceeded"] = {
        "holds": bool(capped) and all(r["max_requests_in_any_second"] <= r["rate_limit"] for r in capped),
        "measured": {r["name"]: {"max_requests_in_any_second": r["max_requests_in_any_second"],
                                 "rate_limit": r["rate_limit"]} for r in capped},
    }
    inv = {r["name"]: {"loaded_plus_failed_eq_filings": r["loaded"] + r["failed_recorded"] == r["filings"],
                       "duplicates_zero": r["duplicates"] == 0, "unaccounted_zero": r["unaccounted"] == 0}
           for r in ok}
    holds = all(all(v.values()) for v in inv.values()) and len(ok) == len(rows)
    return {"goals": goals, "invariants": inv, "invariants_hold": holds}


def _per_filing(r: dict[str, Any], stage: str) -> float:
    return r["timings_s"][stage] / r["filings"]


def linearity(unc: list[dict[str, Any]]) -> dict[str, Any]:
    """Time per filing at the largest N over the smallest (the brief's ratio) and over the next
    largest, end to end and per stage. Fixed costs (imports, worker start) flatter the first
    ratio, so the verdict also needs every stage to stay within the goal between the two
    largest sizes: a stage whose time per filing grows is not linear, whatever the total says.
    """
    small, prev, big = unc[0], unc[-2], unc[-1]
    stages = ("fetch", "parse", "stage", "validate", "publish", "total")
    vs_smallest = {st: round(_per_filing(big, st) / _per_filing(small, st), 3) for st in stages}
    vs_previous = {st: round(_per_filing(big, st) / _per_filing(prev, st), 3) for st in stages}
    pvl = {r["name"]: round(1000 / r["parse_validate_load_filings_per_s"], 2) for r in unc}
    superlinear = sorted(st for st, v in vs_previous.items() if v > LINEAR_GOAL)
    return {
        "holds": vs_smallest["total"] <= LINEAR_GOAL and not superlinear, "goal_max_ratio": LINEAR_GOAL,
        "ratio_time_per_filing": vs_smallest["total"],
        "ratio_time_per_filing_vs_previous": vs_previous["total"],
        "ratio_parse_validate_load_per_filing": round(pvl[big["name"]] / pvl[small["name"]], 3),
        "ratio_by_stage_vs_smallest": vs_smallest, "ratio_by_stage_vs_previous": vs_previous,
        "superlinear_stages": superlinear, "compared": [small["name"], prev["name"], big["name"]],
        "ms_per_filing": {r["name"]: round(_per_filing(r, "total") * 1000, 2) for r in unc},
        "parse_validate_load_ms_per_filing": pvl,
    }


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1)}


def run_standard(work: Path | None = None, sizes: tuple[int, ...] | None = None) -> dict[str, Any]:
    """Run every row, write bench/results.json and bench/README.md, return the summary."""
    from devtools.bench.report import write_readme

    rows_spec = suite(sizes or SIZES)
    started = datetime.now(UTC).isoformat(timespec="seconds")
    # Corpora first, in this process: generation is not part of any row's time or memory.
    gen: dict[str, float | None] = {}
    for spec in sorted({(r.filings, r.inject_errors, r.asset_data) for r in rows_spec}):
        c = corpus_for(spec[0], spec[1], work=work_root(work), asset_data=spec[2])
        name = f"n{spec[0]}-e{spec[1]:g}" + (f"-a{spec[2]}" if spec[2] else "")
        gen[name] = round(c.generate_s, 1) if c.generate_s is not None else None
    rows = []
    for spec in rows_spec:
        print(f"bench: {spec.command}", file=sys.stderr, flush=True)
        rows.append(_run_row(spec, work))
    previous = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    results = {
        "generated_at": started,
        "command": "edgar-etl bench --standard --json",
        "machine": machine(),
        "corpus_generate_s": gen,
        **evaluate(rows),
        "runs": rows,
    }
    if "peer" in previous:
        results["peer"] = previous["peer"]  # written by bench/run_peer.py; kept across suite runs
    if work is None:
        RESULTS.write_text(json.dumps(results, indent=1, default=str) + "\n")
        write_readme(results)
    return {k: v for k, v in results.items() if k != "runs"} | {
        "runs": [{k: r.get(k) for k in ("name", "command", "filings", "loaded", "failed_recorded", "duplicates",
                                         "end_to_end_filings_per_s", "parse_validate_load_filings_per_s",
                                         "peak_rss_mb", "max_requests_in_any_second", "error")} for r in rows]}
