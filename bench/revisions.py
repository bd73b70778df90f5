"""Correcting an annotated article: `revise_article` re-anchoring 2,000 annotations of a 10,000-word article after
50 scattered edits, against one plain `UPDATE … FROM unnest(…)` that rewrites the same rows in the same run.

The article (fixed seed; news-like non-ASCII text with emoji) carries 2,000 annotations of 20-200 code points,
a third of them quotes with a speaker span; 50 edits (a word replaced, inserted or deleted) are spread over the
text. Each run happens in a transaction rolled back at its end, so that every run starts from the same state:

* ours: `revise_article` as the API, the page and imports call it (the diff, the placement of every span and
  speaker span, then one statement that rewrites the moved rows and writes the 2,000 history entries), timed
  from the call to its return;
* plain: one `UPDATE annotations_annotation … FROM unnest(…)` of the same 2,000 rows with the same new values
  (offsets, text, anchor, attributes, status, version, timestamps), its arrays bound in binary on a raw psycopg
  cursor, as imports write (timed from the values in hand to the statement's end);
* plain writes: that UPDATE, then a COPY of the same 2,000 history rows ours wrote: the least any re-anchoring
  that keeps a history entry per annotation writes.

It prints the medians, the queries of one revision, and the ratio; the targets are under 1 s and within 3x the
plain update. The data lives in a scratch database beside the one DATABASE_URL names, dropped at the end.

    .venv/bin/python bench/revisions.py [--runs 5] [--annotations 2000] [--words 10000] [--edits 50]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness

SEED = 2026
# The plain rewrite: the same rows and values, arrays bound in binary on a raw psycopg cursor (as imports do).
PLAIN_UPDATE = """
UPDATE annotations_annotation a
SET start = u.start, "end" = u."end", text = u.text, anchor = u.anchor, attributes = u.attributes::jsonb,
    status = u.status, version = u.version, updated_at = u.updated_at, submitted_at = u.submitted_at,
    old_start = u.old_start, old_end = u.old_end, old_revision = u.old_revision
FROM unnest(%b::bigint[], %b::int[], %b::int[], %b::text[], %b::text[], %b::text[], %b::text[], %b::int[],
            %b::timestamptz[], %b::timestamptz[], %b::int[], %b::int[], %b::int[])
     AS u(id, start, "end", text, anchor, attributes, status, version, updated_at, submitted_at,
          old_start, old_end, old_revision)
WHERE a.id = u.id
"""
COPIED = ("annotation_id", "article_id", "actor_id", "action", "at", "changes", "state", "comment")
PLAIN_FIELDS = (
    "pk", "start", "end", "text", "anchor", "attributes", "status", "version", "updated_at", "submitted_at",
    "old_start", "old_end", "old_revision",
)  # fmt: skip


class Rollback(Exception):
    """Ends a run's transaction: every run starts from the same article and annotations."""


