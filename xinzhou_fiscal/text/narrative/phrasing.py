"""The phrasing families of the 情况说明: the words before a figure that say what it measures.

Every family is a rule about words that many reports print, never one report's sentence:

* budget and final — ``年初预算(数)为X``, ``全年预算 / 调整后预算为Y``, ``(支出)决算(数)为Z``,
  ``完成年初（全年、调整后）预算的P%`` / ``预算完成率P%``;
* comparison — ``决算数大于 / 小于 / 等于 / 高于 / 低于(年初)预算数``, ``决算数与(同)预算数(基本)持平``;
* year on year — ``与2023年度相比`` / ``较上年`` / ``比上年度`` / ``同比`` … ``增加 / 减少X万元``,
  ``增长 / 下降P%``, ``增幅 / 涨幅 / 增长率P%``, ``降幅 / 下降幅度为 / 减幅P%``; the same as last
  year: ``与上年相同``, ``与2023年度持平``;
* shares — ``占P%``, ``占比P%``, ``占X的P%``;
* 其中 lists and 主要包括 / 分别为 / 用于以下方面 lists (the ``parent`` of their items);
* 类/款/项 chains ``X（类）Y（款）Z（项）`` and their ``主要用于：…`` purpose text;
* counts — 辆, 个, 批次, 人次, 台（套）, 人, 名 … (Chinese numerals too: 三辆, 两个);
* 三公, procurement (政府采购支出总额 / 金额, 货物 / 工程 / 服务, 授予中小企业合同金额, 占…%),
  assets (截至…共有车辆N辆, 单价…万元以上设备N台（套）) are read by these same rules.
"""
from __future__ import annotations

import re

from xinzhou_fiscal import patterns
from xinzhou_fiscal.numbers import LazyPattern
from xinzhou_fiscal.templates.labels import fullwidth_brackets
from xinzhou_fiscal.templates.text_facts import text_facts

_ORDINAL_PREFIX = patterns.compile(r"^(\d{1,2}[、.．](?!\d)|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")
# 与上年相比 / 较2022年决算 / 比上年预算 / 与上年全年预算数相比 / 比去年 (a budget compares with last year's budget)
COMPARE = patterns.compile(r"(?:(与|较|比|同比)(上一?年度?|去年|上年同期|(\d{4})年度?)"
                     r"((?:全年|年初)?预算数?(?:相比较?)?|相比较?|同期|决算数?)?|同比)")
YOY_CONTEXT = patterns.compile(r"(与|较|比)(上一?年度?|\d{4}年度?)(相比|同期)?|同比")
# words that open a sentence and name no subject: a source of the figures (根据…显示, 从…看),
# the reporting unit (我单位, 本部门), list openers, totals words
_FILLERS = patterns.compile(
    r"^(其中|主要包括|主要用于|包括|以及|我单位|本单位|我部门|本部门(?:[（(]单位[)）])?|本年度|全年|"
    r"共有|共计|共|合计为|(?:根据|依据|按照|从)[^，,]{0,16}?(?:显示|来看|看))")
# a modifier that says who pays (使用财政拨款负担的, 由财政拨款安排的): not part of the subject
_PAID_BY = patterns.compile(r"^(?:使用|用|由)(?:本级)?(?:财政拨款|财政资金|财政)(?:负担|安排|开支|列支)?的?|"
                      r"^(?:本级)?(?:财政拨款|财政资金)(?:负担|安排|开支|列支)的")
_TRAILING = patterns.compile(r"(为|共|共计|共有|达|约|是|达到|的)$")
_YEAR_IN_TEXT = patterns.compile(r"(19|20)\d{2}年度?")
_ORG_END = LazyPattern(r"(局|室|会|院|中心|部|委|厅|所|站|队|馆|校|社|处|办|机关|单位|[)）])$")
LEVEL = patterns.compile(r"[（(](类|款|项)[)）]")
QUOTES = patterns.compile(r"[“”‘’\"'「」]")
COUNT_VERBS = ("接待", "购置", "组织", "开展", "举办", "派出", "安排", "发生", "参加")
GRADE = patterns.compile(r"(?:等级|评级|评价|评定)为?[“\"]?(优秀|优|良好|良|中|差|合格|不合格)[”\"]?")
# a list opener: the figures after it belong to the figure before it
OPENER = patterns.compile(r"其中|主要包括|(?:主要)?用于(?:以下|如下)(?:几个)?(?:方面)?|具体包括|分别为")
UNCHANGED = patterns.compile(
    r"(?:(与|较|比|同)(上一?年度?|\d{4}年度?)(?:(?:全年|年初)?预算数?)?(相比)?)?(?:基本)?"
    r"(相同|持平|一致|无变化|没有变化|未发生变化)")
