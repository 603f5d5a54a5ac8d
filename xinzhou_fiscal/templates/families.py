"""The template families read from the TOML files of this folder (:func:`templates`, :func:`template`).
How a family names its tables is :mod:`.names`."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from xinzhou_fiscal import patterns
from xinzhou_fiscal.pycache import toml

#: this folder: the template families (*.toml) and their wording/
_HERE = Path(__file__).parent


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
    repeated: bool = False      # printed once per project (绩效目标表): every printing is read

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
    rank: int = 0               # the order in which families are tried when the evidence ties
    reference: bool = False     # whose table names the stable texts use (templates.names.REFERENCE)
    #: what the family's narrative means by a subject, where it differs from the tables' wording
    #: ([narrative_subjects] 收入总计 = "本年收入合计": the university's 收入总计 is the year's income)
    narrative_subjects: dict[str, str] = field(default_factory=dict)
    #: identities across the family's tables ([[identities]]: checks/rules_budget_cross.py reads them)
    identities: tuple[dict, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(t.key for t in self.tables)

    def table(self, key: str) -> TemplateTable | None:
        return next((t for t in self.tables if t.key == key), None)

    @property
    def no_data_pattern(self) -> re.Pattern:
        return patterns.compile("|".join(f"(?:{p})" for p in self.no_data)) if self.no_data else patterns.compile(r"(?!)")


def _table(d: dict) -> TemplateTable:
    return TemplateTable(key=d["key"], title=d["title"], layout=d["layout"], number=d.get("number"),
                         toc=d.get("toc"), aliases=tuple(d.get("aliases", ())), required=d.get("required", True),
                         repeated=d.get("repeated", False))


def _template(d: dict) -> Template:
    return Template(id=d["id"], name=d["name"], kind=d["kind"], default_unit=d["default_unit"],
                    numbered=bool(d["numbered"]), tables=tuple(_table(t) for t in d.get("tables", ())),
                    markers=tuple(d.get("markers", ())),
                    parts={k: tuple(v) for k, v in d.get("parts", {}).items()},
                    no_data=tuple(d.get("notes", {}).get("no_data", ())), rank=d["rank"],
                    reference=bool(d.get("reference", False)),
                    narrative_subjects=dict(d.get("narrative_subjects", {})),
                    identities=tuple(d.get("identities", ())))


#: the family of a document whose tables no family knows (unknown.toml): its tables are read generically
#: (by title, rows and columns) and a problem names it; never chosen by detection
UNKNOWN_FAMILY = "unknown"


@cache
def templates() -> tuple[Template, ...]:
    """Every template family shipped in this folder, by ``rank`` (the order that breaks ties), then file name."""
    found = []
    for entry in sorted(_HERE.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml"):
            found.append(_template(toml(entry)))
    if sum(t.reference for t in found) != 1:
        raise ValueError(f"exactly one template family must say reference = true: {[t.id for t in found if t.reference]}")
    return tuple(sorted(found, key=lambda t: t.rank))


def template(template_id: str) -> Template:
    """The template family ``template_id`` (xinzhou, shanghai, central, the budget families, unknown …)."""
    for t in templates():
        if t.id == template_id:
            return t
    raise KeyError(f"no template {template_id!r}; known: {[t.id for t in templates()]}")


