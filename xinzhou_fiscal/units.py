"""Amount units: what a table or sentence prints (万元, 元, 千元, 亿元) and its exact factor to 万元.

Every amount the library holds is in 万元. A figure printed in another unit is converted with
decimal arithmetic (``Decimal(printed) × factor``, then one rounding to the nearest float), and
keeps its printed text and printed unit, so it can always be traced and re-read as printed.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .errors import UnitError

#: printed amount unit → exact factor to 万元
AMOUNT_UNITS: dict[str, Decimal] = {"万元": Decimal(1), "元": Decimal("0.0001"), "千元": Decimal("0.1"),
                                    "亿元": Decimal(10000)}
TARGET_UNIT = "万元"
_UNIT_TEXT = re.compile(r"^\s*(?:金额)?单位\s*[:：]\s*(?:人民币)?\s*(\S+?)\s*$")


def unit_in(text: str) -> str | None:
    """The unit a ``单位：万元`` / ``金额单位：元`` line prints, or None for any other line."""
    m = _UNIT_TEXT.match(text or "")
    return m.group(1) if m else None


def factor(unit: str, *, where: str = "", file: str | None = None, line: int | None = None) -> Decimal:
    """The exact factor from ``unit`` to 万元; a unit that is not an amount unit is a :class:`UnitError`."""
    try:
        return AMOUNT_UNITS[unit.strip()]
    except KeyError:
        raise UnitError(f"the amount unit {unit!r} is not one of {', '.join(AMOUNT_UNITS)}", file=file,
                        table=where or None, line=line) from None


def to_wanyuan(printed: str, unit: str) -> float:
    """A printed amount (``2,795,380.00``) in ``unit`` → 万元, converted exactly then rounded once."""
    value = Decimal(printed.replace(",", "").replace("，", ""))
    return float(value * factor(unit))
