"""Side-by-side with a peer: edgartools' ``DistributionReport`` vs our ``etl.parse.parse_bytes``.

    .venv/bin/python bench/run_peer.py            # set up bench/.venv-peer, run both, write results

edgartools is not a project dependency: it lives in its own benchmark-only venv
(``bench/.venv-peer``, git-ignored), and its half of the comparison runs there as
``run_peer.py --worker`` (this same file, standard library and edgartools only). Its authors
keep ``DistributionReport`` out of the public API, so the worker imports
``edgar.abs.distribution`` directly.

The worker never reaches the network: its identity variable is a dummy, HTTP(S)_PROXY point at
a loopback port nothing listens on, and a socket guard refuses (and records) any connection
that is not to the loopback address.

Both parsers read the same documents: the EX-99.1 HTML statement of every HTML-layout 10-D of
a synthetic corpus, and the seed 8-K's text report rendered to HTML tables. Results go into
``bench/results.json`` under ``peer`` and into the table in ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PEER_VENV = ROOT / "bench" / ".venv-peer"
REQUIREMENTS = ROOT / "bench" / "peer_requirements.txt"
READY = PEER_VENV / ".peer-ready.json"
PIP_TIMEOUT_S = 900
WORKER_TIMEOUT_S = 1800
PEER_CORPUS = {"deals": 30, "months": 12, "seed": 2006, "start": "2006-01-01"}  # 10-D era: Reg AB


# ------------------------------------------------------------------ worker (inside the peer venv)
def _guard_network(attempts: list[str]) -> None:
    """Refuse every connection that is not to loopback; edgartools must not call sec.gov."""
    real_connect = socket.socket.connect

    def allowed(address: Any) -> bool:
        host = address[0] if isinstance(address, tuple) else str(address)
        return isinstance(address, str) or host in ("127.0.0.1", "::1", "localhost")

    def connect(self: socket.socket, address: Any) -> None:
        if not allowed(address):
            attempts.append(repr(address))
            raise OSError(f"network blocked by the benchmark: {address!r}")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        try:
            connect(self, address)
        except OSError:
            return 111  # ECONNREFUSED
        return 0

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]


def worker(docs_dir: Path, out: Path) -> int:
    """Run DistributionReport on every document; write timings and its metrics as JSON."""
    import dataclasses
    import importlib.metadata
    import re
    from datetime import date

    attempts: list[str] = []
    _guard_network(attempts)
    t = time.perf_counter()
    from edgar.abs.distribution import DistributionReport  # off the public API: imported directly

    import_s = time.perf_counter() - t
    number = re.compile(r"^\(?\$?\s*-?[\d,]+(\.\d+)?%?\)?$")
    paths = sorted(docs_dir.glob("*.htm"))
    if paths:  # warm-up, untimed, as our side gets
        DistributionReport(paths[0].read_text(encoding="utf-8")).metrics  # noqa: B018
    per_doc = []
    for path in paths:
        html = path.read_text(encoding="utf-8")
        t = time.perf_counter()
        try:
            rep = DistributionReport(html)
            metrics = rep.metrics
            tables = rep.tables
            took = time.perf_counter() - t
            m = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in dataclasses.asdict(metrics).items()}
            cells = sum(1 for tb in tables for row in tb.rows for c in row if c and number.match(c.strip()))
            per_doc.append({"doc": path.stem, "seconds": round(took, 5), "metrics": m, "tables": len(tables),
                            "numeric_cells": cells, "table_labels": [tb.label for tb in tables]})
        except Exception as exc:  # noqa: BLE001 - a peer failure is a result, not a crash
            per_doc.append({"doc": path.stem, "seconds": round(time.perf_counter() - t, 5),
                            "error": f"{type(exc).__name__}: {exc}"[:500]})
    out.write_text(json.dumps({
        "edgartools_version": importlib.metadata.version("edgartools"),
        "import_s": round(import_s, 3),
        "per_doc": per_doc,
        "network_attempts_blocked": attempts,
        "proxy_env": {k: os.environ.get(k) for k in ("HTTP_PROXY", "HTTPS_PROXY", "EDGAR_IDENTITY")},
    }, indent=1))
    return 0


# ------------------------------------------------------------------ orchestration (project venv)
def _run(cmd: list[str], timeout: float = PIP_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if res.returncode != 0:
        sys.stderr.write(res.stdout[-3000:] + res.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return res


def _peer_python() -> Path:
    return PEER_VENV / "bin" / "python"


def _installed() -> dict[str, Any]:
    """edgartools' version in the peer venv and whether it ships edgar/abs/distribution.py."""
    probe = ("import importlib.metadata as m, json; "
             "files = [str(f) for f in (m.files('edgartools') or [])]; "
             "print(json.dumps({'version': m.version('edgartools'), "
             "'has_distribution_report': 'edgar/abs/distribution.py' in files}))")
    return json.loads(_run([str(_peer_python()), "-c", probe]).stdout)


