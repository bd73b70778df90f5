"""Quotes in parts (contract §10): a quote interrupted by its attribution (“We will act,” she said, “and soon.”)
is one quote whose `parts` are the stretches of quoted words; its `start`/`end` are their hull and its `text` is
body[start:end], as for any span. `clean_span_and_parts` is the one place the rules are checked:

- only a quote has parts; each is `[s, e]` (or `{"start": s, "end": e, "text": t}`, as the JSON Lines export
  writes it, its text checked) with 0 <= s < e <= the body's length, in code points, half-open;
- the parts are taken in the order of their starts (the order given does not matter); two parts may not overlap;
  two parts that touch (one ends where the next starts, nothing between them) are one stretch of text and are
  merged into one part;
- the first part starts at `start` and the last ends at `end` (when those are given; else they are the hull);
- a quote left with one part is an ordinary span: its parts are stored as null.

Errors name the part as it was given: `parts[1]: [40, 30] ends before it starts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError

from annotator.annotations.kinds import Kind
from annotator.annotations.labels import clean_span

Part = tuple[int, int]
MAX_PARTS = 100

# A field an edit leaves out (the services' keyword default): it stays as it was.
UNSET: Any = object()


def _refuse(message: str) -> ValidationError:
    return ValidationError({"parts": message})


def _is_offset(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _one_part(body: str, index: int, given: Any) -> Part:
    """One part as given, checked on its own: a pair of offsets inside the body (and its text, when given)."""
    name = f"parts[{index}]"
    text = None
    if isinstance(given, dict):
        unknown = sorted(set(given) - {"start", "end", "text"})
        if unknown:
            raise _refuse(f"{name}: {', '.join(unknown)} is not a field of a part; give start, end and text")
        pair, text = [given.get("start"), given.get("end")], given.get("text")
    else:
        pair = given
    if not isinstance(pair, list | tuple) or len(pair) != 2 or not all(_is_offset(v) for v in pair):
        raise _refuse(f"{name}: must be a pair of code-point offsets [start, end]")
    start, end = pair
    if start < 0:
        raise _refuse(f"{name}: [{start}, {end}] starts before the body (offsets count from 0)")
    if end < start:
        raise _refuse(f"{name}: [{start}, {end}] ends before it starts")
    if end == start:
        raise _refuse(f"{name}: [{start}, {end}] is empty")
    if end > len(body):
        raise _refuse(f"{name}: [{start}, {end}] ends past the end of the body ({len(body)} code points)")
    if text is not None and text != body[start:end]:
        raise _refuse(f"{name}: the text does not match the body at [{start}, {end}), which reads {body[start:end]!r}")
    return start, end


def clean_parts(body: str, given: Any) -> list[Part]:
    """The parts as stored: checked, in order, touching ones merged (see the module's docstring)."""
    if not isinstance(given, list | tuple) or not given:
        raise _refuse("must be a list of at least one part [start, end], or null for an ordinary span")
    if len(given) > MAX_PARTS:
        raise _refuse(f"{len(given)} parts; a quote has at most {MAX_PARTS}")
    numbered = sorted((_one_part(body, index, part), index) for index, part in enumerate(given))
    merged: list[Part] = []
    for number, ((start, end), index) in enumerate(numbered):
        if merged and start < merged[-1][1]:
            (before_start, before_end), before = numbered[number - 1]
            raise _refuse(f"parts[{index}]: [{start}, {end}] overlaps parts[{before}] [{before_start}, {before_end}]")
        if merged and start == merged[-1][1]:
            merged[-1] = (merged[-1][0], end)  # nothing between them: one stretch of text
        else:
            merged.append((start, end))
    return merged


def clean_span_and_parts(
    body: str, kind: str, start: Any, end: Any, text: Any, parts: Any
) -> tuple[int | None, int | None, str | None, list[list[int]] | None]:
    """An annotation's span and parts as stored: (start, end, text, parts), parts null for an ordinary span."""
    if parts is None:
        return (*clean_span(body, kind, start, end, text), None)
    if kind != Kind.QUOTE:
        raise _refuse(f"only a quote has parts; leave them out (or null) for a {kind}")
    cleaned = clean_parts(body, parts)
    first, last = cleaned[0][0], cleaned[-1][1]
    if start is not None and start != first:
        raise _refuse(f"the first part starts at {first}, but start is {start}: start is where the first part starts")
    if end is not None and end != last:
        raise _refuse(f"the last part ends at {last}, but end is {end}: end is where the last part ends")
    start, end, text = clean_span(body, kind, first, last, text)
    return start, end, text, [list(part) for part in cleaned] if len(cleaned) > 1 else None


def moved_hull(parts: list[list[int]], start: Any, end: Any) -> list[list[int]]:
    """A quote's parts after its start or end alone was changed: the first part starts at the new start, the last
    ends at the new end (the checks of clean_parts follow, naming the part that no longer holds)."""
    moved = [list(part) for part in parts]
    if _is_offset(start):
        moved[0][0] = start
    if _is_offset(end):
        moved[-1][1] = end
    return moved


PART_GAP = " … "


def excerpt(text: str | None, start: int | None, parts: Sequence[Sequence[int]] | None) -> str | None:
    """An annotation's text as people read it: a quote in parts as its parts' texts joined by " … " (cut from its
    own text, which runs from its first part to its last)."""
    if not parts or text is None or start is None:
        return text
    return PART_GAP.join(text[s - start : e - start] for s, e in parts)


def edited_span(annotation, start, end, text, parts) -> tuple:
    """The span and parts an edit asks for, checked; what it leaves out stays as it was."""
    from annotator.annotations.models import Anchor  # models imports this module

    if parts is UNSET:
        # An orphan's parts are offsets into an older body: placed again, it is an ordinary span.
        kept = annotation.parts if annotation.anchor != Anchor.ORPHANED else None
        parts = moved_hull(kept, start, end) if kept else None
    if parts is None:
        start = annotation.start if start is UNSET else start
        end = annotation.end if end is UNSET else end
    else:  # the parts give the hull; a start or end sent with them must agree with it
        start = None if start is UNSET else start
        end = None if end is UNSET else end
    text = None if text is UNSET else text
    return clean_span_and_parts(annotation.article.body, annotation.kind, start, end, text, parts)
