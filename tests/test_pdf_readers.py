"""The two PDF readers give the same report: every PDF in the repository (data/raw, data/templates), in
../shared/samples/, the seed rendered as a PDF and an owner-password copy of the Putuo sample are read
through PDFium (pypdfium2, the default) and through pdfplumber (the reference), each into an audited
Report; the document's lines and tables, every fact, table status, claim, problem, self-evaluation
and audit finding must be the same, and a file refused by one must be refused by the other with the
same error. PDFium must read each of these files itself (no silent fallback that would make the
comparison trivial).

Spot values are typed from the printed Putuo PDF (上海市普陀区财政局 2024, 收入支出决算总表, page 6, read off the rendered page):
本年收入合计 2,946.25 and 本年支出合计 2,940.05 (万元).
"""
from __future__ import annotations

import os
import warnings
from contextlib import contextmanager
from pathlib import Path

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths
from xinzhou_fiscal.read.pdf.open import READER_ENV, _pages_pdfium, read_pdf_document
from xinzhou_fiscal.read.pdf.pdfium import PdfiumUnsupported

ROOT = paths.RAW_DIR.parent.parent
SAMPLES = ROOT.parent / "shared" / "samples"
SEED = paths.RAW_DIR / "xinzhou_swbgs_2023_final.txt"


def _repo_pdfs() -> list[Path]:
    return sorted((ROOT / "data").glob("*/*.pdf"))


def _sample_pdfs() -> list[Path]:
    return sorted(SAMPLES.glob("*.pdf")) if SAMPLES.is_dir() else []


@contextmanager
def _reader(name: str):
    old = os.environ.get(READER_ENV)
    os.environ[READER_ENV] = name
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(READER_ENV, None)
        else:
            os.environ[READER_ENV] = old


def _records(df) -> list[dict]:
    return df.reset_index(drop=True).astype(str).to_dict("records") if df is not None else []


def outcome(path: Path, reader: str):
    """What reading and auditing ``path`` gives with ``reader``: the refusal (error type and
    message), or the document and every table of the report and its audit."""
    with _reader(reader), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            report = xf.read_report(path)
            findings = xf.audit(report)
        except Exception as exc:          # a refusal: it must be the same one
            return {"refused": (type(exc).__name__, str(exc))}
    doc = report.document
    return {
        "lines": [(ln.text, ln.page) for ln in doc.lines],
        "tables": [(b.title, b.number, b.unit, b.department, b.page, b.closed, b.start_line, b.end_line,
                    [(r.cells, r.line, r.page) for r in b.rows], [n.text for n in b.notes]) for b in doc.tables],
        "doc_problems": [str(p) for p in doc.problems],
        "meta": report.meta,
        "facts": _records(report.facts),
        "status": _records(report.table_status),
        "claims": _records(report.claims),
        "problems": _records(report.problems),
        "projects": _records(report.projects),
        "indicators": _records(report.indicators),
        "findings": _records(findings),
    }


def _compare(path: Path) -> dict:
    a, b = outcome(path, "pdfium"), outcome(path, "pdfplumber")
    assert a.keys() == b.keys(), (path.name, a.get("refused"), b.get("refused"))
    for key in a:
        assert a[key] == b[key], f"{path.name}: the readers differ in {key}"
    return a


def _read_by_pdfium_itself(path: Path) -> None:
    try:
        _pages_pdfium(path)
    except PdfiumUnsupported as exc:
        pytest.fail(f"{path.name}: PDFium fell back to pdfplumber ({exc})")


@pytest.mark.parametrize("path", _repo_pdfs(), ids=lambda p: p.name)
def test_repository_pdfs_read_the_same(path):
    _read_by_pdfium_itself(path)
    _compare(path)


@pytest.mark.parametrize("path", _sample_pdfs(), ids=lambda p: p.name)
def test_shared_samples_read_the_same(path):
    """Each sample, the refused ones too (the budgets, the university's final accounts, the blank
    template): the same report, or the same refusal."""
    _read_by_pdfium_itself(path)
    _compare(path)


def test_the_shared_samples_are_there():
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples is not beside the repository")
    assert len(_sample_pdfs()) >= 6


