"""Numbers as printed: one pattern for the whole package, in table cells and in running text.

A cell is one of: blank (nothing printed), a dash (—— "not applicable"), a number (thousands
separators allowed: ``2,940.05``), or invalid (``12.3.4``, ``1O2.5``). Blank and dash are kept
apart from a printed ``0``/``0.00``: only printed numbers become facts.

In running text (the 情况说明, the 概况) a numeric token is an Arabic number (``2,795.38``,
``0.21``, ``-5.00``: a minus sign counts when a digit does not stand before it) or a Chinese
numeral written before a counting word (``三辆``, ``两个``, ``十二人``, ``一次``); see
:data:`NUMBER_TOKEN` and :func:`token_value`.

Amount units (:data:`AMOUNT_UNITS`): what a table or sentence prints (万元, 元, 千元, 亿元) and its exact
factor to 万元. Every amount the library holds is in 万元. A figure printed in another unit is converted
with decimal arithmetic (``Decimal(printed) × factor``, then one rounding to the nearest float), and
keeps its printed text and printed unit, so it can always be traced and re-read as printed.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from xinzhou_fiscal import patterns
from xinzhou_fiscal.errors import UnitError


class LazyPattern:
    """A regular expression compiled when first used (``search``, ``match``, ``finditer``, …, then
    as fast as the compiled pattern): for the patterns a report may never reach — an unusual layout,
    another part of the report — so that a process does not pay for compiling them (a pattern with a
    CJK class costs ~0.5 ms to compile). ``pattern`` is the text, available without compiling. Only
    its methods and attributes are used: it is not a ``re.Pattern`` to hand to ``re.sub`` and the like."""

    def __init__(self, pattern, flags: int = 0):
        self.pattern, self._flags = pattern, flags

    def __getattr__(self, name: str):
        """The first use: compile, and keep the compiled pattern's methods on this object."""
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = patterns.compile(self.pattern, self._flags)
        for method in ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"):
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"


#: the digits of one number: 2,795.38 · 2795.38 · 18
NUMBER_CORE = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
#: a rate, score or amount as running text writes it, no thousands separator (25.56 · 100 · 3)
DECIMAL = r"\d+(?:\.\d+)?"
#: one printed number, nothing else: the parser's test of a cell and the facts' ``printed`` column
NUMBER_PATTERN = rf"^[+-]?{NUMBER_CORE}$"
_NUMBER = patterns.compile(NUMBER_PATTERN)
NUMBER = _NUMBER
_DASHES = frozenset({"—", "——", "－", "-", "--", "―", "――", "/", "／"})
_LOOKS_NUMERIC = LazyPattern(r"^[\dOoIlL.,，．+\-]+$")

#: Chinese numeral characters and their values
CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                  "八": 8, "九": 9}
_CHINESE_POWERS = {"十": 10, "百": 100, "千": 1000}
#: counting words a Chinese numeral stands before when it counts something (三辆, 两个, 十二人)
COUNT_WORDS = ("批次", "人次", "辆", "个", "名", "人", "台", "套", "次", "项", "家", "户", "件", "场", "期", "份")
_CN = "零〇一二两三四五六七八九十百千"

#: a numeric token in running text (Arabic, or a Chinese numeral before a counting word)
NUMBER_TOKEN = patterns.compile(
    rf"(?<![\d.])-?{NUMBER_CORE}|(?<![{_CN}第])[{_CN}]+(?=(?:{'|'.join(COUNT_WORDS)}))")


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


_AMOUNT_MARK = patterns.compile(r"\d\.\d|\d,\d{3}")


def is_amount(text: str, *, broken_too: bool = False) -> bool:
    """True for a cell printing an amount rather than numbering: a number (:func:`read_cell`) with a
    decimal point or a thousands separator (``2,795.38``, ``0.50``, ``1,200``; not ``18`` or ``3``).
    ``broken_too`` also counts a malformed number that has them (``12.3.4``)."""
    kind = read_cell(text).kind
    return (kind == "number" or (broken_too and kind == "invalid")) and bool(_AMOUNT_MARK.search(text))


def looks_like_broken_number(text: str) -> bool:
    """True for a cell that was meant to be a number but is malformed (``12.3.4``, ``1O2.5``)."""
    s = text.strip()
    return bool(s) and bool(_LOOKS_NUMERIC.match(s)) and any(ch.isdigit() for ch in s) and not _NUMBER.match(s)


def is_number(text: str) -> bool:
    """True when ``text`` (stripped) is one printed number, sign allowed."""
    return bool(_NUMBER.match(text.strip()))


def chinese_numeral_value(text: str) -> int:
    """The value of a Chinese numeral up to 千: 三 → 3, 十二 → 12, 两 → 2, 二十 → 20, 一百零五 → 105."""
    total, digit = 0, None
    for ch in text:
        if ch in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[ch]
        elif ch in _CHINESE_POWERS:
            total += (1 if digit is None else digit) * _CHINESE_POWERS[ch]
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + (digit or 0)


def token_value(token: str) -> float:
    """The value of a text token found by :data:`NUMBER_TOKEN` (``2,795.38`` → 2795.38, ``三`` → 3.0)."""
    if token[:1] in _CN:
        return float(chinese_numeral_value(token))
    return float(token.replace(",", ""))


def is_chinese_token(token: str) -> bool:
    """True for a token written in Chinese numerals (三, 十二)."""
    return token[:1] in _CN


# --- amount units --------------------------------------------------------------------------------
#: printed amount unit → exact factor to 万元
AMOUNT_UNITS: dict[str, Decimal] = {"万元": Decimal(1), "元": Decimal("0.0001"), "千元": Decimal("0.1"),
                                    "亿元": Decimal(10000)}
TARGET_UNIT = "万元"
_UNIT_TEXT = LazyPattern(r"^\s*(?:金额)?单位\s*[:：]\s*(?:人民币)?\s*(\S+?)\s*$")


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
