"""The package's regular expressions, compiled once and kept across processes (:mod:`.pycache`).

The package's ~300 patterns (template titles and labels, numbers, narrative phrasings) would be
compiled afresh by every process: ``re``'s compiler is pure Python, and a character class of CJK
characters costs 0.2–1.5 ms to compile (``[\\u4e00-\\u9fff]`` sets 21,000 entries of a bitmap one by
one), about 40 ms of a process that reads and audits one PDF. The package compiles its patterns with
:func:`compile` (never ``re.compile``; ``tests/test_patterns.py`` guards it), which keeps what ``re``'s
compiler makes of each — its ``_sre`` code with its group names — and hands the stored code of an
earlier process straight to ``_sre.compile``: the same code, so the same Pattern, matching the same.

Nothing global is changed: ``re`` and its compiler are untouched, and a user's patterns in the same
process are compiled by ``re`` as always. What this module relies on is private to CPython's ``re``
(``_parser.parse``, ``_compiler._code``, ``_sre.compile`` taking their output, ``_sre.MAGIC``): on the
first call a probe pattern made that way must match as ``re`` makes it match, else — and whenever the
store is off (``XF_PYCACHE=0``) or anything here fails — :func:`compile` is ``re.compile``. The store is
stamped with ``_sre.MAGIC`` and the code size besides the Python build (which :mod:`.pycache` checks),
and written at exit only by a process that compiled a pattern not yet stored.
"""
from __future__ import annotations

import _sre
import atexit
import re
from array import array
from re import _compiler, _parser

from xinzhou_fiscal import pycache

#: the engine the stored code is for (besides the Python build, which :mod:`.pycache` checks)
_ENGINE = (_sre.MAGIC, _sre.CODESIZE)
#: the array type of one code word: the code is stored as bytes (read back far faster than a list of ints)
_WORD = next((t for t in "IL" if array(t).itemsize == _sre.CODESIZE), "I")
_MAX_ENTRIES = 4096
_MAX_MADE = 1024

_stored: dict = {}        # (pattern, flags) -> (flags, code, groups, groupindex, indexgroup), from the file
_new: dict = {}           # the same, compiled by this process
_made_here: dict = {}     # (pattern, flags) -> the Pattern handed out in this process (as re's own cache)
_using_store: bool | None = None      # decided on the first call: the probe agrees and the store is on


def compile(pattern, flags=0) -> re.Pattern:
    """``re.compile(pattern, flags)``, through the code stored by earlier processes: the same Pattern
    (same code, flags and groups). ``re.compile`` itself when the store is off or unusable here."""
    key = (pattern, flags)
    made = _made_here.get(key)
    if made is None:
        if _using_store is None:
            _start()
        if not _using_store or not isinstance(pattern, (str, bytes)) or flags & _compiler.SRE_FLAG_DEBUG:
            return re.compile(pattern, flags)
        made = _through_store(pattern, int(flags))
        if len(_made_here) >= _MAX_MADE:
            _made_here.clear()
        _made_here[key] = made
    return made


def _start() -> None:
    """Decide once whether the store is used, and read it."""
    global _using_store
    _using_store = False
    if not pycache.ENABLED or not _engine_agrees():
        return
    stored = pycache.read("patterns")
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == _ENGINE and isinstance(stored[1], dict):
        _stored.update(stored[1])
    _using_store = True


def _through_store(pattern, flags: int) -> re.Pattern:
    """The Pattern from the stored code, or compiled (and kept for the store); ``re.compile`` when
    either fails (a pattern re refuses raises re's own error from there)."""
    key = (pattern, flags)
    pieces = _stored.get(key) or _new.get(key)
    try:
        if pieces is not None:
            return _made(pattern, pieces)
        return _fresh(pattern, flags)
    except Exception:                  # code this engine refuses, an error in the pattern: as re does
        _stored.pop(key, None)
        _new.pop(key, None)
        return re.compile(pattern, flags)


def _fresh(pattern, flags: int) -> re.Pattern:
    """Compile ``pattern`` as ``re._compiler.compile`` does and keep its pieces for the store. Called
    three frames below the caller of :func:`compile`, as ``_parser.parse`` is below ``re.compile``'s
    caller, so that the parser's warnings (stack levels counted from re.compile) name the caller's line."""
    pieces = _pieces(_parser.parse(pattern, flags), flags)
    if not _new:
        atexit.register(_save)
    _new[(pattern, flags)] = pieces
    return _made(pattern, pieces)


def _pieces(parsed, flags: int) -> tuple:
    """What ``re._compiler.compile`` hands ``_sre.compile`` for a parsed pattern (its own steps): the
    flags, the code (as bytes), the group count, name → group and group → name."""
    code = _compiler._code(parsed, flags)
    groupindex = parsed.state.groupdict
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (int(flags | parsed.state.flags), array(_WORD, code).tobytes(), parsed.state.groups - 1,
            {str(k): int(v) for k, v in groupindex.items()}, tuple(indexgroup))


def _made(pattern, pieces: tuple) -> re.Pattern:
    """The Pattern from stored pieces (the code as bytes)."""
    flags, code, groups, groupindex, indexgroup = pieces
    return _sre.compile(pattern, flags, array(_WORD, code).tolist(), groups, groupindex, indexgroup)


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
        made = _made(probe, _pieces(_parser.parse(probe, 0), 0)).match("年度 2025")
        return made is not None and made.group("word", 2) == ("年度", "2025")
    except Exception:
        return False
