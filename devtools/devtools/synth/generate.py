"""Write a complete synthetic EDGAR mirror of ABS filings, filing by filing.

The corpus is generated in calendar order (every deal's distribution of a month,
then the 10-Ks due that March), so ``max_filings`` cuts the same prefix of history
off every deal and the output of a capped run is a prefix of the uncapped one. Only
the small index rows and submissions rows stay in memory; each submission is
written and forgotten.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TextIO

from devtools.synth import forms
from devtools.synth.absee import ASSET_DATA_START, DEAL_ASSET_CLASSES, AssetPool, asset_data_documents
from devtools.synth.deals import NOISE_CIK_BASE, DealSpec, build_deals
from devtools.synth.edgar import Accessions, Document, Filer, Filing, MirrorWriter
from devtools.synth.engine import DealEngine
from devtools.synth.errors import inject
from devtools.synth.schedule import LiborPath, roll_back, roll_forward
from devtools.synth.views import make_view, money

GENERATOR_VERSION = 1
REG_AB_START = date(2006, 1, 1)  # distribution reports move from 8-K to 10-D
AMENDMENT_RATE = 0.03  # share of distribution reports later restated by an 8-K/A or 10-D/A
NOISE_RATE = 0.04  # non-ABS filings mixed into the indexes, per distribution report
ABS_SIC = ("6189", "ASSET-BACKED SECURITIES")

NOISE_COMPANIES: tuple[Filer, ...] = (
    Filer(NOISE_CIK_BASE, "BLUEWATER MEDICAL DEVICES INC", "3841", "SURGICAL & MEDICAL INSTRUMENTS & APPARATUS",
          "DE", "99-2000001", "001-39001", "10 Harbor Way", "Boston", "MA", "02110", "(617) 555-0120"),
    Filer(NOISE_CIK_BASE + 1, "GREENFIELD REALTY TRUST", "6798", "REAL ESTATE INVESTMENT TRUSTS",
          "MD", "99-2000002", "001-39002", "55 Field Street", "Dallas", "TX", "75201", "(214) 555-0130"),
    Filer(NOISE_CIK_BASE + 2, "NORTHWIND SOFTWARE CORP", "7372", "SERVICES-PREPACKAGED SOFTWARE",
          "DE", "99-2000003", "001-39003", "700 Wind Road", "Seattle", "WA", "98101", "(206) 555-0140"),
    Filer(NOISE_CIK_BASE + 3, "HARBOR POINT FINANCIAL CORP", "6022", "STATE COMMERCIAL BANKS",
          "NJ", "99-2000004", "001-39004", "1 Point Plaza", "Newark", "NJ", "07102", "(973) 555-0150"),
)
NOISE_OWNERS: tuple[Filer, ...] = tuple(
    Filer(NOISE_CIK_BASE + 100 + i, name, "", "", "", "", "", "c/o the issuer", "Boston", "MA", "02110", "")
    for i, name in enumerate(("DOE JANE Q", "ROE RICHARD", "SAMPLE CASEY", "EXAMPLE JORDAN"))
)


@dataclass(frozen=True)
class SynthSummary:
    """What ``generate`` wrote (the same counts are in manifest.json)."""

    out_dir: Path
    seed: int
    deals: int
    months: int
    filings: int
    by_form: dict[str, int]
    distribution_reports: int
    amendments: int
    annual_reports: int
    noise_filings: int
    filings_with_errors: int
    injected_errors: int
    capped: bool
    seconds: float = field(compare=False)
    asset_data_filings: int = 0  # ABS-EE filings (``asset_data`` > 0 only)


class _Capped(Exception):
    """``max_filings`` reached."""


def plan_corpus(filings: int, months: int = 24) -> tuple[int, int]:
    """(deals, months) whose corpus holds at least ``filings`` submissions, for ``max_filings`` to trim.

    Each deal files ``months`` reports, a few amendments and one 10-K per calendar year
    touched (noise filings come on top); the estimate is kept low so the cap, not the
    plan, decides the final count."""
    per_deal = months * (1 + AMENDMENT_RATE * 0.5) + months / 12
    return max(1, math.ceil(filings / per_deal)), months


def _deal_filer(deal: DealSpec) -> Filer:
    city, _, rest = deal.trustee.city.partition(", ")
    state, _, zip_code = rest.partition(" ")
    return Filer(deal.cik, deal.name, ABS_SIC[0], ABS_SIC[1], "DE", "", deal.file_number,
                 deal.trustee.street, city, state, zip_code, deal.trustee.phone)


def _accepted(filed: date, rng: random.Random) -> str:
    return f"{filed:%Y%m%d}{rng.randrange(7, 18):02d}{rng.randrange(60):02d}{rng.randrange(60):02d}"


def _film(filed: date, rng: random.Random) -> str:
    return f"{filed.year % 100:02d}{rng.randrange(1_000_000, 9_999_999)}"


class _Generator:
    def __init__(self, out_dir: Path, seed: int, inject_errors: float, max_filings: int | None,
                 gt: TextIO, asset_data: int = 0) -> None:
        self.out = out_dir
        self.asset_data = asset_data
        self.asset_pools: dict[int, AssetPool] = {}
        self.seed = seed
        self.inject_rate = inject_errors
        self.max = max_filings
        self.gt = gt
        self.mirror = MirrorWriter(out_dir)
        self.acc = Accessions()
        self.count = 0
        self.by_form: dict[str, int] = {}
        self.stats = {"distribution_reports": 0, "amendments": 0, "annual_reports": 0, "noise_filings": 0,
                      "filings_with_errors": 0, "injected_errors": 0}
        self.asset_data_filings = 0  # kept apart from stats: a corpus without them is unchanged
        self.errors_by_kind: dict[str, int] = {}
        self.first_filed: date | None = None
        self.last_filed: date | None = None
        self.noise_done = False
        self._annual_dates: dict[tuple[int, int], list[tuple[date, str]]] = {}

    # -- plumbing -----------------------------------------------------------------------

    def _room(self, n: int = 1) -> bool:
        return self.max is None or self.count + n <= self.max

    def _emit(self, filing: Filing, record: dict[str, Any], index_as: tuple[Filer, ...] | None = None) -> None:
        if not self._room():
            raise _Capped
        path, size = self.mirror.write(filing, index_as)
        self.count += 1
        self.by_form[filing.form] = self.by_form.get(filing.form, 0) + 1
        self.first_filed = min(self.first_filed or filing.filed, filing.filed)
        self.last_filed = max(self.last_filed or filing.filed, filing.filed)
        record = {"kind": record.pop("kind"), "accession": filing.accession, "form": filing.form,
                  "cik": filing.filer.cik, "company": filing.filer.name, "path": path, "size": size,
                  "filed_date": filing.filed.isoformat(),
                  "period_of_report": filing.period.isoformat() if filing.period else None, **record}
        self.gt.write(json.dumps(record, separators=(",", ":")) + "\n")

    # -- distribution reports -----------------------------------------------------------

    def distribution(self, deal: DealSpec, filer: Filer, period: dict[str, Any]) -> None:
        k = period["period_index"]
        dist: date = period["distribution_date"]
        rng = random.Random(f"{self.seed}:file:{deal.index}:{k}")
        form = "10-D" if dist >= REG_AB_START else "8-K"
        filed = roll_forward(dist + timedelta(days=rng.randrange(2, 13)))
        true_view = make_view(deal, period)
        printed = true_view
        errors: list[dict[str, Any]] = []
        if self.inject_rate > 0 and random.Random(f"{self.seed}:inject:{deal.index}:{k}").random() < self.inject_rate:
            printed, rec = inject(printed, deal.unit, random.Random(f"{self.seed}:inject-kind:{deal.index}:{k}"), True)
            if rec:
                errors.append(rec)
        amend = random.Random(f"{self.seed}:amend:{deal.index}:{k}").random() < AMENDMENT_RATE and self._room(2)
        if amend:
            printed, rec = inject(printed, deal.unit, random.Random(f"{self.seed}:amend-kind:{deal.index}:{k}"), False)
            amend = rec is not None
            if rec:
                errors.append(rec)
        accession = self.acc.next(deal.agent_cik, filed)
        amend_filed = roll_forward(filed + timedelta(days=rng.randrange(14, 75))) if amend else None
        amend_acc = self.acc.next(deal.agent_cik, amend_filed) if amend_filed else None
        docs = forms.distribution_documents(deal, printed, form, filed)
        items = ("Other Events", "Financial Statements and Exhibits") if form == "8-K" and dist >= \
            forms.ITEM_RENUMBERING else ()
        filing = Filing(accession, form, filer, filed, _accepted(filed, rng), dist, docs, _film(filed, rng),
                        items, extra={"item_codes": ("8.01", "9.01") if items else ()})
        record = self._report_record(deal, true_view, docs, errors)
        record["amended_by"] = amend_acc
        self._emit(filing, record)
        self.stats["distribution_reports"] += 1
        self._annual_dates.setdefault((deal.index, dist.year), []).append((dist, form))
        if self.asset_data and form == "10-D" and dist >= ASSET_DATA_START:
            self.asset_filing(deal, filer, period, filed, accession, rng)
        if errors:
            self.stats["filings_with_errors"] += 1
            for e in errors:
                self.errors_by_kind[e["kind"]] = self.errors_by_kind.get(e["kind"], 0) + 1
                self.stats["injected_errors"] += int(e["injected"])
        if amend_filed and amend_acc:
            a_form = form + "/A"
            note = {"original_filed": filed, "original_accession": accession, "error": errors[-1]}
            a_docs = forms.distribution_documents(deal, true_view, a_form, amend_filed, note)
            a_filing = Filing(amend_acc, a_form, filer, amend_filed, _accepted(amend_filed, rng), dist, a_docs,
                              _film(amend_filed, rng), items, extra=filing.extra)
            a_record = self._report_record(deal, true_view, a_docs, [])
            a_record["amends"] = accession
            self._emit(a_filing, a_record)
            self.stats["amendments"] += 1
        self._maybe_noise(deal, k, filed)

    def _report_record(self, deal: DealSpec, view: dict[str, Any], docs: list[Document],
                       errors: list[dict[str, Any]]) -> dict[str, Any]:
        u = deal.unit
        p = view["period"]
        seed_layout = deal.layout == "seed"
        classes = []
        for r in view["classes"]:
            c = {
                "class": r["class"],
                "cusip": None if seed_layout and r["kind"] in ("oc", "p", "r") else r["cusip"],
                "notional": r["notional"], "residual": r["residual"],
                "original_balance": money(r["original_balance"], u),
                "beginning_balance": money(r["beginning_balance"], u), "principal": money(r["principal"], u),
                "interest": money(r["interest"], u), "total_distribution": money(r["total_distribution"], u),
                "realized_loss": money(r["realized_loss"], u), "ending_balance": money(r["ending_balance"], u),
                "cumulative_realized_loss": money(r["cumulative_realized_loss"], u),
                "pass_through_rate": r["pass_through_rate"], "next_pass_through_rate": r["next_pass_through_rate"],
                "day_count": r["day_count"], "accrual_days": r["accrual_days"],
                "interest_basis": {"senior": "accrual", "mezz": "accrual", "sub": "accrual", "io": "accrual",
                                   "oc": "excess_interest", "p": "prepayment_premium", "r": "none"}[r["kind"]],
            }
            if seed_layout and r["kind"] not in ("oc", "p", "r") and r["original_balance"] > 0:
                o = r["original_balance"]
                c.update(principal_per_1000=round(r["principal"] / o * 1000, 6),
                         interest_per_1000=round(r["_exact_interest"] / o * 1000, 6),
                         total_per_1000=round((r["principal"] + r["_exact_interest"]) / o * 1000, 5),
                         realized_loss_per_1000=round(r["realized_loss"] / o * 1000, 6),
                         ending_balance_per_1000=round(r["ending_balance"] / o * 1000, 6))
            classes.append(c)
        pools = []
        for pl in view["pools"]:
            pools.append({k: (money(v, u) if isinstance(v, int) and "count" not in k and k not in (
                "loans_paid_in_full", "loans_liquidated", "remaining_term") else v)
                for k, v in pl.items() if not k.startswith("_")})
        report_doc = docs[-1]
        return {
            "kind": "distribution_report", "deal_name": deal.name, "layout": deal.layout,
            "document": report_doc.filename, "report_in_body": len(docs) == 1,
            "distribution_date": p["distribution_date"].isoformat(), "record_date": p["record_date"].isoformat(),
            "prior_distribution_date": p["prior_distribution_date"].isoformat(),
            "accrual_start": p["prior_distribution_date"].isoformat(),
            "accrual_end": p["distribution_date"].isoformat(),
            "accrual_days": p["accrual_days"], "period_index": p["period_index"], "libor": p["libor"],
            "amount_decimals": 0 if u == 1 else 2,
            "classes": classes,
            "class_totals": [dict(t, value=money(t["value"], u)) for t in view["totals"]],
            "pools": pools,
            "deal": {k: money(v, u) for k, v in view["deal"].items()},
            "delinquencies": [{k: (money(v, u) if k.endswith("balance") else v) for k, v in dq.items()}
                              for dq in view["delinquencies"]],
            "errors": errors,
        }

    # -- asset-level data (ABS-EE) --------------------------------------------------------

    def asset_filing(self, deal: DealSpec, filer: Filer, period: dict[str, Any], filed: date, report_accession: str,
                     rng: random.Random) -> None:
        """The deal's Form ABS-EE for the period of a 10-D, filed the same day: EX-102 asset data whose
        ending balances add up to the 10-D's (true) Total pool ending balance, EX-103 raw text."""
        asset_class = DEAL_ASSET_CLASSES[deal.index % len(DEAL_ASSET_CLASSES)]
        pool = self.asset_pools.setdefault(deal.index, AssetPool(deal.index, asset_class, self.asset_data,
                                                                 self.seed, deal.unit))
        dist: date = period["distribution_date"]
        period_end = date(dist.year, dist.month, 1) - timedelta(days=1)
        period_begin = date(period_end.year, period_end.month, 1)
        total = next(p for p in period["pools"] if p["pool"] == "Total")
        values, indexes, truth = pool.step(total, period_begin, period_end)
        docs = [Document(t, name, desc, text) for t, name, desc, text in asset_data_documents(
            asset_class, deal.name, indexes, values, seed=pool.seed, period_end=period_end)]
        accession = self.acc.next(deal.agent_cik, filed)
        filing = Filing(accession, "ABS-EE", filer, filed, _accepted(filed, rng), dist, docs, _film(filed, rng))
        self._emit(filing, {"kind": "asset_data", "deal_name": deal.name, "asset_class": asset_class,
                            "report_accession": report_accession, "distribution_date": dist.isoformat(),
                            "reporting_period_begin": period_begin.isoformat(),
                            "reporting_period_end": period_end.isoformat(), "document": docs[1].filename,
                            "amount_decimals": 2, **truth})
        self.asset_data_filings += 1

    # -- annual reports -----------------------------------------------------------------

    def annual(self, deal: DealSpec, filer: Filer, year: int) -> None:
        dates = self._annual_dates.pop((deal.index, year))
        rng = random.Random(f"{self.seed}:10k-file:{deal.index}:{year}")
        filed = roll_back(date(year + 1, 3, rng.randrange(20, 32)))
        docs, truth = forms.annual_report(deal, year, [d for d, _ in dates], [f for _, f in dates], filed,
                                          self.seed)
        filing = Filing(self.acc.next(deal.agent_cik, filed), "10-K", filer, filed, _accepted(filed, rng),
                        date(year, 12, 31), docs, _film(filed, rng))
        self._emit(filing, {"kind": "annual_report", "deal_name": deal.name,
                            "documents": [d.filename for d in docs], **truth})
        self.stats["annual_reports"] += 1

    # -- noise --------------------------------------------------------------------------

    def _maybe_noise(self, deal: DealSpec, k: int, filed: date) -> None:
        rng = random.Random(f"{self.seed}:noise:{deal.index}:{k}")
        kinds: list[str] = []
        if not self.noise_done:
            kinds, self.noise_done = ["8-K", "4"], True
        elif rng.random() < NOISE_RATE:
            kinds = [rng.choice(("8-K", "4"))]
        for kind in kinds:
            company = rng.choice(NOISE_COMPANIES)
            if kind == "8-K":
                docs = forms.noise_8k(company.name, filed, rng)
                filing = Filing(self.acc.next(company.cik, filed), "8-K", company, filed, _accepted(filed, rng),
                                filed, docs, _film(filed, rng), ("Results of Operations and Financial Condition",
                                                                 "Financial Statements and Exhibits"),
                                extra={"item_codes": ("2.02", "9.01")})
                self._emit(filing, {"kind": "noise", "sic": company.sic})
            else:
                owner = rng.choice(NOISE_OWNERS)
                docs = forms.noise_4(company.name, owner.name, filed, rng)
                filing = Filing(self.acc.next(company.cik, filed), "4", company, filed, _accepted(filed, rng),
                                filed, docs, _film(filed, rng), owner=owner)
                self._emit(filing, {"kind": "noise", "sic": company.sic, "reporting_owner": owner.name},
                           index_as=(company, owner))
            self.stats["noise_filings"] += 1


