"""Where a span of an article's previous body is in its new body (contract §9).

The two bodies are compared by diff-match-patch (line by line first, then character by character inside
the changed lines, then cleaned up so that a reworded passage is one replacement rather than scattered
coincidental letters). A span is then:

- `exact` when no edit falls strictly inside it: its text is the same, its offsets move by the edits before it
  (an insertion right at its start or end is outside it);
- `changed` when edits fall inside it but at least half of its characters remain: the new span runs from its
  first to its last remaining character, widened to cover any edit at either end;
- otherwise its text is gone. Only then is its old text searched for, with `CONTEXT_CHARS` of the old body on
  each side: when that passage occurs exactly once in the new body (a paragraph moved, say), the span is
  placed there, `exact`. Anything else is `orphaned`: never placed on a lookalike.

A quote in parts (annotations/parts.py) is placed part by part, each as a span is; the text between its parts
(the attribution that interrupts it) may change freely. The quote is `exact` when every part is; when a part is
edited, or its text is gone (the part is dropped), it is `changed` as long as the parts that remain hold at least
half of its characters (counted over its parts, `KEPT_AT_LEAST`), else `orphaned`. Parts that would come out of
order are never rearranged: the quote is `orphaned`. Parts that end up touching are merged, and a quote left with
one part is an ordinary span.

Offsets are code points (Python `str` indices), as everywhere in the product.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass

import orjson
from diff_match_patch import diff_match_patch
from django.db import connection

from annotator.accounts.models import User
from annotator.annotations.kinds import span_attributes
from annotator.annotations.models import Action, Anchor, Annotation, Status
from annotator.articles.models import Article

CONTEXT_CHARS = 32
KEPT_AT_LEAST = 0.5  # the share of a span's characters that must remain for it to be `changed`, not gone
DIFF_TIMEOUT_SECONDS = 5.0  # past it the diff is coarser (more spans changed or orphaned), never wrong


@dataclass(frozen=True)
class Segment:
    """A stretch of the diff: equal text, or one change (old [old_start, old_end) became new [new_start, new_end))."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int
    equal: bool


@dataclass(frozen=True)
class Placement:
    anchor: str
    start: int | None = None
    end: int | None = None


ORPHANED = Placement(Anchor.ORPHANED)


def diff_ops(old: str, new: str) -> list[tuple[int, str]]:
    """The diff of two bodies as diff-match-patch's (operation, text) pairs: -1 deleted, 0 equal, 1 inserted."""
    dmp = diff_match_patch()
    dmp.Diff_Timeout = DIFF_TIMEOUT_SECONDS
    diffs = dmp.diff_main(old, new, True)
    dmp.diff_cleanupSemantic(diffs)
    return diffs


