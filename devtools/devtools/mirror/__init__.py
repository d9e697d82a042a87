"""A local EDGAR over HTTP on 127.0.0.1 (``server``), with fault injection, and its
``edgar-etl mirror serve`` command (``commands``)."""
