"""What the package derives from its own text, kept across processes beside its bytecode, as ``.pyc``
files keep compiled modules: the compiled regular expressions (:mod:`xinzhou_fiscal.patterns`) and the
parsed template files (:func:`toml`). A process that reads and audits one PDF would otherwise spend
about 40 ms compiling patterns and 10 ms parsing TOML (``tomllib`` and ``re``'s compiler are pure
Python), a sixth of the whole process.

Each kind is one ``marshal`` file in the package's ``__pycache__`` (``<kind>.<interpreter>.marshal``),
stamped with the exact Python build (``sys.version``): another interpreter reads none of it. Like
bytecode, a file is written (atomically) by a process that derived something new, unless Python writes
no bytecode (``PYTHONDONTWRITEBYTECODE``, ``-B``) or the folder is read-only. Nothing here is required:
a missing, stale, damaged or unwritable file means deriving afresh, as without it.

``XF_PYCACHE=0`` turns the store off; ``XF_PYCACHE=DIR`` keeps the files in DIR (and writes them there
even when Python writes no bytecode).
"""
from __future__ import annotations

import atexit
import marshal
import os
import sys

_SETTING = os.environ.get("XF_PYCACHE", "")
ENABLED = _SETTING != "0"
_IN_PACKAGE = _SETTING in ("", "0", "1")
FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__") if _IN_PACKAGE else _SETTING
_BUILD = sys.version


def path(kind: str) -> str:
    """The file holding ``kind`` for this interpreter."""
    return os.path.join(FOLDER, f"{kind}.{sys.implementation.cache_tag}.marshal")


def read(kind: str):
    """What was stored for ``kind`` by this Python build, or None (absent, stale, damaged, switched off)."""
    if not ENABLED:
        return None
    try:
        with open(path(kind), "rb") as fh:
            build, value = marshal.loads(fh.read())      # one read: marshal.load(fh) reads item by item
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return value if build == _BUILD else None


def write(kind: str, value) -> None:
    """Store ``value`` (plain data ``marshal`` writes) for ``kind``, replacing the file atomically."""
    if not ENABLED or (sys.dont_write_bytecode and _IN_PACKAGE):
        return
    target = path(kind)
    tmp = f"{target}.{os.getpid()}.tmp"
    try:
        os.makedirs(FOLDER, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(marshal.dumps((_BUILD, value)))
        os.replace(tmp, target)
    except (OSError, ValueError):
        try:
            os.remove(tmp)
        except OSError:
            pass


_toml_stored: dict | None = None     # file -> ((mtime_ns, size), marshalled data), as read
_toml_new: dict = {}                 # the same, parsed by this process


def toml(file) -> dict:
    """The TOML file ``file`` parsed, as ``tomllib.load`` gives it (a fresh dict on each call): the
    stored parse when the file's modification time and size are those it was parsed at."""
    global _toml_stored
    if _toml_stored is None:
        stored = read("toml")
        _toml_stored = stored if isinstance(stored, dict) else {}
    file = os.fspath(file)
    stat = os.stat(file)
    stamp = (stat.st_mtime_ns, stat.st_size)
    entry = _toml_new.get(file) or _toml_stored.get(file)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == stamp:
        try:
            return marshal.loads(entry[1])
        except (EOFError, ValueError, TypeError):
            pass
    import tomllib
    with open(file, "rb") as fh:
        data = tomllib.load(fh)
    try:
        blob = marshal.dumps(data)
    except ValueError:                   # a value marshal does not write (a date): parsed each time
        return data
    if not _toml_new:
        atexit.register(lambda: write("toml", {**_toml_stored, **_toml_new}))
    _toml_new[file] = (stamp, blob)
    return data