class BodyDiff:
    """The segments of the diff between an old and a new body, and where a span of the old one goes."""

    def __init__(self, old: str, new: str, ops: list[tuple[int, str]] | None = None):
        self.old, self.new = old, new
        self.segments: list[Segment] = []
        o = n = 0
        for op, text in diff_ops(old, new) if ops is None else ops:
            o_next = o + (len(text) if op <= 0 else 0)
            n_next = n + (len(text) if op >= 0 else 0)
            last = self.segments[-1] if self.segments else None
            if op != 0 and last is not None and not last.equal:
                self.segments[-1] = Segment(last.old_start, o_next, last.new_start, n_next, False)
            else:
                self.segments.append(Segment(o, o_next, n, n_next, op == 0))
            o, n = o_next, n_next
        self._old_starts = [s.old_start for s in self.segments]

    def _segment_of(self, position: int) -> int:
        """The index of the segment that holds the old body's character at `position`."""
        return bisect_right(self._old_starts, position) - 1

    def place(self, start: int, end: int) -> Placement:
        """Where the old body's span [start, end) is in the new body."""
        if not 0 <= start < end <= len(self.old):
            return ORPHANED
        first, last = self._segment_of(start), self._segment_of(end - 1)
        head, tail = self.segments[first], self.segments[last]
        if first == last and head.equal:
            new_start = head.new_start + start - head.old_start
            return Placement(Anchor.EXACT, new_start, new_start + end - start)
        kept = sum(min(end, s.old_end) - max(start, s.old_start) for s in self.segments[first : last + 1] if s.equal)
        if kept >= KEPT_AT_LEAST * (end - start):
            new_start = head.new_start + (start - head.old_start if head.equal else 0)
            new_end = tail.new_start + end - tail.old_start if tail.equal else tail.new_end
            if new_end > new_start:
                if self.new[new_start:new_end] == self.old[start:end]:
                    return Placement(Anchor.EXACT, new_start, new_end)
                return Placement(Anchor.CHANGED, new_start, new_end)
        return self.search(start, end)

    def place_parts(self, parts: list[list[int]]) -> tuple[Placement, list[list[int]] | None]:
        """Where a quote's parts are in the new body: its placement (the hull) and new parts (see the module doc)."""
        placed = [(self.place(s, e), e - s) for s, e in parts]
        kept = [placement for placement, _ in placed if placement.anchor != Anchor.ORPHANED]
        kept_chars = sum(length for placement, length in placed if placement.anchor != Anchor.ORPHANED)
        if not kept or kept_chars < KEPT_AT_LEAST * sum(length for _, length in placed):
            return ORPHANED, None
        new_parts: list[list[int]] = []
        for placement in kept:
            if new_parts and placement.start < new_parts[-1][1]:
                return ORPHANED, None  # out of order or overlapping: never rearranged
            if new_parts and placement.start == new_parts[-1][1]:
                new_parts[-1][1] = placement.end
            else:
                new_parts.append([placement.start, placement.end])
        exact = len(kept) == len(placed) and all(p.anchor == Anchor.EXACT for p in kept)
        hull = Placement(Anchor.EXACT if exact else Anchor.CHANGED, new_parts[0][0], new_parts[-1][1])
        return hull, new_parts if len(new_parts) > 1 else None

    def search(self, start: int, end: int) -> Placement:
        """The span's text found again with its context, when that passage occurs exactly once; else orphaned."""
        before = self.old[max(0, start - CONTEXT_CHARS) : start]
        after = self.old[end : end + CONTEXT_CHARS]
        passage = before + self.old[start:end] + after
        found = self.new.find(passage)
        if found < 0 or self.new.find(passage, found + 1) >= 0:
            return ORPHANED
        new_start = found + len(before)
        return Placement(Anchor.EXACT, new_start, new_start + end - start)


# --- the annotations of an article ------------------------------------------------------------------


@dataclass
class Reanchored:
    """What a revision did to an article's annotations (those with a span; orphans of earlier revisions stay)."""

    exact: int = 0
    changed: int = 0
    orphaned: int = 0
    to_review: int = 0  # approved or submitted ones whose text changed: submitted again, for a reviewer

    def as_dict(self) -> dict[str, int]:
        return {"exact": self.exact, "changed": self.changed, "orphaned": self.orphaned, "to_review": self.to_review}


# One statement for every moved row and one for every history entry, whatever their number: the rows travel as
# one JSON document (Django's bulk_update writes a CASE per field, and binding thousands of values one by one,
# or arrays of text, costs more in quoting than PostgreSQL takes to write them; bench/revisions.py).
UPDATE_ANNOTATIONS = """
UPDATE annotations_annotation a
SET start = u.start, "end" = u."end", text = u.text, parts = u.parts, anchor = u.anchor, attributes = u.attributes,
    status = u.status, version = u.version, updated_at = u.updated_at, submitted_at = u.submitted_at,
    old_start = u.old_start, old_end = u.old_end, old_revision = u.old_revision
FROM jsonb_to_recordset(%s::jsonb)
     AS u(id bigint, start int, "end" int, text text, parts int[], anchor text, attributes jsonb, status text,
          version int, updated_at timestamptz, submitted_at timestamptz, old_start int, old_end int, old_revision int)
WHERE a.id = u.id
"""
UPDATED_FIELDS = (
    "start", "end", "text", "parts", "anchor", "attributes", "status", "version", "updated_at", "submitted_at",
    "old_start", "old_end", "old_revision",
)  # fmt: skip
INSERT_EVENTS = """
INSERT INTO annotations_annotationevent (annotation_id, article_id, actor_id, action, at, changes, state, comment)
SELECT e.annotation_id, e.article_id, e.actor_id, e.action, e.at, e.changes, e.state, e.comment
FROM jsonb_to_recordset(%s::jsonb)
     AS e(annotation_id bigint, article_id bigint, actor_id bigint, action text, at timestamptz, changes jsonb,
          state jsonb, comment text)
"""
# The fields of a history entry's `state` (Annotation.snapshot), and the columns they come from.
STATE_FIELDS_NAMED = ("kind", "start", "end", "text", "parts", "attributes", "status", "origin", "author", "version")
STATE_FIELDS = tuple("author_id" if name == "author" else name for name in STATE_FIELDS_NAMED)


