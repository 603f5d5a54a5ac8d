"""The one label normaliser of the package: how a printed label (a row or column label, a table
title, a part heading, a narrative subject) is cleaned, and the key it is matched by.

The bracket convention, everywhere: **brackets are full-width** — ``(`` and ``)`` become ``（``
and ``）`` in every key and every cleaned header (因公出国（境）费, 台（套）); quotes (“ ” ‘ ’ " '
「 」) are no part of a key. Two levels:

* :func:`normalize_label` — the label *as printed*, without the spaces, tabs and line breaks that
  extraction leaves inside names; a space between two ASCII words or numbers is kept, as one
  space (``1  2`` stays two tokens). Brackets and quotes are left as printed: this is data.
* :func:`label_key` — what a label is *matched* by: no whitespace, no quotes, full-width
  brackets; with ``ordinal=True`` also without a leading ordinal (一、 （一） 1.). Two labels are
  the same when their keys are equal.

:func:`fullwidth_brackets` and :func:`strip_ordinal` are the two steps on their own (a table
header is ``fullwidth_brackets(normalize_label(cell))``). Read by every stage above the templates;
the templates match titles with it too (:func:`~xinzhou_fiscal.templates.detect.title_key`).
"""
from __future__ import annotations

import functools
import math

from xinzhou_fiscal import patterns

_LABEL_SPACE = patterns.compile(r"[\u3000\n\t ]")
_LABEL_SPACES = patterns.compile(r"[\u3000\n\t ]+")
_LABEL_GAP = patterns.compile(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])")
_NOT_IN_KEY = patterns.compile(r"[\s\u3000“”‘’\"'「」]")
#: a leading ordinal of a row label or heading: 一、 · （一） · (一) · 1. · 1、
ORDINAL = patterns.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.、．])\s*")
_FULLWIDTH = str.maketrans("()", "（）")


@functools.lru_cache(maxsize=8192)
def normalize_label(text: str) -> str:
    """A label with the spaces, tabs and line breaks that PDF extraction leaves inside names removed
    (see the module docstring). Memoised: table cells repeat (blank cells, 分值, 指标 names), about
    85 % of the calls on a report."""
    text = text.strip()
    if not _LABEL_SPACE.search(text):
        return text
    return _LABEL_GAP.sub("", _LABEL_SPACES.sub(" ", text))


def fullwidth_brackets(text: str) -> str:
    """``text`` with ASCII brackets made full-width (the package's bracket convention)."""
    return text.translate(_FULLWIDTH)


def strip_ordinal(label: str) -> str:
    """``一、一般公共服务支出`` → ``一般公共服务支出``; ``(一) 行政单位`` → ``行政单位``."""
    return ORDINAL.sub("", label).strip()


def label_key(label, *, ordinal: bool = False) -> str:
    """The key a label is matched by (module docstring); "" for None or NaN."""
    if label is None or (isinstance(label, float) and math.isnan(label)):
        return ""
    key = fullwidth_brackets(_NOT_IN_KEY.sub("", str(label)))
    return ORDINAL.sub("", key) if ordinal else key
