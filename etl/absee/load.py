"""Form ABS-EE filings into the warehouse: the parse worker reads the EX-102 into Parquet, the single
writer bulk-loads that Parquet into the staged asset tables (``etl/sql/staging/stg_asset_*.sql``).

* ``parse_asset_filing`` (a parse worker; no database): the submission's EX-102 exhibits through the
  streaming reader into one Parquet file of assets (and one of CMBS properties) under
  ``{staging_dir}/assets/``, named by accession and the raw file's hash, written whole or not at
  all; EX-103 (asset-related documents) is kept raw, its text carried in the parsed record. The
  parsed record (``kind`` ``asset_data``) is what ``parse_filing`` hands ``stage`` for any filing.
* ``replace_assets`` (the single writer, inside its transaction): replaces the filing's rows in
  ``stg_asset_filing``, ``stg_asset_<class>``, ``stg_asset_cmbs_property`` and
  ``stg_asset_exhibit`` with ``INSERT ... SELECT FROM read_parquet(...)``: DuckDB reads the Arrow
  columns directly, no row passes through Python.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from etl.absee.errors import AbsEeError
from etl.absee.fields import CLASSES

if TYPE_CHECKING:
    import duckdb

    from etl.contracts import FilingHeader, ParsedReport
    from etl.edgar.sgml import Submission

#: the forms whose EX-102 is Schedule AL asset data (Regulation AB II, since November 2016)
ASSET_DATA_FORMS = frozenset({"ABS-EE", "ABS-EE/A"})
#: ``ParsedReport.kind`` of an ABS-EE
ASSET_KIND = "asset_data"
#: staged table of each asset class
ASSET_TABLES: dict[str, str] = {name: f"stg_asset_{name}" for name in CLASSES}
PROPERTY_TABLE = "stg_asset_cmbs_property"
FILING_TABLE = "stg_asset_filing"
EXHIBIT_TABLE = "stg_asset_exhibit"
ALL_TABLES: tuple[str, ...] = (FILING_TABLE, *ASSET_TABLES.values(), PROPERTY_TABLE, EXHIBIT_TABLE)
#: SIC code "ASSET-BACKED SECURITIES" (etl.edgar.discovery.ABS_SIC)
ABS_SIC = 6189
#: EX-103 text kept per exhibit (a real one is a few KB; the raw filing keeps all of it anyway)
MAX_EXHIBIT_CHARS = 1_000_000


def is_asset_data_form(form_type: str | None) -> bool:
    """An ABS-EE or ABS-EE/A."""
    return (form_type or "").strip().upper() in ASSET_DATA_FORMS


def _write_atomic(reader_records: Any, target: Path, properties_target: Path) -> dict[str, int]:
    from etl.absee.arrow import write_parquet

    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    ptmp = properties_target.with_name(f".{properties_target.name}.{os.getpid()}.tmp")
    try:
        counts = write_parquet(reader_records, tmp, properties_path=ptmp)
        os.replace(tmp, target)
        if counts.properties:
            os.replace(ptmp, properties_target)
        else:
            properties_target.unlink(missing_ok=True)
    finally:
        tmp.unlink(missing_ok=True)
        ptmp.unlink(missing_ok=True)
    return {"assets": counts.assets, "properties": counts.properties, "with_problems": counts.with_problems}


def _records(sub: Submission, docs: Sequence[Any], classes: list[str]) -> Any:
    """Every record of every EX-102 of the submission, in order; all must be of one asset class."""
    from etl.absee.reader import read_assets

    for doc in docs:
        name = doc.safe_name or f"EX-102 (document {doc.sequence})"
        with read_assets(io.BytesIO(doc.text.encode("utf-8")), name=name) as reader:
            if classes and reader.asset_class != classes[0]:
                raise AbsEeError(f"{name}: {reader.asset_class} asset data beside {classes[0]} in one filing")
            classes.append(reader.asset_class)
            yield from reader


def parse_asset_filing(sub: Submission, header: FilingHeader, *, path: str, out_dir: Path,
                       sha256: str | None = None) -> ParsedReport:
    """The parsed record of an ABS-EE: its EX-102 in Parquet under ``out_dir``, EX-103 raw.

    A filing without an EX-102, or whose EX-102 the reader refuses (unknown namespace, DOCTYPE,
    malformed), gets ``error`` set and nothing written: it is recorded as parsed without a report,
    with the reason, and nothing of it is staged.
    """
    acc = str(header["accession"])
    # the deal is the issuing entity: among the envelope's filers (issuing entity, often the depositor
    # too), the first with SIC 6189, as the distribution-report parser picks its 10-D's, so both
    # name the same CIK; the CIK it was fetched under when the envelope names none
    filers = [f for f in sub.header.filers if f.cik]
    issuer = next(iter([f for f in filers if f.sic == ABS_SIC] or filers), None)
    parsed: ParsedReport = {
        "path": path, "kind": ASSET_KIND, "form_type": header.get("form_type"),
        "cik": issuer.cik if issuer else header.get("cik"), "accession": acc, "filed_date": header.get("filed_date"),
        "deal_name": (issuer.name if issuer else None) or header.get("company_name"),
        "document": None, "distribution_date": None, "record_date": None, "accrual_start": None,
        "accrual_end": None, "amount_decimals": None, "classes": [], "class_totals": [], "pools": [], "deal": {},
        "delinquencies": [], "fields": [], "tables": [], "warnings": list(sub.warnings), "error": None,
    }
    ex102 = [d for d in sub.documents_of_type("EX-102") if not d.is_binary]
    exhibits = [{"type": d.type, "sequence": d.sequence, "filename": d.safe_name, "description": d.description,
                 "text": d.text[:MAX_EXHIBIT_CHARS], "truncated": len(d.text) > MAX_EXHIBIT_CHARS}
                for d in sub.documents_of_type("EX-103")]
    if not ex102:
        parsed["error"] = "ABS-EE without an EX-102 asset data exhibit"
        return parsed
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{acc}.{(sha256 or 'nohash')[:16]}"
    target, ptarget = out_dir / f"{stem}.assets.parquet", out_dir / f"{stem}.properties.parquet"
    classes: list[str] = []
    try:
        counts = _write_atomic(_records(sub, ex102, classes), target, ptarget)
    except (AbsEeError, ValueError) as exc:
        parsed["error"] = f"EX-102 not read: {exc}"[:2000]
        return parsed
    if not classes:
        parsed["error"] = "EX-102 not read: no asset data"
        return parsed
    parsed["document"] = ex102[0].safe_name
    parsed["asset_data"] = {
        "asset_class": classes[0], "period_of_report": header.get("period_of_report"),
        "documents": [d.safe_name for d in ex102], "parquet": str(target),
        "properties_parquet": str(ptarget) if counts["properties"] else None, **counts, "exhibits": exhibits,
    }
    return parsed


def _delete(con: duckdb.DuckDBPyConnection, accessions: Sequence[str]) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE _asset_acc AS SELECT unnest(?::VARCHAR[]) AS accession",
                [list(accessions)])
    for table in ALL_TABLES:
        con.execute(f"DELETE FROM {table} WHERE accession IN (SELECT accession FROM _asset_acc)")


def replace_assets(con: duckdb.DuckDBPyConnection, parsed: Sequence[Mapping[str, Any]],
                   rejected: dict[str, str] | None = None) -> int:
    """Replace the staged asset rows of these ABS-EE filings from their Parquet; the caller owns the
    transaction. A filing whose Parquet is gone (its staged batch outlived the files) goes into
    ``rejected`` (accession -> reason) when given, else raises FileNotFoundError. Returns the
    number of filings staged with asset data."""
    accessions = sorted({str(p["accession"]) for p in parsed if p.get("accession")})
    if not accessions:
        return 0
    _delete(con, accessions)
    staged = 0
    for p in parsed:
        data = p.get("asset_data")
        if p.get("error") or not data:
            continue  # parse/no_report with its reason; nothing to stage
        acc = str(p["accession"])
        missing = [f for f in (data.get("parquet"), data.get("properties_parquet")) if f and not Path(f).exists()]
        if missing:
            reason = f"asset data Parquet {missing[0]} is gone: re-parse the filing (edgar-etl reprocess)"
            if rejected is None:
                raise FileNotFoundError(f"{acc}: {reason}")
            rejected[acc] = reason
            continue
        table = ASSET_TABLES[str(data["asset_class"])]
        con.execute(f"INSERT INTO {table} BY NAME SELECT ?::VARCHAR AS accession, * EXCLUDE (asset_class) "
                    "FROM read_parquet(?)", [acc, data["parquet"]])
        if data.get("properties_parquet"):
            con.execute(f"INSERT INTO {PROPERTY_TABLE} BY NAME SELECT ?::VARCHAR AS accession, * "
                        "FROM read_parquet(?)", [acc, data["properties_parquet"]])
        con.execute(f"""INSERT INTO {FILING_TABLE} BY NAME
            SELECT ?::VARCHAR AS accession, ?::BIGINT AS cik, ?::VARCHAR AS form_type, ?::DATE AS filed_date,
                   ?::DATE AS period_of_report, ?::VARCHAR AS deal_name, ?::VARCHAR AS asset_class,
                   ?::VARCHAR AS document, ?::BIGINT AS asset_count, ?::BIGINT AS property_count,
                   ?::BIGINT AS problem_count, ?::VARCHAR[] AS warnings""",
                    [acc, p.get("cik"), p.get("form_type"), p.get("filed_date"), data.get("period_of_report"),
                     p.get("deal_name"), data["asset_class"], p.get("document"), data.get("assets"),
                     data.get("properties"), data.get("with_problems"),
                     [str(w) for w in p.get("warnings") or []]])
        for i, ex in enumerate(data.get("exhibits") or []):
            con.execute(f"INSERT INTO {EXHIBIT_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [acc, i, ex.get("type"), ex.get("filename"), ex.get("description"), ex.get("text"),
                         bool(ex.get("truncated"))])
        staged += 1
    return staged
