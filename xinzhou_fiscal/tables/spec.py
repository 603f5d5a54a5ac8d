"""The ten standard tables of the national template, keyed independently of any city's numbering.

Tables are identified by their printed title (and, where titles collide across variants, by
shape), never by position or page. Xinzhou prints 公开01表–公开10表; Shanghai prints nine
untitled-number tables with slightly different titles, which are listed as aliases.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class TableSpec:
    key: str
    title: str
    xinzhou_number: str
    layout: str                 # two_sided | coded | economic | three_public | stats
    aliases: tuple[str, ...] = ()


TABLE_SPECS: tuple[TableSpec, ...] = (
    TableSpec("income_expenditure_summary", "收入支出决算总表", "公开01表", "two_sided"),
    TableSpec("income", "收入决算表", "公开02表", "coded"),
    TableSpec("expenditure", "支出决算表", "公开03表", "coded"),
    TableSpec("fiscal_grant_summary", "财政拨款收入支出决算总表", "公开04表", "two_sided"),
    TableSpec("general_budget_expenditure", "一般公共预算财政拨款支出决算表", "公开05表", "coded"),
    TableSpec("general_budget_basic", "一般公共预算财政拨款基本支出决算明细表", "公开06表", "economic",
              aliases=("一般公共预算财政拨款基本支出决算表",)),
    TableSpec("gov_fund", "政府性基金预算财政拨款收入支出决算表", "公开07表", "coded"),
    TableSpec("state_capital", "国有资本经营预算财政拨款支出决算表", "公开08表", "coded",
              aliases=("国有资本经营预算财政拨款收入支出决算表",)),
    TableSpec("three_public", "财政拨款“三公”经费支出决算表", "公开09表", "three_public",
              aliases=("财政拨款三公经费支出决算表",)),
    TableSpec("related_info", "部门决算公开相关信息统计表", "公开10表", "stats",
              aliases=("部门决算相关信息统计表",)),
)
SPECS_BY_KEY = {s.key: s for s in TABLE_SPECS}
#: table key → its Xinzhou number (公开01表 …), the label used wherever a report prints none
XINZHOU_NUMBERS = {s.key: s.xinzhou_number for s in TABLE_SPECS}
TABLE_KEYS = tuple(s.key for s in TABLE_SPECS)


def _title_key(title: str) -> str:
    return re.sub(r"[\s“”\"'‘’()（）]", "", title)


_BY_TITLE = {}
for _s in TABLE_SPECS:
    for _t in (_s.title, *_s.aliases):
        _BY_TITLE[_title_key(_t)] = _s


def spec_for_title(title: str) -> TableSpec | None:
    """The table spec whose title (or alias) the printed title is, ignoring quotes and spaces."""
    return _BY_TITLE.get(_title_key(title))


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
