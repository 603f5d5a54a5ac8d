"""The template families read from the TOML files of this folder (:func:`templates`, :func:`template`),
and :func:`relabel`, which names a table as a family prints it."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

LAYOUTS = ("two_sided", "coded", "economic", "three_public", "stats", "generic")


@dataclass(frozen=True)
class TemplateTable:
    """One table of a template. ``number`` is the printed number (公开09表) or None when the family
    prints none; ``toc`` the ordinal the 目录 gives it (七); ``required`` whether a report must print it."""

    key: str
    title: str
    layout: str
    number: str | None = None
    toc: str | None = None
    aliases: tuple[str, ...] = ()
    required: bool = True

    @property
    def titles(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)

    @property
    def label(self) -> str:
        """How a finding names the table: its number when the family prints one, else its title."""
        return self.number or self.title


@dataclass(frozen=True)
class Template:
    """A template family (see the module docstring); built from ``templates/<id>.toml``."""

    id: str
    name: str
    kind: str
    default_unit: str
    numbered: bool
    tables: tuple[TemplateTable, ...]
    markers: tuple[str, ...] = ()
    parts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    no_data: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(t.key for t in self.tables)

    def table(self, key: str) -> TemplateTable | None:
        return next((t for t in self.tables if t.key == key), None)

    def label(self, key: str) -> str:
        t = self.table(key)
        return t.label if t else key

    @property
    def no_data_pattern(self) -> re.Pattern:
        return re.compile("|".join(f"(?:{p})" for p in self.no_data)) if self.no_data else re.compile(r"(?!)")


def _table(d: dict, source: str) -> TemplateTable:
    if d.get("layout") not in LAYOUTS:
        raise ValueError(f"{source}: table {d.get('key')!r} has layout {d.get('layout')!r}, not one of {LAYOUTS}")
    return TemplateTable(key=d["key"], title=d["title"], layout=d["layout"], number=d.get("number"),
                         toc=d.get("toc"), aliases=tuple(d.get("aliases", ())), required=d.get("required", True))


def _template(d: dict, source: str) -> Template:
    return Template(id=d["id"], name=d["name"], kind=d["kind"], default_unit=d["default_unit"],
                    numbered=bool(d["numbered"]), tables=tuple(_table(t, source) for t in d.get("tables", ())),
                    markers=tuple(d.get("markers", ())),
                    parts={k: tuple(v) for k, v in d.get("parts", {}).items()},
                    no_data=tuple(d.get("notes", {}).get("no_data", ())))


#: the order in which families are tried when the evidence ties
FAMILY_ORDER = ("xinzhou", "shanghai", "central", "university_final", "shanxi_older", "shanghai_budget",
                "shanghai_district_budget", "jiangsu_budget", "university_budget", "unknown")
#: the family of a document whose tables no family knows: its tables are read generically (by title,
#: rows and columns) and a problem names it
UNKNOWN_FAMILY = "unknown"


@cache
def templates() -> tuple[Template, ...]:
    """Every template family shipped in this folder, in :data:`FAMILY_ORDER` (then by file name)."""
    found = []
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml"):
            found.append(_template(tomllib.loads(entry.read_text(encoding="utf-8")), entry.name))
    rank = {name: i for i, name in enumerate(FAMILY_ORDER)}
    return tuple(sorted(found, key=lambda t: rank.get(t.id, len(rank))))


def template(template_id: str) -> Template:
    """The template family ``template_id`` (xinzhou, shanghai, central, the budget families, unknown)."""
    for t in templates():
        if t.id == template_id:
            return t
    raise KeyError(f"no template {template_id!r}; known: {[t.id for t in templates()]}")



#: the Xinzhou number of one table (公开05表, or 公开05 before other words), not a range (公开01–10表)
#: or a pair (公开01/04): the audit's and the analysis' texts name tables this way
_REFERENCE_NUMBER = re.compile(r"公开(\d{2})(?![\d–\-/])表?")
#: the family whose numbers those texts use
REFERENCE_FAMILY = "xinzhou"


@cache
def _renamed(template_id: str) -> dict[str, str]:
    reference, family = template(REFERENCE_FAMILY), template(template_id)
    names = {}
    for t in reference.tables:
        own = family.table(t.key)
        if t.number and own is not None and own.label != t.number:
            names[t.number] = own.label
    return names


def relabel(text: str, family: Template | None) -> str:
    """``text`` with each Xinzhou table number (公开05表) renamed as ``family`` names that table:
    its own number, or its title when the family prints none (Shanghai: 一般公共预算财政拨款支出决算表).
    A number glossed by the same title (公开02表（收入决算表）) becomes the title once. A table the
    family does not have keeps its number; Xinzhou text and ``family=None`` are unchanged."""
    if not text or family is None or "公开" not in text:
        return text
    names = _renamed(family.id)
    if not names:
        return text
    used = set()

    def rename(m: re.Match) -> str:
        name = names.get(f"公开{m.group(1)}表", m.group(0))
        used.add(name)
        return name

    text = _REFERENCE_NUMBER.sub(rename, text)
    for name in used:       # "公开02表（收入决算表）", "收入支出决算总表（公开01表）": the title once
        text = text.replace(f"{name}（{name}）", name)
    return text
