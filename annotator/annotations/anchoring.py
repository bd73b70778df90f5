"""Where a span of an article's previous body is in its new body (contract §9).

The two bodies are compared by diff-match-patch (line by line first, then character by character inside
the changed lines, then cleaned up so that a reworded passage is one replacement rather than scattered
coincidental letters). A span is then:

- `exact` when no edit falls strictly inside it: its text is the same, its offsets move by the edits before it
  (an insertion right at its start or end is outside it);
- `changed` when edits fall inside it but at least half of its characters remain: the new span runs from its
  first to its last remaining character, widened to cover any edit at either end;
- otherwise its text is gone. Only then is its old text searched for, with `CONTEXT_CHARS` of the old body on
  each side: when that passage occurs exactly once in the new body and once in the old one (a paragraph moved,
  say), the span is placed there, `exact`. Anything else is `orphaned`: never placed on a lookalike, nor on
  the other copy of a passage the article repeats.

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

from annotator.accounts.models import User
from annotator.annotations.kinds import span_attributes
from annotator.annotations.models import Action, Anchor, Status
from annotator.articles.models import Article
from annotator.database import binary_cursor

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


def compact_diff(ops: list[tuple[int, str]]) -> list[list[int]]:
    """The diff as [operation, length] pairs: what a revision stores (its texts are in the two bodies)."""
    return [[op, len(text)] for op, text in ops]


def expand_diff(old: str, new: str, compact: list[list[int]]) -> list[tuple[int, str]]:
    """diff_ops(old, new) again from its compact form: removed and kept text read from `old`, added from `new`."""
    ops, o, n = [], 0, 0
    for op, length in compact:
        if op > 0:
            ops.append((op, new[n : n + length]))
            n += length
        else:
            ops.append((op, old[o : o + length]))
            o += length
            n += length if op == 0 else 0
    if o != len(old) or n != len(new):
        raise ValueError("the stored diff does not join these two bodies")
    return ops


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
        """The span's text found again with its context, when that passage occurs exactly once in each body; else
        orphaned. (A passage the old body has twice, a repeated paragraph say, found once in the new one is as
        likely the other copy, whose own span the diff placed, as this one.)"""
        before = self.old[max(0, start - CONTEXT_CHARS) : start]
        after = self.old[end : end + CONTEXT_CHARS]
        passage = before + self.old[start:end] + after
        found = self.new.find(passage)
        if found < 0 or self.new.find(passage, found + 1) >= 0 or self.old.count(passage) > 1:
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


# The annotations with a place in the old body, locked until the revision commits; with each one's span attributes
# (a quote's speaker and cue) as one small JSON array, in the order of SPAN_NAMES.
SELECT_SPANS = """
SELECT a.id, a.start, a."end", a.anchor, a.status, jsonb_build_array({spans})::text, a.parts
FROM annotations_annotation a
WHERE a.article_id = %s AND a.start IS NOT NULL
ORDER BY a.id
FOR UPDATE OF a
"""
# The rest is one statement, whatever the number of annotations. Python sends where each span goes, as arrays
# bound in binary (as imports send theirs):
#   ids, starts, ends (null: orphaned), texts (only an edited span's, or a quote in parts'; null: the row keeps its
#   own), anchors, spans (the new values of its span attributes as a JSON object, or null), parts (a quote in parts'
#   new parts as JSON, 'null' when it became an ordinary span; null: the row keeps its own) and review (back to
#   `submitted`);
# PostgreSQL works out each row's new state from the row itself (`reanchored`, its version one up when anything
# differs), rewrites the rows that differ and writes every history entry from the same values. Sending each
# row's state and history entry from here (a megabyte of JSON for 2,000 annotations, parsed by the server) took
# twice the time of the rewrite; bench/README.md, "Corrected articles".
REANCHOR = """
WITH placed AS (
    SELECT p.*, a.kind, a.origin, a.author_id, a.text AS was_text, a.attributes AS was_attributes,
           a.status AS was_status, a.anchor AS was_anchor, a.start AS was_start, a."end" AS was_end,
           a.version AS was_version, a.parts AS was_parts,
           coalesce(p.new_text, a.text) AS text,
           CASE WHEN p.new_parts IS NULL THEN a.parts
                WHEN p.new_parts = 'null' THEN NULL
                ELSE (SELECT array_agg(ARRAY[(x.part->>0)::int, (x.part->>1)::int] ORDER BY x.n)
                      FROM jsonb_array_elements(p.new_parts::jsonb) WITH ORDINALITY AS x(part, n)) END AS parts,
           CASE WHEN p.spans IS NULL THEN a.attributes ELSE a.attributes || p.spans::jsonb END AS attributes,
           CASE WHEN p.review THEN %(submitted)s::text ELSE a.status END AS status,
           CASE WHEN p.review THEN %(now)s::timestamptz ELSE a.submitted_at END AS submitted_at,
           CASE WHEN p.start IS NULL THEN a.start ELSE a.old_start END AS old_start,
           CASE WHEN p.start IS NULL THEN a."end" ELSE a.old_end END AS old_end,
           CASE WHEN p.start IS NULL THEN %(old_revision)s::int ELSE a.old_revision END AS old_revision
    FROM unnest(%(ids)b::bigint[], %(starts)b::int[], %(ends)b::int[], %(texts)b::text[], %(anchors)b::text[],
                %(spans)b::text[], %(parts)b::text[], %(review)b::bool[])
         AS p(id, start, "end", new_text, anchor, spans, new_parts, review)
    JOIN annotations_annotation a ON a.id = p.id AND a.article_id = %(article)s::bigint
),
reanchored AS (
    SELECT placed.*,
           was_version + ((start, "end", text, parts, attributes, status, anchor)
                          IS DISTINCT FROM (was_start, was_end, was_text, was_parts, was_attributes, was_status,
                                            was_anchor))::int
           AS version
    FROM placed
),
rewritten AS (
    UPDATE annotations_annotation a
    SET start = r.start, "end" = r."end", text = r.text, parts = r.parts, anchor = r.anchor, attributes = r.attributes,
        status = r.status, version = r.version, updated_at = %(now)s::timestamptz, submitted_at = r.submitted_at,
        old_start = r.old_start, old_end = r.old_end, old_revision = r.old_revision
    FROM reanchored r
    WHERE a.id = r.id AND r.version <> r.was_version
)
INSERT INTO annotations_annotationevent (annotation_id, article_id, actor_id, action, at, changes, state, comment)
SELECT r.id, %(article)s::bigint, %(actor)s::bigint, %(action)s::text, %(now)s::timestamptz,
       jsonb_build_object('revision', jsonb_build_array(%(old_revision)s::int, %(revision)s::int),
                          'start', jsonb_build_array(r.was_start, r.start),
                          'end', jsonb_build_array(r.was_end, r."end"))
       {changes},
       jsonb_build_object({state}),
       ''
