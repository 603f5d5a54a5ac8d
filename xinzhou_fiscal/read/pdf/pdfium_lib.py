"""The PDFium library (the one pypdfium2 ships, Apache-2.0/BSD) and the few of its functions the page
reader calls, bound with :mod:`ctypes`.

The shared library is loaded from the ``pypdfium2_raw`` package's folder without importing the package:
its generated bindings declare several thousand functions and cost a process ~13 ms of imports, for
the ~30 this reader uses. Where the file is not there (a build that puts PDFium elsewhere) the package's
own loader is used.

Speed matters here: the character loop calls PDFium several times per character, a million times in a
batch. A ctypes function *with* ``argtypes`` converts every argument on every call (about 0.2 µs
each); the hot functions are therefore declared with a result type only and called with arguments
ctypes passes as they are: handles as :class:`Handle` objects (what those functions return), indices
as Python ints (C ``int``), output buffers through ``byref``. They are also bound through
:class:`ctypes.PyDLL` (the same loaded library), which keeps the GIL for the call instead of
releasing and taking it back (~30 ns of a ~0.2 µs call): each returns in well under a microsecond and
none calls back into Python. The text object of a character is returned as a plain int (its
address), which the loop only compares. The other functions, called once per page or document, keep
their ``argtypes`` and release the GIL (loading a page takes milliseconds).

Constants (segment and object types, the password error) are PDFium's, from its public headers
(``fpdf_edit.h``, ``fpdfview.h``).
"""
from __future__ import annotations

import ctypes
import importlib.util
import sys
from pathlib import Path


class Handle(ctypes.c_void_p):
    """A PDFium handle (document, page, text page, page object, font, path segment). As a result type
    it keeps ctypes from turning the pointer into a Python int, so it can be passed back to a function
    without ``argtypes``; ``.value`` is its address (``None`` for NULL)."""


class FS_RECTF(ctypes.Structure):
    _fields_ = [("left", ctypes.c_float), ("top", ctypes.c_float),
                ("right", ctypes.c_float), ("bottom", ctypes.c_float)]


class FS_MATRIX(ctypes.Structure):
    _fields_ = [(name, ctypes.c_float) for name in "abcdef"]


class LIBRARY_CONFIG(ctypes.Structure):
    """``FPDF_LIBRARY_CONFIG`` (fpdfview.h), up to version 4's fields."""
    _fields_ = [("version", ctypes.c_int), ("m_pUserFontPaths", ctypes.c_void_p),
                ("m_pIsolate", ctypes.c_void_p), ("m_v8EmbedderSlot", ctypes.c_uint),
                ("m_pPlatform", ctypes.c_void_p), ("m_RendererType", ctypes.c_int)]


ERR_PASSWORD = 4                                        # FPDF_ERR_PASSWORD
SEGMENT_LINETO, SEGMENT_BEZIERTO, SEGMENT_MOVETO = 0, 1, 2     # FPDF_SEGMENT_*
PAGEOBJ_TEXT, PAGEOBJ_PATH, PAGEOBJ_IMAGE, PAGEOBJ_FORM = 1, 2, 3, 5   # FPDF_PAGEOBJ_*

_NAMES = {"linux": "libpdfium.so", "darwin": "libpdfium.dylib", "win32": "pdfium.dll"}


def _load() -> ctypes.CDLL:
    """PDFium from pypdfium2_raw's folder, or through its own loader (ImportError when absent)."""
    spec = importlib.util.find_spec("pypdfium2_raw")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pypdfium2 (pypdfium2_raw) is not installed")
    name = _NAMES.get(sys.platform, "libpdfium.so")
    for folder in spec.submodule_search_locations:
        if (Path(folder) / name).is_file():
            return ctypes.CDLL(str(Path(folder) / name))
    from pypdfium2_raw.bindings import _libs          # PDFium installed elsewhere: its own loader
    return _libs["pdfium"]


_LIB = _load()
_V, _I, _F, _D = ctypes.c_void_p, ctypes.c_int, ctypes.c_float, ctypes.c_double


#: the same library, its functions called holding the GIL (for the hot ones, see the module docstring)
_HOT = ctypes.PyDLL(_LIB._name, handle=_LIB._handle)


