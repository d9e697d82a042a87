"""Deal report: one deal's class pay-down, collateral performance and data quality as a single
offline HTML page with inline SVG charts (``edgar-etl report --cik N --out deal.html``)."""

from etl.report.render import DealNotFound, render_report

__all__ = ["DealNotFound", "render_report"]
