"""Excel workbooks: ``.xlsx`` (openpyxl) and ``.xls`` (xlrd), one sheet per table or several tables
on a sheet, read into the document model of :mod:`.structured`.

A sheet is read row by row, each row on the sheet's grid (a merged range gives its value in its
first cell, blanks in the others). A row holding one value alone is a line of text (a title, the
公开NN表 number, 部门名称, a note) unless it continues the table rows just above it, with no blank
row between (a 合计 row with no amount, a section row such as 一、政府采购情况) and is no note, title or number; a row with more is a table row. A number is printed as its
cell's number format shows it (``0.00`` → ``2792.45``, ``#,##0.00`` → ``2,792.45``), exactly, from
the stored value. Sheets are the document's pages, in workbook order.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from xinzhou_fiscal import patterns
from xinzhou_fiscal.errors import FormatError
from xinzhou_fiscal.read.source import _TABLE_NUMBER, NOTE, PART_HEADING, SourceDocument
from xinzhou_fiscal.templates.labels import normalize_label
from xinzhou_fiscal.read.structured import Piece, document_from_pieces


def format_number(value, number_format: str | None) -> str:
    """A numeric cell as printed: as many decimals as its number format has zeros after the
    point, with thousands separators when the format has them, a percent sign for ``%`` formats;
    ``General``: the shortest exact form (an integral value without decimals)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    num = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    fmt = (number_format or "General").split(";")[0]
    if fmt in ("General", "@", ""):
        if num == num.to_integral_value():
            return str(int(num))
        return format(num.normalize(), "f")
    if "%" in fmt:
        num *= 100
    m = patterns.compile(r"\.(0+)").search(fmt)
    places = len(m.group(1)) if m else 0
    text = f"{num.quantize(Decimal(1).scaleb(-places)):{',' if ',' in fmt else ''}.{places}f}"
    return text + ("%" if "%" in fmt else "")


def _lines(grid: list[list[str]], wide: set[int]) -> list[Piece]:
    """A sheet's rows → pieces: lone values as paragraphs, the rest as table rows. ``wide``: the
    rows whose value is merged across three or more columns (a title or a note set over the table)."""
    pieces: list[Piece] = []
    last_row = False
    for i, cells in enumerate(grid):
        filled = [c for c in cells if c.strip()]
        lone = len(filled) == 1
        text = filled[0].strip() if lone else ""
        if not filled or (lone and (i in wide or not last_row or _ends_table(text))):
            pieces.append(Piece("para", text=text, where=f"row {i + 1}"))
            last_row = False
            continue
        pieces.append(Piece("row", rows=[cells], where=f"row {i + 1}"))
        last_row = True
    return pieces


def _ends_table(text: str) -> bool:
    """A lone value that cannot continue a table: a note, a part heading, a table number."""
    from xinzhou_fiscal.templates.specs import spec_for_title
    return bool(NOTE.match(text) or PART_HEADING.match(text) or _TABLE_NUMBER.match(text)
                or spec_for_title(normalize_label(text)) is not None)


def _sheet_pieces(grids: list[tuple[str, list[list[str]], set[int]]]) -> list[Piece]:
    pieces: list[Piece] = []
    for page, (name, grid, wide) in enumerate(grids, start=1):
        width = max((len(r) for r in grid), default=0)
        rows = [r + [""] * (width - len(r)) for r in grid]
        run: list[Piece] = []
        for piece in _lines(rows, wide) + [Piece("para", text="", where=f"row {len(rows) + 1}")]:
            if piece.kind == "row":
                run.append(piece)
                continue
            if run:
                pieces.append(Piece("table", rows=_trim_columns([r.rows[0] for r in run]), page=page,
                                    where=f"sheet {name!r} {run[0].where}"))
                run = []
            piece.page, piece.where = page, f"sheet {name!r} {piece.where}"
            pieces.append(piece)
    return pieces


def _trim_columns(rows: list[list[str]]) -> list[list[str]]:
    """Drop the columns that are blank in every row of a table (the sheet's used width is wider
    than this table's)."""
    keep = [j for j in range(len(rows[0])) if any(r[j].strip() for r in rows)]
    last = keep[-1] + 1 if keep else 0
    return [r[:last] for r in rows]


def _covered(merges: list[tuple[int, int, int, int]]) -> tuple[set[tuple[int, int]], set[int]]:
    """From merged ranges (first row, first column, last row, last column; 0-based): the positions a
    merge covers (blank but its first), and the rows whose merge spans three or more columns."""
    covered, wide = set(), set()
    for r0, c0, r1, c1 in merges:
        covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (r, c) != (r0, c0))
        if c1 - c0 >= 2:
            wide.add(r0)
    return covered, wide


def _xlsx_grids(path: Path) -> tuple[list[tuple[str, list[list[str]], set[int]]], list[Piece]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError, EOFError) as exc:
        raise FormatError(f"the Excel workbook (.xlsx) is damaged and cannot be read ({type(exc).__name__})",
                          file=path) from None
    grids, objects = [], []
    for ws in book.worksheets:
        covered, wide = _covered([(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
                                  for m in ws.merged_cells.ranges])
        grid = []
        for row in ws.iter_rows():
            grid.append(["" if (c.row - 1, c.column - 1) in covered else _xlsx_value(c) for c in row])
        grids.append((ws.title, grid, wide))
        for img in getattr(ws, "_images", []):
            anchor = getattr(getattr(img.anchor, "_from", None), "row", None)
            objects.append(Piece("object", text="a picture", page=len(grids),
                                 where=f"sheet {ws.title!r}" + (f" row {anchor + 1}" if anchor is not None else "")))
    return grids, objects


def _xlsx_value(cell) -> str:
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, (int, float)):
        return format_number(v, cell.number_format)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.strftime("%Y-%m-%d")
    return str(v)


def _xls_grids(path: Path) -> list[tuple[str, list[list[str]], set[int]]]:
    import xlrd
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except Exception as exc:   # xlrd raises XLRDError, CompDocError, struct errors …
        raise FormatError(f"the Excel 97 workbook (.xls) is damaged and cannot be read ({type(exc).__name__}: {exc})",
                          file=path) from None
    grids = []
    for sh in book.sheets():
        covered, wide = _covered([(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sh.merged_cells])
        grid = []
        for r in range(sh.nrows):
            grid.append(["" if (r, c) in covered else _xls_value(book, sh.cell(r, c)) for c in range(sh.ncols)])
        grids.append((sh.name, grid, wide))
    return grids


def _xls_value(book, cell) -> str:
    import xlrd
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        fmt = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
        return format_number(cell.value, fmt)
    if cell.ctype == xlrd.XL_CELL_DATE:
        return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode).strftime("%Y-%m-%d")
    return str(cell.value)


def read_workbook_document(path: Path, kind: str) -> SourceDocument:
    """An Excel report (``kind`` ``xlsx`` or ``xls``) as a SourceDocument, sheets as pages."""
    if kind == "xlsx":
        grids, objects = _xlsx_grids(path)
    else:
        grids, objects = _xls_grids(path), []
    pieces = _sheet_pieces(grids)
    for obj in objects:            # a picture goes after the last line of its sheet's rows above it
        at = max((i for i, p in enumerate(pieces) if p.page == obj.page and _row_of(p) <= _row_of(obj)), default=len(pieces) - 1)
        pieces.insert(at + 1, obj)
    return document_from_pieces(path, kind, pieces, page_count=len(grids))


def _row_of(piece: Piece) -> int:
    m = patterns.compile(r"row (\d+)").search(piece.where)
    return int(m.group(1)) if m else 0
