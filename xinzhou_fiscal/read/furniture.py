"""Page furniture: what a page prints besides its content (page numbers)."""
from __future__ import annotations

from xinzhou_fiscal import patterns

PAGE_NUMBER = patterns.compile(r"^[\s\-—–－─━第]*\d{1,4}\s*(页)?\s*([/／共]\s*\d{1,4}\s*页?)?[\s\-—–－─━]*$")
"""A line that is only a page number: ``- 3 -``, ``第3页``, ``3/25``, ``第3页 共25页``."""
