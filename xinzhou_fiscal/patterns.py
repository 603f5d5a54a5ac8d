"""Compiled regular expressions kept across processes, as ``.pyc`` files keep compiled modules.

The package's ~300 patterns (template titles and labels, numbers, narrative phrasings) are compiled
afresh by every process: ``re``'s compiler is pure Python, and a character class of CJK characters
costs 0.2–1.5 ms to compile (``[\\u4e00-\\u9fff]`` sets 21,000 entries of a bitmap one by one), about
40 ms of a process that reads and audits one PDF. This module keeps the compiler's output — the
``_sre`` code of each pattern the package compiled, with its group names — in one file beside the
package's bytecode (``__pycache__/patterns.<interpreter>.marshal``) and hands it straight to ``_sre``
on the next compile of the same pattern: the same code, so the same Pattern, matching the same.
Like bytecode, the file is written by the first process that compiles the patterns, unless Python
writes no bytecode (``PYTHONDONTWRITEBYTECODE``, ``-B``).

The file is keyed by the exact Python build (``sys.version``) and ``_sre.MAGIC``: another interpreter
or an ``re`` engine of another layout reads none of it. Only patterns compiled from the package's
own modules are written (a user's patterns in the same process are compiled as usual and not kept).
Nothing here is required: a missing, unreadable, stale or read-only file means compiling as ``re``
always does. ``XF_PATTERN_CACHE=0`` turns the cache off; ``XF_PATTERN_CACHE=DIR`` keeps the file in DIR.
"""
from __future__ import annotations

import _sre
import atexit
import marshal
import os
import sys
from re import _compiler, _parser

#: ``XF_PATTERN_CACHE``: ``0`` turns the cache off; a folder puts the file there instead of ``__pycache__``
_SETTING = os.environ.get("XF_PATTERN_CACHE", "")
_DIR_DEFAULT = _SETTING in ("", "0", "1")
_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__") if _DIR_DEFAULT else _SETTING
FILE = os.path.join(_DIR, f"patterns.{sys.implementation.cache_tag}.marshal")
#: the interpreter build the stored code belongs to (a bug-fix release may change the compiler)
_KEY = (sys.version, _sre.MAGIC, _sre.CODESIZE)
_MAX_ENTRIES = 4096

_stored: dict = {}        # (pattern, flags) -> (flags, code, groups, groupindex, indexgroup), from the file
_new: dict = {}           # the same, compiled by this process from the package's code
_original = _compiler.compile


def _pieces(pattern, flags: int) -> tuple:
    """What ``re._compiler.compile`` hands ``_sre.compile`` for ``pattern`` (its own steps)."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = parsed.state.groupdict
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    # the opcodes are int subclasses (named constants): plain ints to store and to hand on
    return (int(flags | parsed.state.flags), [int(c) for c in code], parsed.state.groups - 1,
            {str(k): int(v) for k, v in groupindex.items()}, tuple(indexgroup))


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
            return _sre.compile(pattern, *pieces)
        except (RuntimeError, TypeError, ValueError, OverflowError):     # code this engine refuses: afresh
            _stored.pop(key, None)
    if not isinstance(pattern, (str, bytes)) or flags & _compiler.SRE_FLAG_DEBUG or not _from_package():
        return _original(pattern, flags)
    pieces = _pieces(pattern, flags)
    _new[key] = pieces
    return _sre.compile(pattern, *pieces)


def _load() -> None:
    """The stored patterns of this interpreter build (none when the file is absent, unreadable or damaged)."""
    try:
        with open(FILE, "rb") as fh:
            key, entries = marshal.loads(fh.read())      # one read: marshal.load(fh) reads item by item
    except (OSError, EOFError, ValueError, TypeError):
        return
    if key == _KEY and isinstance(entries, dict):
        _stored.update(entries)


def _save() -> None:
    """Write the stored and the new patterns (atomically; nothing when nothing is new, when the
    package folder is read-only, or when Python writes no bytecode — ``PYTHONDONTWRITEBYTECODE``, ``-B``
    — and no folder was named)."""
    if not _new or (sys.dont_write_bytecode and _DIR_DEFAULT):
        return
    entries = {**_stored, **_new} if len(_stored) + len(_new) <= _MAX_ENTRIES else dict(_new)
    tmp = f"{FILE}.{os.getpid()}.tmp"
    try:
        os.makedirs(_DIR, exist_ok=True)
        with open(tmp, "wb") as fh:
            marshal.dump((_KEY, entries), fh)
        os.replace(tmp, FILE)
    except (OSError, ValueError):
        try:
            os.remove(tmp)
        except OSError:
            pass


def install() -> None:
    """Route ``re``'s compiler through the stored code for this process (once)."""
    if _compiler.compile is _compile or _SETTING == "0":
        return
    _load()
    _compiler.compile = _compile
    atexit.register(_save)
