"""Articles and annotations that exports must get exactly right: astral characters, CJK, RTL, combining
marks, CRLF input, overlapping and nested spans, whitespace at a span's edge, formula-like text."""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.annotations.models import Annotation, Origin, Review, Status
from annotator.annotations.services import create_annotation, review_annotation, submit_article
from annotator.articles.ingestion import content_hash, normalize_body
from annotator.articles.models import Article

BODIES = {
    "emoji": (
        "Ana Kovač 👩‍💻 said “we won 🇺🇦 at last!” on Tuesday 😐.\n"
        "=SUM(A1:A9) is not a formula here; -5% growth and @handles neither.\n"
        "A line\u2028separator and a tab\there."
    ),
    "cjk": "东京市长小池百合子说：“经济增长了百分之三。”记者问她为什么。\n서울 시장은 “좋아요”라고 말했다.",
    "rtl": "قال الوزيرُ إنّ “الاقتصادَ سينمو” هذا العام.\nשר האוצר אמר: “המשק יצמח”.",
    "marks": "The q\u0303 sign and Devanagari नमस्ते दुनिया; e\u0301 becomes é; a͜b ties.",
    "crlf": 'First line.\r\nShe said "rates will fall" to us.\r\nLast line.\r',
}


@dataclass
class ExportData:
    articles: dict[str, Article]
    approved: list[Annotation] = field(default_factory=list)
    submitted: list[Annotation] = field(default_factory=list)
    rejected: list[Annotation] = field(default_factory=list)
    drafts: list[Annotation] = field(default_factory=list)
    pending_suggestion: Annotation | None = None