def ensure_peer_venv(reinstall: bool = False) -> dict[str, Any]:
    """Create bench/.venv-peer; record what an unpinned install gives, fall back to the pin."""
    if READY.is_file() and not reinstall:
        return json.loads(READY.read_text())
    if not _peer_python().exists():
        base = getattr(sys, "_base_executable", None) or sys.executable
        _run([base, "-m", "venv", str(PEER_VENV)])
    pip = [str(_peer_python()), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    _run([*pip, "--upgrade", "edgartools"])
    unpinned = _installed()
    info: dict[str, Any] = {"unpinned_install": unpinned}
    _run([*pip, "-r", str(REQUIREMENTS)])
    used = _installed()
    info.update(used=used, requirements=str(REQUIREMENTS.relative_to(ROOT)),
                note=("`pip install edgartools` gave {v}, which {has} edgar.abs.distribution.DistributionReport; "
                      "the comparison runs {u} from bench/peer_requirements.txt.").format(
                    v=unpinned["version"], has="ships" if unpinned["has_distribution_report"] else "does NOT ship",
                    u=used["version"]))
    if not used["has_distribution_report"]:
        raise SystemExit(f"edgartools {used['version']} has no edgar/abs/distribution.py")
    READY.write_text(json.dumps(info, indent=1))
    return info


def _free_loopback_port() -> int:
    """A loopback port nothing listens on (bound, then released), for the dead-end proxy."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _peer_corpus(work: Path) -> Path:
    from datetime import date

    from devtools.bench.corpus import synth_fingerprint
    from devtools.synth import generate

    target = work / f"corpus-g{synth_fingerprint()}"
    if not (target / ".complete").is_file():
        generate(target, deals=PEER_CORPUS["deals"], months=PEER_CORPUS["months"], seed=PEER_CORPUS["seed"],
                 start=date.fromisoformat(PEER_CORPUS["start"]))
        (target / ".complete").write_text("ok")
    return target


def main_compare(args: argparse.Namespace) -> dict[str, Any]:
    from devtools.bench import peer
    from devtools.bench.corpus import work_root

    info = ensure_peer_venv(args.reinstall)
    work = work_root() / "peer"
    corpus = _peer_corpus(work)
    truth = [json.loads(ln) for ln in (corpus / "ground_truth.jsonl").read_text().splitlines() if ln.strip()]
    seed_text = (ROOT / "tests" / "fixtures" / "seeds" / "aames031dec03.txt").read_text(encoding="utf-8")
    seed_truth = json.loads((ROOT / "tests" / "fixtures" / "quality" / "seed_parsed.json").read_text())
    docs_dir = work / "docs"
    for old in docs_dir.glob("*.htm"):
        old.unlink()
    docs = peer.collect_documents(corpus, truth, docs_dir, seed_text=seed_text, seed_truth=seed_truth,
                                  limit=args.docs)

    from etl.parse import parse_bytes

    parse_bytes(docs[0].path.read_bytes())  # warm-up, untimed, as the peer's side gets
    ours = peer.run_ours(docs)

    proxy = f"http://127.0.0.1:{_free_loopback_port()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EDGAR_", "PYTHON"))}
    env.update({"EDGAR_IDENTITY": "Benchmark Dummy bench@localhost.invalid", "HTTP_PROXY": proxy,
                "HTTPS_PROXY": proxy, "http_proxy": proxy, "https_proxy": proxy, "NO_PROXY": "", "no_proxy": "",
                "EDGAR_LOCAL_DATA_DIR": str(work / "edgar-local"), "EDGAR_USE_LOCAL_DATA": "0"})
    out = work / "peer_out.json"
    t = time.perf_counter()
    res = subprocess.run([str(_peer_python()), str(Path(__file__).resolve()), "--worker", str(docs_dir), str(out)],
                         env=env, capture_output=True, text=True, timeout=WORKER_TIMEOUT_S, cwd=work)
    wall = time.perf_counter() - t
    if res.returncode != 0:
        sys.stderr.write(res.stderr[-4000:])
        raise SystemExit("the peer worker failed")
    peer_raw = json.loads(out.read_text())
    theirs = peer.score_peer(docs, peer_raw)
    sources = ("synthetic-html", "seed-as-html")
    result = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "command": ".venv/bin/python bench/run_peer.py",
        "edgartools": {**info, "version_run": peer_raw["edgartools_version"], "import_s": peer_raw["import_s"],
                       "worker_wall_s": round(wall, 2),
                       "network_attempts_blocked": peer_raw["network_attempts_blocked"],
                       "api": "edgar.abs.distribution.DistributionReport(html).metrics / .tables"},
        "corpus": {**PEER_CORPUS, "path": str(corpus), "documents": len(docs)},
        "ours": peer.summarise(ours, sources),
        "edgartools_summary": peer.summarise(theirs, sources),
        "edgartools_numeric_cells": sum(r.get("numeric_cells", 0) for r in theirs["per_doc"]),
        "edgartools_tables": sum(r.get("tables", 0) for r in theirs["per_doc"]),
    }
    peer.dump({"ours": ours, "edgartools": theirs}, work / "per_doc.json")
    _store(result)
    return result


def _store(result: dict[str, Any]) -> None:
    from devtools.bench.report import write_readme

    path = ROOT / "bench" / "results.json"
    results = json.loads(path.read_text()) if path.is_file() else {}
    results["peer"] = result
    path.write_text(json.dumps(results, indent=1, default=str) + "\n")
    write_readme(results)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--worker", nargs=2, metavar=("DOCS_DIR", "OUT_JSON"), help=argparse.SUPPRESS)
    p.add_argument("--reinstall", action="store_true", help="rebuild bench/.venv-peer's packages")
    p.add_argument("--docs", type=int, default=None, help="at most this many synthetic documents")
    args = p.parse_args(argv)
    if args.worker:
        return worker(Path(args.worker[0]), Path(args.worker[1]))
    sys.path.insert(0, str(ROOT))
    result = main_compare(args)
    print(json.dumps({k: result[k] for k in ("edgartools", "ours", "edgartools_summary")}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
