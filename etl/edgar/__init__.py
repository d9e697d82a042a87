"""Fetching from EDGAR: transport, kept apart from parsing the reports.

- ``client``: HTTP with a declared identity, the shared rate cap, bounded retries, typed errors;
- ``ratelimit``: the cap shared by every thread and process (file lock) or machine (Redis);
- ``discovery``: daily/quarterly indexes, submissions JSON, the ABS filter;
- ``rawstore``: the write-once landing zone of full submissions;
- ``sgml``: the full-submission envelope (header facts, documents);
- the local EDGAR mirror for tests and demos lives in ``devtools.mirror`` (dev tooling).
"""