def reanchor_annotations(
    *, article: Article, actor: User | None, old_body: str, old_revision: int, now: dt.datetime
) -> Reanchored:
    """Re-anchor every annotation of the article from `old_body` to its (new) body, in the caller's transaction
    (the article row locked by it): one history entry per annotation with a span, one UPDATE for those that moved.
    Approved or submitted ones whose text changed go back to `submitted`; a `changed` mark stays until someone
    edits or reviews the annotation."""
    diff = BodyDiff(old_body, article.body)
    spans = [a.name for a in span_attributes()]
    # Rows, not model instances: building 2,000 instances and their history entries took most of the time.
    rows = (
        Annotation.with_orphans.select_for_update(of=("self",))
        .filter(article=article)
        .exclude(start__isnull=True)
        .order_by("pk")
        .values(*STATE_FIELDS, "id", "anchor", "submitted_at", "old_start", "old_end", "old_revision")
    )
    summary = Reanchored()
    moved, events = [], []
    actor_id = actor.pk if actor is not None else None
    for row in rows:
        before, new = state_of(row), dict(row)
        if row["parts"]:
            placement, parts = diff.place_parts(row["parts"])
        else:
            placement, parts = diff.place(row["start"], row["end"]), None
        anchor = placement.anchor
        attributes = new["attributes"] = dict(row["attributes"])
        for name in spans:
            value = attributes.get(name)
            if not value:
                continue
            mention = diff.place(*value)
            attributes[name] = [mention.start, mention.end] if mention.start is not None else None
            if mention.anchor != Anchor.EXACT and anchor == Anchor.EXACT:
                anchor = Anchor.CHANGED  # the speaker or cue was edited: the annotation needs a look
        if anchor == Anchor.EXACT and row["anchor"] == Anchor.CHANGED:
            anchor = Anchor.CHANGED
        changes = {
            "revision": [old_revision, article.revision],
            "start": [row["start"], placement.start],
            "end": [row["end"], placement.end],
        }
        if placement.anchor == Anchor.ORPHANED:
            new.update(old_start=row["start"], old_end=row["end"], old_revision=old_revision, start=None, end=None)
        else:  # an orphan keeps its text (it is what the orphan list shows), and its parts (old offsets)
            new.update(start=placement.start, end=placement.end, text=article.body[placement.start : placement.end])
            new["parts"] = parts
        new["anchor"] = anchor
        if anchor != Anchor.EXACT and row["status"] in (Status.APPROVED, Status.SUBMITTED):
            summary.to_review += 1
            new.update(status=Status.SUBMITTED, submitted_at=now)
        setattr(summary, anchor, getattr(summary, anchor) + 1)
        after = state_of(new)
        if anchor != row["anchor"]:
            changes["anchor"] = [row["anchor"], anchor]
        changes.update({k: [before[k], v] for k, v in after.items() if k not in ("start", "end") and before[k] != v})
        if after != before or anchor != row["anchor"]:
            new["version"] = after["version"] = row["version"] + 1
            new["updated_at"] = now
            moved.append({"id": row["id"], **{f: new[f] for f in UPDATED_FIELDS}})
        events.append(
            {
                "annotation_id": row["id"], "article_id": article.pk, "actor_id": actor_id,
                "action": Action.REANCHORED, "at": now, "changes": changes, "state": after, "comment": "",
            }
        )  # fmt: skip
    with connection.cursor() as cursor:
        if moved:
            cursor.execute(UPDATE_ANNOTATIONS, [orjson.dumps(moved).decode()])
        if events:
            cursor.execute(INSERT_EVENTS, [orjson.dumps(events).decode()])
    return summary


def state_of(row: dict) -> dict:
    """What `Annotation.snapshot` records, from a row of values (tests/test_revisions.py checks they agree)."""
    return {name: row["author_id" if name == "author" else name] for name in STATE_FIELDS_NAMED}
