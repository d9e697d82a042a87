"""The expectation suites in ``etl/expectations/``: which views feed each suite and which check each expectation bounds.

Suites are reviewed JSON files (Great Expectations' own suite format), one per staged table and
severity (``stg_class_period.error``, ``cross_period.warn``...). Each expectation names its check and
view in ``meta``; the suite's ``meta.views`` lists the views whose rows form the suite's batch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

EXPECTATIONS_DIR = Path(__file__).resolve().parents[1] / "expectations"

SEVERITIES = ("error", "warn")
#: Great Expectations' own severity for each of ours, so Data Docs show the same split.
GX_SEVERITY = {"error": "critical", "warn": "warning"}


class SuiteError(ValueError):
    """A suite file is inconsistent with the views; the message names the file and the fix."""


@dataclass(frozen=True)
class Check:
    """One identity: its name, the view computing its residuals, its severity and where it is documented."""

    name: str
    view: str
    severity: str
    identity: str
    description: str

    @property
    def identity_number(self) -> int:
        """The DOMAIN.md identity this check implements ("DOMAIN.md #8" -> 8), for presenting checks in order."""
        digits = "".join(ch for ch in self.identity.rsplit("#", 1)[-1] if ch.isdigit())
        return int(digits) if digits else 99


@dataclass(frozen=True)
class Suite:
    """One suite file: the batch is the union of ``views`` restricted to the filings validated."""

    name: str
    path: Path
    table: str
    severity: str
    views: tuple[str, ...]
    checks: tuple[Check, ...]
    document: dict[str, Any]

    @property
    def columns(self) -> tuple[str, ...]:
        """The view columns its expectations read (compared, or named in a row condition),
        sorted: GX gets only these, not the labels and details that only the results table needs."""
        names: set[str] = {"check_name"}

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key in ("column", "column_A", "column_B") and isinstance(value, str):
                        names.add(value)
                    elif key == "column" and isinstance(value, dict) and isinstance(value.get("name"), str):
                        names.add(value["name"])
                    elif key == "column_list" and isinstance(value, list):
                        names.update(str(v) for v in value)
                    else:
                        walk(value)
            elif isinstance(node, list):
                for item in node:
                    walk(item)

        for exp in self.document.get("expectations") or []:
            walk(exp.get("kwargs") or {})
        return tuple(sorted(names))


def _check_of(path: Path, exp: dict[str, Any], severity: str) -> Check:
    meta = exp.get("meta") or {}
    missing = [k for k in ("check_name", "view", "severity") if not meta.get(k)]
    if missing:
        raise SuiteError(f"{path.name}: an expectation lacks meta {missing}; every expectation names its check")
    if meta["severity"] != severity or exp.get("severity") != GX_SEVERITY[severity]:
        raise SuiteError(f"{path.name}: check {meta['check_name']} has severity {meta['severity']!r} / "
                         f"{exp.get('severity')!r} in a {severity!r} suite")
    return Check(meta["check_name"], meta["view"], severity, meta.get("identity", ""), meta.get("description", ""))


def load_suite(path: Path) -> Suite:
    """Read one suite file and check it names its views and checks consistently."""
    doc = json.loads(path.read_text())
    meta = doc.get("meta") or {}
    severity = meta.get("severity")
    if severity not in SEVERITIES:
        raise SuiteError(f"{path.name}: meta.severity must be one of {SEVERITIES}, not {severity!r}")
    if doc.get("name") != path.stem:
        raise SuiteError(f"{path.name}: suite name {doc.get('name')!r} differs from the file name")
    checks = tuple(_check_of(path, e, severity) for e in doc.get("expectations") or [])
    views = tuple(meta.get("views") or ())
    names = [c.name for c in checks]
    if len(set(names)) != len(names):
        raise SuiteError(f"{path.name}: a check has more than one expectation: {names}")
    stray = {c.view for c in checks} - set(views)
    if stray:
        raise SuiteError(f"{path.name}: expectations on views not in meta.views: {sorted(stray)}")
    return Suite(doc["name"], path, meta.get("staged_table", ""), severity, views, checks, doc)


@cache
def load_suites(directory: Path = EXPECTATIONS_DIR) -> tuple[Suite, ...]:
    """Every suite in ``directory``, sorted by name; a check may live in one suite only."""
    suites = tuple(load_suite(p) for p in sorted(directory.glob("*.json")))
    seen: dict[str, str] = {}
    for s in suites:
        for c in s.checks:
            if c.name in seen:
                raise SuiteError(f"check {c.name} is in both {seen[c.name]} and {s.name}")
            seen[c.name] = s.name
    return suites


def checks_by_name(directory: Path = EXPECTATIONS_DIR) -> dict[str, Check]:
    """All checks of all suites by name."""
    return {c.name: c for s in load_suites(directory) for c in s.checks}
