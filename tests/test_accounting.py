"""Nothing is dropped silently: every numeric token inside the table regions of the seed is
either a fact, 行次/栏次 numbering, or a classification code.

The reference count is computed here independently of the parser, straight from the raw lines:
a region runs from a ``公开NN表`` line to the table's first ``注：`` line.
"""
from __future__ import annotations

import re

NUMERIC = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def _regions(text):
    lines = text.split("\n")
    regions, start = [], None
    for i, line in enumerate(lines, start=1):
        if re.match(r"^公开\d{2}表$", line.strip()):
            start = i
        elif start and line.startswith("注："):
            regions.append((start, i))
            start = None
    return lines, regions


def test_ten_table_regions(seed_text):
    _, regions = _regions(seed_text)
    assert len(regions) == 10


def test_every_numeric_token_is_accounted_for(seed, seed_text):
    lines, regions = _regions(seed_text)
    tokens = set()
    for start, end in regions:
        for n in range(start, end):
            line = lines[n - 1]
            if "\t" not in line:
                continue
            for j, cell in enumerate(line.split("\t")):
                if NUMERIC.match(cell.strip()):
                    tokens.add((n, j, cell.strip()))
    ledger = {(int(r.line), int(r.column), r.printed) for r in seed.accounting.itertuples()}
    assert ledger == tokens
    assert len(seed.accounting) == len(tokens)          # and none counted twice
    roles = seed.accounting["role"].value_counts().to_dict()
    assert roles["fact"] == len(seed.facts) == 197      # 11+38+42+17+42+32+6+9 printed amounts
    # 公开01: 行次 1–62 (62); 公开04: 1–64 (64); 公开10: 1–15, 17 (16) → 142 line numbers
    assert roles["row_number"] == 62 + 64 + 16
    # 栏次: 01 (2) + 02 (7) + 03 (6) + 04 (5) + 05 (3) + 07 (6) + 08 (3) + 09 (12) = 44
    assert roles["column_number"] == 44


def test_no_bare_number_outside_tab_rows_in_regions(seed_text):
    lines, regions = _regions(seed_text)
    for start, end in regions:
        for n in range(start + 1, end):
            line = lines[n - 1].strip()
            if line and "\t" not in line:
                assert not NUMERIC.match(line), (n, line)
