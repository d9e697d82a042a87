"""edgar-abs-etl: SEC EDGAR asset-backed-securities filings into a DuckDB warehouse."""

__version__ = "0.1.0"
