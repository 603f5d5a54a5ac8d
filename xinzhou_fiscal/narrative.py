"""Compatibility module: the narrative reader lives in :mod:`xinzhou_fiscal.text` (parts, paragraphs,
claims, ledger) and the previous-year derivation in :mod:`xinzhou_fiscal.derive.previous_year`."""
from .derive.previous_year import PREVIOUS_COLUMNS, derive_previous_year  # noqa: F401
from .text.narrative import (CLAIM_COLUMNS, IGNORED_COLUMNS, NarrativeScan, canonical_subject,  # noqa: F401
                             extract_claims, scan_narrative)
from .text.paragraphs import squash  # noqa: F401
from .text.parts import Part, find_parts, locate_parts  # noqa: F401
