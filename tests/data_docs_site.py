"""Reading a Data Docs site as a person would, for the tests that check one is built."""

from __future__ import annotations

import html
import re
from pathlib import Path


def read_data_docs(index: Path) -> dict[str, dict[str, bool]]:
    """The validation runs a Data Docs index lists, as a reader finds them: run -> suite -> passed.

    Reads the index's run history (``etl.quality.docs_history``) and opens every page it links to;
    each page must be that suite's result for that run, with the verdict the index shows. Fails on
    an index that lists nothing, so a test of the docs cannot pass on an empty site.
    """
    page = index.read_text(encoding="utf-8")
    section = re.search(r'<section id="edgar-run-history">(.*?)</section>', page, re.S)
    assert section, f"{index}: no run history"
    runs: dict[str, dict[str, bool]] = {}
    for row in re.findall(r'<tr class="run">(.*?)</tr>', section.group(1), re.S):
        name = html.unescape(re.search(r'<td class="run-name">([^<]*)</td>', row).group(1))
        suites = runs.setdefault(name, {})
        for verdict, href, suite in re.findall(r'<a class="(ok|bad)" href="([^"]+)">[^ <]+ ([^<]+)</a>', row):
            suite, ok = html.unescape(suite), verdict == "ok"
            text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", (index.parent / html.unescape(href)).read_text(
                encoding="utf-8"), flags=re.S)
            text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))
            assert f"Expectation Suite: {suite} " in text and f"Run Name {name} " in text, (href, text[:600])
            assert f"Status: {'Succeeded' if ok else 'Failed'} " in text, (href, text[:600])
            suites[suite] = ok
    assert runs and all(runs.values()), f"{index}: the run history lists no run or a run without suites"
    return runs

