"""The standard tables, keyed independently of any family's numbering, built from the template data.

Tables are identified by their printed title (and, where titles collide across variants, by
shape), never by position or page. Which titles, numbers and layouts exist is data: the template
files in :mod:`xinzhou_fiscal.templates`. A :class:`TableSpec` joins every family's titles for one
table key, so a table is recognised whichever family printed it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from xinzhou_fiscal import patterns
from xinzhou_fiscal.pycache import toml
from xinzhou_fiscal.templates.detect import title_facts, title_key
from xinzhou_fiscal.templates.families import templates


@dataclass(frozen=True)
class TableSpec:
    key: str
    title: str
    layout: str                 # two_sided | coded | economic | three_public | stats | generic
    aliases: tuple[str, ...] = ()


def _specs() -> tuple[TableSpec, ...]:
    specs: dict[str, TableSpec] = {}
    for fam in templates():
        for t in fam.tables:
            s = specs.get(t.key)
            if s is None:
                specs[t.key] = TableSpec(t.key, t.title, t.layout, tuple(a for a in t.aliases if a != t.title))
                continue
            if s.layout != t.layout:
                raise ValueError(f"template {fam.id}: table {t.key} has layout {t.layout}, elsewhere {s.layout}")
            extra = tuple(x for x in t.titles if x != s.title and x not in s.aliases)
            specs[t.key] = TableSpec(s.key, s.title, s.layout, s.aliases + extra)
    return tuple(specs.values())


TABLE_SPECS: tuple[TableSpec, ...] = _specs()
SPECS_BY_KEY = {s.key: s for s in TABLE_SPECS}
TABLE_KEYS = tuple(s.key for s in TABLE_SPECS)
#: the key of a table of the unknown family, read generically: unknown_01, unknown_02 … in document order
GENERIC_KEY = patterns.compile(r"^unknown_\d{2}$")

_BY_TITLE = {title_key(t): s for s in TABLE_SPECS for t in (s.title, *s.aliases)}


def spec_for_title(title: str) -> TableSpec | None:
    """The table spec whose title (or alias, in any family) the printed title is, ignoring quotes,
    spaces, a year and a sequence number before it; else the spec of the longest known title the
    printed one ends with, when what precedes it is a short name (西南大学收支预算总表) rather than a
    qualifier of the table (财政拨款…): the rule of ``wording/titles.toml``."""
    key = title_key(title)
    found = _BY_TITLE.get(key)
    if found is not None or not key:
        return found
    facts = title_facts()
    for free in facts.get("free_name_titles", ()):
        if key.endswith(free) and free in _BY_TITLE:
            return _BY_TITLE[free]
    for known in sorted(_BY_TITLE, key=len, reverse=True):
        if key.endswith(known) and len(key) > len(known):
            name = key[:-len(known)]
            if len(name) <= facts["name_prefix_max"] and not any(w in name for w in facts["name_prefix_excludes"]):
                return _BY_TITLE[known]
    return None




@cache
def function_classes() -> dict[str, str]:
    """Function class (支出功能分类 类) name → its 3-digit code, from ``wording/function_classes.toml``:
    the two-sided tables print the names, not the codes."""
    return dict(toml(Path(__file__).with_name("wording") / "function_classes.toml")["classes"])


@cache
def class_names() -> set[str]:
    """Every name a function class (类) is printed with: today's (:func:`function_classes`) and the
    former names of ``wording/function_classes.toml``, each also without its final 支出
    (一般公共服务（类）, as the Jiangsu 2019 budget prints it)."""
    data = toml(Path(__file__).with_name("wording") / "function_classes.toml")
    names = set(data["classes"]) | set(data.get("former_classes", {}))
    return names | {n[:-2] for n in names if n.endswith("支出")}


@cache
def budget_final_facts() -> dict:
    """What a final-accounts report states about its budget and where the budget prints it
    (``wording/budget_final.toml``): ``scopes`` (name, words, same, wider), ``totals`` (subject →
    scope), ``items`` (三公 / 机关运行经费 subject → item key), ``item_tables``."""
    return toml(Path(__file__).with_name("wording") / "budget_final.toml")
