"""Compiled regular expressions kept across processes (:mod:`xinzhou_fiscal.pycache`).

The package's ~300 patterns (template titles and labels, numbers, narrative phrasings) would be
compiled afresh by every process: ``re``'s compiler is pure Python, and a character class of CJK
characters costs 0.2–1.5 ms to compile (``[\\u4e00-\\u9fff]`` sets 21,000 entries of a bitmap one by
one), about 40 ms of a process that reads and audits one PDF. :func:`install` routes ``re``'s compiler
through the stored output of earlier processes — each pattern's ``_sre`` code with its group names —
and hands it straight to ``_sre``: the same code, so the same Pattern, matching the same. The store is
stamped with ``_sre.MAGIC`` and the code size besides the Python build. Only patterns compiled from the
package's own modules are stored (a user's patterns in the same process are compiled as usual).
"""
from __future__ import annotations

import _sre
import atexit
import sys
from array import array
from re import _compiler, _parser

from xinzhou_fiscal import pycache

#: the engine the stored code is for (besides the Python build, which :mod:`.pycache` checks)
_ENGINE = (_sre.MAGIC, _sre.CODESIZE)
#: the array type of one code word: the code is stored as bytes (read back far faster than a list of ints)
_WORD = next((t for t in "IL" if array(t).itemsize == _sre.CODESIZE), "I")
_MAX_ENTRIES = 4096

_stored: dict = {}        # (pattern, flags) -> (flags, code, groups, groupindex, indexgroup), from the file
_new: dict = {}           # the same, compiled by this process from the package's code
_original = _compiler.compile


def _pieces(pattern, flags: int) -> tuple:
    """What ``re._compiler.compile`` hands ``_sre.compile`` for ``pattern`` (its own steps)."""
    return _pieces_of(_parser.parse(pattern, flags), flags)


def _pieces_of(parsed, flags: int) -> tuple:
    """The code, flags and groups of a parsed pattern, as ``re._compiler.compile`` makes them."""
    code = _compiler._code(parsed, flags)
    groupindex = parsed.state.groupdict
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (int(flags | parsed.state.flags), array(_WORD, code).tobytes(), parsed.state.groups - 1,
            {str(k): int(v) for k, v in groupindex.items()}, tuple(indexgroup))


def _made(pattern, pieces: tuple):
    """The Pattern from stored pieces (the code as bytes)."""
    flags, code, groups, groupindex, indexgroup = pieces
    return _sre.compile(pattern, flags, array(_WORD, code).tolist(), groups, groupindex, indexgroup)


def _from_package() -> bool:
    """Whether the compile was asked for by one of the package's modules (the first caller outside ``re``)."""
    frame = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module != "re" and not module.startswith("re."):
            return module == "xinzhou_fiscal" or module.startswith("xinzhou_fiscal.")
        frame = frame.f_back
    return False


def _compile(pattern, flags=0):
    """``re._compiler.compile`` through the stored code: a stored pattern goes straight to ``_sre``."""
    key = (pattern, int(flags))
    pieces = _stored.get(key) or _new.get(key)
    if pieces is not None:
        try:
            return _made(pattern, pieces)
        except (RuntimeError, TypeError, ValueError, OverflowError):     # code this engine refuses: afresh
            _stored.pop(key, None)
    if not isinstance(pattern, (str, bytes)) or flags & _compiler.SRE_FLAG_DEBUG or not _from_package():
        return _original(pattern, flags)
    # parsed here, not in a helper: the parser's warnings count their stack level from re.compile
    pieces = _pieces_of(_parser.parse(pattern, flags), flags)
    _new[key] = pieces
    return _made(pattern, pieces)


def _save() -> None:
    """Store the patterns read and the new ones (only the new ones beyond ``_MAX_ENTRIES``)."""
    if _new:
        entries = {**_stored, **_new} if len(_stored) + len(_new) <= _MAX_ENTRIES else dict(_new)
        pycache.write("patterns", (_ENGINE, entries))


def _engine_agrees() -> bool:
    """Whether this interpreter's ``re`` internals are those :func:`_pieces` mirrors (``_parser.parse``,
    ``_compiler._code``, ``_sre.compile`` taking their output): a pattern made through them matches
    as ``re`` compiles it."""
    probe = r"(?P<word>[\u4e00-\u9fff]+)\s*(\d+)"
    try:
        made = _made(probe, _pieces(probe, 0)).match("年度 2025")
        return made is not None and made.group("word", 2) == ("年度", "2025")
    except (AttributeError, TypeError, ValueError, RuntimeError):
        return False


def install() -> None:
    """Route ``re``'s compiler through the stored code for this process (once; not at all when the
    store is off or this interpreter's ``re`` is not laid out as :func:`_pieces` expects)."""
    if _compiler.compile is _compile or not pycache.ENABLED or not _engine_agrees():
        return
    stored = pycache.read("patterns")
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == _ENGINE and isinstance(stored[1], dict):
        _stored.update(stored[1])
    _compiler.compile = _compile
    atexit.register(_save)
