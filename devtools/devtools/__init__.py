"""Dev tooling of the project, not part of the product package.

- ``synth``: the synthetic EDGAR corpus with ground truth (distribution reports, 10-Ks, ABS-EE);
- ``bench``: ``edgar-etl bench``, the standard benchmark and its README;
- ``mirror``: a local EDGAR over HTTP (EDGAR's URL layout, fault injection) for tests and demos;
- ``demo``: ``make demo``, the whole pipeline through Airflow on the bundled filings.
"""
