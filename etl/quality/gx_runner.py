"""Run the expectation suites with Great Expectations' pandas engine, one DataFrame per suite per batch.

Why pandas and not GX's SQL engine on the DuckDB file: with duckdb-engine 0.17 on SQLAlchemy 2.1 and
DuckDB 2.0, GX 1.24's SqlAlchemyExecutionEngine fails on the simplest metric (``table.row_count``:
"list index out of range" in ``resolve_metric_bundle``) and the process ends with nanobind leak
reports; the pandas engine on frames read from DuckDB works, and a batch is a few thousand rows at
most (the views already did the arithmetic in SQL), so nothing is lost. See tests/unit/test_quality_gx.py.

The context is ephemeral (analytics off, progress bars off; suites and definitions in memory). When a
docs directory is given (``data/dq_docs``), validation results are kept in a file-backed
ValidationResultsStore beside it (``data/dq_results``, one JSON per suite and run) and the local Data
Docs site is built from every kept result: each run adds its pages and the index lists all runs.
Only this run's pages are rendered (an incremental build), so a run's cost does not grow with history;
the index also gets a static list of the runs (``docs_history``), readable without GX's CDN scripts.
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

from etl.quality import docs_history
from etl.quality.suites import Suite, SuiteError

log = logging.getLogger(__name__)

DOCS_SITE = "dq_docs"
RESULTS_DIR = "dq_results"
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


def results_dir_for(docs_dir: Path) -> Path:
    """Where the validation results behind a Data Docs site are kept: beside it, under the data directory."""
    return docs_dir.parent / RESULTS_DIR


def _context(docs_dir: Path | None, results_dir: Path | None = None) -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    defaults = InMemoryStoreBackendDefaults()
    stores = dict(defaults.stores)
    sites: dict[str, Any] = {}
    if docs_dir is not None:
        # GX's filesystem backends refuse a relative base_directory when the context has no root
        # directory (an ephemeral one has none): every path handed to GX is absolute.
        docs_dir = Path(docs_dir).absolute()
        results_dir = Path(results_dir).absolute() if results_dir is not None else results_dir_for(docs_dir)
        stores[defaults.validation_results_store_name] = {
            "class_name": "ValidationResultsStore",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(results_dir)},
        }
        sites[DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
        }
    config = DataContextConfig(
        stores=stores,
        expectations_store_name=defaults.expectations_store_name,
        validation_results_store_name=defaults.validation_results_store_name,
        checkpoint_store_name=defaults.checkpoint_store_name,
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

    def __init__(self, run_id: str, docs_dir: Path | None = None, results_dir: Path | None = None) -> None:
        self.run_id = run_id
        self.docs_dir = Path(docs_dir).absolute() if docs_dir is not None else None
        self.results_dir = (Path(results_dir).absolute() if results_dir is not None
                            else results_dir_for(self.docs_dir) if self.docs_dir is not None else None)
        self._ctx: Any = None
        self._run: Any = None
        self._definitions: dict[str, Any] = {}

    def _definition(self, suite: Suite) -> Any:
        import great_expectations as gx
        from great_expectations.core.run_identifier import RunIdentifier

        if self._ctx is None:
            self._ctx = _context(self.docs_dir, self.results_dir)
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

    def build_docs(self) -> Path | None:
        """Add this run's results to the local Data Docs site and rebuild its index over every kept run.

        Returns the index page (``None`` without a docs directory or when nothing was validated).
        The docs are a view of results already recorded in ``dq_check_result``: a site that cannot
        be written (disk full, a file in the way) is logged and does not fail the validation.
        """
        if self.docs_dir is None or self.results_dir is None or self._ctx is None:
            return None
        from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

        try:
            self.docs_dir.mkdir(parents=True, exist_ok=True)
            with _quiet():
                store = self._ctx.validation_results_store
                this_run = [k for k in store.list_keys() if k.run_id == self._run]
                suites = [ExpectationSuiteIdentifier(name=name) for name in self._definitions]
                self._ctx.build_data_docs(site_names=[DOCS_SITE], resource_identifiers=[*suites, *this_run])
            docs_history.add_to_index(self.docs_dir, self.results_dir)  # readable offline too
        except Exception as exc:  # noqa: BLE001 - the verdicts are recorded; only their HTML view is missing
            log.warning("Data Docs not updated in %s: %s: %s", self.docs_dir, type(exc).__name__, exc,
                        exc_info=True)
            return None
        return self.docs_dir / "index.html"


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
