"""Names in the narrative against the tables and the official vocabulary.

- ``names.item``: a narrative 类/款/项 chain (一般公共服务支出（类）财政事务（款）行政运行（项）) names
  rows the coded tables print, each under its parent; a name no row has is an error naming the
  closest row and its code (rapidfuzz);
- ``names.purpose``: the ``主要用于：…`` text of an item describes that item, not another item's
  subject (a 行政单位医疗（项） paragraph whose purpose is 养老保险缴费);
- ``vocab.near_miss``: a one-character near miss of an official term (row labels of the template
  and of the report's own tables, code names, glossary terms) is a warning;
- ``vocab.misspelling``: a known misspelling of a fiscal or policy term (抗役 for 抗疫, 拔款 for 拨款:
  ``[misspellings]`` of templates/wording/text_rules.toml) is an error wherever it is printed."""
from __future__ import annotations

import re

from xinzhou_fiscal import patterns
from xinzhou_fiscal.checks.context import AuditContext, dataset_records, wide_rows
from xinzhou_fiscal.checks.findings import Check, Evidence
from xinzhou_fiscal.checks.registry import rule
from xinzhou_fiscal.checks.textscan import (
    document_rule,
    line_ev,
    prose_lines,
    prose_spans,
    report_cache,
    snippet,
    span_ev,
    text_facts,
)
from xinzhou_fiscal.numbers import LazyPattern
from xinzhou_fiscal.templates.specs import class_names

TABLES = ("general_budget_expenditure", "expenditure", "gov_fund", "state_capital")
_LEVEL = {"类": 3, "款": 5, "项": 7}
_CHAIN = LazyPattern(r"([\u4e00-\u9fff“”、（）()]+?)\s*[（(]\s*([类款项])\s*[)）]")
_STOP = LazyPattern(r"^.*?(?:[：:，。；、]|\d+[、.．]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|其中|用于|主要|包括|"
                   r"以下方面)")


def _rows(ctx: AuditContext) -> list[tuple[str, str, str]]:
    """(table, code, printed name) of every coded row, 类 to 项, the 一般公共预算 table first."""
    out = []
    for t in TABLES:
        for code, (name, _line) in ctx.coded_rows.get(t, {}).items():
            if code and name:
                out.append((t, code, patterns.compile(r"\s+").sub("", str(name))))
    return out


_MARK = patterns.compile(r"[（(]\s*[类款项]\s*[)）]")


def narrative_chains(report) -> list[tuple[object, list[tuple[str, str, int, int]]]]:
    """(span, [(level, name, start, end), …]) for each run of 名称（类）名称（款）名称（项） in the
    reflowed prose (a name cut by a line or page end is read whole); start/end: where the name
    and its mark are printed in the span (cached)."""
    cache = report_cache(report)
    if "chains" not in cache:
        cache["chains"] = _chains([sp for sp in prose_spans(report) if _MARK.search(sp.text)])
    return cache["chains"]


def _chains(spans):
    out = []
    for sp in spans:
        chain, end = [], None
        for m in _CHAIN.finditer(sp.text):
            raw = m.group(1)
            cut = _STOP.match(raw)
            name = _STOP.sub("", raw).strip("“”、 ")
            if end is not None and m.start() != end and chain:
                out.append((sp, chain))
                chain = []
            if name:
                start = m.start(1) + (cut.end() if cut else 0)
                chain.append((m.group(2), name, start, m.end()))
            end = m.end()
        if chain:
            out.append((sp, chain))
    return out


def _find(rows, level: str, name: str, parent: str | None):
    n = _LEVEL[level]
    return [(t, c, nm) for t, c, nm in rows if len(c) == n and nm == name and (parent is None or c.startswith(parent))]


@rule("names.item", "情况说明中的类/款/项名称是表中同一科目下的行（无此行为错误，并给出最接近的行及其编码）",
      "《政府收支分类科目》；{t:general_budget_expenditure}/支出决算表", severity="error")
