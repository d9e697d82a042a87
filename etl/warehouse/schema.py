"""Apply the SQL models in ``etl/sql/`` to a DuckDB connection, layer by layer, idempotently.

Each file creates the object it is named after. Layers run in a fixed order; inside a layer a
file may name what it needs with ``-- depends_on: a, b`` and is applied after those.
State tables use ``CREATE TABLE IF NOT EXISTS``; derived models use ``CREATE OR REPLACE``,
so applying the whole tree again is always safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parents[1] / "sql"

#: Order of the layers. "state" layers hold data the loader writes; the rest are rebuilt.
LAYERS: tuple[str, ...] = (
    "macros", "raw", "staging", "quality", "intermediate", "dims", "facts", "marts", "views",
)
STATE_LAYERS: tuple[str, ...] = ("macros", "raw", "staging")

_DEPENDS = re.compile(r"^--\s*depends_on:\s*(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Model:
    name: str
    layer: str
    path: Path
    sql: str
    depends_on: tuple[str, ...]


def _sorted_layer(models: list[Model]) -> list[Model]:
    by_name = {m.name: m for m in models}
    done: set[str] = set()
    out: list[Model] = []

    def visit(m: Model, stack: tuple[str, ...]) -> None:
        if m.name in done:
            return
        if m.name in stack:
            raise ValueError(f"dependency cycle in etl/sql/{m.layer}: {' -> '.join(stack + (m.name,))}")
        for dep in m.depends_on:
            if dep in by_name:
                visit(by_name[dep], stack + (m.name,))
        done.add(m.name)
        out.append(m)

    for m in sorted(models, key=lambda m: m.name):
        visit(m, ())
    return out


@cache
def load_models(sql_dir: Path = SQL_DIR) -> tuple[Model, ...]:
    """All models in apply order (read once per process: the package's files do not change)."""
    ordered: list[Model] = []
    for layer in LAYERS:
        folder = sql_dir / layer
        models = []
        for path in sorted(folder.glob("*.sql")):
            text = path.read_text()
            deps: list[str] = []
            for match in _DEPENDS.finditer(text):
                deps += [d.strip() for d in match.group(1).split(",") if d.strip()]
            models.append(Model(path.stem, layer, path, text, tuple(deps)))
        ordered += _sorted_layer(models)
    return tuple(ordered)


def apply(con: duckdb.DuckDBPyConnection, layers: tuple[str, ...] = LAYERS) -> list[str]:
    """Create every model of ``layers`` on ``con``; returns the names applied."""
    applied = []
    for model in load_models():
        if model.layer in layers:
            try:
                con.execute(model.sql)
            except duckdb.Error as exc:
                raise RuntimeError(f"applying etl/sql/{model.layer}/{model.path.name}: {exc}") from exc
            applied.append(model.name)
    return applied


FINGERPRINT_TABLE = "etl_schema_applied"


@cache
def _fingerprint(layers: tuple[str, ...]) -> str:
    import hashlib

    h = hashlib.sha256()
    for m in load_models():
        if m.layer in layers:
            h.update(f"{m.layer}/{m.name}\0{m.sql}\0".encode())
    return h.hexdigest()


def ensure(con: duckdb.DuckDBPyConnection, layers: tuple[str, ...]) -> bool:
    """``apply`` unless this database already holds exactly these models of ``layers`` (the
    fingerprint of their text, recorded when last applied): every writer connection calls it,
    and re-creating ~80 objects costs a third of a second each time. Returns whether it applied."""
    key, fp = ",".join(layers), _fingerprint(layers)
    con.execute(f"CREATE TABLE IF NOT EXISTS {FINGERPRINT_TABLE} (layers VARCHAR PRIMARY KEY, "
                "fingerprint VARCHAR NOT NULL)")
    row = con.execute(f"SELECT fingerprint FROM {FINGERPRINT_TABLE} WHERE layers = ?", [key]).fetchone()
    if row and row[0] == fp:
        return False
    apply(con, layers)
    con.execute(f"INSERT OR REPLACE INTO {FINGERPRINT_TABLE} VALUES (?, ?)", [key, fp])
    return True


def apply_model(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Create the one model ``name`` (of any layer) on ``con``."""
    model = next((m for m in load_models() if m.name == name), None)
    if model is None:
        raise KeyError(f"no model {name} in {SQL_DIR}")
    try:
        con.execute(model.sql)
    except duckdb.Error as exc:
        raise RuntimeError(f"applying etl/sql/{model.layer}/{model.path.name}: {exc}") from exc


def rebuild_derived(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Rebuild every derived layer (quality views, dimensions, facts, marts, views)."""
    return apply(con, tuple(layer for layer in LAYERS if layer not in STATE_LAYERS))


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]
