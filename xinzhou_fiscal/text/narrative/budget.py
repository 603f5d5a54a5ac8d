"""The phrasing of a budget's narrative (部门预算 情况说明 / 编制说明): the facts are data in
``templates/wording/budget_phrasing.toml``; this module compiles them.

* an amount of a budget is the budget itself: metric ``预算数`` (a final-accounts amount is 决算数);
* the subject loses the reporting unit, the word 预算 (not inside 一般公共预算 / 国有资本经营预算 /
  政府性基金预算) and 科目, and takes the canonical name of the totals: 收入预算 → 收入总计,
  本年收入预算 → 本年收入合计, 收、支总预算 → 收入支出总计, 拟采购货物支出 → 政府采购货物,
  编报绩效目标的项目 → 绩效目标项目;
* a change measured against last year's budget (比上年预算, 与上年全年预算数相比) has that basis;
* a count printed before its noun (共0个项目实行绩效目标管理) is about that noun.
"""
from __future__ import annotations

import re
from functools import lru_cache

from xinzhou_fiscal import patterns
from xinzhou_fiscal.templates.text_facts import budget_phrasing


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((patterns.compile(p), r) for p, r in budget_phrasing()["subjects"]["rules"])


def amount_metric() -> str:
    """The metric of a budget's amount (预算数)."""
    return budget_phrasing()["amount_metric"]


def budget_subject(subject: str) -> str:
    """The canonical subject of a budget narrative's figure (the rules of budget_phrasing.toml, in order)."""
    s = subject
    for rx, repl in _rules():
        s = rx.sub(repl, s)
    return s or subject


def change_basis(compare_text: str) -> str:
    """The basis of a change whose comparison words are ``compare_text`` (比上年预算 → 上年预算,
    与上年全年预算数相比 → 上年全年预算), "" when it names no budget."""
    for word, basis in budget_phrasing()["change_basis"].items():
        if word in compare_text:
            return basis
    return ""


@lru_cache(maxsize=1)
def _count_noun() -> re.Pattern:
    return patterns.compile(budget_phrasing()["count_noun"])


def count_noun(after: str) -> str:
    """The noun printed right after a count's unit (个项目实行… → 项目), "" when none."""
    m = _count_noun().match(after)
    return m.group(1) if m else ""
