"""The narrative ledger accounts for every numeric token of the 情况说明 (and the 概况).

The tokens are counted here by an independent character scanner written for this test (not the
parser's regular expression): Arabic numbers (digits, thousands commas, one decimal point, a minus
sign not preceded by a digit) and Chinese numerals written before a counting word. The regions
(line ranges, pages) are typed from the documents.
"""
from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path

import pytest

from xinzhou_fiscal.read.source import read_text_document
from xinzhou_fiscal.text.narrative import scan_narrative

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "xinzhou_swbgs_2023_final.txt"
PDF = ROOT / "data" / "raw" / "putuo_czj_2024_final.pdf"

_CN_DIGITS = "零〇一二两三四五六七八九十百千"
_COUNTERS = ("批次", "人次", "辆", "个", "名", "人", "台", "套", "次", "项", "家", "户", "件", "场", "期", "份")
_MONEY_OR_RATE = ("万元", "亿元", "千元", "元", "%", "％", "个百分点", "百分点")


def scan_tokens(text: str) -> list[tuple[str, str]]:
    """(token, what follows it) for every numeric token of ``text``, spaces ignored."""
    s = "".join(ch for ch in text if ch not in " \u3000")
    out, i = [], 0
    while i < len(s):
        ch = s[i]
        if ch.isascii() and ch.isdigit() and not (i and (s[i - 1].isdigit() or s[i - 1] == ".")):
            j = i
            while j < len(s) and (s[j].isascii() and s[j].isdigit() or
                                  s[j] in ",." and j + 1 < len(s) and s[j + 1].isascii() and s[j + 1].isdigit()):
                j += 1
            start = i - 1 if i and s[i - 1] == "-" and not (i > 1 and s[i - 2].isdigit()) else i
            out.append((s[start:j], s[j:j + 4]))
            i = j
            continue
        if ch in _CN_DIGITS and not (i and (s[i - 1] in _CN_DIGITS or s[i - 1] == "第")):
            j = i
            while j < len(s) and s[j] in _CN_DIGITS:
                j += 1
            if s[j:].startswith(_COUNTERS):
                out.append((s[i:j], s[j:j + 4]))
            i = j
            continue
        i += 1
    return out


def test_the_scanner_itself():
    assert scan_tokens("公务用车三辆，出国团组两个，十二人次") == [("三", "辆，出国"), ("两", "个，十二"), ("十二", "人次")]
    assert [t for t, _ in scan_tokens("减少-5.00万元，2,795.38万元，第三部分，一般公共服务，第一条")] == ["-5.00", "2,795.38"]
    assert [t for t, _ in scan_tokens("2023-2024年 年初预算为 1560.05 万元")] == ["2023", "2024", "1560.05"]


@pytest.fixture(scope="module")
def seed_scan():
    return read_text_document(SEED), scan_narrative(read_text_document(SEED))


@pytest.fixture(scope="module")
def pdf_scan():
    pdf_source = pytest.importorskip("xinzhou_fiscal.read.pdf")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = pdf_source.read_pdf_document(PDF)
    return doc, scan_narrative(doc)


def _check_ledger(doc, scan, in_region, narrative_lines):
    """Every scanned token of the region is one ledger row on its line, and back; every claim row
    of the ledger points at a claim with the same printed token and line. Returns counts of the
    情况说明's amount/percent tokens: (all, claims)."""
    led = scan.ledger
    claims = scan.claims
    money, money_claimed = 0, 0
    for ln in doc.lines:
        if not in_region(ln):
            continue
        found = scan_tokens(ln.text)
        rows = led[led.line == ln.line]
        assert Counter(t for t, _ in found) == Counter(rows.token), (ln.line, ln.text)
        if ln.line in narrative_lines:
            claimed = Counter(rows[rows.outcome == "claim"].token)
            for tok, after in found:
                if after.startswith(_MONEY_OR_RATE):
                    money += 1
                    if claimed[tok]:
                        claimed[tok] -= 1
                        money_claimed += 1
    assert len(led) == sum(len(scan_tokens(ln.text)) for ln in doc.lines if in_region(ln))
    for r in led[led.outcome == "claim"].itertuples():
        c = claims.iloc[int(r.claim)]
        assert (c.value_text, c.line) == (r.token, r.line)
    assert set(led.outcome) <= {"claim", "non-claim"}, led[led.outcome == "problem"]
    assert led[led.outcome == "non-claim"].reason.isin(
        ["year", "date", "ordinal", "threshold", "document number", "phone", "count", "word", "table", "overview"]).all()
    return money, money_claimed


