"""Run the expectation suites with Great Expectations' pandas engine, one DataFrame per suite per batch.

Why pandas and not GX's SQL engine on the DuckDB file: with duckdb-engine 0.17 on SQLAlchemy 2.1 and
DuckDB 2.0, GX 1.24's SqlAlchemyExecutionEngine fails on the simplest metric (``table.row_count``:
"list index out of range" in ``resolve_metric_bundle``) and the process ends with nanobind leak
reports; the pandas engine on frames read from DuckDB works, and a batch is a few thousand rows at
most (the views already did the arithmetic in SQL), so nothing is lost. See tests/unit/test_quality_gx.py.

The context is ephemeral (in-memory stores, analytics off, progress bars off); when a docs directory
is given, a local Data Docs site is built there from this run's results.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from etl.quality.suites import Suite, SuiteError

DOCS_SITE = "dq_docs"
ROW_ID = "row_id"


class ExpectationRunError(RuntimeError):
    """Great Expectations could not evaluate an expectation (as opposed to the data failing it)."""


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence GX's own logging and warnings for the duration of a run; our results say what matters."""
    gx_logger = logging.getLogger("great_expectations")
    level = gx_logger.level
    gx_logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        gx_logger.setLevel(level)


def _context(docs_dir: Path | None) -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites: dict[str, Any] = {}
    if docs_dir is not None:
        sites[DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites=sites,
    )
    return gx.get_context(project_config=config, mode="ephemeral")


def _raised(info: Any) -> str | None:
    """The exception message GX recorded for an expectation, if it raised (two shapes exist in GX 1.x)."""
    if not isinstance(info, dict):
        return None
    if "raised_exception" in info:
        return info.get("exception_message") if info.get("raised_exception") else None
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


def run_suites(batches: list[tuple[Suite, pd.DataFrame]], run_id: str,
               docs_dir: Path | None = None) -> dict[tuple[str, str], set[int]]:
    """Validate each suite against its DataFrame; returns the row ids each check flagged.

    Keys are (suite name, check name) for every expectation evaluated; values are the ``row_id``s of
    the rows outside tolerance. Raises ExpectationRunError if GX could not evaluate an expectation.
    """
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    flagged: dict[tuple[str, str], set[int]] = {}
    with _quiet():
        ctx = _context(docs_dir)
        source = ctx.data_sources.add_pandas("dq_views")
        run = RunIdentifier(run_name=run_id, run_time=datetime.now(UTC))
        for suite, frame in batches:
            doc = suite.document
            gx_suite = gx.ExpectationSuite(name=doc["name"], expectations=doc.get("expectations"),
                                           meta=doc.get("meta"))
            if len(gx_suite.expectations) != len(doc.get("expectations") or []):
                raise SuiteError(f"{suite.path.name}: Great Expectations rejected an expectation (see its log)")
            gx_suite = ctx.suites.add(gx_suite)
            batch = source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe("batch")
            definition = ctx.validation_definitions.add(
                gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite))
            result = definition.run(
                batch_parameters={"dataframe": frame},
                result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_ID]},
                run_id=run,
            )
            for r in result.results:
                check = r.expectation_config.meta["check_name"]
                message = _raised(r.exception_info)
                if message:
                    raise ExpectationRunError(f"suite {suite.name}, check {check}: {message}")
                ids = {int(row[ROW_ID]) for row in (r.result or {}).get("unexpected_index_list") or []}
                if not r.success and not ids and (r.result or {}).get("unexpected_count"):
                    raise ExpectationRunError(f"suite {suite.name}, check {check}: failures without row ids")
                flagged[(suite.name, check)] = ids
        if docs_dir is not None:
            docs_dir.mkdir(parents=True, exist_ok=True)
            ctx.build_data_docs(site_names=[DOCS_SITE])
    return flagged