@document_rule
def item_names(ctx: AuditContext):
    rows = _rows(ctx)
    if not rows:
        yield from _class_names(ctx)
        return
    for sp, chain in narrative_chains(ctx.report):
        parent = None
        for level, name, a, b in chain:
            hits = _find(rows, level, name, parent) or _find(rows, level, name, None)
            ln = sp.line_at(a)
            subject = f"line {ln.line} {name}（{level}）"
            if hits:
                parent = hits[0][1]
                yield Check("names.item", subject, f"第 {ln.line} 行“{name}（{level}）”", status="ok",
                            expected_label=f"{hits[0][1]} {hits[0][2]}", actual_label=name, unit="",
                            evidence_expected=(_row_ev(hits[0], ctx),), evidence_actual=span_ev(sp, a, b, name))
                continue
            pool = [r for r in rows if len(r[1]) == _LEVEL[level] and (parent is None or r[1].startswith(parent))] or \
                [r for r in rows if len(r[1]) == _LEVEL[level]]
            from rapidfuzz import fuzz, process  # here: a name not in the tables is rare (4.6 MiB, 75 ms)
            best = process.extractOne(name, [r[2] for r in pool], scorer=fuzz.ratio) if pool else None
            near = pool[best[2]] if best else None
            yield Check("names.item", subject, f"第 {ln.line} 行“{name}（{level}）”", status="error",
                        expected_label=f"{near[1]} {near[2]}" if near else "（表中无此级科目）", actual_label=name, unit="",
                        evidence_expected=(_row_ev(near, ctx),) if near else (), evidence_actual=span_ev(sp, a, b, name),
                        note=(f"表中没有名为“{name}”的{level}级科目；最接近的是 {near[1]} {near[2]}" if near
                              else f"表中没有{level}级科目"))
            parent = near[1] if near else parent


def _class_names(ctx: AuditContext):
    """Without coded tables to name rows, a name the narrative marks （类） is one of the national
    function classes (:func:`~xinzhou_fiscal.templates.specs.class_names`: today's and former names,
    with or without 支出); another name is a lower level called a 类 — an error (Jiangsu 2019 budget
    p13 “1．行政事业单位离退休（类）未归口管理的行政单位离退休支出（项）”: 行政事业单位离退休 is 款 20805
    of 社会保障和就业支出)."""
    classes = class_names()
    for sp, chain in narrative_chains(ctx.report):
        for level, name, a, b in chain:
            if level != "类":
                continue
            ln = sp.line_at(a)
            known = name in classes
            yield Check("names.item", f"line {ln.line} {name}（类）", f"第 {ln.line} 行“{name}（类）”",
                        status="ok" if known else "error", expected_label="支出功能分类的类级科目" if not known else name,
                        actual_label=name, unit="", evidence_actual=span_ev(sp, a, b, name),
                        note="" if known else f"“{name}”不是《政府收支分类科目》支出功能分类的类级科目名称，"
                        "却标为（类）：科目级次标错（应为其上级类下的款或项）")


def _row_ev(row, ctx) -> Evidence:
    t, code, name = row
    line = ctx.coded_rows.get(t, {}).get(code, ("", None))[1]
    return Evidence("table", t, ctx.report.tables[t].label or "", "", code, name, "", "", None, line, None)


_PURPOSE = patterns.compile(r"主要用于[:：]?([^。；]*)")


@rule("names.purpose", "“主要用于：…”说的是本科目的用途，而不是另一科目的主题（如“行政单位医疗”用于“养老保险缴费”）",
      "《政府收支分类科目》科目说明", severity="error")
@document_rule
def purpose(ctx: AuditContext):
    topics = text_facts()["purpose_topics"]
    for sp, chain in narrative_chains(ctx.report):
        _, name, a, at = chain[-1]
        m = _PURPOSE.search(sp.text, at)
        if m is None:
            continue
        ln = sp.line_at(a)
        own = {t for t, words in topics.items() if any(w in name for w in words)}
        said = {t for t, words in topics.items() if any(w in m.group(1) for w in words)}
        if not own or not said:
            continue
        ok = bool(own & said)
        yield Check("names.purpose", f"line {ln.line} {name}", f"第 {ln.line} 行“{name}”的用途", status="ok" if ok else "error",
                    expected_label="、".join(sorted(own)), actual_label=m.group(0)[:60], unit="",
                    evidence_actual=span_ev(sp, a, m.end(), name),
                    note="" if ok else f"“{name}”的用途写的是{'、'.join(sorted(said))}方面，是另一科目的主题")


