"""Compatibility module: see :mod:`xinzhou_fiscal.text.performance`."""
from .text.performance import (FUND_COLUMNS, INDICATOR_COLUMNS, PROJECT_COLUMNS,  # noqa: F401
                               PerformanceTables, find_tables, parse_performance, parse_performance_tables)
