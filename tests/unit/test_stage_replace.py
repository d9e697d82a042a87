"""Re-staging a filing leaves exactly the rows a first staging of its new version would.

``replace_staged`` writes only the rows that change when a filing's staged rows are already held
(``staging.replace_frame``); the end state must be the one deleting and inserting them all gives.
"""

from __future__ import annotations

import copy
import math

import duckdb
import pytest

from etl.warehouse import schema, staging

ACC = ["0000000001-20-000001", "0000000001-20-000002", "0000000001-20-000003"]


def _filing(acc: str, n_fields: int = 6) -> dict:
    return {
        "accession": acc, "cik": 1, "form_type": "10-D", "kind": "distribution_report",
        "deal_name": "Trust 2020-1", "distribution_date": "2020-01-15", "parser_version": "1",
        "warnings": ["a"],
        "classes": [{"class": "A-1", "cusip": "123456AA1", "beginning_balance": 100.0},
                    {"class": "A-2", "beginning_balance": 50}],
        "pools": [{"pool": "Total", "ending_pool_balance": 10.0}],
        "deal": {"reserve_balance": 5.0},
        "fields": [{"label": f"f{i}", "measure": "m" if i % 2 else None, "value": float(i), "raw": str(i),
                    "line": i, "table": 1, "row": i, "column": 1} for i in range(n_fields)],
    }


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    schema.apply(con, ("macros", "raw", "staging"))
    return con


def _contents(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    # as text, so -0.0 and 0.0 (equal as numbers) differ, as they do in the warehouse checksums
    return {t: sorted(str(r) for r in con.execute(f"SELECT t::VARCHAR FROM {t} AS t").fetchall())
            for t in staging.STAGED_TABLES}


def _changed(filings: list[dict]) -> list[dict]:
    out = copy.deepcopy(filings)
    a, b, c = out
    a["fields"][0]["value"] = -0.0            # equal to 0.0 as a number: must still be rewritten
    a["fields"][1]["value"] = math.nan
    a["fields"][2]["label"] = None
    del a["fields"][3]                         # later rows move up a seq
    a["classes"].pop()
    a["warnings"] = ["a", "b"]
    b["pools"] = []
    b["parser_version"] = "2"
    c["fields"] = c["fields"][:2]
    return out


@pytest.mark.parametrize("restage", [lambda fs: fs, _changed, lambda fs: _changed(fs)[:2]])
def test_restaging_leaves_what_a_first_staging_would(restage) -> None:
    first = [_filing(a) for a in ACC]
    second = restage([_filing(a) for a in ACC])
    accessions = sorted({staging.accession_of(p) for p in second})
    con = _con()
    staging.replace_staged(con, first)
    con.execute("BEGIN TRANSACTION")
    staging.replace_staged(con, second)
    con.execute("COMMIT")
    fresh = _con()
    staging.replace_staged(fresh, [p for p in first if staging.accession_of(p) not in accessions] + second)
    assert _contents(con) == _contents(fresh)


def test_a_rejected_filing_loses_its_old_rows() -> None:
    con = _con()
    staging.replace_staged(con, [_filing(a) for a in ACC])
    wide = [_filing(a) for a in ACC]
    wide[0]["classes"][0]["beginning_balance"] = 1e30
    rejected: dict[str, str] = {}
    assert staging.replace_staged(con, wide, rejected=rejected) == 2
    assert list(rejected) == [ACC[0]]
    for t in staging.STAGED_TABLES:
        assert con.execute(f"SELECT count(*) FROM {t} WHERE accession = ?", [ACC[0]]).fetchone() == (0,)
