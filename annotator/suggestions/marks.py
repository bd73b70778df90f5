"""Quotation marks: which characters open and close a quote, and the quoted stretches of a paragraph.

Straight and curly double quotes, « » with or without inner spaces, „ with “ or ”, 「」 and 『』, '' and ``,
and single quotes; a single quote counts only where it cannot be an apostrophe ("don’t", "the ’90s").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from annotator.suggestions.text import trim

# Each opening mark and the marks that may close it.
PAIRS = {
    "“": ("”", "“"),
    "„": ("“", "”"),
    "«": ("»",),
    "「": ("」",),
    "『": ("』",),
    '"': ('"',),
    "''": ("''",),
    "``": ("''",),
    "‘": ("’", "'"),
    "'": ("'", "’"),
}
QUOTE_CHARACTER = re.compile(r"''|``|[\"“”„«»「」『』‘’']")
SINGLE = {"‘", "'", "’"}


@dataclass(frozen=True, slots=True)
class Segment:
    """A quoted stretch: the marks at `open` and `close`, the trimmed words inside at [start, end)."""

    open: int
    close: int  # index of the closing mark; the paragraph end when a quote runs on into the next paragraph
    close_end: int  # just after the closing mark
    start: int
    end: int
    single: bool


def quoted_segments(body: str, low: int, high: int) -> list[Segment]:
    """Quoted stretches of one paragraph. Single quotes inside double ones are part of the double quote."""
    found = []
    opened = None
    for match in _marks(body, low, high):
        mark = match.group()
        if opened is None:
            if mark in PAIRS and mark not in "”»」』":
                opened = match
            continue
        open_mark = opened.group()
        if mark in PAIRS[open_mark] and match.start() > opened.end():
            if open_mark == '"' or open_mark == "''" or _closes(body, match):
                found.append(_segment(body, opened, match.start(), match.end(), open_mark in SINGLE))
                opened = None
        elif mark in PAIRS and mark == open_mark and open_mark in "“„«":
            opened = match  # an opening mark that was never closed: start again from the new one
    if opened is not None and opened.group() not in SINGLE:
        # A quote that runs on into the next paragraph: news style leaves its closing mark out.
        found.append(_segment(body, opened, high, high, False))
    return [seg for seg in found if seg.start < seg.end]


def _marks(body: str, low: int, high: int) -> Iterator[re.Match]:
    """Quotation marks of a paragraph. A single quote counts when it can open (no word before it, a letter
    after it) or close (no space before it, no word after it): apostrophes ("don’t", "the ’90s") do not."""
    for match in QUOTE_CHARACTER.finditer(body, low, high):
        mark = match.group()
        if mark in SINGLE:
            index = match.start()
            before = body[index - 1] if index > 0 else ""
            after = body[index + 1] if index + 1 < high else ""
            opens = mark != "’" and not _wordlike(before) and after.isalpha()
            closes = mark != "‘" and before != "" and not before.isspace() and before not in "\"“„‘'"
            if not (opens or (closes and not _wordlike(after))):
                continue
        yield match


def _wordlike(char: str) -> bool:
    return char != "" and (char.isalnum() or char in "_’'")


def _closes(body: str, match: re.Match) -> bool:
    mark = match.group()
    if mark in "“":  # a “ that closes („…“ or a typo): something before it, nothing word-like right after it
        after = body[match.end() : match.end() + 1]
        return not after or not after.isalnum()
    return True


def _segment(body: str, opened: re.Match, close: int, close_end: int, single: bool) -> Segment:
    start, end = trim(body, opened.end(), close)
    return Segment(opened.start(), close, close_end, start, end, single)