# ---------------------------------------------------------------- vocabulary
def vocabulary(ctx: AuditContext) -> set[str]:
    """Official terms: the data file's, the report's table row labels and glossary terms, the
    department's name (cached on the report)."""
    cache = report_cache(ctx.report)
    if "vocabulary" not in cache:
        terms = set(text_facts()["vocabulary"]["terms"])
        terms |= {r[2] for r in _rows(ctx)}
        for t in ctx.report.tables.values():
            if wide_rows(t).has("item"):
                terms |= {patterns.compile(r"^[一二三四五六七八九十]+、|\s+").sub("", str(x)) for x in wide_rows(t).column("item")
                          if x is not None and x == x}
        try:
            terms |= {g["term"] for g in dataset_records(ctx.report, "glossary")}
        except Exception:  # noqa: BLE001 - a report without a glossary
            pass
        if ctx.report.department:
            terms.add(ctx.report.department)
        cache["vocabulary"] = {t for t in terms if isinstance(t, str) and len(t) >= 4}
    return cache["vocabulary"]


_CJK = LazyPattern(r"[\u4e00-\u9fff]")          # reached only by a near miss (rare): compiled then


def near_misses(text: str, terms: set[str], document: str = "",
                index: dict[str, list[tuple[str, int]]] | None = None) -> list[tuple[int, str, str]]:
    """(position, printed, term) for each window of the text that differs from an official term
    in exactly one character and is not itself a term. A one-character change keeps the term's
    first two or its next two characters, so only windows anchored there are compared (``index``,
    from :func:`anchor_index`, finds the terms anchored at each position of the text). With the
    whole ``document``, only typos are kept (:func:`_typo`)."""
    index = anchor_index(terms) if index is None else index
    out = []
    printed_terms = None        # found only when a window is a candidate (rare)
    for k in range(len(text) - 1):
        for term, shift in index.get(text[k:k + 2], ()):
            s, n = k - shift, len(term)
            w = text[s: s + n] if s >= 0 else ""
            if len(w) == n and w != term and sum(a != b for a, b in zip(w, term)) == 1 and w not in terms:
                if printed_terms is None:
                    printed_terms = _term_spans(text, terms)
                if not any(a <= s and s + n <= b for a, b in printed_terms) \
                        and (not document or _typo(text, s, w, term, document)):
                    out.append((s, w, term))
    return _one_per_typo(sorted(set(out)))