def test_putuo_read_the_same_with_figures_from_the_page():
    got = _compare(paths.RAW_DIR / "putuo_czj_2024_final.pdf")
    summary = [f for f in got["facts"] if f["table"] == "income_expenditure_summary"]
    printed = {(f["item"], f["printed"]) for f in summary}
    assert ("本年收入合计", "2,946.25") in printed and ("本年支出合计", "2,940.05") in printed
    assert len(got["findings"]) > 0 and len(got["claims"]) > 0


def test_the_seed_rendered_as_a_pdf_reads_the_same(tmp_path):
    pytest.importorskip("reportlab")
    from xinzhou_fiscal.read.render import render
    pdf = render(SEED.read_text(encoding="utf-8"), tmp_path / "seed.pdf")
    _read_by_pdfium_itself(pdf)
    got = _compare(pdf)
    assert len(got["facts"]) >= 197            # the seed's 197 table facts (tests/test_pdf_render.py)


def test_owner_password_pdf_reads_the_same(tmp_path):
    pikepdf = pytest.importorskip("pikepdf")
    locked = tmp_path / "owner_only.pdf"
    with pikepdf.open(paths.RAW_DIR / "putuo_czj_2024_final.pdf") as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="owner-secret", user="", R=6))
    _read_by_pdfium_itself(locked)             # PDFium decrypts it itself
    got = _compare(locked)
    assert "refused" not in got and len(got["facts"]) > 0


def test_the_reader_is_chosen_by_parameter_and_environment():
    putuo = paths.RAW_DIR / "putuo_czj_2024_final.pdf"
    with pytest.raises(ValueError, match="unknown PDF reader"):
        read_pdf_document(putuo, reader="pymupdf")
    with _reader("nonsense"), pytest.raises(ValueError, match=READER_ENV):
        read_pdf_document(putuo)


# ---------------------------------------------------------------------------------------------
# what PDFium does not take is read by pdfplumber; what the PDFium path imports
# ---------------------------------------------------------------------------------------------

def _two_pages(tmp_path, rotate: int = 0) -> Path:
    """Pages 6 and 8 of the Putuo sample (收入支出决算总表 and 收入决算表, titles read off the
    rendered pages) as a file of their own."""
    import pypdfium2 as pdfium
    src = pdfium.PdfDocument(str(paths.RAW_DIR / "putuo_czj_2024_final.pdf"))
    dst = pdfium.PdfDocument.new()
    dst.import_pages(src, [5, 7])
    for page in dst:
        page.set_rotation(rotate)
    out = tmp_path / f"two_pages_{rotate}.pdf"
    dst.save(str(out))
    return out


