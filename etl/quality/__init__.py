"""Data-quality checks on parsed ABS distribution reports: the DOMAIN.md identities, judged by Great Expectations.

Public API:
    validate_staged(con, accessions, run_id, data_dir)  check staged filings, write dq_check_result
    validate_parsed(parsed)                             standalone check of parser output (CLI validate)
    explain(con, accession)                             why a filing is quarantined (CLI dq)
    revalidate(con, accessions, ...)                    re-check after a parser fix (leave quarantine)
    release(con, accession, reason, released_by, ...)   an operator's recorded release (dq_override)
"""

from etl.quality.explain import explain
from etl.quality.gx_runner import ExpectationRunError
from etl.quality.runner import (
    RESULT_COLUMNS,
    STATUSES,
    VIEW_COLUMNS,
    filing_status,
    finish_docs,
    new_run_id,
    release,
    revalidate,
    revoke_release,
    validate_many,
    validate_parsed,
    validate_staged,
)
from etl.quality.suites import Check, Suite, SuiteError, checks_by_name, load_suites

__all__ = [
    "RESULT_COLUMNS",
    "STATUSES",
    "VIEW_COLUMNS",
    "Check",
    "ExpectationRunError",
    "Suite",
    "SuiteError",
    "checks_by_name",
    "explain",
    "filing_status",
    "finish_docs",
    "load_suites",
    "new_run_id",
    "release",
    "revalidate",
    "revoke_release",
    "validate_many",
    "validate_parsed",
    "validate_staged",
]
