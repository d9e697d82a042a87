"""The records that cross stages (through Airflow's XCom and the staged JSON-lines files), typed once.

discover -> ``DiscoveredFiling`` -> fetch -> ``FetchedFiling`` -> parse -> ``StagedRecord``
(``FilingHeader`` + ``ParsedReport``, or a ``ParseError``) -> stage. All are JSON-able dicts:
dates are ISO text. docs/CONTRACTS.md describes the parsed report's figures key by key.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class DiscoveredFiling(TypedDict):
    """One ABS filing to process, as an EDGAR index lists it (``pipeline.discover``)."""

    form_type: str
    company: str
    cik: int
    date_filed: str  # YYYY-MM-DD
    filename: str  # "edgar/data/{cik}/{accession}.txt", relative to /Archives/
    accession: str


class FetchedFiling(DiscoveredFiling):
    """A discovered filing after the fetch: held in the raw store (``status`` "fetched", with
    ``path``, ``sha256`` and ``size``), or not (``status`` "fetch_failed", with why)."""

    status: str  # "fetched" | "fetch_failed"
    error_kind: str | None
    reason: str | None
    path: NotRequired[str]  # where the raw store holds the submission
    sha256: NotRequired[str]
    size: NotRequired[int]  # bytes
    downloaded: NotRequired[bool]  # False: the store already held it
    url: NotRequired[str | None]  # raw_filing.source_url, carried over when a held filing is reprocessed


class FilingHeader(TypedDict):
    """The envelope facts of one filing, as kept in ``filing_header``."""

    accession: str
    cik: int
    form_type: str | None
    period_of_report: str | None
    filed_date: str | None
    company_name: str | None
    sic: int | None
    file_number: str | None
    document_count: int
    documents_json: str  # [{type, sequence, filename, description, binary}]


class ParsedReport(TypedDict):
    """What the parser read from one filing (``etl.parse.parse_bytes``); see docs/CONTRACTS.md.

    Figures are open dicts (one key per measure read). A 10-K (``kind`` "annual_report") adds the
    keys of ``etl.parse.annual.parse_annual``.
    """

    path: str
    kind: str  # "distribution_report" | "annual_report" | "unknown"
    form_type: str | None
    cik: int | None
    accession: str | None
    filed_date: str | None
    deal_name: str | None
    document: str | None
    distribution_date: str | None
    record_date: str | None
    accrual_start: str | None
    accrual_end: str | None
    amount_decimals: int | None
    classes: list[dict[str, Any]]
    class_totals: list[dict[str, Any]]
    pools: list[dict[str, Any]]
    deal: dict[str, Any]
    delinquencies: list[dict[str, Any]]
    fields: list[dict[str, Any]]
    tables: list[dict[str, Any]]
    warnings: list[str]
    error: str | None
    annual_report: NotRequired[dict[str, Any]]
    parties: NotRequired[list[dict[str, Any]]]
    servicing_assessments: NotRequired[list[dict[str, Any]]]
    insurance: NotRequired[list[dict[str, Any]]]
    compliance_statements: NotRequired[list[dict[str, Any]]]
    attestations: NotRequired[list[dict[str, Any]]]
    asset_data: NotRequired[dict[str, Any]]  # an ABS-EE (kind "asset_data"): etl.absee.load


class ParseError(TypedDict):
    """The parser raised on a fetched filing (it is meant never to): what, and where."""

    kind: str
    reason: str
    trace: str


class StageSummary(TypedDict):
    """What the stage step hands validate: the run's filings staged (``accessions``) and counts."""

    run_id: str
    accessions: list[str]
    fetched: int
    fetch_failed: int
    parsed: int
    parse_failed: int


class StagedRecord(TypedDict):
    """One line of a staged batch file: a filing not fetched (``fetch`` alone), one the parser
    crashed on (``parse_error``), or one parsed (``header`` and ``parsed``)."""

    fetch: FetchedFiling
    header: NotRequired[FilingHeader]
    parsed: NotRequired[ParsedReport]
    parse_error: NotRequired[ParseError]
