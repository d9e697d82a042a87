"""Asset records to Arrow tables and Parquet files, in batches, so the warehouse loads in bulk."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from etl.absee.fields import (
    COLUMNS,
    DECIMAL_PRECISION,
    DECIMAL_SCALE,
    PROPERTY_COLUMNS,
    AssetRecord,
    PropertyRecord,
)

_DECIMAL = pa.decimal128(DECIMAL_PRECISION, DECIMAL_SCALE)
_ARROW_TYPES = {"text": pa.string(), "amount": _DECIMAL, "rate": _DECIMAL, "int": pa.int64(),
                "date": pa.date32(), "bool": pa.bool_()}

#: one row per asset and reporting period; `extra` is the JSON object of unmapped elements
ASSET_SCHEMA = pa.schema(
    [pa.field("asset_class", pa.string(), nullable=False), pa.field("source_line", pa.int64())]
    + [pa.field(name, _ARROW_TYPES[kind]) for name, kind in COLUMNS.items()]
    + [pa.field("property_count", pa.int32()), pa.field("extra", pa.string()),
       pa.field("problems", pa.list_(pa.string()))]
)
#: one row per CMBS property, keyed by its loan's asset number and its order under the loan
PROPERTY_SCHEMA = pa.schema(
    [pa.field("asset_number", pa.string()), pa.field("property_index", pa.int32()),
     pa.field("source_line", pa.int64())]
    + [pa.field(name, _ARROW_TYPES[kind]) for name, kind in PROPERTY_COLUMNS.items()]
    + [pa.field("extra", pa.string()), pa.field("problems", pa.list_(pa.string()))]
)


def _json(extra: dict[str, Any]) -> str:
    return json.dumps(extra, ensure_ascii=False, separators=(",", ":"))


def records_to_table(records: Iterable[AssetRecord]) -> pa.Table:
    """Asset records as one Arrow table (ASSET_SCHEMA); decimals stay exact, never float."""
    rows = list(records)
    data: dict[str, list[Any]] = {
        "asset_class": [r.asset_class for r in rows], "source_line": [r.line for r in rows]}
    for name in COLUMNS:
        data[name] = [getattr(r, name) for r in rows]
    data["property_count"] = [len(r.properties) for r in rows]
    data["extra"] = [_json(r.extra) for r in rows]
    data["problems"] = [r.problems for r in rows]
    return pa.Table.from_pydict(data, schema=ASSET_SCHEMA)


def properties_to_table(properties: Iterable[PropertyRecord]) -> pa.Table:
    """CMBS property records as one Arrow table (PROPERTY_SCHEMA)."""
    rows = list(properties)
    data: dict[str, list[Any]] = {
        "asset_number": [p.asset_number for p in rows], "property_index": [p.property_index for p in rows],
        "source_line": [p.line for p in rows]}
    for name in PROPERTY_COLUMNS:
        data[name] = [getattr(p, name) for p in rows]
    data["extra"] = [_json(p.extra) for p in rows]
    data["problems"] = [p.problems for p in rows]
    return pa.Table.from_pydict(data, schema=PROPERTY_SCHEMA)


def iter_batches(records: Iterable[AssetRecord], batch_size: int = 5_000) -> Iterator[list[AssetRecord]]:
    """Records in lists of ``batch_size``: the unit of memory while writing (an auto-loan
    record is ~10 KB as Python objects, so 5,000 of them ~50 MB)."""
    it = iter(records)
    while batch := list(islice(it, batch_size)):
        yield batch


@dataclass(frozen=True)
class WriteCounts:
    """What a Parquet write produced."""

    assets: int
    properties: int
    with_problems: int


def write_parquet(records: Iterable[AssetRecord], path: str | os.PathLike[str], *,
                  properties_path: str | os.PathLike[str] | None = None,
                  batch_size: int = 5_000) -> WriteCounts:
    """Stream records into a Parquet file (and CMBS properties into a second one), batch by batch.

    Properties are never dropped silently: a record carrying some without ``properties_path``
    raises ValueError before anything is written for that batch.
    """
    assets = properties = with_problems = 0
    prop_writer: pq.ParquetWriter | None = None
    with pq.ParquetWriter(path, ASSET_SCHEMA) as writer:
        try:
            for batch in iter_batches(records, batch_size):
                props = [p for r in batch for p in r.properties]
                if props and properties_path is None:
                    raise ValueError(f"{batch[0].asset_class} records carry properties: pass "
                                     f"properties_path so they are written, not dropped")
                writer.write_table(records_to_table(batch))
                if props:
                    if prop_writer is None:
                        assert properties_path is not None
                        prop_writer = pq.ParquetWriter(properties_path, PROPERTY_SCHEMA)
                    prop_writer.write_table(properties_to_table(props))
                assets += len(batch)
                properties += len(props)
                with_problems += sum(1 for r in batch if r.problems)
        finally:
            if prop_writer is not None:
                prop_writer.close()
    return WriteCounts(assets, properties, with_problems)
