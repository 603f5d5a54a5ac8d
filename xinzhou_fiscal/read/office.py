"""Word documents: ``.docx`` read with python-docx (paragraphs and table cells in document order,
merged cells expanded, pictures and OLE objects found where they sit); Word 97 ``.doc`` and RTF
converted to ``.docx`` by LibreOffice in headless mode first (``soffice --headless --convert-to
docx``), from the distribution's packages."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from xinzhou_fiscal.errors import ConverterMissingError, FormatError
from xinzhou_fiscal.read.source import SourceDocument
from xinzhou_fiscal.read.structured import Piece, document_from_pieces

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_O = "{urn:schemas-microsoft-com:office:office}"
_V = "{urn:schemas-microsoft-com:vml}"
INSTALL_LIBREOFFICE = ("install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui; "
                       "macOS: brew install --cask libreoffice) or save the file as .docx")
CONVERT_TIMEOUT = 180   # seconds: LibreOffice's first start builds its profile


def read_docx_document(path: Path, *, kind: str = "docx", shown_as: Path | None = None) -> SourceDocument:
    """A Word (.docx) report as a SourceDocument: each paragraph a line, each table row a line of
    tab-separated cells. ``shown_as`` is the file named in the document and errors (the .doc a
    converted .docx came from)."""
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ModuleNotFoundError:   # pragma: no cover - a dependency of the package
        raise FormatError("reading a Word document (.docx) needs python-docx: pip install python-docx",
                          file=shown_as or path) from None
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise FormatError(f"the Word document (.docx) is damaged and cannot be read ({type(exc).__name__}: {exc})",
                          file=shown_as or path) from None
    return document_from_pieces(shown_as or path, kind, _docx_pieces(document))


def _docx_pieces(document) -> list[Piece]:
    """The body's paragraphs and tables in document order; a paragraph holding a picture or an OLE
    object also gives an ``object`` piece."""
    pieces: list[Piece] = []
    n_para = n_table = 0
    for el in document.element.body.iterchildren():
        if el.tag == f"{_W}p":
            n_para += 1
            text = _paragraph_text(el)
            pieces.append(Piece("para", text=text, where=f"paragraph {n_para}"))
            for what in _embedded(el, document.part):
                pieces.append(Piece("object", text=what, where=f"paragraph {n_para}"))
        elif el.tag == f"{_W}tbl":
            n_table += 1
            pieces.append(Piece("table", rows=_table_rows(el), where=f"table {n_table}"))
    return pieces


def _paragraph_text(p) -> str:
    """A paragraph's text: its runs' text, tabs and line breaks kept."""
    out = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if node.tag == f"{_W}t":
            out.append(node.text or "")
        elif node.tag == f"{_W}tab":
            out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def _cell_text(tc) -> str:
    return "\n".join(_paragraph_text(p) for p in tc.iter(f"{_W}p"))


def _table_rows(tbl) -> list[list[str]]:
    """A Word table's rows on its grid: a cell spanning columns (gridSpan) gives its text in its
    first column and blanks in the others; a vertically merged cell's continuation is blank."""
    rows: list[list[str]] = []
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells: list[str] = []
        pr = tr.find(f"{_W}trPr")
        before = pr.find(f"{_W}gridBefore") if pr is not None else None
        if before is not None:
            cells.extend([""] * int(before.get(f"{_W}val", "0")))
        for tc in tr.iterchildren(f"{_W}tc"):
            tcpr = tc.find(f"{_W}tcPr")
            span, continued = 1, False
            if tcpr is not None:
                gs = tcpr.find(f"{_W}gridSpan")
                span = int(gs.get(f"{_W}val", "1")) if gs is not None else 1
                vm = tcpr.find(f"{_W}vMerge")
                continued = vm is not None and vm.get(f"{_W}val", "continue") != "restart"
            cells.append("" if continued else _cell_text(tc))
            cells.extend([""] * (span - 1))
        rows.append(cells)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _embedded(p, part) -> list[str]:
    """What a paragraph embeds: pictures (DrawingML or VML) and OLE objects, described."""
    found = []
    for obj in p.iter(f"{_W}object"):
        ole = next(obj.iter(f"{_O}OLEObject"), None)
        prog = ole.get("ProgID") if ole is not None else None
        found.append(f"an OLE object ({prog})" if prog else "an OLE object")
    for blip in p.iter(f"{_A}blip", f"{_V}imagedata"):
        if any(a.tag == f"{_W}object" for a in blip.iterancestors()):
            continue                               # an OLE object's preview picture
        rid = blip.get(f"{_R}embed") or blip.get(f"{_R}id")
        name = ""
        if rid and rid in part.rels:
            name = str(getattr(part.rels[rid].target_part, "partname", "")).lstrip("/")
        found.append(f"a picture ({name})" if name else "a picture")
    return found


def soffice() -> str | None:
    """The LibreOffice executable on PATH, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_converted_document(path: Path, what: str) -> SourceDocument:
    """A Word 97 document (.doc) or an RTF file, converted to .docx by LibreOffice (headless, in a
    temporary folder with a profile of its own) and read as a .docx; the document names ``path``."""
    exe = soffice()
    if exe is None:
        raise ConverterMissingError(f"reading a {what} needs LibreOffice, which is not installed: "
                                    f"{INSTALL_LIBREOFFICE}", file=path)
    with tempfile.TemporaryDirectory(prefix="xf-soffice-") as tmp:
        src = Path(tmp) / f"in{path.suffix.lower() or '.doc'}"
        shutil.copyfile(path, src)
        cmd = [exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", tmp, str(src)]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT, check=False,
                                  env={**os.environ, "HOME": tmp})
        except subprocess.TimeoutExpired:
            raise FormatError(f"LibreOffice did not convert the {what} within {CONVERT_TIMEOUT} s", file=path) from None
        out = src.with_suffix(".docx")
        if not out.exists():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise FormatError(f"LibreOffice could not convert the {what} to .docx (it is damaged or not a "
                              f"Word document){': ' + detail[-1] if detail else ''}", file=path)
        return read_docx_document(out, kind=path.suffix.lower().lstrip(".") or "doc", shown_as=path)
