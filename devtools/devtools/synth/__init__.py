"""Synthetic EDGAR corpus of ABS filings for backfill tests and benchmarks (``edgar-etl synth``)."""

from devtools.synth.cusip import cusip_check_digit, is_valid_cusip
from devtools.synth.generate import SynthSummary, generate, plan_corpus

__all__ = ["SynthSummary", "cusip_check_digit", "generate", "is_valid_cusip", "plan_corpus"]
