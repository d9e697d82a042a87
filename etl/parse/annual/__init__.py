"""Annual reports (10-K) of ABS trusts: servicer compliance, parties, insurance coverage.

Public API:

- ``parse_annual(text, documents=None) -> dict``: one 10-K (primary document, whole SGML
  submission, or primary text plus its documents) into the keys ``annual_report``, ``parties``,
  ``servicing_assessments``, ``insurance``, ``compliance_statements``, ``attestations``,
  ``warnings``. Pure and total: odd layouts give empty lists and warnings.
- ``load_criteria(framework=None) -> list[dict]``: the servicing criteria dimension (USAP
  I.1 .. VII.1 and Regulation AB 1122(d)(1)(i) .. (d)(4)(xv)) from ``servicing_criteria.yaml``.
"""

from .criteria import FRAMEWORK_REG_AB, FRAMEWORK_USAP, load_criteria
from .documents import split_sgml
from .parser import parse_annual

__all__ = ["FRAMEWORK_REG_AB", "FRAMEWORK_USAP", "load_criteria", "parse_annual", "split_sgml"]
