"""Compatibility module: see :mod:`xinzhou_fiscal.text.overview`."""
from .text.overview import GLOSSARY_COLUMNS, parse_glossary, parse_overview  # noqa: F401
