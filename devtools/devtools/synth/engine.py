"""The cash-flow engine: one deal, month by month, with every identity holding exactly.

All amounts are integers in the deal's minor unit (whole dollars for deals printed
in the seed's layout, cents for the others), so roll-forwards are exact: a pool's
ending balance is its beginning less scheduled principal, prepayments, liquidation
proceeds and the realized loss of the liquidated loans; a class's ending balance is
its beginning less principal and realized loss; X carries pool − certificates.
Interest amounts are rounded one by one from exact accruals and printed totals are
the rounding of the exact sum, which is where the real reports' "within rounding"
comes from.
"""

from __future__ import annotations

import math
import random
from datetime import date
from typing import Any

from devtools.synth.deals import ClassSpec, DealSpec
from devtools.synth.schedule import LiborPath, record_date


def rnd(x: float) -> int:
    """Round half up to an integer (the printers' rounding, not banker's)."""
    return int(math.floor(x + 0.5))


def io_factor(spec: ClassSpec, k: int) -> float:
    """Share of the IO class's original notional outstanding in period ``k`` (steps down every 6 months)."""
    if k >= spec.io_months:
        return 0.0
    steps = spec.io_months // 6
    return 1.0 - (k // 6) / steps


class DealEngine:
    """Rolls one deal forward one distribution at a time; keeps only the running balances."""

    def __init__(self, deal: DealSpec, libor: LiborPath, seed: int) -> None:
        self.deal = deal
        self.libor = libor
        self.rng = random.Random(f"{seed}:flows:{deal.index}")
        self.k = 0
        self.paid_off = False  # the trust's last report has been made; it files no more
        self.prev_dist: date = deal.closing
        self.pool_bal = [p.original for p in deal.pools]
        self.pool_count = [p.loan_count for p in deal.pools]
        self.pool_cum_loss = [0 for _ in deal.pools]
        self.bal = {c.name: c.original for c in deal.classes}
        self.cum_loss = {c.name: 0 for c in deal.classes}
        self.dq_noise = [1.0 for _ in deal.pools]
        self.cpr_noise = [1.0 for _ in deal.pools]

    # -- collateral ---------------------------------------------------------------

    def _pool_month(self, p: int, age: int) -> dict[str, Any]:
        spec = self.deal.pools[p]
        rng = self.rng
        beg = self.pool_bal[p]
        count_beg = self.pool_count[p]
        r = spec.wac / 1200.0
        n = max(1, spec.term - (age - 1))
        self.cpr_noise[p] = min(1.6, max(0.5, self.cpr_noise[p] * math.exp(rng.gauss(0.0, 0.08))))
        cpr = spec.cpr_peak * min(1.0, 0.15 + 0.85 * age / 12.0) * self.cpr_noise[p]
        smm = 1.0 - (1.0 - min(cpr, 0.95)) ** (1.0 / 12.0)
        cdr = spec.cdr_peak * min(1.0, max(0.0, (age - 4) / 20.0))
        mdr = 1.0 - (1.0 - cdr) ** (1.0 / 12.0)
        if beg <= 0:
            sched = prepay = liq = loss = 0
        elif n <= 1:
            sched, prepay, liq, loss = beg, 0, 0, 0
        else:
            pmt = beg * r / (1.0 - (1.0 + r) ** (-n))
            sched = min(beg, max(0, rnd(pmt - beg * r)))
            defaulted = min(beg - sched, rnd((beg - sched) * mdr * rng.uniform(0.5, 1.5)))
            loss = rnd(defaulted * spec.severity * rng.uniform(0.85, 1.15))
            loss = min(loss, defaulted)
            liq = defaulted - loss
            prepay = min(beg - sched - defaulted, rnd((beg - sched - defaulted) * smm))
        end = beg - sched - prepay - liq - loss
        avg = beg / count_beg if count_beg else spec.avg_loan
        paid_off = min(count_beg, rnd(prepay * 0.92 / avg)) if avg else 0
        liquidated = min(count_beg - paid_off, rnd((liq + loss) / avg)) if avg else 0
        count_end = count_beg - paid_off - liquidated
        if end > 0:
            count_end = max(1, count_end)
        else:
            count_end = 0
        count_end = min(count_end, count_beg)
        gross_x = beg * spec.wac / 1200.0
        serv_x = beg * self.deal.servicing_fee / 1200.0
        trustee_x = beg * self.deal.trustee_fee / 1200.0
        crm_x = beg * self.deal.crm_fee / 1200.0
        nia_x = gross_x - serv_x - trustee_x - crm_x
        premium_x = prepay * spec.penalty_share * 0.03 if age <= spec.penalty_term else 0.0
        self.pool_bal[p] = end
        self.pool_count[p] = count_end
        self.pool_cum_loss[p] += loss
        dq = self._delinquency(p, end, count_end, age)
        return {
            "pool": spec.name, "beginning_balance": beg, "scheduled_principal": sched,
            "prepayments": prepay, "liquidation_proceeds": liq, "insurance_proceeds": 0,
            "substitution_amount": 0, "deleted_loan_balance": 0, "repurchases": 0,
            "principal_remittance": sched + prepay + liq, "ending_balance": end,
            "beginning_loan_count": count_beg, "loans_paid_in_full": paid_off,
            "loans_liquidated": liquidated, "loan_count": count_end,
            "current_realized_loss": loss, "cumulative_realized_loss": self.pool_cum_loss[p],
            "gross_interest": rnd(gross_x), "servicing_fee": rnd(serv_x),
            "interest_remittance": rnd(gross_x - serv_x), "trustee_fee": rnd(trustee_x),
            "credit_risk_manager_fee": rnd(crm_x), "net_interest_available": rnd(nia_x),
            "prepayment_premium": rnd(premium_x), "wac": round(spec.wac, 4),
            "net_wac": round(spec.wac - self.deal.servicing_fee, 4),
            "remaining_term": max(0, n - 1),
            "_exact": {"gross_interest": gross_x, "servicing_fee": serv_x, "interest_remittance": gross_x - serv_x,
                       "trustee_fee": trustee_x, "credit_risk_manager_fee": crm_x,
                       "net_interest_available": nia_x, "prepayment_premium": premium_x},
            "_dq": dq,
        }

    def _delinquency(self, p: int, bal: int, count: int, age: int) -> dict[str, tuple[int, int]]:
        """Disjoint buckets (count, unpaid balance) of the pool's ending balance."""
        spec = self.deal.pools[p]
        self.dq_noise[p] = min(2.0, max(0.4, self.dq_noise[p] * math.exp(self.rng.gauss(0.0, 0.1))))
        s = spec.dq_level * self.dq_noise[p] * min(1.0, 0.2 + age / 15.0)
        season = min(1.0, age / 12.0)
        shares = {"30-59": 0.022 * s, "60-89": 0.008 * s, "90+": 0.006 * s * season,
                  "foreclosure": 0.012 * s * season, "bankruptcy": 0.003 * s, "reo": 0.004 * s * season * season}
        avg = bal / count if count else 0
        out: dict[str, tuple[int, int]] = {}
        used = 0
        for bucket, share in shares.items():
            amt = min(bal - used, rnd(bal * share * self.rng.uniform(0.8, 1.2)))
            n = rnd(amt / avg) if avg else 0
            if amt > 0 and n == 0:
                n = 1
            if n == 0:
                amt = 0
            used += amt
            out[bucket] = (n, amt)
        return out

    # -- one distribution ---------------------------------------------------------

    def step(self) -> dict[str, Any]:
        """Advance one month and return the period's true figures (minor units)."""
        deal, k = self.deal, self.k
        age = k + 1
        dist = deal.distribution_date(k)
        prev = self.prev_dist
        days = (dist - prev).days
        libor_cur = self.libor.fixing(prev.year, prev.month)
        libor_next = self.libor.fixing(dist.year, dist.month)

        pools = [self._pool_month(p, age) for p in range(len(deal.pools))]
        remits = [pl["principal_remittance"] for pl in pools]

        # principal: own group's seniors, other seniors, then mezzanine and B in order; X last
        certs = [c for c in deal.classes if c.principal_bearing]
        prin = {c.name: 0 for c in deal.classes}
        x_prin = 0
        for g, amount in enumerate(remits):
            order = ([c for c in certs if c.kind == "senior" and c.group == g]
                     + [c for c in certs if c.kind == "senior" and c.group != g]
                     + [c for c in certs if c.kind != "senior"])
            for c in order:
                if amount <= 0:
                    break
                pay = min(amount, self.bal[c.name] - prin[c.name])
                prin[c.name] += pay
                amount -= pay
            x_prin += amount
        prin["X"] = x_prin

        pool_end = sum(pl["ending_balance"] for pl in pools)
        pool_loss = sum(pl["current_realized_loss"] for pl in pools)
        certs_after = sum(self.bal[c.name] - prin[c.name] for c in certs)
        loss = {c.name: 0 for c in deal.classes}
        deficit = certs_after - pool_end
        if deficit > 0:  # OC exhausted: write down B, then mezzanine upwards, then seniors
            for c in reversed(certs):
                if deficit <= 0:
                    break
                hit = min(deficit, self.bal[c.name] - prin[c.name])
                loss[c.name] = hit
                deficit -= hit
        certs_end = sum(self.bal[c.name] - prin[c.name] - loss[c.name] for c in certs)
        x_beg = self.bal["X"]
        x_end = pool_end - certs_end
        loss["X"] = x_beg - x_prin - x_end
        assert loss["X"] >= 0, (deal.name, k, loss["X"])

        # interest
        floating_bal = 0
        rows: list[dict[str, Any]] = []
        for c in deal.classes:
            beg = self.bal[c.name]
            row: dict[str, Any] = {"class": c.name, "cusip": c.cusip, "kind": c.kind,
                                   "original_balance": c.original, "beginning_balance": beg,
                                   "day_count": None, "accrual_days": None}
            if c.kind == "io":
                beg = rnd(c.original * io_factor(c, k))
                end = rnd(c.original * io_factor(c, k + 1))
                rate = c.fixed_rate if beg > 0 else 0.0
                next_rate = c.fixed_rate if end > 0 else 0.0
                exact = beg * rate / 1200.0
                row.update(beginning_balance=beg, day_count="30/360", accrual_days=30)
            elif c.coupon == "float":
                end = beg - prin[c.name] - loss[c.name]
                rate = round(libor_cur + c.margin, 5)
                next_rate = round(libor_next + c.margin, 5)
                exact = beg * rate / 100.0 * days / 360.0
                floating_bal += beg
                row.update(day_count="actual/360", accrual_days=days)
            elif c.coupon == "fixed":
                end = beg - prin[c.name] - loss[c.name]
                rate = next_rate = c.fixed_rate
                exact = beg * rate / 1200.0
                row.update(day_count="30/360", accrual_days=30)
            else:
                end = beg - prin[c.name] - loss[c.name]
                rate = next_rate = 0.0 if c.kind == "oc" else None
                exact = 0.0
            row.update(principal=prin[c.name], realized_loss=loss[c.name], ending_balance=end,
                       pass_through_rate=rate, next_pass_through_rate=next_rate, _exact_interest=exact)
            rows.append(row)

        coupon_due = sum(rnd(r["_exact_interest"]) for r, c in zip(rows, deal.classes, strict=True)
                         if c.coupon_bearing)
        nia_total = rnd(sum(pl["_exact"]["net_interest_available"] for pl in pools))
        cap_notional = floating_bal * deal.cap_coverage
        cap_basis = rnd(cap_notional * max(0.0, libor_cur - deal.cap_strike) / 100.0 * days / 360.0)
        cap_x = rnd(cap_basis * 0.005)
        available = nia_total + cap_basis + cap_x
        if available < coupon_due:  # the cap provider covers the basis-risk shortfall
            cap_basis += coupon_due - available
            available = coupon_due
        x_interest = available - coupon_due
        premium_exact = sum(pl["_exact"]["prepayment_premium"] for pl in pools)
        premium = rnd(premium_exact)

        for r, c in zip(rows, deal.classes, strict=True):
            if c.coupon_bearing:
                r["interest"] = rnd(r["_exact_interest"])
            elif c.kind == "oc":
                r["interest"] = x_interest
                r["_exact_interest"] = float(x_interest)
            elif c.kind == "p":
                r["interest"] = premium
                r["_exact_interest"] = premium_exact
            else:
                r["interest"] = 0
            r["total_distribution"] = r["interest"] + r["principal"]
            self.cum_loss[c.name] += r["realized_loss"]
            r["cumulative_realized_loss"] = self.cum_loss[c.name]

        # total pool column: balances add exactly, fees are the rounding of the exact sum
        total: dict[str, Any] = {"pool": "Total"}
        for key in ("beginning_balance", "scheduled_principal", "prepayments", "liquidation_proceeds",
                    "insurance_proceeds", "substitution_amount", "deleted_loan_balance", "repurchases",
                    "principal_remittance", "ending_balance", "beginning_loan_count", "loans_paid_in_full",
                    "loans_liquidated", "loan_count", "current_realized_loss", "cumulative_realized_loss"):
            total[key] = sum(pl[key] for pl in pools)
        for key in pools[0]["_exact"]:
            total[key] = rnd(sum(pl["_exact"][key] for pl in pools))
        beg_total = total["beginning_balance"] or 1
        total["wac"] = round(sum(pl["wac"] * pl["beginning_balance"] for pl in pools) / beg_total, 4)
        total["net_wac"] = round(total["wac"] - deal.servicing_fee, 4)
        dq_total: dict[str, tuple[int, int]] = {}
        for bucket in pools[0]["_dq"]:
            dq_total[bucket] = (sum(pl["_dq"][bucket][0] for pl in pools), sum(pl["_dq"][bucket][1] for pl in pools))

        dq_bal = sum(v[1] for b, v in dq_total.items() if b != "reo")
        advances = rnd(dq_bal * (total["net_wac"] / 1200.0 + 0.0012))
        not_made = rnd(advances * self.rng.uniform(0.0, 0.03)) if self.rng.random() < 0.1 else 0

        oc_amount = x_end
        oc_target = deal.oc_initial
        period: dict[str, Any] = {
            "period_index": k, "distribution_date": dist, "prior_distribution_date": prev,
            "record_date": record_date(dist), "accrual_days": days, "libor": libor_cur, "next_libor": libor_next,
            "classes": rows, "pools": pools + ([total] if len(pools) > 1 else [dict(total, pool="Total")]),
            "delinquency": dq_total,
            "deal": {
                "overcollateralization_amount": oc_amount, "overcollateralization_target": oc_target,
                "overcollateralization_deficiency": max(0, oc_target - oc_amount),
                "advances_required": advances, "advances_made": advances - not_made,
                "advances_not_made": not_made, "cap_payment_basis_risk": cap_basis,
                "cap_payment_class_x": cap_x, "prepayment_premium": premium,
                "pool_realized_loss": pool_loss,
            },
        }
        # roll the running balances
        for r in rows:
            if r["kind"] != "io":
                self.bal[r["class"]] = r["ending_balance"]
        self.prev_dist = dist
        self.k += 1
        self.paid_off = total["ending_balance"] == 0
        return period
