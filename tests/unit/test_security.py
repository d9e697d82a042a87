"""Security basics: identity and credentials come from configuration, analyst SQL cannot write,
and nothing untrusted ever becomes a file path.

* The repository's Python, YAML, SQL and build files (test fixtures excluded) hold no e-mail
  address but documented placeholders, no User-Agent literal sent to the SEC and no password
  literal; the User-Agent is read from ``EDGAR_USER_AGENT`` or the Airflow connection.
* ``edgar-etl sql`` refuses every way of writing: DML/DDL, ATTACH of a new file, COPY/EXPORT to
  files, reading files, extensions, and switching ``enable_external_access`` back on; the
  warehouse file is byte-for-byte unchanged and no file appears.
* Raw-store paths come from validated CIKs and accessions only (negative CIKs, ``../``, slashes,
  Unicode digits are refused before any file or request); run ids cannot name a parent folder.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from etl import cli, pipeline
from etl.config import ConfigError, Settings, from_env
from etl.edgar.discovery import IndexEntry, submission_rows
from etl.edgar.rawstore import RawStore, RawStoreError, fetch_filing
from etl.warehouse import db

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SCANNED_SUFFIXES = (".py", ".yml", ".yaml", ".sql", ".toml", ".cfg", ".ini", ".env")
SCANNED_NAMES = ("Dockerfile", "Makefile")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")
# documented placeholders (RFC 2606/6761 names) and the SEC's own address printed in EDGAR's
# index and PEM headers, which the synthetic corpus reproduces as part of the file format
PLACEHOLDER_DOMAINS = ("example.org", "example.com", "example.net", "localhost", "localhost.localdomain")
PLACEHOLDER_TLDS = (".invalid", ".test", ".example")
SEC_FORMAT_ADDRESSES = ("webmaster@sec.gov", "webmaster@www.sec.gov")
SECRET_NAME = r"\w*(?:password|passwd|secret|api_?key|token)\w*"
# NAME = "literal", "NAME": "literal", NAME="literal" (code); NAME: literal (YAML, .env)
QUOTED_SECRET_RE = re.compile(rf"""(?i)\b({SECRET_NAME})["']?\s*[:=]\s*[rbuf]?["']([^"'${{}}]+)["']""")
YAML_SECRET_RE = re.compile(rf"""(?i)^\s*-?\s*({SECRET_NAME})\s*[:=]\s*([^\s#'"][^#]*)$""")
DEFAULTED_SECRET_RE = re.compile(rf"""(?i)\$\{{({SECRET_NAME}):?-([^}}]+)\}}""")
URL_CREDENTIAL_RE = re.compile(r"://[^/\s:@]+:(?!\$\{)([^@\s/]+)@")
UA_LITERAL_RE = re.compile(r"""["']User-Agent["']\s*:\s*["']""")
# Reviewed exceptions: (file, text on the line). Keep this short and say why.
ALLOWED: set[tuple[str, str]] = set()


def scanned_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=60).stdout.split()
    files = [ROOT / f for f in out
             if not f.startswith(("tests/fixtures/", ".venv/", "data/", "airflow_home/", "bench/.work/"))
             and (f.endswith(SCANNED_SUFFIXES) or Path(f).name in SCANNED_NAMES)]
    return [f for f in files if f.is_file()]


