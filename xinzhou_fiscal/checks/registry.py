"""The rule catalogue: every rule has an id, a category, what it checks, the source it rests on,
and how it grades a broken check. Rules register themselves with :func:`rule`.

:data:`RULES` has the package's one registry shape (as the notebook's displays, its charts and
the export formats: ``analysis.present.DISPLAYS``, ``publish.figures.FIGURES``,
``store.export.FORMATS``): a dict ``id → entry``, the only list of the ids, each entry a frozen
dataclass with its ``id``, what it is in Chinese (``title``) and the callable (``func``)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from xinzhou_fiscal.checks.findings import Check
from xinzhou_fiscal.templates.names import fill


@dataclass(frozen=True)
class Rule:
    id: str
    title: str            # what it checks, in Chinese (tables named as the reference template does)
    source: str           # DOMAIN.md § / 财预〔2020〕10号 / the template
    severity: str         # how a broken check is graded (error / warning / text)
    func: Callable[..., Iterable[Check]]

    @property
    def category(self) -> str:
        return self.id.split(".", 1)[0]


RULES: dict[str, Rule] = {}


def rule(rule_id: str, title: str, source: str, severity: str = "error"):
    """Register a rule. ``title`` and ``source`` name tables by placeholder (``{n:income}``,
    :mod:`xinzhou_fiscal.templates.names`); the catalogue fills them from the reference template."""
    title, source = fill(title, None), fill(source, None)

    def deco(func):
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, title, source, severity, func)
        return func
    return deco
