"""The backfill benchmark on a 30-filing corpus: its JSON keys and invariants, never timing goals.

Two runs share one data dir: a capped run through a faulty mirror with injected printing
mistakes and a single retry (so some fetches fail and are recorded), then ``--resume``, which
must download exactly the filings that failed and nothing else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from devtools.bench import peer
from devtools.bench.runner import BenchOptions, run_bench
from devtools.bench.standard import evaluate

N = 30
CAP = 20.0
KEYS = {
    "filings", "loaded", "failed_recorded", "duplicates", "end_to_end_filings_per_s", "stages_filings_per_s",
    "peak_rss_mb", "max_requests_in_any_second", "rate_limit", "requests", "faults_injected", "quarantined",
    "retries", "refetched", "dq_recall", "dq_precision", "timings_s", "unaccounted",
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    work = tmp_path_factory.mktemp("bench")
    first = run_bench(BenchOptions(filings=N, fault_rate=0.2, inject_errors=0.2, rate_limit=CAP, max_retries=1,
                                   workers=2, batch_size=10, label="t", work=work))
    again = run_bench(BenchOptions(filings=N, inject_errors=0.2, uncapped=True, resume=True, workers=2,
                                   batch_size=10, label="t", work=work))
    return {"first": first, "resume": again}


def _invariants(r: dict[str, Any]) -> None:
    assert r["loaded"] + r["failed_recorded"] == r["filings"]
    assert r["unaccounted"] == 0
    assert r["duplicates"] == 0 and set(r["duplicates_by_table"].values()) == {0}


def test_first_run_keys_and_invariants(runs: dict[str, dict[str, Any]]) -> None:
    r = runs["first"]
    assert set(r) >= KEYS
    assert set(r["stages_filings_per_s"]) == {"fetch", "parse", "validate", "load"}
    assert 0 < r["filings"] <= r["corpus_submissions"] == N
    assert r["discovered"] == r["filings"] and r["not_discovered"] == 0
    _invariants(r)
    assert r["rate_limit"] == CAP
    assert r["max_requests_in_any_second"] <= CAP
    assert sum(r["faults_injected"].values()) > 0
    assert r["peak_rss_mb"] > 0
    assert 0.0 <= r["dq_recall"] <= 1.0 and 0.0 <= r["dq_precision"] <= 1.0


def test_resume_fetches_only_what_failed(runs: dict[str, dict[str, Any]]) -> None:
    first, r = runs["first"], runs["resume"]
    _invariants(r)
    failed_before = first["fetch_status"].get("fetch_failed", 0)
    assert r["previously_fetch_failed"] == failed_before
    assert r["refetched"] == failed_before
    assert r["skipped_held"] == r["filings"] - failed_before
    assert r["rate_limit"] is None


def test_goals_are_judged_from_measurements() -> None:
    def row(name: str, n: int, total: float, pvl: float, rss: float, **kw: Any) -> dict[str, Any]:
        stages = {st: total / 5 for st in ("fetch", "parse", "stage", "validate", "publish")}
        stages["validate"] = kw.get("validate", stages["validate"])
        return {"name": name, "filings": n, "loaded": n, "failed_recorded": 0, "unaccounted": 0, "duplicates": 0,
                "timings_s": {"total": total, **stages}, "parse_validate_load_filings_per_s": pvl,
                "peak_rss_mb": rss, "max_requests_in_any_second": kw.get("peak", 50), "rate_limit": kw.get("cap"),
                "end_to_end_filings_per_s": n / total, "requests": kw.get("requests", n),
                **({"reprocess": {"filings_per_s": kw["reprocess"]}} if "reprocess" in kw else {})}

    out = evaluate([row("uncapped-1000", 1000, 10.0, 150.0, 500.0, reprocess=120.0),
                    row("uncapped-5000", 5000, 50.0, 150.0, 600.0),
                    row("uncapped-20000", 20000, 200.0, 90.0, 900.0, validate=80.0),
                    row("capped-300", 300, 40.0, 150.0, 400.0, peak=10, cap=10.0, requests=330)])
    g = out["goals"]
    assert not g["parse_validate_load_ge_100_per_s"]["holds"]
    assert g["peak_rss_within_goal"]["holds"]
    assert g["end_to_end_uncapped"]["holds"] and g["end_to_end_uncapped"]["measured"]["uncapped-5000"] == 100.0
    assert not g["reprocess_all"]["holds"] and g["reprocess_all"]["measured"] == {"uncapped-1000": 120.0}
    # 330 requests at 10/s allow 33 s; the run took 40 s
    assert g["capped_share_of_limit"]["measured"] == {"capped-300": 0.825} and not g["capped_share_of_limit"]["holds"]
    assert g["requests_per_filing"]["measured"]["capped-300"] == 1.1 and not g["requests_per_filing"]["holds"]
    lin = g["time_linear_in_n"]
    assert lin["ratio_time_per_filing"] == 1.0 and lin["superlinear_stages"] == ["validate"] and not lin["holds"]
    assert g["cap_never_exceeded"]["holds"] and out["invariants_hold"]


def test_seed_renders_as_html_tables(tmp_path: Path) -> None:
    html = peer.seed_to_html("Title line\n\nClass    Cusip     Bal\n1-A1     86359A6H1     239,771,286\n")
    assert html.count("<table") == 1 and "<td>239,771,286</td>" in html and "<p>Title line</p>" in html
    truth = {"distribution_date": "2003-12-26", "classes": [{"class": "1-A1", "principal": 5.0, "interest": 1.0}],
             "pools": [{"pool": "Total", "beginning_balance": 10.0, "ending_balance": 5.0}]}
    got = {"distribution_date": "2003-12-26", "classes": [{"class": "1-A1*", "principal": 5.0, "interest": None}],
           "pools": [{"pool": "Total", "beginning_balance": 10.0, "ending_balance": 5.01}]}
    assert peer.value_matches(got, truth) == (2, 4)
    assert peer.values_extracted(got) == 3


def test_corpus_cache_key_covers_the_generator_source() -> None:
    """The corpus cache is keyed by the generator's source: a key over no files would reuse a
    corpus after the generator changed."""
    import hashlib

    from devtools.bench.corpus import SYNTH_DIR, synth_fingerprint

    assert (SYNTH_DIR / "generate.py").is_file()
    assert synth_fingerprint() != hashlib.sha256(b"").hexdigest()[:12]


def test_a_corpus_with_asset_data_is_backfilled_and_counted(tmp_path: Path) -> None:
    """``--asset-data``: 10-Ds from 2017 with their ABS-EEs; every ABS-EE and asset of the truth is
    staged and loaded, and a second reprocess touches no server."""
    r = run_bench(BenchOptions(filings=24, uncapped=True, asset_data=15, workers=2, batch_size=10, label="a",
                               work=tmp_path, reprocess=True))
    _invariants(r)
    ad = r["asset_data"]
    assert ad["abs_ee_in_truth"] >= 8 and ad["abs_ee_staged"] == ad["abs_ee_in_truth"]
    assert ad["assets_staged"] == ad["assets_in_truth"] == ad["asset_periods_loaded"] == 15 * ad["abs_ee_in_truth"]
    assert ad["abs_ee_quarantined"] == 0
    assert r["corpus"]["start"] >= "2017-01-01"
    assert r["reprocess"]["reprocessed"] == r["filings"] and r["reprocess"]["requests"] == 0
