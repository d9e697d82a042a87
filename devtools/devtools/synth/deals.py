"""Synthetic deal structures: who the trust is, its pools and its classes.

Everything a deal needs for its whole life is drawn here once, from a random stream
of its own (seed + deal number), so a deal is identical whatever else is generated
and whatever ``max_filings`` cuts off.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from devtools.synth.cusip import make_cusip
from devtools.synth.schedule import add_months, distribution_date, roll_back

LAYOUTS = ("seed", "ctslink", "html")

# Deal CIKs start far above any real ABS trust of the era (the seed's is 1,268,803);
# the filing agents and the noise filers have ranges of their own.
DEAL_CIK_BASE = 9_001_000
DEAL_CIK_STEP = 17
NOISE_CIK_BASE = 9_980_001
AGENT_CIKS = (9_990_001, 9_990_002, 9_990_003)


@dataclass(frozen=True)
class Shelf:
    """A depositor's registration shelf: one family of trusts with one naming scheme."""

    trust: str
    abbr: str
    depositor: str
    depositor_irs: str
    sponsor: str
    shelf_number: str
    cert_title: str
    street: str
    city: str
    zip_code: str
    phone: str


SHELVES: tuple[Shelf, ...] = (
    Shelf("SYNTHETIC HOME EQUITY TRUST", "she", "SYNTHETIC ASSET SECURITIES CORPORATION", "99-1000001",
          "Synthetic Mortgage Capital LLC", "333-190001", "HOME EQUITY LOAN ASSET-BACKED CERTIFICATES",
          "100 Example Plaza, 7th Floor", "New York, NY", "10019", "(212) 555-0100"),
    Shelf("SYNTHETIC MORTGAGE LOAN TRUST", "sml", "SYNTHETIC MORTGAGE SECURITIES INC.", "99-1000002",
          "Synthetic Home Lending Corp.", "333-190002", "MORTGAGE PASS-THROUGH CERTIFICATES",
          "200 Placeholder Avenue", "Charlotte, NC", "28202", "(704) 555-0142"),
    Shelf("SYNTHETIC ASSET-BACKED CERTIFICATES TRUST", "sab", "SYNTHETIC ABS DEPOSITOR CORP.", "99-1000003",
          "Synthetic Consumer Finance Inc.", "333-190003", "ASSET-BACKED PASS-THROUGH CERTIFICATES",
          "300 Sample Street, Suite 1200", "Irvine, CA", "92618", "(949) 555-0177"),
    Shelf("SYNTHETIC ALTERNATIVE LOAN TRUST", "sal", "SYNTHETIC RESIDENTIAL FUNDING CORP.", "99-1000004",
          "Synthetic Residential Capital LLC", "333-190004", "ALTERNATIVE LOAN TRUST CERTIFICATES",
          "400 Mock Boulevard", "Calabasas, CA", "91302", "(818) 555-0190"),
)


@dataclass(frozen=True)
class Trustee:
    """The trustee (or securities administrator) that prints and files the reports."""

    name: str
    short: str
    department: str
    street: str
    city: str
    phone: str
    fax: str
    officer: str
    title: str


TRUSTEES: dict[str, Trustee] = {
    "seed": Trustee("First Synthetic Bank National Association", "First Synthetic Bank",
                    "Corporate Trust Services", "180 Example Place", "St. Paul, MN 55107",
                    "(651) 555-0111", "(651) 555-0112", "Dana K. Sample", "Vice President"),
    "ctslink": Trustee("Synthetic Trust Bank, N.A.", "Synthetic Trust Bank",
                       "Securities Administration Services", "9999 Example Road", "Columbia, MD 21045",
                       "(410) 555-0150", "(410) 555-0151", "Morgan T. Placeholder", "Assistant Vice President"),
    "html": Trustee("Example Trust Company, National Association", "Example Trust Company",
                    "Structured Finance Services", "1 Illustration Square", "Chicago, IL 60603",
                    "(312) 555-0166", "(312) 555-0167", "Riley J. Specimen", "Vice President"),
}

