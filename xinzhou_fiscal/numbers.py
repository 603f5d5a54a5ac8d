"""Read one printed cell as an amount. Amounts are 万元 with two decimals (counts for counted items).

A cell is one of: blank (nothing printed), a dash (—— "not applicable"), a number (thousands
separators allowed: ``2,940.05``), or invalid (``12.3.4``, ``1O2.5``). Blank and dash are kept
apart from a printed ``0``/``0.00``: only printed numbers become facts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DASHES = frozenset({"—", "——", "－", "-", "--", "―", "――", "/", "／"})
_LOOKS_NUMERIC = re.compile(r"^[\dOoIlL.,，．+\-]+$")


@dataclass(frozen=True)
class Cell:
    kind: str          # "blank" | "dash" | "number" | "invalid"
    value: float | None
    printed: str


def read_cell(text: str) -> Cell:
    """Classify and read a cell's text (see module docstring)."""
    s = text.strip().replace("\u3000", "").replace(" ", "")
    if not s:
        return Cell("blank", None, "")
    if s in _DASHES:
        return Cell("dash", None, s)
    if _NUMBER.match(s):
        return Cell("number", float(s.replace(",", "")), s)
    return Cell("invalid", None, s)



def looks_like_broken_number(text: str) -> bool:
    """True for a cell that was meant to be a number but is malformed (``12.3.4``, ``1O2.5``)."""
    s = text.strip()
    return bool(s) and bool(_LOOKS_NUMERIC.match(s)) and any(ch.isdigit() for ch in s) and not _NUMBER.match(s)
