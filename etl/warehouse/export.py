"""The marts as Parquet files, for tools that do not read DuckDB (the ``edgar_export`` DAG).

Read from the published warehouse (read-only: the export never blocks the loader, and sees one
consistent published copy), streamed in record batches so memory stays flat, and written beside
the data: ``$EDGAR_DATA_DIR/export/{mart}.parquet`` plus ``manifest.json`` (row counts, when, from
which warehouse). Each file is written to a temporary name and renamed, so a reader sees the
previous export or the new one, never half a file.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any

from etl.config import Settings

MART_PREFIX = "mart_"


def marts(con: Any) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_name LIKE ? ORDER BY table_name", [MART_PREFIX + "%"]).fetchall()]


def export_marts(settings: Settings, batch_rows: int = 100_000) -> dict[str, Any]:
    """Write every ``mart_*`` table of the published warehouse as Parquet; returns the manifest."""
    import pyarrow.parquet as pq

    from etl.warehouse import db

    out_dir = settings.export_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    con = db.reader(settings)
    files: dict[str, dict[str, Any]] = {}
    try:
        for name in marts(con):
            target = out_dir / f"{name}.parquet"
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            reader = con.sql(f'SELECT * FROM "{name}"').fetch_arrow_reader(batch_rows)
            rows = 0
            try:
                with pq.ParquetWriter(tmp, reader.schema) as writer:
                    for batch in reader:
                        writer.write_batch(batch)
                        rows += batch.num_rows
                os.replace(tmp, target)
            finally:
                tmp.unlink(missing_ok=True)
            files[name] = {"path": str(target), "rows": rows}
    finally:
        con.close()
    manifest = {"warehouse": str(settings.warehouse),
                "warehouse_modified": datetime.fromtimestamp(settings.warehouse.stat().st_mtime, UTC).isoformat(),
                "exported_at": datetime.now(UTC).isoformat(), "marts": files}
    tmp = out_dir / f".manifest.json.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    os.replace(tmp, out_dir / "manifest.json")
    return manifest
