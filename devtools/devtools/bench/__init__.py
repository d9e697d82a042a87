"""Backfill benchmark: throughput, memory and the request-rate cap, measured on a synthetic EDGAR.

``edgar-etl bench`` generates (or reuses) a synthetic corpus, serves it from the local mirror
and runs the backfill through the very functions the Airflow DAGs call, so the numbers say
what a real backfill on this machine would do, not what a special benchmark path does.
"""