def article_body(rng: random.Random, words: int) -> str:
    paragraphs, count = [], 0
    while count < words:
        paragraph = " ".join(harness._sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(paragraphs)


def edited(rng: random.Random, body: str, edits: int) -> str:
    """The body with `edits` word-level edits spread over it (replace, insert or delete a word)."""
    spaces = [i for i, char in enumerate(body) if char == " "]
    chosen = sorted(rng.sample(spaces, edits), reverse=True)  # from the end, so earlier positions stay valid
    for position in chosen:
        roll = rng.random()
        end = body.find(" ", position + 1)
        end = len(body) if end < 0 else end
        if roll < 0.4:
            body = body[: position + 1] + rng.choice(harness.WORDS) + body[end:]
        elif roll < 0.7:
            body = body[: position + 1] + rng.choice(harness.WORDS) + " " + body[position + 1 :]
        else:
            body = body[:position] + body[end:]
    return body


def annotate(rng: random.Random, article, author, count: int) -> None:
    from annotator.annotations.models import Annotation

    body = article.body
    rows = []
    for n in range(count):
        start = rng.randrange(0, len(body) - 220)
        end = start + rng.randint(20, 200)
        attributes = {}
        kind = "claim"
        if n % 3 == 0:
            kind = "quote"
            mention = rng.randrange(0, len(body) - 20)
            attributes = {"speaker": "X", "speaker_span": [mention, mention + 12], "cue_span": None}
            attributes["quote_type"] = "direct"
        rows.append(
            Annotation(
                article=article, kind=kind, start=start, end=end, text=body[start:end], author=author,
                attributes=attributes, status=rng.choice(["draft", "submitted", "approved"]),
            )
        )  # fmt: skip
    Annotation.objects.bulk_create(rows)


def plain_columns(rows: list) -> list[list]:
    """The rows' values as the arrays PLAIN_UPDATE unnests (attributes as JSON text)."""
    return [[json.dumps(r.attributes) if f == "attributes" else getattr(r, f) for r in rows] for f in PLAIN_FIELDS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--annotations", type=int, default=2000)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=50)
    options = parser.parse_args()
    print(harness.machine())
    with harness.scratch_database("annotator_bench_revisions"):
        import psycopg
        from django.db import connection, transaction
        from django.test.utils import CaptureQueriesContext

        from annotator.accounts.models import Role
        from annotator.annotations.models import Annotation, AnnotationEvent
        from annotator.articles.ingestion import content_hash
        from annotator.articles.models import Article, Project
        from annotator.articles.revisions import revise_article

        rng = random.Random(SEED)
        project = Project.objects.create(name="Bench revisions", slug="bench-revisions")
        reviewer, _ = harness.member(project, "rita", Role.REVIEWER)
        author, _ = harness.member(project, "ann", Role.ANNOTATOR)
        body = article_body(rng, options.words)
        article = Article.objects.create(
            project=project, title="Long story", body=body, content_hash=content_hash(body)
        )
        annotate(rng, article, author, options.annotations)
        corrected = edited(rng, body, options.edits)
        print(
            f"article: {len(body.split()):,} words, {len(body):,} code points; {options.annotations:,} annotations; "
            f"{options.edits} edits ({len(corrected) - len(body):+,} code points)"
        )
        ours, plain, writes, queries, counts = [], [], [], 0, None
        for _ in range(options.runs):
            harness.wait_for_quiet(30)
            try:
                with transaction.atomic():
                    with CaptureQueriesContext(connection) as captured:
                        started = time.perf_counter()
                        revised = revise_article(actor=reviewer, article=article, body=corrected, note="bench")
                        ours.append(time.perf_counter() - started)
                    queries = len([q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]])
                    counts = revised.annotations
                    rows = list(Annotation.with_orphans.filter(article=article).order_by("pk"))
                    history = list(
                        AnnotationEvent.objects.filter(article_id=article.pk, action="reanchored").values_list(*COPIED)
                    )
                    with psycopg.Cursor(connection.connection) as cursor:
                        started = time.perf_counter()
                        cursor.execute(PLAIN_UPDATE, plain_columns(rows))
                        plain.append(time.perf_counter() - started)
                        with cursor.copy(f"COPY annotations_annotationevent ({', '.join(COPIED)}) FROM STDIN") as copy:
                            for event in history:
                                copy.write_row([json.dumps(v) if isinstance(v, dict) else v for v in event])
                        writes.append(time.perf_counter() - started)
                    raise Rollback
            except Rollback:
                pass
        ours_s, plain_s = statistics.median(ours), statistics.median(plain)
        print(f"re-anchored: {counts.as_dict()}")
        print(f"revise_article: median {ours_s * 1000:.0f} ms over {options.runs} runs, {queries} queries")
        print(f"plain UPDATE … FROM unnest of the same rows: median {plain_s * 1000:.0f} ms")
        print(f"ratio: {ours_s / plain_s:.2f}x (targets: under 1 s, within 3x)")
        writes_s = statistics.median(writes)
        print(
            f"the same UPDATE plus a COPY of the {options.annotations:,} history rows: median {writes_s * 1000:.0f} ms"
        )
        print(f"ratio to those writes: {ours_s / writes_s:.2f}x")


if __name__ == "__main__":
    main()