SERVICERS = ("Synthetic Loan Servicing LP", "Example Home Loan Servicing Inc.",
             "Placeholder Mortgage Servicing LLC", "Sample Credit Servicing Corporation")
MASTER_SERVICERS = ("Synthetic Master Servicing Corp.", "Example Master Servicing Company")
ACCOUNTANTS = ("Sample & Example LLP", "Placeholder Partners LLP", "Illustrative Audit LLP")
CRMS = ("Synthetic Risk Advisors LLC", "Example Credit Risk Management Inc.")
CAP_PROVIDERS = ("Synthetic Derivative Products Inc.", "Example Capital Markets Ltd.")


@dataclass
class PoolSpec:
    """One loan group: size, coupon, term and the behaviour curves of its borrowers."""

    name: str
    original: int  # in the deal's minor units
    wac: float  # percent
    term: int  # remaining months at closing
    avg_loan: int  # minor units
    loan_count: int
    cpr_peak: float
    cdr_peak: float
    severity: float
    penalty_share: float
    penalty_term: int
    dq_level: float


@dataclass
class ClassSpec:
    """One certificate class and how it earns interest."""

    name: str
    kind: str  # senior | io | mezz | sub | oc | p | r
    group: int | None
    coupon: str  # float | fixed | none
    margin: float
    fixed_rate: float
    original: int  # minor units (notional for the IO class)
    cusip: str | None
    io_months: int = 0

    @property
    def principal_bearing(self) -> bool:
        return self.kind in ("senior", "mezz", "sub")

    @property
    def coupon_bearing(self) -> bool:
        return self.kind in ("senior", "mezz", "sub", "io")


@dataclass
class DealSpec:
    """A synthetic trust: identity, parties, filing habits, collateral and classes."""

    index: int
    cik: int
    name: str
    shelf: Shelf
    series: str
    file_number: str
    closing: date
    first_year: int
    first_month: int
    months: int
    layout: str
    report_in_body: bool
    unit: int  # 1: whole dollars; 100: cents
    agent_cik: int
    trustee: Trustee
    servicer: str
    master_servicer: str
    accountant: str
    credit_risk_manager: str
    cap_provider: str
    holders_of_record: int
    irs_number: str
    servicing_fee: float  # percent per year
    trustee_fee: float
    crm_fee: float
    cap_strike: float
    cap_coverage: float
    pools: list[PoolSpec] = field(default_factory=list)
    classes: list[ClassSpec] = field(default_factory=list)

    @property
    def oc_initial(self) -> int:
        return sum(p.original for p in self.pools) - sum(c.original for c in self.classes if c.principal_bearing)

    def distribution_month(self, k: int) -> tuple[int, int]:
        """(year, month) of the k-th distribution (k = 0 is the first)."""
        return add_months(self.first_year, self.first_month, k)

    def distribution_date(self, k: int) -> date:
        return distribution_date(*self.distribution_month(k))


def _round_to(x: float, step: int) -> int:
    return int(round(x / step)) * step