def _prepare(out_dir: Path) -> None:
    """Create ``out_dir``; clear a previous synthetic corpus there, refuse anything else."""
    if out_dir.exists() and any(out_dir.iterdir()):
        if not (out_dir / "manifest.json").exists():
            raise FileExistsError(f"{out_dir} is not empty and holds no synthetic corpus (manifest.json)")
        for name in ("Archives", "submissions"):
            shutil.rmtree(out_dir / name, ignore_errors=True)
        for name in ("ground_truth.jsonl", "manifest.json"):
            (out_dir / name).unlink(missing_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)


def generate(out_dir: Path, deals: int, months: int, seed: int, inject_errors: float = 0.0,
             start: date = date(2004, 1, 1), max_filings: int | None = None,
             progress: Callable[[int, int], None] | None = None, asset_data: int = 0) -> SynthSummary:
    """Write a synthetic EDGAR mirror of ``deals`` trusts × ``months`` distributions under ``out_dir``.

    Deterministic for a seed: same arguments, same bytes. ``inject_errors`` is the share of
    distribution reports printed with a planted mistake (recorded in ground_truth.jsonl);
    ``max_filings`` caps the number of submissions written. ``asset_data`` > 0: each 10-D distributed
    from 2016-11-23 on (Regulation AB II) comes with a Form ABS-EE of that many assets, their
    balances adding up to the 10-D's pool balance (ground truth kind ``asset_data``)."""
    if deals < 1 or months < 1:
        raise ValueError("deals and months must be at least 1")
    if not 0.0 <= inject_errors <= 1.0:
        raise ValueError("inject_errors is a rate between 0 and 1")
    if max_filings is not None and max_filings < 1:
        raise ValueError("max_filings must be at least 1")
    if asset_data < 0:
        raise ValueError("asset_data is a number of assets per ABS-EE (0: none)")
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    _prepare(out_dir)
    specs = build_deals(seed, deals, months, start)
    libor = LiborPath(seed)
    engines = [DealEngine(d, libor, seed) for d in specs]
    filers = [_deal_filer(d) for d in specs]
    first = min(d.first_year * 12 + d.first_month - 1 for d in specs)
    last = max(d.first_year * 12 + d.first_month - 1 + months - 1 for d in specs)
    capped = False
    with (out_dir / "ground_truth.jsonl").open("w", encoding="utf-8") as gt:
        g = _Generator(out_dir, seed, inject_errors, max_filings, gt, asset_data)
        try:
            for gm in range(first, last + 1):
                year, month = gm // 12, gm % 12 + 1
                for d, eng, filer in zip(specs, engines, filers, strict=True):
                    k = gm - (d.first_year * 12 + d.first_month - 1)
                    if 0 <= k < months and not eng.paid_off:
                        g.distribution(d, filer, eng.step())
                if progress is not None:  # (months done, months in all): drives the CLI's bar
                    progress(gm - first + 1, last - first + 1)
                if month == 3:
                    for d, filer in zip(specs, filers, strict=True):
                        if (d.index, year - 1) in g._annual_dates:
                            g.annual(d, filer, year - 1)
            for d_index, year in sorted(g._annual_dates, key=lambda t: (t[1], t[0])):
                g.annual(specs[d_index], filers[d_index], year)
        except _Capped:
            capped = True
    files = g.mirror.finish()
    manifest = {
        "generator": "devtools.synth", "version": GENERATOR_VERSION, "seed": seed, "deals": deals, "months": months,
        "start": start.isoformat(), "inject_errors": inject_errors, "max_filings": max_filings, "capped": capped,
        "filings": g.count, "by_form": dict(sorted(g.by_form.items())), **g.stats,
        "errors_by_kind": dict(sorted(g.errors_by_kind.items())),
        "first_filing_date": g.first_filed.isoformat() if g.first_filed else None,
        "last_filing_date": g.last_filed.isoformat() if g.last_filed else None,
        **files,
        "layouts": {lay: sum(1 for d in specs if d.layout == lay) for lay in ("seed", "ctslink", "html")},
        "deal_list": [{"cik": d.cik, "name": d.name, "layout": d.layout, "pools": len(d.pools),
                       "classes": [c.name for c in d.classes], "closing_date": d.closing.isoformat(),
                       "first_distribution": d.distribution_date(0).isoformat(),
                       "amount_decimals": 0 if d.unit == 1 else 2} for d in specs],
        "noise_ciks": [c.cik for c in NOISE_COMPANIES] + [o.cik for o in NOISE_OWNERS],
    }
    if asset_data:  # only then: a corpus without asset data keeps its bytes
        manifest.update(asset_data=asset_data, asset_data_filings=g.asset_data_filings,
                        asset_classes={str(d.cik): DEAL_ASSET_CLASSES[d.index % len(DEAL_ASSET_CLASSES)]
                                       for d in specs})
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return SynthSummary(out_dir=out_dir, seed=seed, deals=deals, months=months, filings=g.count,
                        by_form=dict(sorted(g.by_form.items())), capped=capped,
                        seconds=round(time.perf_counter() - t0, 3), asset_data_filings=g.asset_data_filings,
                        **g.stats)


__all__ = ["SynthSummary", "generate", "plan_corpus"]
