"""Read the source: bytes → text → lines, and the shapes every later stage consumes.

A report reaches us as text extracted from a PDF (tables as tab-separated rows) or as a PDF.
Both are turned into a :class:`SourceDocument`: the document's lines in reading order, plus the
table regions found in it as :class:`TableBlock` objects holding *rows of cells*. The table
parsers only ever see rows of cells, so a PDF reader can feed them the same way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from xinzhou_fiscal import patterns
from xinzhou_fiscal.errors import EmptyReportError, EncodingError, ParseProblem
from xinzhou_fiscal.numbers import LazyPattern
from xinzhou_fiscal.templates.labels import normalize_label
from xinzhou_fiscal.templates.names import TABLE_NUMBER


@dataclass(frozen=True)
class Line:
    """One line of the source. ``line`` is 1-based in the text file (for a PDF: the running line
    number of the extracted text); ``page`` is the 1-based page when known; ``end_page`` the page
    it ends on when a PDF paragraph runs over a page break."""

    text: str
    line: int
    page: int | None = None
    end_page: int | None = None


@dataclass(frozen=True)
class Row:
    """One table row as cells, with where it came from."""

    cells: tuple[str, ...]
    line: int
    page: int | None = None

    def cell(self, i: int) -> str:
        return self.cells[i] if i < len(self.cells) else ""

    @property
    def is_blank(self) -> bool:
        return not any(c.strip() for c in self.cells)


@dataclass
class TableBlock:
    """A located table: its printed number and title and the rows between heading and note.

    ``closed`` is False when the source ended (or the next table began) before the table's
    closing note or total row was seen, i.e. the table may be cut off.
    """

    title: str
    number: str | None
    rows: list[Row]
    notes: list[Line] = field(default_factory=list)
    start_line: int = 0
    end_line: int = 0
    closed: bool = True
    unit: str | None = None
    department: str | None = None
    page: int | None = None
    columns_inferred: bool = False   # printed without ruling lines: columns read from word positions
    embedded: str | None = None   # why the table cannot be read: it is an embedded picture/OLE object


@dataclass
class SourceDocument:
    """Everything the parsers need from one input file."""

    path: Path
    kind: str  # "text" or "pdf"
    encoding: str | None
    lines: list[Line]
    tables: list[TableBlock]
    page_count: int | None = None
    toc_pages: dict[str, int] = field(default_factory=dict)
    problems: list = field(default_factory=list)  # ParseProblem of the reading stage (e.g. scanned pages)
    files: list = field(default_factory=list)     # a report over several files: (path, first line, last line)


def decode_bytes(data: bytes, path: Path | str) -> tuple[str, str]:
    """Decode a report's bytes. UTF-16 when the file starts with its byte-order mark; else UTF-8
    (with or without BOM) first, then GB18030, which covers GBK and GB2312, the encodings Chinese
    government sites still publish in. Returns (text, encoding)."""
    if not data.strip():
        raise EmptyReportError("the file is empty: no text to parse", file=path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise EncodingError(f"the file starts with a UTF-16 byte-order mark but is not UTF-16 ({exc.reason})",
                                file=path, line=data[: exc.start].count("\n".encode("utf-16-le")) + 1) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as gb_error:
            line = data[: gb_error.start].count(b"\n") + 1
            raise EncodingError(
                f"cannot decode the text as UTF-8 ({utf8_error.reason}) or GBK/GB18030 ({gb_error.reason})",
                file=path, line=line) from None
        if "\x00" in text:
            raise EncodingError("the file looks binary (NUL bytes), not extracted text", file=path)
        return text, "gb18030"


_CJK = LazyPattern(r"[\u4e00-\u9fff]")
_LATIN = patterns.compile(r"[A-Za-z]")
_MARKUP = LazyPattern(r"^\s*(#{1,6}\s|```|<[a-zA-Z/!]|\[[^\]]*\]\(|https?://)")


def _foreign(text: str) -> bool:
    """A line that is not report text: Markdown/HTML markup, or mostly Latin-script prose."""
    if not _LATIN.search(text):         # fast path: most report lines hold no Latin letter
        return text[:1] in ("#", "`", "<", "[") and bool(_MARKUP.match(text))
    latin, cjk = len(_LATIN.findall(text)), len(_CJK.findall(text))
    return bool(_MARKUP.match(text)) or (latin >= 12 and latin > 2 * cjk)


def stray_regions(lines: list[Line], min_lines: int = 2) -> list[tuple[int, int]]:
    """Runs of at least ``min_lines`` foreign lines (see :func:`_foreign`; blank lines and one
    stray line in between do not break a run): text pasted into the file that is not part of the
    report, e.g. a README. Returned as (first, last) indexes into ``lines``."""
    regions, start, last, count = [], None, None, 0
    for i, ln in enumerate(lines):
        s = ln.text.strip()
        if not s:
            continue
        if _foreign(s):
            if start is None or i - last > 3:
                if start is not None and count >= min_lines:
                    regions.append((start, last))
                start, count = i, 0
            last, count = i, count + 1
    if start is not None and count >= min_lines:
        regions.append((start, last))
    return regions


#: a line that starts a part of the report: 第三部分 / 第三章 …, or a 三、-numbered part whose title is the
#: whole-report 情况说明 (三、部门决算情况说明). Ends table regions; xinzhou_fiscal.text.parts finds parts
#: in full (wrapped headings, department names, the 目录).
PART_HEADING = patterns.compile(r"^\s*(?:第[一二三四五六七八九十]+\s*(?:部分|章)|[一二三四五六七八九十]+\s*、[^\t，。；]{0,40}?"
                          r"(?:部门|单位)决算情况说明(?:[（(][^)）]*[)）])?\s*$)")
NOTE = patterns.compile(r"^\s*(注|说明|备注)\s*\d*\s*[:：]")
_TABLE_NUMBER = patterns.compile(rf"^\s*{TABLE_NUMBER.pattern}\s*$")
_DEPARTMENT = patterns.compile(r"^\s*(部门|单位)名称\s*[:：]\s*(.+?)\s*$")
_UNIT = patterns.compile(r"^\s*(金额)?单位\s*[:：]\s*(\S+)\s*$")
_YEAR_LINE = patterns.compile(r"^\s*(19|20)\d{2}\s*年度?\s*$")
_TOC_ENTRY = patterns.compile(r"^[一二三四五六七八九十]+、(.+?)\.{2,}\s*\t?\s*(\d+)\s*$")


#: a run of this many lines that are not report text (binary, markup, Latin prose), blank lines aside,
#: ends the report: the rest of the file is set aside unread
JUNK_RUN_LINES = 400
_LINE_LIMIT = 1 << 16                      # a "line" longer than 64 KiB is not report text
_BINARY = patterns.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def _junk_line(raw: bytes, encodings: tuple[str, ...]) -> tuple[bool, bool, str | None]:
    """(junk, binary, encoding) for one line of bytes: binary when it holds control bytes, is cut
    at :data:`_LINE_LIMIT` or decodes in none of ``encodings``; junk when binary or foreign text."""
    if len(raw) >= _LINE_LIMIT or _BINARY.search(raw):
        return True, True, None
    for enc in encodings:
        try:
            return _foreign(raw.decode(enc).strip()), False, enc
        except UnicodeDecodeError:
            continue
    return True, True, None


def read_report_bytes(path: Path) -> tuple[bytes, ParseProblem | None]:
    """The bytes of an extracted-text report, up to where junk begins: a run of
    :data:`JUNK_RUN_LINES` lines that are not report text (fewer than three text lines in a row do
    not break it), or such a run holding binary data at the end of the file. The rest is never
    read into memory; it is named by a ParseProblem (None: nothing set aside). Time and memory are
    bounded by the report (plus one run), not by the junk after it. The encoding is the one the
    first non-ASCII line decodes in (UTF-8, else GB18030)."""
    kept, encodings, line_no = bytearray(), ("utf-8", "gb18030"), 0
    run_start, run_line, run_lines, run_binary, text_in_row = None, 0, 0, False, 0
    with open(path, "rb") as f:
        if f.read(2) in (b"\xff\xfe", b"\xfe\xff"):     # UTF-16: lines are not split on b"\n"
            return f.seek(0) or f.read(), None
        f.seek(0)
        while raw := f.readline(_LINE_LIMIT):
            line_no += 1
            if raw.strip():
                junk, binary, enc = _junk_line(raw.rstrip(b"\r\n"), encodings)
                if enc and len(encodings) > 1 and not raw.isascii():
                    encodings = (enc,)
                text_in_row = 0 if junk else text_in_row + 1
                if text_in_row >= 3:
                    run_start, run_lines, run_binary = None, 0, False
                elif junk:
                    if run_start is None:   # a binary line keeps the text before its first binary byte
                        run_start = len(kept) + (_text_prefix(raw, encodings) if binary else 0)
                        run_line = line_no
                    run_lines, run_binary = run_lines + 1, run_binary or binary
                    if run_lines >= JUNK_RUN_LINES:
                        return _set_aside(kept, run_start, run_line, f.seek(0, 2), path)
            kept += raw
    if run_start is not None and run_binary and run_start > 0:
        return _set_aside(kept, run_start, run_line, len(kept), path)
    return bytes(kept), None


def _text_prefix(raw: bytes, encodings: tuple[str, ...]) -> int:
    """The length of the text before the first binary byte of a line (the report's last line, when
    binary data follows it with no line break)."""
    m = _BINARY.search(raw)
    end = min(m.start() if m else len(raw), _LINE_LIMIT)
    for cut in range(end, max(end - 4, -1), -1):
        for enc in encodings:
            try:
                raw[:cut].decode(enc)
                return cut
            except UnicodeDecodeError:
                continue
    return 0


def _set_aside(kept: bytearray, start: int, line: int, size: int, path: Path) -> tuple[bytes, ParseProblem]:
    return bytes(kept[:start]), ParseProblem(
        "document", f"from line {line} to the end of the file ({size - start:,} bytes) is not report text "
        "(binary data, markup or Latin-script prose); it was set aside unread", line=line)


def read_text_document(path: Path, data: bytes | None = None) -> SourceDocument:
    """Read an extracted-text report: decode it, split lines, locate the 公开NN表 tables. Read from
    the file (``data`` None), junk after the report is set aside (:func:`read_report_bytes`)."""
    path = Path(path)
    cut = None
    if data is None:
        data, cut = read_report_bytes(path)
    text, encoding = decode_bytes(data, path)
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [Line(t, i + 1) for i, t in enumerate(raw_lines)]
    doc = SourceDocument(path=path, kind="text", encoding=encoding, lines=lines, tables=[],
                         problems=[cut] if cut else [])
    doc.toc_pages = _toc_pages(lines)
    doc.tables = locate_text_tables(lines, doc.toc_pages)
    return doc


def _toc_pages(lines: list[Line]) -> dict[str, int]:
    """Map table titles in the table of contents (目录) to their printed page numbers."""
    pages: dict[str, int] = {}
    for ln in lines[:80]:
        m = _TOC_ENTRY.match(ln.text.strip())
        if m:
            pages.setdefault(normalize_label(m.group(1)), int(m.group(2)))
    return pages


def _next_nonblank(lines: list[Line], i: int, step: int) -> int | None:
    j = i + step
    while 0 <= j < len(lines):
        if lines[j].text.strip():
            return j
        j += step
    return None


#: a table title no family knows (a budget or final-accounts table of an unknown family): read generically
_GENERIC_TITLE = LazyPattern(r"^[^，。；：:,;]{0,40}[决预]算[^，。；：:,;]{0,20}表$")


def _titled_table(lines: list[Line], i: int) -> bool:
    """Line i is a known table title (in any template family) heading a table: within the next
    lines comes its unit line, its number or its first tab-separated row."""
    from xinzhou_fiscal.templates.specs import spec_for_title
    text = lines[i].text
    if "表" not in text or "\t" in text or len(text) > 60:
        return False
    if spec_for_title(normalize_label(text)) is None and (not _GENERIC_TITLE.match(normalize_label(text))
                                                          or PART_HEADING.match(text)):
        return False
    j = i
    for _ in range(4):
        j = _next_nonblank(lines, j, 1)
        if j is None:
            return False
        t = lines[j].text
        if _TABLE_NUMBER.match(t):
            return False    # a numbered table: its 公开NN表 line heads it
        if "\t" in t or _UNIT.match(t) or _DEPARTMENT.match(t.strip()):
            return True
    return False


def _table_heads(lines: list[Line]) -> list[tuple[int, int]]:
    """(title index, heading index) of every table: a ``公开NN表`` line under its title, or, in
    families that print no number, a known table title followed by the table."""
    heads: list[tuple[int, int]] = []
    numbered_titles = set()
    for i, ln in enumerate(lines):
        if _TABLE_NUMBER.match(ln.text):
            t = _next_nonblank(lines, i, -1)
            heads.append((t if t is not None else i, i))
            numbered_titles.add(t)
    for i in range(len(lines)):
        if i not in numbered_titles and _titled_table(lines, i):
            heads.append((i, i))
    return sorted(heads)


def locate_text_tables(lines: list[Line], toc_pages: dict[str, int] | None = None) -> list[TableBlock]:
    """Find every table headed by a ``公开NN表`` line; its title is the non-blank line above.

    A table runs until the next table's title or the next part heading (第X部分). Inside it, the
    department/year/unit lines are metadata, ``注：``/``说明：`` lines are notes, tab-separated
    lines are rows; a line without tabs before the note is a page header carried over by the
    PDF extraction (e.g. the running title) and is kept as a one-cell row only if it has digits
    the parsers must account for.
    """
    toc_pages = toc_pages or {}
    heads = _table_heads(lines)
    blocks: list[TableBlock] = []
    for k, (ti, ni) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        for j in range(ni + 1, end):
            if PART_HEADING.match(lines[j].text):
                end = j
                break
        numbered = bool(_TABLE_NUMBER.match(lines[ni].text))
        title = normalize_label(lines[ti].text) if ti != ni or not numbered else ""
        number = patterns.compile(r"\s+").sub("", lines[ni].text) if numbered else None
        block = TableBlock(title=title, number=number, rows=[], start_line=lines[ti].line,
                           end_line=lines[end - 1].line if end > ni else lines[ni].line,
                           closed=False, page=toc_pages.get(title))
        in_notes = False
        for ln in lines[ni + 1:end]:
            s = ln.text.strip()
            if not s:
                continue
            if NOTE.match(s):
                in_notes = True
                block.notes.append(ln)
                block.closed = True
                continue
            if in_notes:
                block.notes.append(ln)
                continue
            if "\t" not in ln.text:
                m = _DEPARTMENT.match(s)
                if m and not block.rows:
                    block.department = m.group(2)
                    continue
                m = _UNIT.match(s)
                if m and not block.rows:
                    block.unit = m.group(2)
                    continue
                if _YEAR_LINE.match(s) and not block.rows:
                    continue
                if not patterns.compile(r"\d").search(s) or patterns.compile(r"决算.*(报告|公开)").search(s):
                    # running page header/footer: no cell the parsers must account for
                    continue
            block.rows.append(Row(tuple(c.strip() for c in ln.text.split("\t")), ln.line))
        blocks.append(block)
    return blocks
