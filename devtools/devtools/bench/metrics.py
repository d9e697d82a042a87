"""What a benchmark run left in the warehouse: nothing lost, nothing doubled, errors caught.

Read from the published warehouse (what analysts see), never from the pipeline's own return
values: a count that the loader reports but the warehouse does not hold proves nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb

from etl.config import Settings

# (table, grain) pairs: rows beyond one per grain value are duplicates.
GRAINS: tuple[tuple[str, str], ...] = (
    ("raw_filing", "accession"),
    ("dim_filing", "accession"),
    ("fct_class_distribution", "deal_key, class_key, date_key"),
    ("fct_pool_period", "deal_key, pool_key, date_key"),
    ("fct_delinquency", "deal_key, pool_key, bucket, date_key"),
)


def _open(data_dir: Path) -> duckdb.DuckDBPyConnection | None:
    path = Path(data_dir) / "warehouse.duckdb"
    if not path.is_file():
        return None
    return duckdb.connect(str(path), read_only=True)


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def statuses(data_dir: Path) -> dict[str, str]:
    """accession -> "stage:status" from the published warehouse ({} when there is none yet)."""
    con = _open(data_dir)
    if con is None:
        return {}
    try:
        return dict(con.execute("SELECT accession, stage || ':' || status FROM etl_status").fetchall())
    finally:
        con.close()


def duplicates(settings: Settings) -> dict[str, Any]:
    """Rows beyond one per grain value, per table, and their total."""
    con = _open(settings.data_dir)
    if con is None:
        return {"total": 0, "by_table": {}}
    try:
        have = _tables(con)
        by_table = {}
        for table, grain in GRAINS:
            if table in have:
                by_table[table] = int(con.execute(
                    f"SELECT count(*) - count(DISTINCT ({grain})) FROM {table}").fetchone()[0])
        return {"total": sum(by_table.values()), "by_table": by_table}
    finally:
        con.close()


def outcome(settings: Settings, corpus: Any, discovered: Iterable[str]) -> dict[str, Any]:
    """Loaded / failed-with-a-reason / unaccounted, per filing of the corpus's ground truth.

    A filing counts as ``failed_recorded`` when it is not loaded and the warehouse says why:
    a reason in ``etl_status``, or a row in ``fetch_log`` or ``pipeline_error``. Anything
    else (including a filing discovery never listed) is ``unaccounted``: silently lost.
    """
    truth = {str(rec["accession"]) for rec in corpus.truth()}
    found = set(discovered)
    con = _open(settings.data_dir)
    if con is None:
        raise RuntimeError(f"no published warehouse under {settings.data_dir}")
    try:
        status = {r[0]: (r[1], r[2], r[3]) for r in con.execute(
            "SELECT accession, stage, status, reason FROM etl_status").fetchall()}
        logged = {r[0] for r in con.execute(
            "SELECT accession FROM fetch_log UNION SELECT accession FROM pipeline_error").fetchall()}
        quarantined = int(con.execute(
            "SELECT count(*) FROM dq_filing_status WHERE status = 'fail'").fetchone()[0])
        dq = dict(con.execute("SELECT status, count(*) FROM dq_filing_status GROUP BY ALL").fetchall())
    finally:
        con.close()
    loaded = failed = 0
    unaccounted: list[str] = []
    not_loaded: Counter[str] = Counter()
    for acc in sorted(truth):
        st = status.get(acc)
        if st and st[1] == "loaded":
            loaded += 1
            continue
        if st and (st[2] or acc in logged) or (st is None and acc in logged):
            failed += 1
            not_loaded[f"{st[0]}:{st[1]}" if st else "fetch:logged"] += 1
        else:
            unaccounted.append(acc)
    dups = duplicates(settings)
    return {
        "loaded": loaded,
        "failed_recorded": failed,
        "unaccounted": len(unaccounted),
        "unaccounted_sample": unaccounted[:5],
        "not_discovered": len(truth - found),
        "not_in_ground_truth": len(found - truth),
        "not_loaded_by_stage": dict(not_loaded),
        "quarantined": quarantined,
        "dq_status": {str(k): int(v) for k, v in dq.items()},
        "duplicates": dups["total"],
        "duplicates_by_table": dups["by_table"],
    }


def _error_of(rec: dict[str, Any]) -> dict[str, Any] | None:
    """The injected printing mistake a ground-truth record carries, if any."""
    for key in ("error", "injected_error", "injected"):
        value = rec.get(key)
        if isinstance(value, dict):
            return value
    errors = rec.get("errors")
    if isinstance(errors, list) and errors:
        return errors[0] if isinstance(errors[0], dict) else {"kind": str(errors[0])}
    return None


def dq_scores(settings: Settings, corpus: Any) -> dict[str, Any]:
    """Recall and precision of quarantine (dq status ``fail``) against the injected errors.

    Scored over the filings that reached validation (a filing that failed to fetch was never
    given a chance to be flagged); recall is also broken down by kind of injected error.
    """
    con = _open(settings.data_dir)
    if con is None:
        return {}
    try:
        dq = dict(con.execute("SELECT accession, status FROM dq_filing_status").fetchall())
    finally:
        con.close()
    truth = {str(r["accession"]): _error_of(r) for r in corpus.truth()}
    scored = [a for a in truth if a in dq]
    flagged = {a for a in scored if dq[a] == "fail"}
    injected = {a for a in scored if truth[a] is not None}
    tp = len(flagged & injected)
    by_kind: dict[str, dict[str, int]] = {}
    for a in injected:
        kind = str(truth[a].get("kind", "unknown"))  # type: ignore[union-attr]
        k = by_kind.setdefault(kind, {"injected": 0, "flagged": 0})
        k["injected"] += 1
        k["flagged"] += a in flagged
    return {
        "dq_recall": round(tp / len(injected), 4) if injected else None,
        "dq_precision": round(tp / len(flagged), 4) if flagged else None,
        "dq_scored_filings": len(scored),
        "dq_injected": len(injected),
        "dq_flagged": len(flagged),
        "dq_true_positives": tp,
        "dq_recall_by_kind": dict(sorted(by_kind.items())),
        "dq_false_positive_sample": sorted(flagged - injected)[:5],
    }


def asset_data(settings: Settings, corpus: Any) -> dict[str, Any]:
    """What an ABS-EE corpus put in the warehouse, against its ground truth: Form ABS-EE filings
    and assets in the truth, staged, loaded into ``fct_asset_period``, and quarantined."""
    truth = [rec for rec in corpus.truth() if rec.get("kind") == "asset_data"]
    con = _open(settings.data_dir)
    if con is None:
        raise RuntimeError(f"no published warehouse under {settings.data_dir}")
    try:
        staged, staged_assets = con.execute(
            "SELECT count(*), coalesce(sum(asset_count), 0) FROM stg_asset_filing").fetchone()
        loaded = con.execute("SELECT count(*) FROM fct_asset_period").fetchone()[0]
        quarantined = con.execute(
            "SELECT count(*) FROM dq_filing_status WHERE status = 'fail' "
            "AND accession IN (SELECT accession FROM stg_asset_filing)").fetchone()[0]
    finally:
        con.close()
    return {"abs_ee_in_truth": len(truth),
            "assets_in_truth": sum(int(rec.get("asset_count") or len(rec.get("assets") or [])) for rec in truth),
            "abs_ee_staged": int(staged), "assets_staged": int(staged_assets),
            "asset_periods_loaded": int(loaded), "abs_ee_quarantined": int(quarantined)}