FROM reanchored r
ORDER BY r.id
"""
# A history entry's `changes` beyond the revision and the offsets: [before, after] of each of these that differs.
CHANGED_FIELDS = ("anchor", "text", "parts", "attributes", "status")
# A history entry's `state` (what Annotation.snapshot records) and the column each field is read from.
STATE_FIELDS = {
    "kind": "kind", "start": "start", "end": "end", "text": "text", "parts": "parts", "attributes": "attributes",
    "status": "status",
    "origin": "origin", "author": "author_id", "version": "version",
}  # fmt: skip


def _statement() -> str:
    """REANCHOR with the history entry's `changes` (only a row whose anchor, text, attributes or status differ
    builds a pair for each that does) and `state` written out."""
    fields = ", ".join(f"r.{f}" for f in CHANGED_FIELDS)
    was = ", ".join(f"r.was_{f}" for f in CHANGED_FIELDS)
    each = "".join(
        f"|| CASE WHEN r.{f} IS DISTINCT FROM r.was_{f} "
        f"THEN jsonb_build_object('{f}', jsonb_build_array(r.was_{f}, r.{f})) ELSE '{{}}'::jsonb END "
        for f in CHANGED_FIELDS
    )
    changes = f"|| CASE WHEN ({fields}) IS DISTINCT FROM ({was}) THEN '{{}}'::jsonb {each} ELSE '{{}}'::jsonb END"
    state = ", ".join(f"'{name}', r.\"{column}\"" for name, column in STATE_FIELDS.items())
    return REANCHOR.replace("{changes}", changes).replace("{state}", state)


SPAN_NAMES = tuple(a.name for a in span_attributes())
SELECT_STATEMENT = SELECT_SPANS.format(spans=", ".join(f"a.attributes -> '{name}'" for name in SPAN_NAMES))
REANCHOR_STATEMENT = _statement()


def reanchor_annotations(
    *,
    article: Article,
    actor: User | None,
    old_body: str,
    old_revision: int,
    now: dt.datetime,
    ops: list[tuple[int, str]] | None = None,
) -> Reanchored:
    """Re-anchor every annotation of the article from `old_body` to its (new) body, in the caller's transaction
    (the article row locked by it): one history entry per annotation with a span, the rows that moved rewritten,
    in two statements whatever their number. Approved or submitted ones whose text changed go back to
    `submitted`; a `changed` mark stays until someone edits or reviews the annotation. `ops`: diff_ops of the two
    bodies, when the caller has them already."""
    diff = BodyDiff(old_body, article.body, ops)
    summary = Reanchored()
    placed = Placed()
    with binary_cursor() as cursor:
        cursor.execute(SELECT_STATEMENT, [article.pk])
        for pk, start, end, was, status, spans, parts in cursor.fetchall():
            anchor, review = placed.add(diff, pk, start, end, was, status, orjson.loads(spans), parts)
            setattr(summary, anchor, getattr(summary, anchor) + 1)
            summary.to_review += review
        if placed.ids:
            actor_id = actor.pk if actor is not None else None
            cursor.execute(
                REANCHOR_STATEMENT,
                {
                    **placed.columns(), "now": now, "article": article.pk, "actor": actor_id,
                    "action": Action.REANCHORED.value, "submitted": Status.SUBMITTED.value,
                    "old_revision": old_revision, "revision": article.revision,
                },
            )  # fmt: skip
    return summary


class Placed:
    """Where each annotation goes, column by column: the arrays REANCHOR_STATEMENT unnests."""

    def __init__(self):
        self.ids, self.starts, self.ends, self.texts, self.anchors, self.spans, self.parts, self.review = (
            [] for _ in range(8)
        )

    def add(
        self, diff: BodyDiff, pk: int, start: int, end: int, was: str, status: str, spans: list, parts: list | None
    ) -> tuple[str, bool]:
        """Place one annotation (its span or its parts, then its span attributes in the order of SPAN_NAMES); its
        new anchor, and whether it goes back to review."""
        if parts:
            placement, new_parts = diff.place_parts(parts)
        else:
            placement, new_parts = diff.place(start, end), None
        anchor, moved = placement.anchor, None
        for name, value in zip(SPAN_NAMES, spans, strict=True):
            if not value:
                continue
            mention = diff.place(*value)
            moved = moved or {}
            moved[name] = [mention.start, mention.end] if mention.start is not None else None
            if mention.anchor != Anchor.EXACT and anchor == Anchor.EXACT:
                anchor = Anchor.CHANGED  # the speaker or cue was edited: the annotation needs a look
        if anchor == Anchor.EXACT and was == Anchor.CHANGED:
            anchor = Anchor.CHANGED
        review = anchor != Anchor.EXACT and status in (Status.APPROVED, Status.SUBMITTED)
        self.ids.append(pk)
        self.starts.append(placement.start)
        self.ends.append(placement.end)
        # Only an edited span's text is sent: an exact one's is the same by construction, and an orphan keeps its
        # own (it is what the orphan list shows).
        # A quote in parts keeps its parts when orphaned (old offsets, beside old_start and old_end); placed, its text
        # is sent, since the attribution between its parts may have changed while every part stayed exact.
        placed = placement.anchor != Anchor.ORPHANED
        edited = placement.anchor == Anchor.CHANGED or (bool(parts) and placed)
        self.texts.append(diff.new[placement.start : placement.end] if edited else None)
        self.anchors.append(anchor)
        self.spans.append(None if moved is None else orjson.dumps(moved).decode())
        self.parts.append(orjson.dumps(new_parts).decode() if parts and placed else None)
        self.review.append(review)
        return anchor, review

    def columns(self) -> dict[str, list]:
        return {
            "ids": self.ids, "starts": self.starts, "ends": self.ends, "texts": self.texts, "anchors": self.anchors,
            "spans": self.spans, "parts": self.parts, "review": self.review,
        }  # fmt: skip
