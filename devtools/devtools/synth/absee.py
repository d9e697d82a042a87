"""Synthetic EX-102 asset data from Schedule AL's published element names (tests, benchmarks).

Values are a pure function of (asset class, element, asset index, seed), so a test can ask
:func:`asset_values` what asset *i* carries and compare it with what the reader returns, and a
generator can stream a 1 GB file without holding it (:func:`iter_ex102`, :class:`IterStream`).
:class:`AssetPool` and :func:`asset_data_documents` make the ABS-EE filings of ``edgar-etl synth
--asset-data N``: N assets per deal whose balances add up to the 10-D's pool balance of the period.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from etl.absee.fields import CLASSES

# Schedule AL element names per asset class, in schema order. Auto loan (Item 3, 72 elements)
# and auto lease (Item 4), CMBS (Item 2, loans and properties) are the names filed EX-102s
# carry (checked against filed data and peer parsers); RMBS (Item 1) and the debt-securities
# activity items follow the item titles and are not yet checked against the XSD.
PUBLISHED: dict[str, tuple[str, ...]] = {
    "autoloan": (
        "assetTypeNumber", "assetNumber", "reportingPeriodBeginningDate", "reportingPeriodEndingDate",
        "originatorName", "originationDate", "originalLoanAmount", "originalLoanTerm", "loanMaturityDate",
        "originalInterestRatePercentage", "interestCalculationTypeCode", "originalInterestRateTypeCode",
        "originalInterestOnlyTermNumber", "originalFirstPaymentDate", "underwritingIndicator",
        "gracePeriodNumber", "paymentTypeCode", "subvented", "vehicleManufacturerName", "vehicleModelName",
        "vehicleNewUsedCode", "vehicleModelYear", "vehicleTypeCode", "vehicleValueAmount",
        "vehicleValueSourceCode", "obligorCreditScoreType", "obligorCreditScore",
        "obligorIncomeVerificationLevelCode", "obligorEmploymentVerificationCode", "coObligorIndicator",
        "paymentToIncomePercentage", "obligorGeographicLocation", "assetAddedIndicator",
        "remainingTermToMaturityNumber", "reportingPeriodModificationIndicator",
        "servicingAdvanceMethodCode", "reportingPeriodBeginningLoanBalanceAmount",
        "nextReportingPeriodPaymentAmountDue", "reportingPeriodInterestRatePercentage",
        "nextInterestRatePercentage", "servicingFeePercentage", "servicingFlatFeeAmount",
        "otherServicerFeeRetainedByServicer", "otherAssessedUncollectedServicerFeeAmount",
        "scheduledInterestAmount", "scheduledPrincipalAmount", "otherPrincipalAdjustmentAmount",
        "reportingPeriodActualEndBalanceAmount", "reportingPeriodScheduledPaymentAmount",
        "totalActualAmountPaid", "actualInterestCollectedAmount", "actualPrincipalCollectedAmount",
        "actualOtherCollectedAmount", "servicerAdvancedAmount", "interestPaidThroughDate",
        "zeroBalanceEffectiveDate", "zeroBalanceCode", "currentDelinquencyStatus",
        "primaryLoanServicerName", "mostRecentServicingTransferReceivedDate",
        "assetSubjectDemandIndicator", "assetSubjectDemandStatusCode", "repurchaseAmount",
        "demandResolutionDate", "repurchaserName", "repurchaseReplacementReasonCode",
        "chargedoffPrincipalAmount", "recoveredAmount", "modificationTypeCode", "paymentExtendedNumber",
        "repossessedIndicator", "repossessedProceedsAmount",
    ),
    "autolease": (
        "assetTypeNumber", "assetNumber", "reportingPeriodBeginDate", "reportingPeriodEndDate",
        "originatorName", "originationDate", "acquisitionCost", "originalLeaseTermNumber",
        "scheduledTerminationDate", "originalFirstPaymentDate", "gracePeriod", "paymentTypeCode",
        "subvented", "vehicleManufacturerName", "vehicleModelName", "vehicleNewUsedCode",
        "vehicleModelYear", "vehicleTypeCode", "vehicleValueAmount", "vehicleValueSourceCode",
        "baseResidualValue", "baseResidualSourceCode", "contractResidualValue", "lesseeCreditScoreType",
        "lesseeCreditScore", "lesseeIncomeVerificationLevelCode", "lesseeEmploymentVerificationCode",
        "coLesseePresentIndicator", "paymentToIncomePercentage", "lesseeGeographicLocation",
        "assetAddedIndicator", "remainingTermNumber", "reportingPeriodModificationIndicator",
        "servicingAdvanceMethodCode", "reportingPeriodSecuritizationValueAmount",
        "securitizationDiscountRate", "nextReportingPeriodPaymentAmountDue", "servicingFeePercentage",
        "servicingFlatFeeAmount", "otherLeaseLevelServicingFeesRetainedAmount",
        "otherAssessedUncollectedServicerFeeAmount", "reportingPeriodEndingActualBalanceAmount",
        "reportingPeriodScheduledPaymentAmount", "totalActualAmountPaid", "actualOtherCollectedAmount",
        "servicerAdvancedAmount", "reportingPeriodEndActualSecuritizationAmount", "paidThroughDate",
        "zeroBalanceEffectiveDate", "zeroBalanceCode", "currentDelinquencyStatus",
        "primaryLeaseServicerName", "assetSubjectDemandIndicator", "repurchaseAmount",
        "chargedOffAmount", "leaseExtended", "terminationIndicator", "excessFeeAmount",
        "liquidationProceedsAmount", "modificationTypeCode", "underwritingIndicator",
    ),
    "cmbs": (
        "assetTypeNumber", "assetNumber", "GroupID", "reportingPeriodBeginningDate", "reportingPeriodEndDate",
        "originatorName", "originationDate", "originalLoanAmount", "originalTermLoanNumber", "maturityDate",
        "originalAmortizationTermNumber", "originalInterestRatePercentage",
        "interestRateSecuritizationPercentage", "interestAccrualMethodCode", "originalInterestRateTypeCode",
        "originalInterestOnlyTermNumber", "firstLoanPaymentDueDate", "underwritingIndicator",
        "lienPositionSecuritizationCode", "loanStructureCode", "paymentTypeCode",
        "periodicPrincipalAndInterestPaymentSecuritizationAmount",
        "scheduledPrincipalBalanceSecuritizationAmount", "paymentFrequencyCode",
        "NumberPropertiesSecuritization", "NumberProperties", "graceDaysAllowedNumber",
        "interestOnlyIndicator", "balloonIndicator", "prepaymentPremiumIndicator",
        "negativeAmortizationIndicator", "modifiedIndicator", "prepaymentLockOutEndDate",
        "yieldMaintenanceEndDate", "prepaymentPremiumsEndDate", "assetAddedIndicator",
        "reportPeriodModificationIndicator", "reportPeriodBeginningScheduleLoanBalanceAmount",
        "totalScheduledPrincipalInterestDueAmount", "reportPeriodInterestRatePercentage",
        "servicerTrusteeFeeRatePercentage", "scheduledInterestAmount", "otherInterestAdjustmentAmount",
        "scheduledPrincipalAmount", "unscheduledPrincipalCollectedAmount", "otherPrincipalAdjustmentAmount",
        "reportPeriodEndActualBalanceAmount", "reportPeriodEndScheduledLoanBalanceAmount", "paidThroughDate",
        "servicingAdvanceMethodCode", "nonRecoverabilityIndicator",
        "totalPrincipalInterestAdvancedOutstandingAmount", "totalTaxesInsuranceAdvancesOutstandingAmount",
        "otherExpensesAdvancedOutstandingAmount", "paymentStatusLoanCode", "primaryServicerName",
        "assetSubjectDemandIndicator", "realizedLossToTrustAmount", "liquidationPrepaymentCode",
        "liquidationPrepaymentDate", "prepaymentPremiumYieldMaintenanceReceivedAmount",
        "workoutStrategyCode", "modificationCode",
    ),
    "cmbs.property": (
        "propertyName", "propertyAddress", "propertyCity", "propertyState", "propertyZip", "propertyCounty",
        "propertyTypeCode", "netRentableSquareFeetNumber", "netRentableSquareFeetSecuritizationNumber",
        "unitsBedsRoomsNumber", "unitsBedsRoomsSecuritizationNumber", "yearBuiltNumber",
        "yearLastRenovated", "valuationSecuritizationAmount", "valuationSourceSecuritizationCode",
        "valuationSecuritizationDate", "physicalOccupancySecuritizationPercentage",
        "mostRecentPhysicalOccupancyPercentage", "propertyStatusCode", "DefeasedStatusCode",
        "largestTenant", "squareFeetLargestTenantNumber", "leaseExpirationLargestTenantDate",
        "financialsSecuritizationDate", "mostRecentFinancialsStartDate", "mostRecentFinancialsEndDate",
        "revenueSecuritizationAmount", "mostRecentRevenueAmount", "operatingExpensesSecuritizationAmount",
        "operatingExpensesAmount", "netOperatingIncomeSecuritizationAmount",
        "mostRecentNetOperatingIncomeAmount", "mostRecentDebtServiceAmount",
        "debtServiceCoverageNetOperatingIncomeSecuritizationPercentage",
        "mostRecentDebtServiceCoverageNetOperatingIncomePercentage",
    ),
    "rmbs": (
        "assetTypeNumber", "assetNumber", "assetGroupNumber", "reportingPeriodBeginningDate",
        "reportingPeriodEndDate", "originatorName", "originationDate", "originalLoanAmount",
        "originalLoanTerm", "loanMaturityDate", "originalInterestRatePercentage", "lienPositionCode",
        "originalLoanPurposeCode", "occupancyStatusCode", "propertyTypeCode", "propertyState",
        "originalLoanToValuePercentage", "originalPrimaryBorrowerFICO", "mostRecentPrimaryBorrowerFICO",
        "originalDebtToIncomePercentage", "remainingTermToMaturityNumber",
        "reportingPeriodBeginningLoanBalanceAmount", "reportingPeriodInterestRatePercentage",
        "scheduledPrincipalAmount", "scheduledInterestAmount", "actualPrincipalCollectedAmount",
        "actualInterestCollectedAmount", "totalActualAmountPaid", "reportingPeriodActualEndBalanceAmount",
        "paidThroughDate", "currentDelinquencyStatus", "paymentHistoryString", "servicingFeePercentage",
        "reportingPeriodModificationIndicator", "modificationTypeCode", "zeroBalanceCode",
        "zeroBalanceEffectiveDate", "chargedoffPrincipalAmount", "recoveredAmount", "primaryServicerName",
    ),
    "debtsec": (
        "assetTypeNumber", "assetNumber", "reportPeriodBeginningDate", "reportPeriodEndDate", "issuerName",
        "originalIssuanceDate", "originalSecurityAmount", "originalSecurityTermNumber",
        "securityMaturityDate", "originalAmortizationTermNumber", "originalInterestRatePercentage",
        "accrualTypeCode", "interestRateTypeCode", "originalInterestOnlyTermNumber", "firstPaymentDate",
        "underwritingIndicator", "securityTitleName", "denominationNumber", "currencyName", "trusteeName",
        "callableIndicator", "paymentFrequencyCode", "zeroCouponIndicator", "assetModifiedIndicator",
        "reportPeriodBeginningAssetBalanceAmount", "reportPeriodBeginningScheduledAssetBalanceAmount",
        "reportPeriodInterestRatePercentage", "scheduledInterestAmount", "scheduledPrincipalAmount",
        "unscheduledPrincipalCollectedAmount", "reportPeriodEndActualAssetBalanceAmount",
        "reportPeriodEndScheduledAssetBalanceAmount", "realizedLossAmount", "paymentStatusCode",
    ),
}

_STATES = ("CA", "TX", "FL", "NY", "IL", "PA", "OH", "GA", "NC", "MI")
_MAKES = (("Toyota", "Camry"), ("Honda", "Civic"), ("Ford", "F-150"), ("Chevrolet", "Equinox"),
          ("Nissan", "Rogue"), ("Hyundai", "Elantra"))
#: zero-balance / liquidation codes a synthetic asset may carry (most are still open: empty)
_ZERO_BALANCE = ("", "", "", "", "", "", "", "", "1", "3")


def _date(asset_class: str, element: str, r: random.Random) -> str:
    if element.startswith(("reportingPeriod", "reportPeriod")):
        return "03-31-2024" if element.endswith(("EndingDate", "EndDate")) else "03-01-2024"
    year, month, day = r.randint(2017, 2031), r.randint(1, 12), r.randint(1, 28)
    if asset_class in ("autoloan", "autolease"):
        return f"{month:02d}/{year}"
    return f"{month:02d}-{day:02d}-{year}"


def _value(asset_class: str, element: str, i: int, r: random.Random) -> str:
    """A plausible value for ``element`` of asset ``i``, by the element's name."""
    if element == "assetNumber":
        return f"{i + 1:08d}"
    if element == "assetTypeNumber":
        return "Prospectus Loan ID" if asset_class == "cmbs" else "Issuer assigned number"
    if element in ("vehicleManufacturerName", "vehicleModelName"):
        make, model = _MAKES[i % len(_MAKES)]
        return make if element == "vehicleManufacturerName" else model
    if element in ("zeroBalanceCode", "liquidationPrepaymentCode"):
        return _ZERO_BALANCE[i % len(_ZERO_BALANCE)]
    if element in ("currentDelinquencyStatus",):
        return str((0, 0, 0, 0, 0, 0, 31, 62, 95, 0)[i % 10])
    if element in ("paymentStatusLoanCode", "paymentStatusCode"):
        return ("0", "0", "0", "A", "B", "1", "2", "0")[i % 8]
    if element.endswith(("Location", "State")):
        return _STATES[i % len(_STATES)]
    if element.endswith("CreditScoreType"):
        return "Credit Bureau"
    if element.endswith(("CreditScore", "FICO")):
        return str(r.randint(520, 840))
    if element.endswith("Date"):
        return _date(asset_class, element, r)
    if element.endswith("Indicator") or element in ("subvented",):
        return "true" if r.random() < 0.2 else "false"
    if element.endswith(("Percentage", "Rate")):
        return f"{r.uniform(0.01, 0.2):.4f}"
    if "Amount" in element or element.endswith(("Value", "Cost", "Retained", "ByServicer")):
        return f"{r.uniform(0, 40000):.2f}"
    if element.endswith(("Year", "YearBuiltNumber")) or element in ("yearBuiltNumber", "yearLastRenovated"):
        return str(r.randint(1960, 2024))
    if element.endswith(("Code", "Type", "Number", "Term", "Period", "Extended")):
        return str(r.randint(1, 9) if element.endswith(("Code", "Type")) else r.randint(0, 84))
    if element.endswith("String"):
        return "000000000000"
    return f"{element[:1].upper()}{element[1:8]} {i % 97}"


