"""Characters → visual lines → text: a PDF page's characters grouped into lines by vertical
overlap (digits set lower in a Latin font stay on their line), a line's text with spaces where
the gap is wide, wrapped pieces joined without spaces."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from xinzhou_fiscal import patterns

_CJK_PUNCT = set("，。；：、！？（）《》〈〉“”‘’【】「」『』…—·,;:!?()")
_OVERLAP = 0.5          # a char joins a line it overlaps by at least half its (or the line's) height
_SPACE_GAP = 0.2        # a horizontal gap wider than 0.2 em is printed as one space


@dataclass
class VLine:
    """One visual line: characters sharing a vertical band, left to right."""

    chars: list[dict]
    top: float            # core band (the first characters that made the line)
    bottom: float
    page: int = 0
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    size: float = 0.0

    def finish(self) -> "VLine":
        chars = self.chars
        chars.sort(key=_X0)
        self.text = line_text(chars)
        self.x0 = chars[0]["x0"]                    # sorted by x0 (min gives the same first one)
        self.x1 = max([c["x1"] for c in chars])
        self.size = _median(sorted([char_size(c) for c in chars]))
        return self


def _X0(c: dict) -> float:
    return c["x0"]


def _median(ordered: list[float]) -> float:
    """The median of sorted values, as ``statistics.median`` gives it (whose import costs ~2 ms a process)."""
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def char_size(c: dict) -> float:
    return float(c.get("size") or (c["bottom"] - c["top"]) or 1.0)


def cluster_lines(chars: Iterable[dict]) -> list[VLine]:
    """Group characters into visual lines by vertical overlap with each line's core band.

    Characters are visited by vertical centre; a character joins the (recent) line whose core band
    it overlaps most, if that overlap is at least half of the smaller height, else starts a line.
    Digits set in a Latin font ~0.4 em below the Chinese baseline therefore stay on their line.
    """
    lines: list[VLine] = []
    for c in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        top, bottom = c["top"], c["bottom"]
        h = bottom - top
        if h < 0.1:
            h = 0.1
        best, best_ratio = None, 0.0
        for ln in lines[-6:]:
            lt, lb = ln.top, ln.bottom
            ov = (bottom if bottom < lb else lb) - (top if top > lt else lt)
            if ov <= 0:
                continue
            lh = lb - lt
            if lh < 0.1:
                lh = 0.1
            ratio = ov / (h if h < lh else lh)
            if ratio > best_ratio:
                best, best_ratio = ln, ratio
        if best is not None and best_ratio >= _OVERLAP:
            best.chars.append(c)
        else:
            lines.append(VLine([c], top, bottom))
    for ln in lines:
        ln.finish()
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def line_text(chars: list[dict]) -> str:
    """The text of one visual line (chars sorted by x): a space where the gap is wider than
    0.2 em, none next to Chinese punctuation; overprinted duplicates (fake bold) dropped."""
    out: list[str] = []
    prev: dict | None = None
    prev_size = 0.0
    for c in chars:
        t = c["text"]
        size = c.get("size") or (c["bottom"] - c["top"]) or 1.0     # char_size(c), inlined
        if prev is not None:
            if t == prev["text"] and abs(c["x0"] - prev["x0"]) < 0.3 * float(size):
                continue  # the same glyph printed twice (simulated bold)
            gap = c["x0"] - prev["x1"]
            if (gap > _SPACE_GAP * min(float(size), prev_size)
                    and t not in _CJK_PUNCT and prev["text"] not in _CJK_PUNCT):
                out.append(" ")
        out.append(t)
        prev, prev_size = c, float(size)
    return "".join(out)


def join_wrapped(a: str, b: str) -> str:
    """Join two wrapped pieces of one cell or paragraph: no space, except between two words of
    Latin letters (digits and Chinese run on: a number or a Chinese name is never split)."""
    if not a:
        return b
    if not b:
        return a
    if patterns.compile(r"[A-Za-z]").match(a[-1]) and patterns.compile(r"[A-Za-z]").match(b[0]):
        return a + " " + b
    return a + b


def chars_text(chars: list[dict]) -> str:
    """Text of a box of characters (a table cell): its visual lines joined."""
    if not chars:
        return ""
    text = ""
    for ln in cluster_lines(chars):
        text = join_wrapped(text, ln.text.strip())
    return text