def test_seed_ledger_covers_every_token(seed_scan):
    doc, scan = seed_scan
    # 概况 lines 37–54 and 情况说明 lines 396–527 (第三部分 情况说明 … before 第四部分 名词解释)
    money, claimed = _check_ledger(doc, scan, lambda ln: 37 <= ln.line <= 54 or 396 <= ln.line <= 527,
                                   set(range(396, 528)))
    assert claimed / money >= 0.95
    # the one amount that is no claim: 单价100万元（含）以上设备 (line 516) is a threshold
    assert (money, claimed) == (124, 123)
    # Chinese numerals are tokens: 一次性 (lines 400, 434, 440) and 新增三名驻村队员 (line 460)
    led = scan.ledger
    assert list(led[led.token == "一"].reason) == ["word"] * 3
    assert led[led.token == "三"].iloc[0][["reason", "line"]].tolist() == ["count", 460]


def test_putuo_pdf_ledger_covers_every_token(pdf_scan):
    doc, scan = pdf_scan
    # 概况 on pages 4–5, 情况说明 on pages 21–24 (its heading wraps: 第三部分…部门决算情况 / 说明)
    narrative = {ln.line for ln in doc.lines if ln.page in (21, 22, 23, 24)}
    money, claimed = _check_ledger(doc, scan, lambda ln: ln.page in (4, 5, 21, 22, 23, 24), narrative)
    assert claimed / money >= 0.95
    assert money - claimed == 1          # 单价100万元（含）以上设备 (page 24)


def test_coverage_summary(seed_scan, pdf_scan):
    for (_, scan), heading in ((seed_scan, "第三部分 情况说明"),
                               (pdf_scan, "第三部分上海市普陀区财政局2024年度部门决算情况说明")):
        assert scan.narrative_part == heading
        c = scan.coverage
        assert c["problems"] == 0 and c["rate"] >= 95
        assert c["tokens"] == c["claims"] + c["non_claims"]
        assert "amounts/percentages are claims" in scan.coverage_line


def test_fixture_ledger_classifies_document_numbers_phones_and_counts(tmp_path):
    text = ("第三部分 情况说明\n一、其他重要事项情况说明\n"
            "根据沪普财〔2024〕12号文件，2024年度机关运行经费支出184.65万元。\n"
            "联系电话：021-52564588。\n"
            "本年新增三名工作人员，公务用车保有量两辆，出国团组一个。\n"
            "第四部分 名词解释\n")
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    doc = read_text_document(p)
    scan = scan_narrative(doc)
    led = scan.ledger
    assert dict(zip(led.token, led.reason)) == {"2024": "year", "12": "document number", "184.65": "",
                                                "021": "phone", "52564588": "phone", "三": "count",
                                                "两": "", "一": ""}
    for ln in doc.lines:
        assert Counter(t for t, _ in scan_tokens(ln.text)) == Counter(led[led.line == ln.line].token)
    c = scan.claims.set_index("subject")
    assert c.loc["公务用车保有量", "value"] == 2 and c.loc["出国团组", "value"] == 1


def test_report_exposes_parts_ledger_and_coverage_and_parse_prints_it():
    from typer.testing import CliRunner

    import xinzhou_fiscal as xf
    from xinzhou_fiscal.cli import app
    r = xf.read_report(SEED)
    used = r.parts[r.parts.status == "used"].set_index("kind")
    # 第一部分 概况 (line 37) … 第五部分 附件 (line 548); the 目录 lists them on lines 9–35
    assert used.first_line.to_dict() == {"overview": 37, "tables": 55, "narrative": 396, "glossary": 528,
                                         "annex": 548}
    assert used.loc["narrative", "last_line"] == 526          # 2、其他需要说明的事项 / 无 (line 526)
    assert list(r.parts[r.parts.status == "toc"].first_line) == [9, 12, 23, 34, 35]
    # claims come from the 情况说明 and, labelled with its part, the 概况 only
    assert set(r.claims.part) == {"第一部分 概况", "第三部分 情况说明"}
    assert r.narrative_coverage["amount_percent"] == 124 and r.narrative_coverage["problems"] == 0
    # + the 概况's 5 tokens (line 45: 138人; line 49: 2024年; lines 51–53: 1. 2. 3.)
    assert len(r.narrative_ledger) == r.narrative_coverage["tokens"] + 5
    out = CliRunner().invoke(app, ["parse", str(SEED)], env={"COLUMNS": "200"})
    assert out.exit_code == 0
    assert "情况说明: 192 numeric tokens · 123 of 124 amounts/percentages are claims (99.19 %)" in out.output
