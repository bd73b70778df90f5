"""schema.org ClaimReview (https://schema.org/ClaimReview) as JSON-LD: one review per claim with a verdict.

One JSON-LD document, `{"@context": ..., "@graph": [...]}`, one review per line. Each review:

- `claimReviewed`: the claim's text; `url`: the article's URL (its page here when it has none);
  `datePublished`: when the annotation last changed (UTC); `author`: the project, as an Organization;
- `reviewRating`: a Rating whose `alternateName` is the verdict ("Mostly true") with the verdict note as
  `ratingExplanation`; the default verdicts also get a `ratingValue` on a 1 (false) to 5 (true) scale
  (unverifiable and a project's own verdicts get none);
- `itemReviewed`: the Claim, its `appearance` the article (a NewsArticle with its URL, headline,
  publisher and date) and, when the claim sits inside an exported quote (the innermost one) that has a
  speaker, its `author`: that Person (the quote's `speaker`, else the text of its speaker span);
- `ann:annotation`: the annotation as the JSON Lines format writes it (id, kind, offsets, text,
  status, annotator, reviewer, origin, attributes), a JSON literal in our own vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from annotator.exports.records import ExportContext, annotation_record, buffered, span_text
from annotator.exports.rows import AnnotationRow, ArticleGroup, ArticleRow

CONTEXT = ["https://schema.org", {"ann": "urn:annotator:terms:", "ann:annotation": {"@type": "@json"}}]
# Why claims without a verdict are left out (the export page says it).
WHY_VERDICT_ONLY = "a ClaimReview is a rating, and a claim without a verdict has none to give"
# Why the other kinds are left out; quotes are only read to name a claim's speaker.
WHY_CLAIMS_ONLY = "ClaimReview describes claims; quotes only give a claim its speaker"
RATING_VALUES = {"true": 5, "mostly_true": 4, "misleading": 2, "false": 1}


def verdict_label(verdict: str) -> str:
    return verdict.replace("_", " ").capitalize()


def _speaker(claim: AnnotationRow, quotes: list[AnnotationRow], body: str) -> str | None:
    """The speaker of the innermost quote that holds the claim."""
    holders = [q for q in quotes if q.start is not None and q.start <= claim.start and claim.end <= q.end]
    for quote in sorted(holders, key=lambda q: (q.end - q.start, q.id)):
        name = quote.attributes.get("speaker") or span_text(body, quote.attributes.get("speaker_span"))
        if name:
            return name
    return None


def claim_review(claim: AnnotationRow, article: ArticleRow, speaker: str | None, context: ExportContext) -> dict:
    verdict = claim.attributes["verdict"]
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict_label(verdict)}
    if verdict in RATING_VALUES:
        rating.update(ratingValue=RATING_VALUES[verdict], worstRating=1, bestRating=5)
    if claim.attributes.get("verdict_note"):
        rating["ratingExplanation"] = claim.attributes["verdict_note"]
    url = article.url or context.article_iri(article.id)
    appearance: dict[str, Any] = {"@type": "NewsArticle", "url": url, "headline": article.title}
    if article.source:
        appearance["publisher"] = {"@type": "Organization", "name": article.source}
    if article.published_at:
        appearance["datePublished"] = article.published_at
    item: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
    if speaker:
        item["author"] = {"@type": "Person", "name": speaker}
    return {
        "@type": "ClaimReview",
        "@id": context.annotation_iri(claim.id),
        "url": url,
        "claimReviewed": claim.text,
        "datePublished": claim.updated_at,
        "author": {"@type": "Organization", "name": context.project_name},
        "reviewRating": rating,
        "itemReviewed": item,
        "ann:annotation": annotation_record(claim, article.body),
    }


def write_claimreview(groups: Iterable[ArticleGroup], context: ExportContext) -> Iterator[bytes]:
    return buffered(_pieces(groups, context))


def _pieces(groups: Iterable[ArticleGroup], context: ExportContext) -> Iterator[bytes]:
    yield b'{"@context":' + orjson.dumps(CONTEXT) + b',"@graph":['
    first = True
    for article, rows in groups:
        quotes = [row for row in rows if row.kind == "quote"]
        for row in rows:
            if not row.exported:
                continue
            review = claim_review(row, article, _speaker(row, quotes, article.body), context)
            yield (b"\n" if first else b",\n") + orjson.dumps(review)
            first = False
    yield b"\n]}\n"