# 决算数小于预算数 / 决算数与预算数基本持平 / 决算数同年初预算数持平
VERSUS = patterns.compile(
    r"决算数?(?:(大于|小于|等于|高于|低于|超过|超出)(年初|全年|调整后)?预算数?|"
    r"(?:与|同|和|较)(年初|全年|调整后)?预算数?(?:基本)?(持平|相等|一致|相同))")
VERSUS_DIRECTION = {"大于": "大于", "高于": "大于", "超过": "大于", "超出": "大于", "小于": "小于", "低于": "小于",
                    "等于": "等于", "持平": "等于", "相等": "等于", "一致": "等于", "相同": "等于"}
# 主要用于：… (the purpose of an item); 用于以下方面 opens a list instead
PURPOSE = patterns.compile(r"(?:主要)?用于[：:]?(?!以下|如下)([^，,。；;]+)")

_VERBS = text_facts()["change_verbs"]       # 压减 / 追加 …: adjustment verbs that name a direction (data)
_CHANGE_WORDS = r"增幅|涨幅|增长幅度|增长率|增长比例|增加比例|降幅|下降幅度|减幅|下降率|下降比例|减少比例|" \
                + "".join(f"{re.escape(w)}|" for w in (*_VERBS["down"], *_VERBS["up"])) + \
                r"减少|下降|降低|减|增加|增长|上升|提高|增"
METRICS: list[tuple[re.Pattern, str]] = [
    (patterns.compile(rf"(?:共计)?({_CHANGE_WORDS})了?(?:为|达|是)?$"), "change"),
    (patterns.compile(r"占(?:比|比重|比例)?(?:为)?$"), "share"),
    (patterns.compile(r"占(.+?)的?(?:比重|比例)?(?:为)?$"), "share_of"),
    (patterns.compile(r"完成(.*?预算(?:数)?)的?(?:比例)?(?:为)?$"), "completion"),
    (patterns.compile(r"(?:预算)?完成率(?:为|达)?$"), "completion_plain"),
    (patterns.compile(r"(年初)预算(?:数)?(?:为)?$"), "年初预算"),
    (patterns.compile(r"(全年|调整后|调整)预算(?:数)?(?:为)?$"), "全年预算"),
    (patterns.compile(r"(?:支出)?决算(?:数)?(?:为)?$"), "决算数"),
    (patterns.compile(r"涉及(?:项目)?(?:预算)?(?:财政性)?(?:资金|预算金额|金额)(?:合计)?(?:为)?$"), "涉及资金"),
    (patterns.compile(r"平均得分(?:为)?$"), "平均得分"),
]
DOWN = ("减少", "下降", "降低", "减", "降幅", "下降幅度", "减幅", "下降率", "下降比例", "减少比例", *_VERBS["down"])

# printed variants of one subject → the canonical subject
_CANONICAL: list[tuple[re.Pattern, str]] = [
    (patterns.compile(r"^.*(?:绩效自评(?:的)?(?:二级)?项目|项目绩效自评)(?:个数|数量|数)?$"), "项目绩效自评"),
    (patterns.compile(r"(?<=费)(?:财政拨款)?(?:支出)?$"), ""),
    (patterns.compile(r"购置支出$"), "购置费"),
    (patterns.compile(r"(?<=.)(?:支出总额|总额)$"), ""),
    (patterns.compile(r"(?<=.)(?:个数)$"), ""),
    (patterns.compile(r"[（(]以[^）)]*为准[)）]"), ""),        # 政府采购金额（以合同签订为准）
]

#: the ordinal that opens a list item, by level: （一） · 一、 · 1． · （1） · ①
ITEM_LEVELS = (("cn_paren", patterns.compile(r"^\s*[（(][一二三四五六七八九十]+[)）]")),
               ("cn", patterns.compile(r"^\s*[一二三四五六七八九十]+、")),
               ("digit", patterns.compile(r"^\s*\d+\s*[.、．](?!\d)")),
               ("digit_paren", patterns.compile(r"^\s*[（(]\d+[)）]")),
               ("circled", patterns.compile(r"^\s*[①②③④⑤⑥⑦⑧⑨⑩]")))
