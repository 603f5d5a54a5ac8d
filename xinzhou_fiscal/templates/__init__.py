"""Template families as data: one TOML file per family in this folder.

A template says which tables a report of that family prints (canonical key, printed title and
aliases, number such as 公开09表 when the family numbers its tables, the 目录 ordinal, column layout,
whether the table is required), its part headings, the notes that mean "this table has no data",
the kind of document (决算) and the amount unit its tables print by default.

Adding a family, or a variant of one, means adding a TOML file here and tests; the parsers read
tables by layout and never by family. :func:`detect_template` picks the family of a document.

Modules (imports point down this list; none imports this package's ``__init__``):

* :mod:`.families` — the families read from ``*.toml`` (:class:`Template`, :class:`TemplateTable`);
* :mod:`.names` — how a report names a table (:func:`name`, placeholders filled by :func:`fill`);
* :mod:`.detect` — which family a document belongs to;
* :mod:`.specs` — the table specs every reader and parser uses, keyed by canonical table key, and
  the function classes (``wording/function_classes.toml``);
* :mod:`.text_facts` — placeholders, opposites, direction words and vocabulary (``text_rules.toml``).
"""
from __future__ import annotations

from xinzhou_fiscal.templates.detect import TemplateMatch, detect_template
from xinzhou_fiscal.templates.families import (
           Template,
           TemplateTable,
           template,
           templates,
)
from xinzhou_fiscal.templates.names import (
           fill,
           name,
           placeholder,
           reference,
           relabel,
           short,
)

__all__ = ["Template", "TemplateMatch", "TemplateTable", "detect_template", "fill", "name", "placeholder",
           "reference", "relabel", "short", "template", "templates"]