def _one_per_typo(hits: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """One hit per changed character: the longest term that contains it (财政拔款 inside
    一般公共预算财政拔款支出 is one typo, not three)."""
    best: dict[int, tuple[int, str, str]] = {}
    for s, w, term in hits:
        at = s + next(k for k in range(len(term)) if term[k] != w[k])
        if at not in best or len(term) > len(best[at][2]):
            best[at] = (s, w, term)
    return sorted(best.values())


def anchor_index(terms: set[str]) -> dict[str, list[tuple[str, int]]]:
    """Two-character anchor → (term, offset of the anchor in the term): each term under its first
    two characters (offset 0) and its third and fourth (offset 2)."""
    index: dict[str, list[tuple[str, int]]] = {}
    for term in terms:
        for anchor, shift in ((term[:2], 0), (term[2:4], 2)):
            index.setdefault(anchor, []).append((term, shift))
    return index


def _term_spans(text: str, terms: set[str]) -> list[tuple[int, int]]:
    """(start, end) of every official term printed exactly in the text: a window inside one
    (公务用车购置及 inside 公务用车购置及运行维护费) is part of a correct term, not a near miss."""
    return [(m.start(), m.start() + len(t)) for t in terms if t in text for m in patterns.compile(re.escape(t)).finditer(text)]


def _typo(text: str, pos: int, w: str, term: str, document: str) -> bool:
    """A one-character variant is a typo, not another word, when the changed character is a
    Chinese character, the variant is printed once in the document, and the two-character pairs
    it makes with its neighbours (inside the variant, and across its edge when the change is at
    the edge) are printed nowhere else: 住房公积全 (积全, 全方 …), not 经费支出 (经费, 费支 …)."""
    n = len(term)
    i = next(k for k in range(n) if term[k] != w[k])
    if not _CJK.match(w[i]) or document.count(w) > 1 or w in text_facts()["vocabulary"]["accepted"]:
        return False
    pairs = [w[j:j + 2] for j in (i - 1, i) if 0 <= j and j + 2 <= n]
    if not all(document.count(p) <= 1 for p in pairs):
        return False
    if i == n - 1 and _CJK.match(text[pos + n: pos + n + 1] or "a"):
        return not _free_word(w[-1] + text[pos + n], document)
    if i == 0 and pos and _CJK.match(text[pos - 1]):
        return not _free_word(text[pos - 1] + w[0], document)
    return True


def _free_word(pair: str, document: str) -> bool:
    """A pair of characters that the document prints after several different characters is a
    word of its own (活动: 公务活动, 接待活动 …); one it prints only inside one longer word is not
    (全等 only in 安全等)."""
    before = {document[m.start() - 1] for m in patterns.compile(re.escape(pair)).finditer(document) if m.start()}
    return len(before) >= 3


@rule("vocab.near_miss", "与规范用语（表的行名、科目名称、名词解释）只差一个字的写法（住房公积全、行政远行）",
      "报告模板的行名与《政府收支分类科目》名称（checks/data/text_rules.toml）", severity="warning")
@document_rule
def near_miss(ctx: AuditContext):
    terms = vocabulary(ctx)
    cache = report_cache(ctx.report)
    if "near_misses" not in cache:
        document = "\n".join(ln.text for ln in ctx.report.document.lines)
        index = anchor_index(terms)
        cache["near_misses"] = [(sp, hit) for sp in prose_spans(ctx.report)
                                for hit in near_misses(sp.text, terms, document, index)]
    for sp, (pos, printed, term) in cache["near_misses"]:
        ln = sp.line_at(pos)
        yield Check("vocab.near_miss", f"line {ln.line} {printed}", f"第 {ln.line} 行“{printed}”", status="warning",
                    expected_label=term, actual_label=printed, unit="",
                    evidence_actual=span_ev(sp, pos, pos + len(printed), printed),
                    note=f"疑为“{term}”之误（只差一个字）")


def _misspelling_patterns() -> list[tuple[re.Pattern, str, str]]:
    """(pattern, misspelling, correct form) of the data file's ``[misspellings]``; a space or a line
    break may stand between the characters (a PDF cell or a text column cut inside the word)."""
    return [(patterns.compile(r"\s*".join(map(re.escape, wrong))), wrong, right)
            for wrong, right in text_facts().get("misspellings", {}).items()]


@rule("vocab.misspelling", "规范用语的已知错别字（抗役→抗疫、财政拔款→财政拨款），正文、标题与表格中均查",
      "templates/wording/text_rules.toml [misspellings]（只收在任何上下文都不成词的写法）")
@document_rule
def misspelling(ctx: AuditContext):
    rep = ctx.report
    prose = {ln.line for ln in prose_lines(rep)}
    rows = [ln for ln in rep.document.lines if ln.text.strip() and ln.line not in prose]
    for pat, wrong, right in _misspelling_patterns():
        for sp in prose_spans(rep):            # reflowed: a word cut by the line end is read whole
            for m in pat.finditer(sp.text):
                yield _misspelling_check(sp.line_at(m.start()), snippet(sp.text, m.start(), m.end()), wrong, right,
                                         span_ev(sp, m.start(), m.end(), wrong))
        for ln in rows:                        # table rows and captions: the row labels are terms too
            for m in pat.finditer(ln.text):
                said = " ".join(snippet(ln.text, m.start(), m.end()).split())
                yield _misspelling_check(ln, said, wrong, right, (line_ev(ln, wrong, table_no="表格"),))


def _misspelling_check(ln, said: str, wrong: str, right: str, evidence: tuple) -> Check:
    """``said``: the misspelling with the words around it, as printed."""
    return Check("vocab.misspelling", f"line {ln.line} {wrong}", f"第 {ln.line} 行“{said}”", status="error",
                 expected_label=right, actual_label=wrong, unit="", evidence_actual=evidence,
                 note=f"“{wrong}”是“{right}”的错别字")
