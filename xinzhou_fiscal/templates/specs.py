"""The standard tables, keyed independently of any family's numbering, built from the template data.

Tables are identified by their printed title (and, where titles collide across variants, by
shape), never by position or page. Which titles, numbers and layouts exist is data: the template
files in :mod:`xinzhou_fiscal.templates`. A :class:`TableSpec` joins every family's titles for one
table key, so a table is recognised whichever family printed it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from xinzhou_fiscal.templates.detect import title_facts, title_key
from xinzhou_fiscal.templates.families import template, templates


@dataclass(frozen=True)
class TableSpec:
    key: str
    title: str
    layout: str                 # two_sided | coded | economic | three_public | stats | generic
    aliases: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # the kinds of document (决算, 预算) whose families print it


def _specs() -> tuple[TableSpec, ...]:
    specs: dict[str, TableSpec] = {}
    for fam in templates():
        for t in fam.tables:
            s = specs.get(t.key)
            if s is None:
                specs[t.key] = TableSpec(t.key, t.title, t.layout, tuple(a for a in t.aliases if a != t.title),
                                         (fam.kind,))
                continue
            if s.layout != t.layout:
                raise ValueError(f"template {fam.id}: table {t.key} has layout {t.layout}, elsewhere {s.layout}")
            extra = tuple(x for x in t.titles if x != s.title and x not in s.aliases)
            kinds = s.kinds if fam.kind in s.kinds else (*s.kinds, fam.kind)
            specs[t.key] = TableSpec(s.key, s.title, s.layout, s.aliases + extra, kinds)
    return tuple(specs.values())


TABLE_SPECS: tuple[TableSpec, ...] = _specs()
SPECS_BY_KEY = {s.key: s for s in TABLE_SPECS}
#: table key → its Xinzhou number (公开01表 …), from the Xinzhou template data
XINZHOU_NUMBERS = {t.key: t.number for t in template("xinzhou").tables}
TABLE_KEYS = tuple(s.key for s in TABLE_SPECS)
#: the key of a table of the unknown family, read generically: unknown_01, unknown_02 … in document order
GENERIC_KEY = re.compile(r"^unknown_\d{2}$")

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
    for known in sorted(_BY_TITLE, key=len, reverse=True):
        if key.endswith(known) and len(key) > len(known):
            name = key[:-len(known)]
            if len(name) <= facts["name_prefix_max"] and not any(w in name for w in facts["name_prefix_excludes"]):
                return _BY_TITLE[known]
    return None


# Function classes (支出功能分类 类): the two-sided tables print their names, not their codes.
FUNCTION_CLASSES: dict[str, str] = {
    "一般公共服务支出": "201", "外交支出": "202", "国防支出": "203", "公共安全支出": "204",
    "教育支出": "205", "科学技术支出": "206", "文化旅游体育与传媒支出": "207",
    "社会保障和就业支出": "208", "社会保险基金支出": "209", "卫生健康支出": "210",
    "节能环保支出": "211", "城乡社区支出": "212", "农林水支出": "213", "交通运输支出": "214",
    "资源勘探工业信息等支出": "215", "商业服务业等支出": "216", "金融支出": "217",
    "援助其他地区支出": "219", "自然资源海洋气象等支出": "220", "住房保障支出": "221",
    "粮油物资储备支出": "222", "国有资本经营预算支出": "223", "灾害防治及应急管理支出": "224",
    "预备费": "227", "其他支出": "229", "转移性支出": "230", "债务还本支出": "231",
    "债务付息支出": "232", "债务发行费用支出": "233", "抗疫特别国债安排的支出": "234",
}
