"""Parser throughput on one core: text and HTML reports of the seed's size.

Goal: >= 100 text reports/s and >= 50 HTML reports/s, and the figure for the whole filing
(the report inside its EDGAR SGML envelope). Prints the figures; not a test.
Run: .venv/bin/python bench/bench_parse.py [seconds-per-case]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from etl.parse import parse_bytes
from etl.parse.render import fixed_width_to_html

SEED = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "seeds" / "aames031dec03.txt"


# The seed as EDGAR delivers it: the document inside the submission's SGML envelope.
_ENVELOPE = """<SEC-DOCUMENT>0001019965-04-000001.txt : 20040105
<SEC-HEADER>0001019965-04-000001.hdr.sgml : 20040105
ACCESSION NUMBER:\t\t0001019965-04-000001
CONFORMED SUBMISSION TYPE:\t8-K
PUBLIC DOCUMENT COUNT:\t\t1
FILED AS OF DATE:\t\t20040105
FILER:
\tCOMPANY DATA:
\t\tCOMPANY CONFORMED NAME:\t\t\tAAMES MORTGAGE TRUST 2003-1
\t\tCENTRAL INDEX KEY:\t\t\t0001268803
\t\tSTANDARD INDUSTRIAL CLASSIFICATION:\tASSET-BACKED SECURITIES [6189]
</SEC-HEADER>
<DOCUMENT>
<TYPE>8-K
<SEQUENCE>1
<FILENAME>aames031dec03.txt
<TEXT>
{body}
</TEXT>
</DOCUMENT>
</SEC-DOCUMENT>
"""


def _rate(data: bytes, name: str, seconds: float) -> tuple[float, float]:
    parse_bytes(data, name)  # warm caches and the lexicon
    n = 0
    t0 = time.perf_counter()
    while True:
        parse_bytes(data, name)
        n += 1
        el = time.perf_counter() - t0
        if el >= seconds:
            break
    return n / el, n * len(data) / el / 1e6


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    text = SEED.read_bytes()
    html = fixed_width_to_html(text.decode("utf-8")).encode("utf-8")
    filing = (_ENVELOPE.replace("{body}", text.decode("utf-8"))).encode("utf-8")
    cases = (("text", text, "aames031dec03.txt", 100), ("html", html, "aames031dec03.htm", 50),
             ("filing", filing, "0001019965-04-000001.txt", 100))
    for label, data, name, goal in cases:
        docs, mbs = _rate(data, name, seconds)
        flag = "ok" if docs >= goal else "BELOW GOAL"
        print(f"{label:5s} {len(data) / 1024:6.1f} KB/report  {docs:8.1f} reports/s  {mbs:6.2f} MB/s  "
              f"(goal >= {goal}/s: {flag})")
    try:
        load = os.getloadavg()[0]
        print(f"load average while measuring: {load:.2f} (other processes share this machine)")
    except OSError:
        pass


if __name__ == "__main__":
    main()
