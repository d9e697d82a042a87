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


class GxSession:
    """One ephemeral GX context for a whole validation run, fed one DataFrame per suite per chunk.

    Suites and validation definitions are registered once and re-run for every chunk of filings,
    so a backfill of any size is validated in bounded memory; Data Docs are built once at the end.
    """

    def __init__(self, run_id: str, docs_dir: Path | None = None) -> None:
        self.run_id = run_id
        self.docs_dir = docs_dir
        self._ctx: Any = None
        self._run: Any = None
        self._definitions: dict[str, Any] = {}

    def _definition(self, suite: Suite) -> Any:
        import great_expectations as gx
        from great_expectations.core.run_identifier import RunIdentifier

        if self._ctx is None:
            self._ctx = _context(self.docs_dir)
            self._source = self._ctx.data_sources.add_pandas("dq_views")
            self._run = RunIdentifier(run_name=self.run_id, run_time=datetime.now(UTC))
        if suite.name not in self._definitions:
            doc = suite.document
            gx_suite = gx.ExpectationSuite(name=doc["name"], expectations=doc.get("expectations"),
                                           meta=doc.get("meta"))
            if len(gx_suite.expectations) != len(doc.get("expectations") or []):
                raise SuiteError(f"{suite.path.name}: Great Expectations rejected an expectation (see its log)")
            gx_suite = self._ctx.suites.add(gx_suite)
            batch = self._source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe("batch")
            self._definitions[suite.name] = self._ctx.validation_definitions.add(
                gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite))
        return self._definitions[suite.name]

    def run(self, suite: Suite, frame: pd.DataFrame) -> dict[str, set[int]]:
        """Validate ``frame`` against ``suite``; returns the flagged row ids of each check."""
        flagged: dict[str, set[int]] = {}
        with _quiet():
            result = self._definition(suite).run(
                batch_parameters={"dataframe": frame},
                result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_ID]},
                run_id=self._run,
            )
        for r in result.results:
            check = r.expectation_config.meta["check_name"]
            message = _raised(r.exception_info)
            if message:
                raise ExpectationRunError(f"suite {suite.name}, check {check}: {message}")
            ids = {int(row[ROW_ID]) for row in (r.result or {}).get("unexpected_index_list") or []}
            if not r.success and not ids and (r.result or {}).get("unexpected_count"):
                raise ExpectationRunError(f"suite {suite.name}, check {check}: failures without row ids")
            flagged[check] = ids
        return flagged

    def build_docs(self) -> None:
        """Render the run's results as a local Data Docs site (when a docs directory was given)."""
        if self.docs_dir is None or self._ctx is None:
            return
        self.docs_dir.mkdir(parents=True, exist_ok=True)
        with _quiet():
            self._ctx.build_data_docs(site_names=[DOCS_SITE])


def run_suites(batches: list[tuple[Suite, pd.DataFrame]], run_id: str,
               docs_dir: Path | None = None) -> dict[tuple[str, str], set[int]]:
    """Validate each suite against its DataFrame; returns the row ids each check flagged.

    Keys are (suite name, check name) for every expectation evaluated; values are the ``row_id``s of
    the rows outside tolerance. Raises ExpectationRunError if GX could not evaluate an expectation.
    """
    session = GxSession(run_id, docs_dir)
    flagged: dict[tuple[str, str], set[int]] = {}
    for suite, frame in batches:
        for check, ids in session.run(suite, frame).items():
            flagged[(suite.name, check)] = ids
    session.build_docs()
    return flagged