def span(body: str, text: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(text, start + 1)
    return start, start + len(text)


def build_export_data(project, annotator, other_annotator, reviewer) -> ExportData:
    """Five awkward articles; approved, submitted, rejected and draft annotations; suggestions."""
    articles = {}
    for name, raw in BODIES.items():
        body = normalize_body(raw)
        articles[name] = Article.objects.create(
            project=project,
            title=f"{name} story",
            body=body,
            source="The Daily Ledger",
            url=f"https://ledger.example.com/{name}",
            content_hash=content_hash(body),
        )
    data = ExportData(articles)
    plan = []  # (author, article, kind, span text, occurrence, attributes, outcome)

    def add(author, name, kind, text, attributes=None, outcome="approve", occurrence=0, span_of=None):
        plan.append((author, name, kind, text, occurrence, attributes or {}, outcome, span_of or {}))

    # emoji: a quote with speaker and cue spans, a claim nested in it, an overlapping quote of another
    # annotator, a formula-looking claim, a span that starts with white space, a document stance.
    add(
        annotator,
        "emoji",
        "quote",
        "we won 🇺🇦 at last!",
        {"quote_type": "direct"},
        span_of={"speaker_span": "Ana Kovač", "cue_span": "said"},
    )
    add(annotator, "emoji", "claim", "won 🇺🇦", {"category": "event", "verdict": "mostly_true", "verdict_note": "Ja."})
    add(other_annotator, "emoji", "quote", "said “we won", {"quote_type": "mixed", "speaker": "Ana Kovač"})
    add(annotator, "emoji", "claim", "=SUM(A1:A9)", {"verdict": "false"})
    add(other_annotator, "emoji", "claim", "-5% growth", {"category": "statistic"})
    add(other_annotator, "emoji", "stance", "@handles", {"holder": "Ana", "target": "@handles", "polarity": "favor"})
    add(annotator, "emoji", "claim", " a tab\there", {"category": "other"})
    add(annotator, "emoji", "claim", "line\u2028separator", {})
    add(other_annotator, "emoji", "stance", None, {"holder": "Ana", "target": "growth", "polarity": "against"})
    # cjk: a quote and a claim inside it, a Korean quote
    add(
        annotator,
        "cjk",
        "quote",
        "经济增长了百分之三。",
        {"speaker": "小池百合子"},
        span_of={"speaker_span": "小池百合子", "cue_span": "说"},
    )
    add(other_annotator, "cjk", "claim", "增长了百分之三", {"verdict": "true", "category": "statistic"})
    add(annotator, "cjk", "quote", "좋아요", {}, span_of={"speaker_span": "서울 시장은"})
    # rtl: Arabic with harakat, Hebrew
    add(annotator, "rtl", "quote", "الاقتصادَ سينمو", {}, span_of={"speaker_span": "الوزيرُ", "cue_span": "قال"})
    add(annotator, "rtl", "claim", "המשק יצמח", {"verdict": "unverifiable"})
    # marks: spans cutting between graphemes are allowed; spans over combining sequences
    add(other_annotator, "marks", "claim", "q\u0303 sign", {})
    add(other_annotator, "marks", "quote", "नमस्ते दुनिया", {"speaker": "Devi"})
    add(other_annotator, "marks", "claim", "a͜b", {"verdict": "misleading"})
    # crlf: two annotators tag the same quote; one of them is rejected
    add(annotator, "crlf", "quote", '"rates will fall"', {"speaker": "She"}, span_of={"speaker_span": "She"})
    add(other_annotator, "crlf", "quote", '"rates will fall"', {"speaker": "She"}, outcome="reject")
    add(other_annotator, "crlf", "claim", "Last line.", {}, outcome="submit")
    add(annotator, "crlf", "claim", "First line.\nShe", {}, outcome="draft")

    made = []

    def create(author, name, kind, text, occurrence, attributes, span_of):
        article = articles[name]
        attributes = dict(attributes)
        for attribute, span_text in span_of.items():
            attributes[attribute] = list(span(article.body, span_text))
        start, end = span(article.body, text, occurrence) if text is not None else (None, None)
        return create_annotation(actor=author, article=article, kind=kind, start=start, end=end, attributes=attributes)

    for author, name, kind, text, occurrence, attributes, outcome, span_of in plan:
        if outcome != "draft":
            made.append((create(author, name, kind, text, occurrence, attributes, span_of), outcome))
    for author in (annotator, other_annotator):
        for article in articles.values():
            submit_article(actor=author, article=article)
    for annotation, outcome in made:
        if outcome in ("approve", "reject"):
            review_annotation(
                actor=reviewer,
                annotation=annotation,
                decision="approve" if outcome == "approve" else "reject",
                comment="" if outcome == "approve" else "Span is too long.",
            )
    for author, name, kind, text, occurrence, attributes, outcome, span_of in plan:
        if outcome == "draft":
            made.append((create(author, name, kind, text, occurrence, attributes, span_of), outcome))
    for annotation, outcome in made:
        annotation.refresh_from_db()
        {"approve": data.approved, "reject": data.rejected, "submit": data.submitted, "draft": data.drafts}[
            outcome
        ].append(annotation)
    # A suggestion nobody accepted, and one an annotator accepted and got approved.
    body = articles["emoji"].body
    start, end = span(body, "Tuesday")
    data.pending_suggestion = Annotation.objects.create(
        article=articles["emoji"],
        kind="claim",
        start=start,
        end=end,
        text=body[start:end],
        attributes={"checkworthy": True, "category": None, "verdict": None, "verdict_note": "", "evidence_url": ""},
        origin=Origin.SUGGESTED,
        suggester="test",
    )
    # A suggestion an annotator accepted, then approved: exported, with its origin.
    start, end = span(body, "Kovač")
    accepted = Annotation.objects.create(
        article=articles["emoji"],
        kind="stance",
        start=start,
        end=end,
        text=body[start:end],
        attributes={"holder": "Kovač", "target": "growth", "polarity": "neutral"},
        origin=Origin.SUGGESTED,
        suggester="test",
        author=annotator,
        status=Status.APPROVED,
        version=3,
    )
    Review.objects.create(annotation=accepted, reviewer=reviewer, decision="approve", annotation_version=2)
    data.approved.append(accepted)
    return data