def lines_of(files: list[Path]) -> list[tuple[str, int, str]]:
    out = []
    for f in files:
        for i, line in enumerate(f.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            out.append((f.relative_to(ROOT).as_posix(), i, line))
    return out


def allowed(path: str, line: str) -> bool:
    return any(path == p and text in line for p, text in ALLOWED)


def placeholder(address: str) -> bool:
    domain = address.rsplit("@", 1)[1].lower().rstrip(".")
    return (address.lower() in SEC_FORMAT_ADDRESSES or domain in PLACEHOLDER_DOMAINS
            or domain.endswith(PLACEHOLDER_TLDS) or any(domain.endswith("." + d) for d in PLACEHOLDER_DOMAINS))


@pytest.fixture(scope="module")
def source_lines() -> list[tuple[str, int, str]]:
    files = scanned_files()
    assert len(files) > 50 and any(f.name == "client.py" for f in files) and any(f.suffix == ".sql" for f in files)
    return lines_of(files)


# ------------------------------------------------------------- identity and credentials
def test_no_real_email_address_in_code(source_lines) -> None:
    found = [(p, i, m) for p, i, line in source_lines for m in EMAIL_RE.findall(line)
             if "." in m.rsplit("@", 1)[1] or m.endswith("@localhost")]  # not `a@b` (matmul)
    assert found, "the scan found no address at all: the pattern is broken"
    real = [(p, i, m) for p, i, m in found if not placeholder(m)]
    assert not real, f"e-mail addresses that are not placeholders: {real}"


def secret_findings(path: str, line: str) -> list[str]:
    """Password-like values written into a file rather than read from the environment."""
    if line.strip().startswith("#") or allowed(path, line):  # comments document variables ('choose-one')
        return []
    found = [f"{m.group(1)}={m.group(2)!r}" for m in QUOTED_SECRET_RE.finditer(line)]
    found += [f"{m.group(1)} defaults to {m.group(2)!r}" for m in DEFAULTED_SECRET_RE.finditer(line)]
    if not path.endswith(".py") and (m := YAML_SECRET_RE.match(line)):
        value = m.group(2).strip()
        from_env = value.startswith(("${", "$(")) or (m.group(1).upper().endswith("_FILE") and value.startswith("/"))
        if not from_env:
            found.append(f"{m.group(1)}: {value!r}")
    found += [f"credentials in URL: {m.group(0)!r}" for m in URL_CREDENTIAL_RE.finditer(line)]
    return found


def test_no_user_agent_or_password_literal(source_lines) -> None:
    ua = [(p, i) for p, i, line in source_lines if UA_LITERAL_RE.search(line)]
    assert not ua, f"a User-Agent header set from a literal: {ua}"
    # tests hold throw-away values for the code under test; everything that ships is scanned
    shipped = [(p, i, line) for p, i, line in source_lines if not p.startswith("tests/")]
    assert len(shipped) > 10_000
    secrets = [(p, i, f) for p, i, line in shipped for f in secret_findings(p, line)]
    assert not secrets, f"password-like literals: {secrets}"


def test_patterns_catch_what_they_are_for() -> None:
    """The scanners above would fire on the real thing (so their silence means something)."""
    real_address = "jane.doe" + "@" + "bigbank.com"  # split so that the scan of this file stays clean
    assert EMAIL_RE.fullmatch(real_address) and not placeholder(real_address) and placeholder("jane@example.org")
    assert placeholder("bench@localhost.invalid") and placeholder("webmaster@sec.gov")
    assert secret_findings("x.py", 'db_password = "hunter22"')
    assert secret_findings("x.py", 'connect(api_key="AKIA0000")')
    assert secret_findings("x.py", '{"AIRFLOW_JWT_SECRET": "s3cret"}')
    assert not secret_findings("x.py", "def bare_designation(token: str) -> None:")
    assert not secret_findings("x.py", 'password = os.environ["PGPASSWORD"]')
    assert secret_findings("c.yml", "      POSTGRES_PASSWORD: airflow")
    assert secret_findings("c.yml", "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-hunter22}")
    assert not secret_findings("c.yml", "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?required}")
    assert not secret_findings("c.yml", "      X_PASSWORDS_FILE: /opt/airflow/config/passwords.json")
    assert secret_findings("c.yml", "conn: postgresql://airflow:airflow@postgres/airflow")
    assert not secret_findings("c.yml", "conn: postgresql://airflow:${PG_PASSWORD:?set it}@postgres/airflow")
    assert UA_LITERAL_RE.search('headers={"User' + '-Agent": "Jane jane' + '@bank.com"}')


def test_user_agent_comes_from_configuration_only(tmp_path: Path) -> None:
    assert Settings().user_agent is None  # no identity compiled in
    with pytest.raises(ConfigError, match="EDGAR_USER_AGENT"):
        from_env({}).require_user_agent()  # against the SEC: refused before any request
    ua = "Jane Analyst jane.analyst@example.org"
    env = {"EDGAR_USER_AGENT": ua, "EDGAR_DATA_DIR": str(tmp_path)}
    assert from_env(env).require_user_agent() == ua
    # the client sends exactly the configured value (nothing is sent here)
    from etl.edgar.client import EdgarClient

    with EdgarClient(from_env(env)) as client:
        assert client._session().headers["User-Agent"] == ua


# ------------------------------------------------------------------ edgar-etl sql is read-only
@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(data_dir=tmp_path_factory.mktemp("secwh") / "data")
    with db.writer(settings) as con:
        con.execute("INSERT INTO raw_filing VALUES ('0001019965-04-000001', 1268803, '8-K', 'AAMES MORTGAGE TRUST "
                    "2003-1', DATE '2004-01-05', 'u', 'p', 'abc', 10)")
    db.publish(settings)
    return settings


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def parser() -> argparse.ArgumentParser:
    return cli.build_parser()


def _sql(parser: argparse.ArgumentParser, query: str, warehouse: Path,
         capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``edgar-etl sql QUERY`` as ``main`` dispatches it (without reconfiguring the test's logging)."""
    args = parser.parse_args(["sql", query, "--warehouse", str(warehouse)])
    rc = args.func(args)
    out = capsys.readouterr()
    return rc, out.err + out.out


ATTEMPTS = [
    ("INSERT INTO raw_filing VALUES ('0000000000-00-000000', 1, '8-K', 'x', DATE '2004-01-01', 'u', 'p', 's', 1)",
     "read-only"),
    ("DELETE FROM raw_filing", "read-only"),
    ("SELECT 1; UPDATE raw_filing SET sha256 = 'x'", "read-only"),
    ("CREATE TABLE pwned AS SELECT 42 AS x", "read-only"),
    ("DROP TABLE raw_filing", "read-only"),
    ("ATTACH '{tmp}/new.duckdb' AS side", "file system operations are disabled"),
    ("ATTACH '{tmp}/new.duckdb' AS side (READ_WRITE)", "file system operations are disabled"),
    ("COPY (SELECT * FROM raw_filing) TO '{tmp}/out.csv'", "file system operations are disabled"),
    ("EXPORT DATABASE '{tmp}/export'", "file system operations are disabled"),
    ("SELECT * FROM read_text('{tmp}/../secret.txt')", "file system operations are disabled"),
    ("SET enable_external_access = true", "the configuration has been locked"),
    ("SET GLOBAL enable_external_access = true", "the configuration has been locked"),
    ("RESET enable_external_access", "the configuration has been locked"),
    ("SET lock_configuration = false", "the configuration has been locked"),
    ("INSTALL httpfs", "disabled"),
    ("LOAD httpfs", "disabled"),
]


@pytest.mark.parametrize(("query", "refusal"), ATTEMPTS, ids=[q.split()[0] + str(i) for i, (q, _) in enumerate(ATTEMPTS)])
def test_sql_command_refuses_to_write(query: str, refusal: str, warehouse: Settings, parser: argparse.ArgumentParser,
                                      tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "secret.txt").write_text("not for the analyst session")
    before = _sha(warehouse.warehouse)
    listing = sorted(p.name for p in tmp_path.iterdir())
    rc, message = _sql(parser, query.format(tmp=tmp_path / "sub"), warehouse.warehouse, capsys)
    assert rc == 1, message
    assert message.startswith("edgar-etl sql: ") and refusal in message, message
    assert _sha(warehouse.warehouse) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # no file appeared
    # and the data is still what was published
    rc, message = _sql(parser, "SELECT count(*) AS n, min(sha256) AS s FROM raw_filing", warehouse.warehouse, capsys)
    assert rc == 0 and re.search(r"\|\s+1 \| abc\s+\|", message), message


def test_sql_binary_refuses_too(warehouse: Settings, tmp_path: Path) -> None:
    """The installed ``edgar-etl`` entry point, in its own process, with its own environment."""
    before = _sha(warehouse.warehouse)
    exe = Path(sys.executable).parent / "edgar-etl"
    out = subprocess.run([str(exe), "sql", f"SET enable_external_access = true; COPY raw_filing TO '{tmp_path}/x.csv'",
                          "--warehouse", str(warehouse.warehouse)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and "the configuration has been locked" in out.stderr, out.stderr[-2000:]
    assert not (tmp_path / "x.csv").exists()
    assert _sha(warehouse.warehouse) == before


# ------------------------------------------------------------- paths from validated keys only
BAD_CIKS: list[Any] = [-1, -1268803, 0, 10**10, "1268803", "../", "../1268803", "１２６８８０３", 1268803.0, True, None]
BAD_ACCESSIONS: list[Any] = [
    "../0001019965-04-000001", "../../../etc/passwd", "0001019965/04/000001", "0001019965-04-000001/..",
    "edgar/data/1268803/0001019965-04-000001", "０００１０１９９６５-０４-００００００１",  # full-width digits
    "٠٠٠١٠١٩٩٦٥-٠٤-٠٠٠٠٠١",  # Arabic-Indic digits (str.isdigit() says True)
    "0001019965-04-00000\u0661", "0001019965-04-000001\x00", "0001019965-04-000001\n", "..", "",
]


@pytest.mark.parametrize("cik", BAD_CIKS, ids=repr)
def test_raw_store_refuses_bad_cik(cik: Any, tmp_path: Path) -> None:
    store = RawStore(Settings(data_dir=tmp_path / "data"))
    for call in (lambda: store.path_for(cik, "0001019965-04-000001"), lambda: store.has(cik, "0001019965-04-000001"),
                 lambda: store.get(cik, "0001019965-04-000001"), lambda: store.put(cik, "0001019965-04-000001", b"x")):
        with pytest.raises(RawStoreError, match="CIK"):
            call()
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize("acc", BAD_ACCESSIONS, ids=repr)
def test_raw_store_refuses_bad_accession(acc: str, tmp_path: Path) -> None:
    store = RawStore(Settings(data_dir=tmp_path / "data"))
    for call in (lambda: store.path_for(1268803, acc), lambda: store.sha256(1268803, acc),
                 lambda: store.get(1268803, acc), lambda: store.put(1268803, acc, b"<SEC-DOCUMENT>")):
        with pytest.raises(RawStoreError, match="accession"):
            call()
    assert not (tmp_path / "data").exists()


class _NoNetwork:
    """A client whose every use fails the test: refusal must come before any request."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"client.{name} used for an invalid key")


def test_hostile_submissions_json_never_reaches_a_path(tmp_path: Path) -> None:
    # discovery drops an accession that merely *ends* like one; the raw store would stop it too
    rows = submission_rows({"accessionNumber": ["../../../x/0001019965-04-000001", "0001019965-04-000002"],
                            "form": ["10-D", "10-D"], "filingDate": ["2006-01-25", "2006-01-25"]},
                           1268803, "AAMES MORTGAGE TRUST 2003-1")
    assert [r.accession for r in rows] == ["0001019965-04-000002"]
    hostile = IndexEntry("10-D", "X", 1268803, date(2006, 1, 25), "edgar/data/1268803/x.txt",
                         "../../../x/0001019965-04-000001")
    store = RawStore(Settings(data_dir=tmp_path / "data"))
    with pytest.raises(RawStoreError, match="accession"):
        fetch_filing(_NoNetwork(), store, hostile)  # type: ignore[arg-type]
    entry = IndexEntry("10-D", "X", -5, date(2006, 1, 25), "edgar/data/-5/0001019965-04-000001.txt",
                       "0001019965-04-000001")
    with pytest.raises(RawStoreError, match="CIK"):
        fetch_filing(_NoNetwork(), store, entry)  # type: ignore[arg-type]
    assert not (tmp_path / "data").exists()


def test_fetch_batch_records_a_refused_key_and_goes_on(tmp_path: Path) -> None:
    settings = Settings(base_url="http://127.0.0.1:9", data_url="http://127.0.0.1:9", data_dir=tmp_path / "data",
                        user_agent="ETL Reliability Tests reliability-tests@example.org")
    bad = {"form_type": "10-D", "company": "X", "cik": 1268803, "date_filed": "2006-01-25",
           "filename": "edgar/data/1268803/../../x.txt", "accession": "../../../x/0001019965-04-000001"}
    out = pipeline.fetch_batch(settings, [bad], "sec-test")
    assert out[0]["status"] == "fetch_failed" and out[0]["error_kind"] == "RawStoreError"
    assert "accession must look like" in out[0]["reason"]
    assert not settings.raw_dir.exists() or not any(settings.raw_dir.rglob("*"))


@pytest.mark.parametrize("run_id", ["..", ".", "...", "../../etc", "/etc/passwd", "a/../../b", "\x00", ""])
def test_run_ids_stay_inside_the_staging_folder(run_id: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    staged = Path(pipeline.parse_batch(settings, [], run_id)).resolve()
    root = settings.staging_dir.resolve()
    assert staged.parent.parent == root and staged.parent != root, staged
    assert staged.name == "batch-00000.jsonl"
