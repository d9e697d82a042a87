"""Airflow hooks for SEC EDGAR and the warehouse: thin adapters from Airflow connections to
``etl.config.Settings``. All logic lives in ``etl``; these only read configuration.

Connection ``edgar_default`` (any conn type; e.g. from ``AIRFLOW_CONN_EDGAR_DEFAULT`` as JSON):
  host   base URL of www.sec.gov or a mirror (``https://www.sec.gov``, ``http://127.0.0.1:8765``)
  login  the declared User-Agent ("Jane Analyst jane@example.org")
  extra  {"data_url": ..., "user_agent": ..., "max_rps": 10, "watchlist_ciks": "1,2"}
Environment variables (see etl/config.py) apply first; the connection, when present, wins.
"""

from __future__ import annotations

from typing import Any

from airflow.sdk import BaseHook

from etl.config import Settings, from_env, parse_ciks


def _url(host: str | None, port: int | None, schema: str | None) -> str | None:
    if not host:
        return None
    if "://" not in host:
        host = f"{schema or 'https'}://{host}"
    if port and host.count(":") < 2:
        host = f"{host}:{port}"
    return host.rstrip("/")


class EdgarHook(BaseHook):
    """Resolves EDGAR settings from the ``edgar_default`` connection and the environment."""

    conn_name_attr = "edgar_conn_id"
    default_conn_name = "edgar_default"
    conn_type = "http"
    hook_name = "SEC EDGAR"

    def __init__(self, edgar_conn_id: str = default_conn_name) -> None:
        super().__init__()
        self.edgar_conn_id = edgar_conn_id

    def _connection(self) -> Any | None:
        try:
            return self.get_connection(self.edgar_conn_id)
        except Exception:  # noqa: BLE001 - no connection defined: environment only
            return None

    def settings(self) -> Settings:
        overrides: dict[str, Any] = {}
        conn = self._connection()
        if conn is not None:
            extra = conn.extra_dejson or {}
            base = _url(conn.host, conn.port, conn.schema if conn.schema in ("http", "https") else None)
            if base:
                overrides["base_url"] = base
            data_url = extra.get("data_url")
            if data_url:
                overrides["data_url"] = str(data_url).rstrip("/")
            elif base:
                overrides["data_url"] = base
            ua = extra.get("user_agent") or conn.login
            if ua:
                overrides["user_agent"] = ua
            if extra.get("max_rps"):
                overrides["max_rps"] = float(extra["max_rps"])
            if extra.get("watchlist_ciks"):
                overrides["watchlist_ciks"] = parse_ciks(str(extra["watchlist_ciks"]))
        return from_env(**overrides)


class WarehouseHook(BaseHook):
    """Where the warehouse lives; the load tasks are its only writers."""

    hook_name = "EDGAR DuckDB warehouse"

    def __init__(self) -> None:
        super().__init__()

    def settings(self) -> Settings:
        return EdgarHook().settings()
