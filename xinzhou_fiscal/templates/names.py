"""How a report names its tables: code names a table by its canonical key; the printed name comes
from the report's template when a finding, table or caption is built (docs/templates.md
「Naming tables」).

* :func:`name` — the table as ``family`` prints it: its number (公开05表) when the family numbers
  its tables, else its title (Shanghai: 一般公共预算财政拨款支出决算表);
* :func:`fill` — a text written with placeholders, each filled from ``family``:

  ``{t:KEY}``          the table's name (:func:`name`): 公开05表 · 一般公共预算财政拨款支出决算表
  ``{n:KEY}``          its short name: the number without its closing 表 (公开05), else the title
  ``{n:KEY/KEY/…}``    several short names, a numbered family's shared prefix written once (公开01/04)
  ``{n:KEY–KEY}``      a run of numbered tables (公开01–10)

  Code writes the placeholders (in an f-string: ``{{t:income}}``); nothing else may hold a
  family's table number.
* :data:`REFERENCE` — the family whose names the stable texts use: finding ids, the rule
  catalogue and texts about several reports at once (``reference = true`` in its TOML file);
* :func:`relabel` — prose written in the reference family's names (the notebooks' markdown,
  authored by hand) renamed for another family.

A table the family does not have keeps the reference family's name (a Shanghai report has no
部门决算公开相关信息统计表, so "无{t:related_info}" reads 无公开10表 there too); ``family=None``
means the reference family.
"""
from __future__ import annotations

import os
import re
from functools import cache

from xinzhou_fiscal import patterns
from xinzhou_fiscal.numbers import LazyPattern
from xinzhou_fiscal.templates.families import (
    Template,
    TemplateTable,
    template,
    templates,
)


@cache
def _number_pattern() -> re.Pattern:
    """A table number as printed by any numbered family: the words its TOML numbers put around the
    digits (公开 … 表), 1–2 digits, spaces allowed between (公开 9 表)."""
    forms = {patterns.compile(r"(\D+)\d+(\D*)").fullmatch(t.number).groups() for fam in templates() for t in fam.tables if t.number}
    before = "|".join(sorted({re.escape(b) for b, _ in forms}))
    after = "|".join(sorted({re.escape(a) for _, a in forms}))
    return patterns.compile(rf"(?:{before})\s*(\d{{1,2}})\s*(?:{after})")


#: a table number as printed (公开09表, 公开 9 表); group 1 is its digits. From the template data.
TABLE_NUMBER = _number_pattern()


def printed_number(match: re.Match) -> str:
    """The table number a :data:`TABLE_NUMBER` match reads, without its inner spaces (公开9表)."""
    return patterns.compile(r"\s+").sub("", match.group(0))


#: one placeholder: kind (t: name, n: short name) and one key, or keys joined by / (a list) or – (a run)
PLACEHOLDER = patterns.compile(r"\{([tn]):([a-z0-9_]+(?:[/–][a-z0-9_]+)*)\}")


@cache
def reference() -> Template:
    """The reference family (the one whose TOML file says ``reference = true``)."""
    return next(t for t in templates() if t.reference)


def placeholder(key: str) -> str:
    """``{t:KEY}``: the placeholder of one table's name (for texts built from a variable key)."""
    return f"{{t:{key}}}"


def _table(family: Template | None, key: str) -> TemplateTable | None:
    """Table ``key`` of ``family``, else of the reference family (a table the family lacks)."""
    return (family or reference()).table(key) or reference().table(key)


def name(family: Template | None, key: str) -> str:
    """Table ``key`` as ``family`` prints it (see the module docstring); ``key`` itself when no
    family has such a table."""
    table = _table(family, key)
    return table.label if table is not None else key


def short(family: Template | None, key: str) -> str:
    """The short name of table ``key``: its number without the closing 表 (公开05), else its title."""
    table = _table(family, key)
    if table is None:
        return key
    return table.number.removesuffix("表") if table.number else table.title


def _shortened(names: list[str]) -> list[str]:
    """Numbers after the first without the prefix they all share (公开01, 公开04 → 公开01, 04);
    the prefix stops before digits, so 公开02 and 公开03 share 公开, not 公开0."""
    prefix = os.path.commonprefix(names).rstrip("0123456789")
    return [names[0], *(n[len(prefix):] for n in names[1:])] if len(names) > 1 else names


def _filled(family: Template | None, kind: str, keys: str) -> str:
    if kind == "t":
        return name(family, keys)
    sep = "–" if "–" in keys else "/"
    parts = keys.split(sep)
    names = [short(family, k) for k in parts]
    numbered = all(getattr(_table(family, k), "number", None) for k in parts)
    return sep.join(_shortened(names) if numbered else names)


def fill(text: str, family: Template | None) -> str:
    """``text`` with every placeholder (module docstring) filled from ``family`` (None: the reference)."""
    if not text or "{" not in text:
        return text
    return PLACEHOLDER.sub(lambda m: _filled(family, m.group(1), m.group(2)), text)


#: the reference family's number of one table (公开05表, or 公开05 before other words), not a range
#: (公开01–10表) or a pair (公开01/04)
_REFERENCE_NUMBER = LazyPattern(r"公开(\d{2})(?![\d–\-/])表?")


@cache
def _renamed(template_id: str) -> dict[str, str]:
    family = template(template_id)
    names = {}
    for t in reference().tables:
        own = family.table(t.key)
        if t.number and own is not None and own.label != t.number:
            names[t.number] = own.label
    return names


def relabel(text: str, family: Template | None) -> str:
    """Prose written by hand in the reference family's numbers (the department notebook's section
    notes and chart captions) with each number renamed as ``family`` names that table: its own
    number, or its title when the family prints none. A number glossed by the same title
    (公开02表（收入决算表）) becomes the title once. A table the family does not have keeps its
    number; reference-family text and ``family=None`` are unchanged. Code never needs this: it
    writes placeholders (:func:`fill`)."""
    if not text or family is None or "公开" not in text:
        return text
    names = _renamed(family.id)
    if not names:
        return text
    used = set()

    def rename(m: re.Match) -> str:
        found = names.get(f"公开{m.group(1)}表", m.group(0))
        used.add(found)
        return found

    text = _REFERENCE_NUMBER.sub(rename, text)
    for found in used:       # "公开02表（收入决算表）", "收入支出决算总表（公开01表）": the title once
        text = text.replace(f"{found}（{found}）", found)
    return text
