"""related_info 部门决算公开相关信息统计表: 政府采购 (万元), 机关运行经费 (万元), 国有资产占用 (counts)."""
from __future__ import annotations

from xinzhou_fiscal.numbers import LazyPattern
from xinzhou_fiscal.read.source import normalize_label
from xinzhou_fiscal.tables.common import TableBuilder, normalize_header, strip_ordinal
from xinzhou_fiscal.tables.parsed import WideRows

_SECTION = LazyPattern(r"^[一二三四五六七八九十]+、")
_VEHICLE_KINDS = {"副部": "vehicles_ministerial", "主要负责人": "vehicles_principal", "机要通信": "vehicles_confidential",
                  "应急保障": "vehicles_emergency", "执法执勤": "vehicles_enforcement", "特种专业技术": "vehicles_special",
                  "离退休干部服务": "vehicles_retiree", "其他用车": "vehicles_other"}


def _key_and_unit(section: str, label: str) -> tuple[str, str]:
    name = strip_ordinal(label)
    if "政府采购" in section:
        return {"合计": "procurement_total", "货物": "procurement_goods", "工程": "procurement_works",
                "服务": "procurement_services"}.get(name, ""), "万元"
    if "机关运行经费" in section:
        if "参照" in name:
            return "admin_operating_civil_servant_units", "万元"
        return ("admin_operating_admin_units" if "行政单位" in name else ""), "万元"
    if "车辆数合计" in name:
        return "vehicles_total", "辆"
    for needle, key in _VEHICLE_KINDS.items():
        if needle in name:
            return key, "辆"
    if "设备" in name:
        return "equipment_over_1m", "台（套）"
    return "", ("辆" if "车" in name else "")


def parse_stats(b: TableBuilder) -> WideRows:
    section = ""
    value_col, rowno_col = 2, 1
    wide_rows = []
    for row in b.block.rows:
        if row.is_blank:
            continue
        label = normalize_label(row.cell(0))
        if _SECTION.match(label) and not any(c.strip() for c in row.cells[1:]):
            section = label
            continue
        if normalize_header(label) == "项目":
            heads = [normalize_header(c) for c in row.cells]
            if "统计数" in heads:
                value_col = heads.index("统计数")
            rowno_col = heads.index("行次") if "行次" in heads else (1 if value_col == 2 else None)
            continue
        b.account_label(row, 0)
        row_no = None
        if rowno_col is not None and row.cell(rowno_col).strip():
            rn = row.cell(rowno_col).strip()
            if not rn.isdigit():
                b.fail(f"行次 cell holds {rn!r}, not a line number", row)
            row_no = int(rn)
            b.account(row, rowno_col, "row_number")
        key, unit = _key_and_unit(section, label)
        cell = b.read(row, value_col, amount=(unit or "万元") == "万元")
        if cell.kind == "number":
            if not key:
                b.problem(f"line {label!r} is not a known item of the statistics table", row)
            b.add(row, value_col, cell, section=section, item=label, item_key=key, measure="统计数",
                  measure_key="count" if unit != "万元" else "amount", unit=unit or "万元", row_no=row_no)
        b.check_no_stray_cells(row, {0, value_col, *([rowno_col] if rowno_col is not None else [])})
        wide_rows.append({"section": section, "item": label, "item_key": key, "行次": row_no,
                          "统计数": cell.value, "unit": unit, "line": row.line})
    if not any(r["item_key"] == "vehicles_total" for r in wide_rows) and wide_rows:
        b.fail("the table has no 车辆数合计 line: it may be cut off", b.block.rows[-1])
    return WideRows(wide_rows, int_suffix="行次")