def _bind(name: str, restype, argtypes: tuple | None = None, library: ctypes.CDLL = _LIB):
    fn = library[name]                  # a function object of its own (indexing makes a new one)
    fn.restype = restype
    if argtypes is not None:
        fn.argtypes = argtypes
    return fn


def _hot(name: str, restype):
    return _bind(name, restype, library=_HOT)


# -- once per document or page (typed arguments) -----------------------------------------------
InitLibraryWithConfig = _bind("FPDF_InitLibraryWithConfig", None, (ctypes.POINTER(LIBRARY_CONFIG),))
LoadDocument = _bind("FPDF_LoadDocument", Handle, (ctypes.c_char_p, ctypes.c_char_p))
GetPageCount = _bind("FPDF_GetPageCount", _I, (Handle,))
GetLastError = _bind("FPDF_GetLastError", ctypes.c_ulong, ())
CloseDocument = _bind("FPDF_CloseDocument", None, (Handle,))
LoadPage = _bind("FPDF_LoadPage", Handle, (Handle, _I))
ClosePage = _bind("FPDF_ClosePage", None, (Handle,))
GetRotation = _bind("FPDFPage_GetRotation", _I, (Handle,))
_BOX = (Handle, ctypes.POINTER(_F), ctypes.POINTER(_F), ctypes.POINTER(_F), ctypes.POINTER(_F))
GetMediaBox = _bind("FPDFPage_GetMediaBox", _I, _BOX)
GetCropBox = _bind("FPDFPage_GetCropBox", _I, _BOX)
TextLoadPage = _bind("FPDFText_LoadPage", Handle, (Handle,))
TextClosePage = _bind("FPDFText_ClosePage", None, (Handle,))
CountChars = _bind("FPDFText_CountChars", _I, (Handle,))
GetText = _bind("FPDFText_GetText", _I, (Handle, _I, _I, ctypes.POINTER(ctypes.c_ushort)))
GetUnicode = _bind("FPDFText_GetUnicode", ctypes.c_uint, (Handle, _I))
FormObject = _bind("FPDFFormObj_GetObject", Handle, (Handle, ctypes.c_ulong))
GetDescent = _bind("FPDFFont_GetDescent", _I, (Handle, _F, ctypes.POINTER(_F)))

# -- per character, text object, page object or path segment (untyped arguments, see above) ---
TextObjectAddress = _hot("FPDFText_GetTextObject", _V)             # (text page, index) → int, None for NULL
HasUnicodeMapError = _hot("FPDFText_HasUnicodeMapError", _I)        # (text page, index)
LooseCharBox = _hot("FPDFText_GetLooseCharBox", _I)                 # (text page, index, byref FS_RECTF)
CharOrigin = _hot("FPDFText_GetCharOrigin", _I)                     # (text page, index, byref double ×2)
TextMatrix = _hot("FPDFText_GetMatrix", _I)                         # (text page, index, byref FS_MATRIX)
FontSize = _hot("FPDFText_GetFontSize", _D)                         # (text page, index)
TextObjectFont = _hot("FPDFTextObj_GetFont", Handle)                # (text object, as a Handle)
CountObjects = _hot("FPDFPage_CountObjects", _I)                    # (page)
PageObject = _hot("FPDFPage_GetObject", Handle)                     # (page, index)
FormCount = _hot("FPDFFormObj_CountObjects", _I)                    # (form object)
ObjectType = _hot("FPDFPageObj_GetType", _I)                        # (page object)
ObjectMatrix = _hot("FPDFPageObj_GetMatrix", _I)                    # (page object, byref FS_MATRIX)
SegmentCount = _hot("FPDFPath_CountSegments", _I)                   # (path object)
Segment = _hot("FPDFPath_GetPathSegment", Handle)                   # (path object, index)
SegmentPoint = _hot("FPDFPathSegment_GetPoint", _I)                 # (segment, byref float ×2)
SegmentType = _hot("FPDFPathSegment_GetType", _I)                   # (segment)
SegmentClose = _hot("FPDFPathSegment_GetClose", _I)                 # (segment)
