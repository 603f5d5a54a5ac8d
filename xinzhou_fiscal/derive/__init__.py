"""Figures derived from parsed data (analysis, not reading): e.g. the previous year's figures that
the narrative's year-on-year statements imply."""
from .previous_year import PREVIOUS_COLUMNS, derive_previous_year

__all__ = ["PREVIOUS_COLUMNS", "derive_previous_year"]
