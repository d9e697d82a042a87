"""Synthetic corpora for the benchmark, generated once per parameter set and cached.

Generating 20k filings takes minutes; the benchmark measures the pipeline, not the generator,
so a corpus is kept under ``bench/.work/corpus/`` keyed by its parameters and by a hash of the
generator's source (a changed generator must not be measured against a stale corpus).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from filelock import FileLock

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_WORK = ROOT / "bench" / ".work"
SYNTH_DIR = Path(__file__).resolve().parents[1] / "synth"
DEFAULT_SEED = 20040101
START = date(2004, 1, 1)
# Months of filing history per deal: long enough that deals see 10-Ks and amendments, short
# enough that a small N still spans several deals and so all three layouts.
MAX_MONTHS = 24
MIN_MONTHS = 6


def work_root(override: str | Path | None = None) -> Path:
    """Where corpora and run folders live (``EDGAR_BENCH_WORK`` or ``bench/.work``)."""
    return Path(override or os.environ.get("EDGAR_BENCH_WORK") or DEFAULT_WORK).resolve()


def synth_fingerprint() -> str:
    """Hash of the generator's source files: part of the cache key."""
    h = hashlib.sha256()
    for path in sorted(SYNTH_DIR.rglob("*")):
        if path.suffix in (".py", ".yaml", ".yml", ".json") and "__pycache__" not in path.parts:
            h.update(path.relative_to(SYNTH_DIR).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


@dataclass(frozen=True)
class Corpus:
    """A generated mirror tree and what is known about it."""

    root: Path  # the mirror's root
    filings: int  # ABS filings in ground_truth.jsonl: what a backfill must find and account for
    submissions: int  # every submission written, the non-ABS noise filings included (= N)
    start: date  # first and last filing date: the backfill's date range
    end: date
    ground_truth: Path
    manifest: dict[str, Any]
    generate_s: float | None  # None: reused from the cache

    def truth(self) -> Iterator[dict[str, Any]]:
        """Ground-truth records of the ABS filings (noise filings, which discovery must drop, left out)."""
        with open(self.ground_truth, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    if rec.get("kind") != "noise":
                        yield rec


def _shape(filings: int) -> tuple[int, int]:
    """(deals, months) giving at least ``filings`` submissions; ``max_filings`` trims the rest."""
    from devtools.synth import plan_corpus

    return plan_corpus(filings, months=min(MAX_MONTHS, max(MIN_MONTHS, filings // 50)))


#: First filing date of a corpus with asset data: Regulation AB II (10-D and ABS-EE) era.
ASSET_DATA_START = date(2017, 1, 1)


def _key(filings: int, inject_errors: float, seed: int, asset_data: int = 0) -> str:
    assets = f"-a{asset_data}" if asset_data else ""
    return f"n{filings}-e{inject_errors:g}{assets}-s{seed}-g{synth_fingerprint()}"


def _truth_summary(path: Path) -> tuple[int, int, date, date]:
    """(ABS filings, all submissions, first and last filing date) of a ground-truth file."""
    n = abs_n = 0
    lo: date | None = None
    hi: date | None = None
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            d = date.fromisoformat(str(rec["filed_date"])[:10])
            lo = d if lo is None or d < lo else lo
            hi = d if hi is None or d > hi else hi
            n += 1
            abs_n += rec.get("kind") != "noise"
    if lo is None or hi is None:
        raise RuntimeError(f"{path} lists no filings")
    return abs_n, n, lo, hi


def corpus_for(filings: int, inject_errors: float = 0.0, seed: int = DEFAULT_SEED,
               work: Path | None = None, asset_data: int = 0) -> Corpus:
    """The cached corpus for these parameters, generating it (atomically) if absent. With
    ``asset_data`` > 0 the deals file 10-Ds from 2017 on, each with a Form ABS-EE of that many
    assets (Schedule AL), so the backfill covers asset-level data too."""
    from devtools.synth import generate

    base = (work or work_root()) / "corpus"
    base.mkdir(parents=True, exist_ok=True)
    target = base / _key(filings, inject_errors, seed, asset_data)
    took: float | None = None
    with FileLock(str(target) + ".lock", timeout=3600):
        if not (target / ".complete").is_file():
            tmp = target.with_name(target.name + ".tmp")
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(target, ignore_errors=True)
            deals, months = _shape(filings)
            t = time.perf_counter()
            for attempt in range(4):  # bounded: grow the shape until the generator yields enough
                summary = generate(tmp, deals=deals, months=months, seed=seed, inject_errors=inject_errors,
                                   start=ASSET_DATA_START if asset_data else START, max_filings=filings,
                                   asset_data=asset_data)
                if summary.filings >= filings or attempt == 3:
                    break
                deals = math.ceil(deals * 1.5 * filings / max(summary.filings, 1))
            took = time.perf_counter() - t
            (tmp / ".complete").write_text(json.dumps({"filings": filings, "deals": deals, "months": months,
                                                       "seed": seed, "inject_errors": inject_errors,
                                                       "asset_data": asset_data}))
            os.replace(tmp, target)
    truth = target / "ground_truth.jsonl"
    abs_n, n, lo, hi = _truth_summary(truth)
    manifest = json.loads((target / "manifest.json").read_text())
    return Corpus(target, abs_n, n, lo, hi, truth, manifest, took)