#: a paragraph without figures that announces a list: 财政拨款支出主要内容如下： / 具体情况如下：
LIST_ANNOUNCED = patterns.compile(r"^(.*?)(?:的)?(?:主要内容|具体情况|情况|明细|构成)?(?:如下|包括|有)[：:]$")


def item_level(text: str) -> str:
    """The level of the ordinal a list item starts with ("" when it has none)."""
    return next((name for name, rx in ITEM_LEVELS if rx.match(text)), "")


#: the 类/款/项 names of a subject (empty when it is not printed with its level)
LEVEL_NAME_KEYS = ("class_name", "kind_name", "item_name")
_LEVEL_KEY = {"类": "class_name", "款": "kind_name", "项": "item_name"}


def budget_of(text: str) -> str:
    """Which budget a phrase names: 年初, 全年, 调整后, or "" (预算 alone)."""
    for word, name in (("年初", "年初"), ("调整", "调整后"), ("全年", "全年")):
        if word in text:
            return name
    return ""


def strip_ordinal(text: str) -> str:
    return _ORDINAL_PREFIX.sub("", QUOTES.sub("", text))




def _without_year(s: str) -> str:
    """Cut what stands before a year when that is an organisation name (…局2024年度收入…),
    otherwise drop the year alone."""
    while True:
        m = _YEAR_IN_TEXT.search(s)
        if not m:
            return s
        before = s[:m.start()]
        s = s[m.end():] if (not before or _ORG_END.search(before) or _FILLERS.fullmatch(before)) \
            else before + s[m.end():]


def _level_names(s: str) -> tuple[str, dict]:
    """(subject, level, names) for a label with 类/款/项 markers: the subject is the last level's
    name, the names are each level's printed name."""
    levels = list(LEVEL.finditer(s))
    names = dict.fromkeys(LEVEL_NAME_KEYS, "")
    if not levels:
        return s, "", names
    start = 0
    for m in levels:
        names[_LEVEL_KEY[m.group(1)]] = fullwidth_brackets(s[start:m.start()].strip())
        start = m.end()
    last = levels[-1]
    begin = levels[-2].end() if len(levels) > 1 else 0
    return s[begin:last.start()] + s[last.end():], f"({last.group(1)})", names


def clean_label(text: str) -> tuple[str, str, dict]:
    """(label, category_level, 类/款/项 names) from the words before a figure, metric words removed."""
    s = _without_year(strip_ordinal(text))
    prev = None
    while prev != s:
        prev = s
        s = _PAID_BY.sub("", _FILLERS.sub("", s)).lstrip("，,、：:")
    if "等" in s and s.split("等")[-1]:
        s = s.split("等")[-1]
    # …局共有车辆 → 车辆: what stands before 共有/共计 is the owner
    m = patterns.compile(r"共有|共计").search(s)
    if m and s[m.end():]:
        s = s[m.end():]
    s, level, names = _level_names(_TRAILING.sub("", s))
    return fullwidth_brackets(s.strip()), level, names


def canonical_subject(label: str) -> str:
    """The canonical subject of a printed label (决算 removed, ``…费支出`` → ``…费``, …)."""
    s = label.replace("决算", "")
    for rx, repl in _CANONICAL:
        s = rx.sub(repl, s)
    return s


def read_metric(p: str, kind: str) -> tuple[str, str, str, str, str]:
    """(words before the metric, metric, basis, direction, direction word) of the words ``p`` before a
    figure of unit kind ``kind`` (money / pct / count / score)."""
    for rx, name in METRICS:
        mm = rx.search(p)
        if not mm:
            continue
        before = p[:mm.start()]
        if name == "change":
            word = mm.group(1)
            metric = {"money": "同比增减额", "pct": "同比增减率"}.get(kind, "同比增减数")
            return before, metric, "", "减少" if word in DOWN else "增加", word
        if name == "share":
            return before, "占比", "", "", ""
        if name == "share_of":
            return before, "占比", canonical_subject(QUOTES.sub("", mm.group(1))), "", ""
        if name == "completion":
            return before, "完成率", mm.group(1), "", ""
        if name == "completion_plain":
            return before, "完成率", "预算", "", ""
        return before, name, "", "", ""
    return p, "", "", "", ""
