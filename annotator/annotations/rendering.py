"""The article body as HTML with every visible annotation drawn as (possibly nested) <mark> elements.

The body is divided into paragraphs (`<span class="para" id="para-I">`, each ending with the blank
lines after it), so that a save re-renders only the paragraphs it touches. Within a paragraph the
text is cut at every span boundary into segments; each segment is a `<span data-o="N">` (N: its
code-point offset in the body) wrapped in one `<mark>` per annotation covering it, outermost (earliest
start, then longest) first. Overlapping spans that do not nest are thus split into several marks with
the same `data-ann`, and the page's text content is exactly the body: the browser's offset module
relies on both.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from html import escape

from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Highlight:
    id: int
    kind: str
    status: str
    start: int
    end: int
    suggested: bool = False
    label: str = ""  # the class of its label's colour (colours.py), if it has one

    def open_tag(self) -> str:
        suggested = " suggested" if self.suggested else ""
        label = f" {self.label}" if self.label else ""
        return f'<mark class="ann k-{self.kind} st-{self.status}{suggested}{label}" data-ann="{self.id}">'


def segments(length: int, highlights: Iterable[Highlight]) -> list[tuple[int, int, list[Highlight]]]:
    """[(start, end, covering highlights outermost first)] covering [0, length) without gaps."""
    spans = sorted((h for h in highlights if 0 <= h.start < h.end <= length), key=lambda h: (h.start, -h.end, h.id))
    cuts = sorted({0, length, *(h.start for h in spans), *(h.end for h in spans)})
    result = []
    active: list[Highlight] = []
    next_span = 0
    for left, right in itertools.pairwise(cuts):
        active = [h for h in active if h.end > left]
        while next_span < len(spans) and spans[next_span].start == left:
            active.append(spans[next_span])
            next_span += 1
        active.sort(key=lambda h: (h.start, -h.end, h.id))
        result.append((left, right, list(active)))
    return result


PARAGRAPH_BREAK = re.compile(r"\n{2,}")


def paragraphs(body: str) -> list[tuple[int, int]]:
    """[(start, end)] of each paragraph, the blank lines after it included; they tile the body."""
    bounds = [0, *(m.end() for m in PARAGRAPH_BREAK.finditer(body) if m.end() < len(body)), len(body)]
    return list(itertools.pairwise(bounds))


def touched_paragraphs(body: str, spans: Iterable[tuple[int, int]]) -> list[int]:
    """The indexes of the paragraphs that share at least one character with one of the spans."""
    spans = [(s, e) for s, e in spans if s is not None and e is not None]
    return [i for i, (ps, pe) in enumerate(paragraphs(body)) if any(s < pe and e > ps for s, e in spans)]


def _render_range(body: str, highlights: list[Highlight], start: int, end: int) -> str:
    clipped = [
        replace(h, start=max(h.start, start) - start, end=min(h.end, end) - start)
        for h in highlights
        if h.start < end and h.end > start
    ]
    parts: list[str] = []
    for s, e, covering in segments(end - start, clipped):
        parts.extend(h.open_tag() for h in covering)
        parts.append(f'<span data-o="{start + s}">{escape(body[start + s : start + e], quote=False)}</span>')
        parts.append("</mark>" * len(covering))
    return "".join(parts)


def render_paragraphs(body: str, highlights: Iterable[Highlight], indexes: Iterable[int]) -> list[SafeString]:
    """Some paragraph elements, marked for htmx to swap in place of the ones on the page."""
    bounds = paragraphs(body)
    highlights = list(highlights)
    return [
        mark_safe(  # noqa: S308 text is escaped
            f'<span class="para" id="para-{index}" hx-swap-oob="true">'
            f"{_render_range(body, highlights, *bounds[index])}</span>"
        )
        for index in indexes
    ]


def render_body(body: str, highlights: Iterable[Highlight]) -> SafeString:
    """The body as escaped HTML with nested marks; its text content is exactly `body`."""
    bounds = paragraphs(body)
    starts = [start for start, _ in bounds]
    buckets: list[list[Highlight]] = [[] for _ in bounds]
    for h in highlights:
        if 0 <= h.start < h.end <= len(body):
            for index in range(bisect_right(starts, h.start) - 1, bisect_right(starts, h.end - 1)):
                buckets[index].append(h)
    parts = [
        f'<span class="para" id="para-{index}">{_render_range(body, buckets[index], start, end)}</span>'
        for index, (start, end) in enumerate(bounds)
    ]
    return mark_safe("".join(parts))  # noqa: S308 every piece of text above is escaped
