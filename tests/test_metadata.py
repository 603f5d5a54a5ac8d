"""Department, year and kind from the whole document; bad input beyond the tables (stray text,
UTF-16, a blank template). Names and years typed from the seed's cover (lines 3 and 5)."""
from __future__ import annotations

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal.errors import BlankTemplateError

NAME = "中国共产党忻州市委员会办公室"


def write(tmp_path, text, name="meta.txt", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_the_seeds_metadata(seed):
    assert (seed.department, seed.year, seed.kind) == (NAME, 2023, "决算")
    assert seed.metadata.mentions[0] == {"what": "department", "source": "cover", "text": NAME, "line": 3,
                                         "page": None}


def test_a_name_wrapped_over_two_lines_is_joined(tmp_path, seed_text):
    lines = seed_text.split("\n")
    assert lines[2] == NAME
    lines[2:3] = ["中国共产党忻州市委员", "会办公室"]
    r = xf.read_report(write(tmp_path, "\n".join(lines)))
    assert r.department == NAME


def test_a_heading_naming_another_department_is_recorded(tmp_path, seed_text):
    text = seed_text.replace("\n第三部分 情况说明\n", "\n第三部分 中国共产党忻州市委员会XX办公室2023年度部门决算情况说明\n")
    r = xf.read_report(write(tmp_path, text))
    assert r.department == NAME
    probs = r.problems[r.problems["stage"] == "metadata"]
    assert probs["text"].tolist() == ["中国共产党忻州市委员会XX办公室"]


def test_the_kind_and_year_come_from_the_cover(tmp_path, seed_text):
    r = xf.read_report(write(tmp_path, seed_text.replace("2023年度单位决算公开", "2022年度单位决算公开", 1)))
    assert r.year == 2022 and r.kind == "决算"


def test_a_readme_pasted_after_the_report_is_not_read(tmp_path, seed_text, seed):
    readme = ("\n# How to use this file\n\nThis report was downloaded from the department website and "
              "converted with pdftotext.\nSee https://example.org for the original, 12 pages, 2.50 MB.\n"
              "| col | 12.50 |\n")
    r = xf.read_report(write(tmp_path, seed_text + readme))
    assert len(r.facts) == 197 and len(r.projects) == 17 and len(r.claims) == len(seed.claims)
    stray = r.problems[r.problems["stage"] == "document"]
    assert len(stray) == 1 and "not report text" in stray["message"].iloc[0]
    assert int(stray["line"].iloc[0]) == len(seed_text.split("\n")) + 1


def test_utf16_with_a_bom_is_decoded(tmp_path, seed_text):
    r = xf.read_report(write(tmp_path, "\ufeff" + seed_text, encoding="utf-16-le"))
    assert r.document.encoding == "utf-16" and r.department == NAME and len(r.facts) == 197


def test_a_blank_template_is_not_a_report(tmp_path, seed_text):
    """The seed with every figure of its tables removed and the department replaced by the
    template's placeholder reads as a blank template, not as a report with empty tables."""
    lines = seed_text.split("\n")
    for i in range(56, 397):
        if "\t" in lines[i]:
            cells = ["" if any(ch.isdigit() for ch in c) and "." in c else c for c in lines[i].split("\t")]
            if i >= 371 and len(cells) == 3:        # 公开10表 (from line 372): its counts (辆, 台套) too
                cells[2] = ""
            lines[i] = "\t".join(cells)
    text = "\n".join(lines).replace(NAME, "XX局")
    with pytest.raises(BlankTemplateError, match="blank template"):
        xf.read_report(write(tmp_path, text))
