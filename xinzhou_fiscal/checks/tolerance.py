"""The audit's one tolerance policy: every printed figure is an interval, every identity is
evaluated in interval arithmetic, and a difference is *rounding* only when rounding can produce it.

A figure printed with ``d`` decimals stands for a true value within ``½·10⁻ᵈ`` of it (its
*half-unit*): ``2,795.38`` is 2795.375 … 2795.385. Which ``d``:

- the standard tables and the narrative: the decimals printed (``2.93`` → 0.005, ``25.56%`` → 0.005
  percentage points, ``100.00%`` → 0.005, ``0%`` → 0.5);
- counts (vehicles, equipment, projects, batches) are exact integers: half-unit 0;
- the self-evaluation tables print in Excel's *general* format, which drops trailing zeros
  (``73.1`` next to ``73.10``, ``48`` next to ``39.728``): their figures are read with at least two
  decimals (``48`` → 48.00 ± 0.005, ``39.728`` → ± 0.0005, ``8.2`` → 8.20 ± 0.005);
- constants of the rules (the 10 points of budget execution, 100 points, grade thresholds) are exact.

A derived figure (a sum, a difference, a ratio) is the interval of every value it can take when
each input ranges over its interval: for a sum of n figures the half-widths add up (n × 0.005 for
n two-decimal amounts); for ratios and rates the function is evaluated at the corners of the box
of inputs (it is monotone in each input), which propagates the inputs' rounding exactly.

A check compares an *expected* figure (recomputed) with an *actual* one (as printed), in Decimal
(each float read to 9 decimals, so ``0.1 + 0.2`` is 0.3 and a tie is a tie). With
``diff = actual − expected`` and ``tolerance = half-width(expected) + half-width(actual)``:

- ``ok`` — the printed figure is the recomputed one, rounded to the printed decimals:
  ``|diff| ≤ half-unit of the printed figure`` (for two printings of one quantity, of the coarser);
  this covers rounding half-up and half-even (a tie either way);
- ``info`` (a rounding note naming its method, :data:`ROUNDING_METHODS`) — the printed figure is the
  recomputed one *truncated* at the printed decimals (95.4572 % printed 95.45 %: 截尾), or
  ``|diff| ≤ tolerance``: the inputs' own rounding explains it (各数分别取整后运算). A difference
  equal to the tolerance is within it (a sum of rounded parts, rounded half-even at ties, can reach
  it) — except for a *copy*;
- ``one_unit`` — a **copy** (one quantity printed twice at the same precision: both sides carry one
  half-unit) whose printings are exactly one unit of the last digit apart (for a bound: a part
  printed one unit beyond a whole it equals). One value rounded by one
  method prints the same twice; a one-unit gap is either two rounding methods (one table rounds,
  the other truncates) or a typo, and the figures alone cannot say which. The audit makes it a
  warning that says so, or a rounding note (:data:`MIXED`) when the document shows a truncated
  printing elsewhere (``findings.settle_one_unit_gaps``). When the check knows the figure both were
  rounded from (``underlying``), no doubt remains: rounding if a method (half-up, half-even,
  truncation) turns it into the actual printing, else ``broken``;
- beyond: ``error`` for a strict identity, ``warning`` for a bound or an identity the template
  leaves ambiguous (the rule says which).

One more rounding a report does, named in the note: **shares adjusted so that they total 100%**.
A column of shares of one whole, printed with the same decimals, whose printed shares add to
exactly ``100.00`` (in decimal) may have one share moved by one unit of its last printed digit
(西南大学 2023 final, p17: 2,536.65 ÷ 457,676.75 = 0.5542% printed ``0.56%`` so that 92.92 + 0.56 +
2.94 + 3.56 + 0.02 = 100.00). A printed share within one unit (plus the recomputed share's own
interval) of the recomputed one, in such a column, is ``info`` with the method named
(:func:`adjusted_to_hundred`); beyond one unit, or in a column that does not add to 100.00, the
ordinary verdict stands.

No other tolerance exists anywhere in the audit.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

EPS = 1e-9


def printed_decimals(printed: str) -> int:
    """Decimals of a printed number: ``2,795.38`` → 2, ``10`` → 0, ``25.56%`` → 2."""
    s = str(printed).strip().rstrip("%％").replace(",", "")
    if "." not in s:
        return 0
    return len(s.rsplit(".", 1)[1])


def half_unit(decimals: int) -> float:
    return 0.5 * 10.0 ** (-decimals)


@dataclass(frozen=True)
class Num:
    """A figure as an interval: ``value ± err``. ``printed`` is set for a single printed figure
    (None for a derived one); ``evidence`` lists where its inputs were printed."""

    value: float
    err: float = 0.0
    printed: str | None = None
    evidence: tuple = field(default=(), compare=False)
    #: the unit ``printed`` is in when it is not the unit of ``value`` (元 for a 万元 value), else ""
    printed_unit: str = field(default="", compare=False)

    @property
    def is_printed(self) -> bool:
        return self.printed is not None

    def label(self) -> str:
        return self.printed if self.printed is not None else fmt(self.value)


def printed(value: float, text: str | None = None, *, min_decimals: int = 0, exact: bool = False,
            evidence: tuple = (), scale: float = 1.0, unit: str = "") -> Num:
    """A printed figure. ``exact`` for counts and constants; ``min_decimals`` for general-format
    cells (the self-evaluation tables: 2); ``scale``: the factor from the unit ``text`` is printed
    in to the unit of ``value`` (元 → 万元: 0.0001), which the half-unit is converted by; ``unit``: the
    name of that printed unit (元), kept so that a message never puts 万元 after a figure printed in 元."""
    text = fmt(value) if text is None else text
    err = 0.0 if exact else half_unit(max(printed_decimals(text), min_decimals)) * scale
    return Num(float(value), err, text, tuple(evidence), unit if scale != 1.0 else "")


def exact(value: float, evidence: tuple = ()) -> Num:
    """A constant, or a count (exact): no rounding."""
    label = str(int(value)) if float(value).is_integer() else fmt(value)
    return Num(float(value), 0.0, label, tuple(evidence))


ZERO = Num(0.0, 0.0, None, ())


def total(nums) -> Num:
    """Σ of figures: values add, half-widths add."""
    nums = list(nums)
    ev = tuple(e for n in nums for e in n.evidence)
    return Num(math.fsum(n.value for n in nums), math.fsum(n.err for n in nums), None, ev)


def derive(fn, *nums: Num) -> Num | None:
    """fn(*values) as an interval, evaluated at the centre and at every corner of the input box
    (fn must be monotone in each input on the box, true of sums, differences, products and
    ratios whose denominator keeps its sign). None when fn is undefined somewhere on the box."""
    ev = tuple(e for n in nums for e in n.evidence)
    try:
        centre = fn(*[n.value for n in nums])
        corners = [fn(*c) for c in itertools.product(*[(n.value - n.err, n.value + n.err) for n in nums])]
    except ZeroDivisionError:
        return None
    if any(not math.isfinite(v) for v in [centre, *corners]):
        return None
    lo, hi = min(corners), max(corners)
    return Num(centre, max(centre - lo, hi - centre, 0.0), None, ev)


def ratio_pct(part: Num, whole: Num) -> Num | None:
    """part / whole × 100 (a share, a completion or execution rate), or None if whole can be 0."""
    if whole.value - whole.err <= 0 <= whole.value + whole.err:
        return None
    return derive(lambda a, b: a / b * 100.0, part, whole)


def yoy_rate_pct(current: Num, change: Num) -> Num | None:
    """Year-on-year rate: change / (current − change) × 100 (previous year = current − change)."""
    prev = current.value - change.value
    if abs(prev) <= current.err + change.err:
        return None
    return derive(lambda c, d: d / (c - d) * 100.0, current, change)


@dataclass(frozen=True)
class Verdict:
    status: str        # ok | info | one_unit (a copy one unit apart: module doc) | broken
    difference: float
    tolerance: float
    within_print: bool
    method: str = ""   # how a rounding difference arose (ROUNDING_METHODS), "" when none is needed


#: the rounding methods a report may use, as a rounding note names them
HALF_UP, HALF_EVEN, TRUNCATED, INTERVAL = "四舍五入", "四舍六入五成双", "截尾（舍去尾数）", "各数分别取整后运算"
#: a copy one unit apart in a report that truncates elsewhere: the two printings used two methods
MIXED = "两处取整方法不同（一处四舍五入、一处截尾）"
ROUNDING_METHODS = (HALF_UP, HALF_EVEN, TRUNCATED, INTERVAL, MIXED)
_ROUNDINGS = ((HALF_UP, ROUND_HALF_UP), (HALF_EVEN, ROUND_HALF_EVEN), (TRUNCATED, ROUND_DOWN))
_Q = Decimal("1e-9")             # floats are read to 9 decimals: below, float noise
#: a difference equal to the tolerance is within it (issue #23), except for a copy one unit apart,
#: judged ``one_unit`` (module doc); False restores the half-open reading (every difference equal
#: to the tolerance is ``broken``).
BOUNDARY_IS_ROUNDING = True


def dec(x: float) -> Decimal:
    """A figure as a Decimal, to 9 decimals (its shortest float spelling: ``2795.38`` → 2795.38)."""
    return Decimal(repr(float(x))).quantize(_Q)


def decimals_of(n: Num) -> int | None:
    """The decimals a figure is printed (or read) with: from its half-unit; None if exact."""
    if n.err <= 0:
        return None
    return max(0, round(-math.log10(2 * n.err)))


def rounding_method(value: Decimal, shown: Decimal, decimals: int) -> str:
    """The rounding method (HALF_UP, HALF_EVEN, TRUNCATED) by which ``value`` printed with
    ``decimals`` decimals reads ``shown``; "" if none does."""
    unit = Decimal(1).scaleb(-decimals)
    for name, how in _ROUNDINGS:
        if value.quantize(unit, rounding=how) == shown:
            return name
    return ""


def judge(expected: Num, actual: Num, relation: str = "eq", underlying: Num | None = None) -> Verdict:
    """Compare an expected (recomputed) figure with an actual (printed) one under the policy, in
    Decimal.

    relation "eq": actual should equal expected; "ge": actual should be ≥ expected (a lower
    bound); "le": actual should be ≤ expected (an upper bound). ``underlying``: for two printings
    of one quantity, the figure both were rounded from, when the report prints its inputs (the
    self-evaluation's 执行数 ÷ 预算数): a one-unit gap between the printings is then rounding only
    if a rounding method turns it into the actual printing; without it, a copy one unit apart is
    ``one_unit`` (the module doc)."""
    e, a = dec(expected.value), dec(actual.value)
    diff, tol = a - e, (dec(expected.err) + dec(actual.err))
    scale = Decimal(EPS) * max(Decimal(1), abs(e), abs(a))
    if relation == "ge" and diff >= -scale:
        return Verdict("ok", float(diff), float(tol), True)
    if relation == "le" and diff <= scale:
        return Verdict("ok", float(diff), float(tol), True)
    if relation == "eq":
        own = dec(max(actual.err, expected.err) if expected.is_printed and actual.is_printed else actual.err)
        if abs(diff) <= own + scale:            # rounded to the printed decimals (a tie either way)
            return Verdict("ok", float(diff), float(tol), True, HALF_UP)
        method = _method(expected, actual, e, a)
        if method == TRUNCATED:
            return Verdict("info", float(diff), float(tol), False, method)
    if abs(diff) < tol - scale:
        return Verdict("info", float(diff), float(tol), False, INTERVAL)
    if abs(diff) <= tol + scale and _boundary_is_rounding(actual, underlying, tol):
        if underlying is None and is_copy(expected, actual):
            return Verdict("one_unit", float(diff), float(tol), False, MIXED)
        return Verdict("info", float(diff), float(tol), False, INTERVAL)
    return Verdict("broken", float(diff), float(tol), False)


def is_copy(expected: Num, actual: Num) -> bool:
    """Whether two figures are one quantity printed twice at the same precision: each carries one
    half-unit (a printed figure, or a sum of one printed figure and exact ones), so the tolerance
    of their comparison is one unit of the last printed digit."""
    return actual.is_printed and actual.err > 0 and dec(expected.err) == dec(actual.err)


def _method(expected: Num, actual: Num, e: Decimal, a: Decimal) -> str:
    """How the coarser of two printed figures reads the finer one (for a recomputed ``expected``:
    how ``actual`` rounds it), "" if by no method or if ``actual`` is not a printed figure."""
    if not actual.is_printed:
        return ""
    d_a, d_e = decimals_of(actual), decimals_of(expected) if expected.is_printed else None
    if d_a is None:
        return ""
    if d_e is not None and d_e < d_a:          # the expected printing is the coarser one
        return rounding_method(a, e, d_e)
    return rounding_method(e, a, d_a)


def _boundary_is_rounding(actual: Num, underlying: Num | None, tol: Decimal) -> bool:
    """A difference equal to the tolerance is within it — unless the underlying figure is known
    and no rounding method turns it into the actual printing."""
    if tol <= 0 or not BOUNDARY_IS_ROUNDING:
        return False
    if underlying is None:
        return True
    d = decimals_of(actual)
    return d is not None and rounding_method(dec(underlying.value), dec(actual.value), d) != ""


def fmt(x: float | None, decimals: int | None = None) -> str:
    """A readable number: two decimals for amounts, more when the value needs them (≤ 4)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if decimals is not None:
        return f"{x:,.{decimals}f}".replace(",", "")
    for d in (2, 3, 4):
        if abs(round(x, d) - x) < 1e-9:
            return f"{x:.{d}f}"
    return f"{x:.4f}"


#: the note of a share the report adjusted so that its column totals 100%
ADJUSTED_TO_HUNDRED = "按合计 100% 调整尾数（adjusted so the shares total 100%）：不是错误"


def adjusted_to_hundred(expected: Num, actual: Num, column) -> bool:
    """Whether a printed share (``actual``, %) that misses the recomputed one (``expected``) is a
    share adjusted so that its column totals 100% (module docstring): every share of ``column`` (the
    printed shares of the same whole, ``actual`` among them) printed with the same decimals, their
    printed figures adding to exactly 100 in decimal, and ``|actual − expected|`` within one unit of
    the last printed digit plus the expected figure's own interval."""
    from decimal import Decimal, InvalidOperation
    texts = [n.printed for n in column]
    if actual.printed is None or len(texts) < 2 or any(not t for t in texts):
        return False
    decimals = printed_decimals(actual.printed)
    if any(printed_decimals(t) != decimals for t in texts):
        return False
    try:
        if sum(Decimal(str(t).strip().rstrip("%％").replace(",", "")) for t in texts) != Decimal(100):
            return False
    except InvalidOperation:
        return False
    return abs(actual.value - expected.value) <= 10.0 ** (-decimals) + expected.err + EPS
