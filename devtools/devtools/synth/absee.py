"""Synthetic EX-102 asset data from Schedule AL's published element names (tests, benchmarks).

Values are a pure function of (asset class, element, asset index, seed), so a test can ask
:func:`asset_values` what asset *i* carries and compare it with what the reader returns, and a
generator can stream a 1 GB file without holding it (:func:`iter_ex102`, :class:`IterStream`).
Not wired into ``edgar-etl synth`` yet (issue 17, item 5).
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterable, Iterator, Mapping
from typing import BinaryIO
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
