"""EX-102 reader throughput and memory: one auto-loan file of 100,000 assets, on one core.

Goal (issue 17): >= 10,000 assets/s with peak RSS under 300 MB. The file (72 Schedule AL
elements per asset, the unused ones left out as filers do: ~70) is generated to a temporary
file first; each measurement then runs in a fresh process pinned to one core, so the peak
RSS is the reader's alone. Prints the figures; not a test.
Run: .venv/bin/python bench/bench_absee.py [assets] [runs]
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ASSETS_GOAL = 10_000
RSS_GOAL_MB = 300


def _measure(path: str, mode: str) -> dict[str, float]:
    """In this (fresh) process: read the whole file, optionally into Parquet; time and RSS."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    from etl.absee import read_assets

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu0, wall0 = time.process_time(), time.perf_counter()
    n = 0
    if mode == "parquet":
        from etl.absee.arrow import write_parquet

        with tempfile.TemporaryDirectory() as tmp:
            n = write_parquet(read_assets(path), Path(tmp) / "assets.parquet").assets
    else:
        total = 0
        for asset in read_assets(path):
            n += 1
            total += asset.end_balance is not None
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return {"assets": n, "cpu_s": cpu, "wall_s": wall, "rss_mb": resource.getrusage(
        resource.RUSAGE_SELF).ru_maxrss / 1024, "rss_at_start_mb": rss_before}


def _run(path: str, mode: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--measure", mode, path], check=True,
                         capture_output=True, text=True, timeout=1800)
    return json.loads(out.stdout)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        print(json.dumps(_measure(sys.argv[3], sys.argv[2])))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    from devtools.synth.absee import write_ex102

    with tempfile.TemporaryDirectory(prefix="bench-absee-") as tmp:
        path = os.path.join(tmp, "autoloan-ex102.xml")
        t0 = time.perf_counter()
        with open(path, "wb") as f:
            size = write_ex102(f, "autoloan", n)
        print(f"generated {n:,} auto-loan assets, {size / 1e6:.0f} MB ({size / n:,.0f} bytes/asset) "
              f"in {time.perf_counter() - t0:.1f} s")
        for mode in ("read", "parquet"):
            results = [_run(path, mode) for _ in range(runs)]
            best = min(results, key=lambda r: r["cpu_s"])
            rss = max(r["rss_mb"] for r in results)
            rate_cpu, rate_wall = best["assets"] / best["cpu_s"], best["assets"] / best["wall_s"]
            if mode == "read":
                flag = "ok" if rate_cpu >= ASSETS_GOAL and rss < RSS_GOAL_MB else "BELOW GOAL"
                goal = f"goal >= {ASSETS_GOAL:,}/s, < {RSS_GOAL_MB} MB: {flag}"
            else:
                goal = "(reading and writing Parquet: no goal set)"
            print(f"{mode:8s} {rate_cpu:9,.0f} assets/s per CPU-second (best of {runs}), "
                  f"{rate_wall:9,.0f} assets/s wall; peak RSS {rss:.0f} MB "
                  f"(interpreter and imports: {best['rss_at_start_mb']:.0f} MB)  {goal}")
    with contextlib.suppress(OSError):
        print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores "
              f"(other processes share this machine; the CPU-second rate is the one to compare)")


if __name__ == "__main__":
    main()