def _document(path: Path, reader: str | None = None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            d = read_pdf_document(path, reader=reader)
        except Exception as exc:
            return (type(exc).__name__, str(exc))
    return ([(ln.text, ln.page) for ln in d.lines], [(b.title, [r.cells for r in b.rows]) for b in d.tables])


def test_a_character_without_unicode_mapping_falls_back_to_pdfplumber(tmp_path, monkeypatch):
    two = _two_pages(tmp_path)
    titles = [t for t, _ in _document(two)[1]]
    assert titles == ["收入支出决算总表", "收入决算表"]                       # as printed on pages 6 and 8
    from xinzhou_fiscal.read.pdf import pdfium_lib
    monkeypatch.setattr(pdfium_lib, "HasUnicodeMapError", lambda page, i: 1)    # as PDFium says of such a character
    with pytest.raises(PdfiumUnsupported, match="Unicode"):
        _pages_pdfium(two)
    assert _document(two) == _document(two, "pdfplumber")


def test_a_rotated_page_falls_back_to_pdfplumber(tmp_path):
    turned = _two_pages(tmp_path, rotate=90)
    with pytest.raises(PdfiumUnsupported, match="rotated"):
        _pages_pdfium(turned)
    assert _document(turned) == _document(turned, "pdfplumber")


def test_the_pdfium_path_imports_neither_pdfplumber_nor_pdfminer():
    """A fresh process reads and audits the Putuo PDF: pdfplumber, pdfminer and pikepdf stay out;
    with the pdfplumber reader they are imported (the check can fail)."""
    import subprocess
    import sys
    code = ("import sys, warnings; warnings.simplefilter('ignore'); import xinzhou_fiscal as xf; "
            f"xf.audit(xf.read_report({str(paths.RAW_DIR / 'putuo_czj_2024_final.pdf')!r})); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'pdfplumber', 'pdfminer', 'pikepdf', 'pypdfium2', 'pypdfium2_raw'}"
            " | {'pdfium_lib'} & {m.rsplit('.')[-1] for m in sys.modules}))")
    seen = {}
    for reader in ("pdfium", "pdfplumber"):
        env = dict(os.environ, PYTHONPATH=str(ROOT), **{READER_ENV: reader})
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        seen[reader] = out.stdout.strip().splitlines()[-1]
    # PDFium (its library loaded by pdfium_lib), without pypdfium2's helpers or generated bindings
    assert seen["pdfium"] == "['pdfium_lib']"
    assert "pdfplumber" in seen["pdfplumber"] and "pdfminer" in seen["pdfplumber"]


@pytest.mark.parametrize("name", ["shanghai_template_2024_blank.pdf", "shanghai_shi_czj_2025_budget.pdf"])
def test_pdfium_characters_are_pdfminers(name):
    """The page layer itself: on every page, PDFium's non-blank characters are pdfplumber's,
    with the same text, box (x0, top, bottom to 0.001 pt; x1, the advance, to 0.4 pt)
    and font size. The blank template sets every character as a text object of its own; the Shanghai
    budget sets runs of characters in one object (one origin read per baseline)."""
    import pdfplumber

    from xinzhou_fiscal.read.pdf import pdfium
    path = next(p for p in _repo_pdfs() if p.name == name)
    doc = pdfium.open_document(path)
    try:
        ours = [[c for c in page.chars if c["text"].strip()] for page in pdfium.read_pages(doc)]
    finally:
        doc.close()
    with pdfplumber.open(path) as pdf:
        theirs = [[c for c in page.chars if c["text"].strip()] for page in pdf.pages]
    assert len(ours) == len(theirs) and sum(map(len, ours)) > 1000
    def order(chars):        # PDFium's text page may order a page's text objects differently
        return sorted(chars, key=lambda c: (round(c["top"], 2), round(c["x0"], 2), c["text"]))

    for number, (mine, ref) in enumerate(zip(ours, theirs), start=1):
        mine, ref = order(mine), order(ref)
        assert [c["text"] for c in mine] == [c["text"] for c in ref], f"page {number}"
        for a, b in zip(mine, ref):
            assert all(abs(a[k] - b[k]) < 1e-3 for k in ("x0", "top", "bottom", "size")), (number, a, b)
            assert abs(a["x1"] - b["x1"]) < 0.4, (number, a, b)


def test_pdfium_library_falls_back_to_pypdfium2s_loader(monkeypatch):
    """PDFium's library is loaded from pypdfium2_raw's folder; where the file is not there (a build that
    puts PDFium elsewhere), pypdfium2_raw's own loader gives it; without pypdfium2 at all, ImportError
    (and open.read_pages then reads with pdfplumber)."""
    import importlib.util
    import sys

    from xinzhou_fiscal.read.pdf import pdfium_lib
    direct = pdfium_lib._load()
    assert Path(direct._name).name == pdfium_lib._NAMES.get(sys.platform, "libpdfium.so")
    monkeypatch.setattr(pdfium_lib, "_NAMES", {sys.platform: "no-such-pdfium.so"})
    via_loader = pdfium_lib._load()
    assert via_loader is not direct and hasattr(via_loader, "FPDF_InitLibraryWithConfig")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImportError, match="pypdfium2"):
        pdfium_lib._load()


def test_pdfium_hot_calls_keep_the_gil_and_page_loads_release_it():
    """The per-character and per-segment functions are bound through ctypes.PyDLL (no GIL release
    and re-take around a sub-microsecond call); loading a document, page or text page (milliseconds)
    goes through the CDLL and lets other threads run meanwhile. Both on the same loaded library."""
    import ctypes

    from xinzhou_fiscal.read.pdf import pdfium_lib as L
    keeps_gil = ctypes._FUNCFLAG_PYTHONAPI
    hot = (L.TextObjectAddress, L.HasUnicodeMapError, L.LooseCharBox, L.CharOrigin, L.SegmentPoint, L.ObjectType)
    assert all(f._flags_ & keeps_gil for f in hot)
    assert not any(f._flags_ & keeps_gil for f in (L.LoadDocument, L.LoadPage, L.TextLoadPage))
    assert L._HOT._handle == L._LIB._handle