def _issuer_code(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "9" + "".join(rng.choice("0123456789") for _ in range(4)) + rng.choice(alphabet[10:])


def _issue_codes() -> list[str]:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    return ["A" + ch for ch in letters] + ["B" + ch for ch in letters]


def build_deals(seed: int, deals: int, months: int, start: date) -> list[DealSpec]:
    """Every deal of a corpus, in index order (cheap: structures only, no cash flows)."""
    out: list[DealSpec] = []
    series_counter: dict[tuple[int, int], int] = {}
    shelf_counter: dict[int, int] = {}
    for i in range(deals):
        rng = random.Random(f"{seed}:deal:{i}")
        shelf_idx = rng.randrange(len(SHELVES))
        shelf = SHELVES[shelf_idx]
        layout = LAYOUTS[i % len(LAYOUTS)]
        offset = (i * 5 + rng.randrange(3)) % 12
        cy, cm = add_months(start.year, start.month, offset)
        closing = roll_back(date(cy, cm, rng.randrange(20, 29)))
        fy, fm = add_months(cy, cm, 1)
        n = series_counter.get((shelf_idx, cy), 0) + 1
        series_counter[(shelf_idx, cy)] = n
        shelf_n = shelf_counter.get(shelf_idx, 0) + 1
        shelf_counter[shelf_idx] = shelf_n
        series = f"{cy}-{n}"
        unit = 1 if layout == "seed" else 100
        deal = DealSpec(
            index=i, cik=DEAL_CIK_BASE + i * DEAL_CIK_STEP, name=f"{shelf.trust} {series}", shelf=shelf,
            series=series, file_number=f"{shelf.shelf_number}-{shelf_n:02d}", closing=closing,
            first_year=fy, first_month=fm, months=months, layout=layout,
            report_in_body=i % 6 == 0,  # seed-layout deals alternate: 8-K body / EX-99.1
            unit=unit, agent_cik=AGENT_CIKS[i % len(AGENT_CIKS)],
            trustee=TRUSTEES[layout], servicer=rng.choice(SERVICERS),
            master_servicer=rng.choice(MASTER_SERVICERS), accountant=rng.choice(ACCOUNTANTS),
            credit_risk_manager=rng.choice(CRMS), cap_provider=rng.choice(CAP_PROVIDERS),
            holders_of_record=rng.randrange(12, 95), irs_number=f"99-{rng.randrange(1000000, 9999999)}",
            servicing_fee=0.50, trustee_fee=0.006, crm_fee=0.015,
            cap_strike=round(rng.uniform(4.5, 7.0), 2), cap_coverage=round(rng.uniform(0.3, 0.7), 2),
        )
        _build_collateral(deal, rng)
        out.append(deal)
    return out


def _build_collateral(deal: DealSpec, rng: random.Random) -> None:
    unit = deal.unit
    n_pools = rng.choice((1, 2, 2, 2, 3))
    total = rng.randrange(250_000_000, 1_200_000_000)
    if n_pools == 1:
        shares = [1.0]
    else:
        raw = [rng.uniform(0.6, 1.0)] + [rng.uniform(0.12, 0.35) for _ in range(n_pools - 1)]
        shares = [r / sum(raw) for r in raw]
    for p, share in enumerate(shares):
        dollars = int(total * share) + rng.randrange(0, 99)
        original = dollars * unit + (rng.randrange(100) if unit == 100 else 0)
        avg_loan = rng.randrange(70_000, 260_000) * unit
        deal.pools.append(PoolSpec(
            name=str(p + 1), original=original, wac=round(rng.uniform(6.4, 9.4), 4),
            term=rng.choice((355, 356, 357, 358, 359)), avg_loan=avg_loan,
            loan_count=max(1, original // avg_loan), cpr_peak=rng.uniform(0.18, 0.45),
            cdr_peak=rng.uniform(0.005, 0.06), severity=rng.uniform(0.28, 0.55),
            penalty_share=rng.uniform(0.45, 0.85), penalty_term=rng.choice((24, 36)),
            dq_level=rng.uniform(0.5, 2.0),
        ))
    pool_total = sum(p.original for p in deal.pools)
    issuer = _issuer_code(rng)
    codes = iter(_issue_codes())

    def cusip() -> str:
        return make_cusip(issuer, next(codes))

    senior_share = rng.uniform(0.77, 0.83)
    classes: list[ClassSpec] = []
    for g, pool in enumerate(deal.pools):
        group_total = _round_to(pool.original * senior_share / unit, 100_000) * unit
        n_sen = rng.choice((1, 2, 2, 3)) if g == 0 else rng.choice((1, 1, 2))
        fixed_last = n_sen >= 2 and rng.random() < 0.4
        cuts = sorted(rng.uniform(0.45, 0.75) for _ in range(n_sen - 1))
        parts: list[float] = []
        prev = 0.0
        for c in cuts:
            parts.append(c - prev)
            prev = c
        parts.append(1 - prev)
        remaining = group_total
        for s, part in enumerate(parts):
            amt = remaining if s == n_sen - 1 else _round_to(group_total * part / unit, 100_000) * unit
            remaining -= amt
            if n_pools == 1:
                name = f"A-{s + 1}"
            else:
                name = f"{g + 1}-A" if n_sen == 1 else f"{g + 1}-A{s + 1}"
            is_fixed = fixed_last and s == n_sen - 1
            classes.append(ClassSpec(
                name=name, kind="senior", group=g, coupon="fixed" if is_fixed else "float",
                margin=0.0 if is_fixed else round(rng.randrange(12, 46) / 100, 2),
                fixed_rate=round(rng.randrange(34, 49) * 0.125, 3) if is_fixed else 0.0,
                original=amt, cusip=cusip(),
            ))
    if rng.random() < 0.45:
        notional = _round_to(pool_total * rng.uniform(0.18, 0.26) / unit, 1000) * unit
        classes.append(ClassSpec(
            name="A-IO", kind="io", group=None, coupon="fixed", margin=0.0,
            fixed_rate=rng.choice((5.5, 6.0, 6.0, 6.5)), original=notional, cusip=cusip(),
            io_months=rng.choice((24, 30)),
        ))
    n_mezz = rng.randrange(3, 8)
    seniors = sum(c.original for c in classes if c.kind == "senior")
    b_amt = _round_to(pool_total * rng.uniform(0.010, 0.018) / unit, 1000) * unit
    oc_target = pool_total * rng.uniform(0.008, 0.03)
    mezz_total = pool_total - seniors - b_amt - oc_target
    weights = [1.0 / (1 + 0.35 * k) for k in range(n_mezz)]
    margin = rng.uniform(0.45, 0.70)
    for k in range(n_mezz):
        amt = _round_to(mezz_total * weights[k] / sum(weights) / unit, 1000) * unit
        classes.append(ClassSpec(
            name=f"M-{k + 1}", kind="mezz", group=None, coupon="float", margin=round(margin, 2),
            fixed_rate=0.0, original=amt, cusip=cusip(),
        ))
        margin += rng.uniform(0.10, 0.65)
    b_fixed = rng.random() < 0.3
    classes.append(ClassSpec(
        name="B", kind="sub", group=None, coupon="fixed" if b_fixed else "float",
        margin=0.0 if b_fixed else round(rng.uniform(2.0, 3.5), 2),
        fixed_rate=round(rng.randrange(40, 53) * 0.125, 3) if b_fixed else 0.0,
        original=b_amt, cusip=cusip(),
    ))
    certs = sum(c.original for c in classes if c.principal_bearing)
    oc = pool_total - certs
    if oc < pool_total * 0.004:  # keep a real cushion: shrink the B class
        shrink = int(pool_total * 0.01) - oc
        classes[-1].original -= _round_to(shrink / unit + 1000, 1000) * unit
        oc = pool_total - sum(c.original for c in classes if c.principal_bearing)
    classes.append(ClassSpec(name="X", kind="oc", group=None, coupon="none", margin=0.0, fixed_rate=0.0,
                             original=oc, cusip=cusip()))
    classes.append(ClassSpec(name="P", kind="p", group=None, coupon="none", margin=0.0, fixed_rate=0.0,
                             original=100 * unit, cusip=cusip()))
    classes.append(ClassSpec(name="R", kind="r", group=None, coupon="none", margin=0.0, fixed_rate=0.0,
                             original=0, cusip=cusip()))
    deal.classes = classes