def asset_values(asset_class: str, i: int, *, seed: int = 0,
                 overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Element -> text for asset ``i``: the ground truth a test compares parsed records with."""
    r = random.Random(f"{seed}:{asset_class}:{i}")
    values = {e: _value(asset_class, e, i, r) for e in PUBLISHED[asset_class]}
    if overrides:
        values.update(overrides)
    return values


def property_values(i: int, k: int, *, seed: int = 0) -> dict[str, str]:
    """Element -> text for property ``k`` (1-based) of CMBS loan ``i``."""
    r = random.Random(f"{seed}:cmbs.property:{i}:{k}")
    return {e: _value("cmbs", e, i * 10 + k, r) for e in PUBLISHED["cmbs.property"]}


def properties_of(i: int) -> int:
    """How many properties synthetic CMBS loan ``i`` has (1 to 3)."""
    return 1 + i % 3


def _elements(values: Mapping[str, str], indent: str) -> str:
    return "".join(f"{indent}<{k}>{escape(v)}</{k}>\n" for k, v in values.items() if v != "")


def record_xml(asset_class: str, i: int, *, seed: int = 0, overrides: Mapping[str, str] | None = None,
               ) -> str:
    """One ``<assets>`` record (empty values are left out, as filers leave unused items out)."""
    body = _elements(asset_values(asset_class, i, seed=seed, overrides=overrides), "    ")
    if asset_class == "cmbs":
        for k in range(1, properties_of(i) + 1):
            body += "    <property>\n" + _elements(property_values(i, k, seed=seed), "      ") + "    </property>\n"
    return f"  <assets>\n{body}  </assets>\n"


def iter_ex102(asset_class: str, n: int, *, seed: int = 0,
               overrides: Mapping[int, Mapping[str, str]] | None = None,
               records: Iterable[str] | None = None) -> Iterator[bytes]:
    """The bytes of an EX-102 file of ``n`` assets, lazily, one record per chunk.

    ``records`` replaces the generated records with the given XML fragments (hostile tests).
    """
    ns = CLASSES[asset_class].namespace
    yield (f'<?xml version="1.0" encoding="UTF-8"?>\n<assetData xmlns="{ns}" '
           f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n').encode()
    if records is not None:
        for fragment in records:
            yield fragment.encode()
    else:
        for i in range(n):
            yield record_xml(asset_class, i, seed=seed, overrides=(overrides or {}).get(i)).encode()
    yield b"</assetData>\n"


def ex102_bytes(asset_class: str, n: int, **kwargs: object) -> bytes:
    """A whole (small) synthetic EX-102 in memory."""
    return b"".join(iter_ex102(asset_class, n, **kwargs))  # type: ignore[arg-type]


def write_ex102(out: BinaryIO, asset_class: str, n: int, *, seed: int = 0) -> int:
    """Write a synthetic EX-102 of ``n`` assets to ``out``; returns the bytes written."""
    size = 0
    for chunk in iter_ex102(asset_class, n, seed=seed):
        out.write(chunk)
        size += len(chunk)
    return size


class IterStream(io.RawIOBase):
    """A read-only binary stream over an iterator of byte chunks: a huge file never in memory."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return self._buffer + b"".join(self._chunks)
        while len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


# --------------------------------------------------------------------------- ABS-EE filings
#: Regulation AB II asset-level data: filed with each 10-D of a registered deal from this date
ASSET_DATA_START = date(2016, 11, 23)
#: a synthetic deal's asset class, by deal index (every class is covered by five deals)
DEAL_ASSET_CLASSES = ("rmbs", "autoloan", "autolease", "cmbs", "debtsec")
#: zero-balance codes the synthetic assets carry: prepaid or matured, charged off
ZB_PREPAID, ZB_CHARGED_OFF = "1", "4"
#: canonical column -> how a status in days past due is written, per asset class
_ORIGINAL_TERMS = {"rmbs": (360, 180), "autoloan": (60, 72, 48), "autolease": (36, 39, 24), "cmbs": (120,),
                   "debtsec": (60, 84)}
_DQ_NEXT = {0: ((0, 0.965), (30, 1.0)), 30: ((0, 0.45), (30, 0.7), (60, 1.0)),
            60: ((0, 0.2), (30, 0.35), (60, 0.6), (90, 1.0)), 90: ((0, 0.08), (60, 0.2), (90, 1.0))}


def _cents(amount: int, unit: int) -> int:
    """A deal amount in its minor unit (dollars when ``unit`` is 1, cents when 100) in cents."""
    return amount * (100 // unit)


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` cents split by ``weights``, exactly (largest remainders get the odd cents)."""
    if not weights:
        return []
    s = sum(weights) or 1.0
    raw = [total * w / s for w in weights]
    out = [int(math.floor(x)) for x in raw]
    rest = total - sum(out)
    order = sorted(range(len(raw)), key=lambda k: (out[k] - raw[k], k))
    for k in order[:rest]:
        out[k] += 1
    return out


def _status_text(asset_class: str, days: int) -> str:
    if asset_class in ("cmbs", "debtsec"):  # payment status codes: 0 current, 1 30-59, 2 60-89, 3 90+
        return str(min(days // 30, 3))
    return str(days)


class AssetPool:
    """One deal's synthetic assets, period by period: their ending balances add up, to the cent, to
    the pool balance the deal's 10-D prints for the same period; each asset's beginning balance is
    its previous ending; an asset paid off or charged off shows once with a zero balance and its
    zero-balance code, then leaves the file."""

    def __init__(self, deal_index: int, asset_class: str, n: int, seed: int, unit: int) -> None:
        self.asset_class, self.unit, self.n = asset_class, unit, max(1, n)
        self.seed = seed * 100_003 + deal_index  # asset_values' seed: static fields fixed per asset
        self.rng = random.Random(f"{seed}:assets:{deal_index}")
        self.weights = [self.rng.uniform(0.3, 1.7) for _ in range(self.n)]
        self.alive: list[int] = list(range(self.n))
        self.balance: dict[int, int] = {}
        self.original: dict[int, int] = {}
        self.days: dict[int, int] = {i: 0 for i in range(self.n)}
        spec = CLASSES[asset_class]
        self.el = spec.canonical

    def _set(self, out: dict[str, str], column: str, value: str) -> None:
        element = self.el.get(column)
        if element:
            out[element] = value

    def step(self, pool: Mapping[str, int], period_begin: date, period_end: date,
             ) -> tuple[list[dict[str, str]], list[int], dict[str, Any]]:
        """The period's asset values (element -> text, overrides of :func:`asset_values`), the asset
        indexes they belong to, and the period's ground truth."""
        beg_total = _cents(pool["beginning_balance"], self.unit)
        end_total = _cents(pool["ending_balance"], self.unit)
        target = _cents(pool["prepayments"] + pool["liquidation_proceeds"] + pool["current_realized_loss"], self.unit)
        loss_share = ((pool["liquidation_proceeds"] + pool["current_realized_loss"])
                      / max(1, pool["prepayments"] + pool["liquidation_proceeds"] + pool["current_realized_loss"]))
        if not self.balance:  # the first ABS-EE: the pool's beginning balance split over every asset
            for i, b in zip(self.alive, _allocate(beg_total, [self.weights[i] for i in self.alive]), strict=True):
                self.balance[i] = b
                self.original[i] = round(b * self.rng.uniform(1.02, 1.35))
        alive = list(self.alive)
        order = alive[1:]  # the first asset never pays off early: some asset carries the pool
        self.rng.shuffle(order)
        gone: dict[int, str] = {}
        paid = 0
        if end_total == 0:
            gone = {i: ZB_PREPAID for i in alive}
        else:
            for i in order:
                if len(gone) >= len(alive) - 1:
                    break
                if paid + self.balance[i] <= target:
                    paid += self.balance[i]
                    gone[i] = ZB_CHARGED_OFF if self.rng.random() < loss_share else ZB_PREPAID
        survivors = [i for i in alive if i not in gone]
        ends = dict(zip(survivors, _allocate(end_total, [float(self.balance[i]) for i in survivors]), strict=True))
        values: list[dict[str, str]] = []
        truth = {"asset_count": len(alive), "beginning_balance_cents": 0, "ending_balance_cents": 0,
                 "paid_off": 0, "charged_off": 0, "delinquent_30": 0, "delinquent_60": 0, "delinquent_90": 0}
        for i in alive:
            beg = self.balance[i]
            end = ends.get(i, 0)
            code = gone.get(i, "")
            days = self.days[i]
            if not code:
                r = self.rng.random()
                days = next(d for d, p in _DQ_NEXT[days] if r < p)
            out: dict[str, str] = {}
            self._set(out, "period_begin", period_begin.strftime("%m-%d-%Y"))
            self._set(out, "period_end", period_end.strftime("%m-%d-%Y"))
            self._set(out, "original_balance", _money(self.original[i]))
            self._set(out, "original_term", str(_ORIGINAL_TERMS[self.asset_class][i % len(
                _ORIGINAL_TERMS[self.asset_class])]))
            self._set(out, "begin_balance", _money(beg))
            self._set(out, "end_balance", _money(end))
            sched = max(0, beg - end) if not code else min(beg, max(0, round(beg * 0.01)))
            self._set(out, "scheduled_principal", _money(sched))
            charge_off = recovery = 0
            if code == ZB_CHARGED_OFF:
                charge_off = round(beg * self.rng.uniform(0.3, 0.6))
                recovery = beg - charge_off
                actual = recovery
                truth["charged_off"] += 1
            else:
                actual = beg - end
                truth["paid_off"] += int(code == ZB_PREPAID)
            self._set(out, "actual_principal", _money(actual))
            self._set(out, "unscheduled_principal", _money(max(0, actual - sched) if code == ZB_PREPAID else 0))
            self._set(out, "charge_off", _money(charge_off))
            self._set(out, "recovery", _money(recovery))
            self._set(out, "zero_balance_code", code)
            self._set(out, "zero_balance_date", period_end.strftime("%m-%d-%Y") if code else "")
            self._set(out, "days_past_due", str(days))
            self._set(out, "delinquency_status", _status_text(self.asset_class, days))
            if self.asset_class == "autoloan":  # LTV = original loan / vehicle value
                out["vehicleValueAmount"] = _money(round(self.original[i] / (0.6 + 0.6 * self.weights[i] / 1.7)))
            if self.asset_class == "rmbs":
                out["originalLoanToValuePercentage"] = f"{55 + 40 * self.weights[i] / 1.7:.2f}"
            values.append(out)
            truth["beginning_balance_cents"] += beg
            truth["ending_balance_cents"] += end
            if days >= 30 and not code:
                truth[f"delinquent_{min(days, 90)}"] += 1
            self.days[i] = days
            self.balance[i] = end
        self.alive = survivors
        assert truth["ending_balance_cents"] == end_total, (truth, end_total)
        truth["pool_beginning_balance_cents"] = beg_total
        truth["pool_ending_balance_cents"] = end_total
        return values, alive, truth


def asset_data_documents(asset_class: str, deal_name: str, indexes: Sequence[int],
                         values: Sequence[Mapping[str, str]], *, seed: int, period_end: date,
                         ) -> list[tuple[str, str, str, str]]:
    """(type, filename, description, text) of an ABS-EE's documents: cover, EX-102 (XML), EX-103."""
    records = [record_xml(asset_class, i, seed=seed, overrides=v) for i, v in zip(indexes, values, strict=True)]
    xml = b"".join(iter_ex102(asset_class, 0, records=records)).decode()
    stamp = period_end.strftime("%Y%m%d")
    cover = (f"FORM ABS-EE\n\nASSET DATA FILE\n\n{deal_name}\n(Exact name of issuing entity)\n\n"
             f"Reporting period ending {period_end:%B %d, %Y}\n\nThe asset data file is filed as Exhibit 102 and "
             f"the asset related document as Exhibit 103.\n")
    ex103 = (f"ASSET RELATED DOCUMENT\n\n{deal_name}: reporting period ending {period_end:%m/%d/%Y}.\n"
             f"{len(records)} assets ({asset_class}). Explanatory notes: none this period.\n")
    return [("ABS-EE", f"absee-{stamp}.htm", "FORM ABS-EE", cover),
            ("EX-102", f"exh102-{stamp}.xml", "ASSET DATA FILE", f"<XML>\n{xml}</XML>"),
            ("EX-103", f"exh103-{stamp}.htm", "ASSET RELATED DOCUMENT", ex103)]
