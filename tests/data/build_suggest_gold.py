#!/usr/bin/env python3
"""Build tests/data/suggest_gold.jsonl, gold set (a) for the quote and claim suggesters (issue 8).

Every article is written here as plain text plus its annotations, each span given by its exact text, never by
offsets. A span reference is either a string that occurs exactly once in the body, or a pair
`(context, target)`: a context that occurs exactly once in the body and the target, which occurs exactly once
inside the context (or a triple `(context, target, n)` for the n-th occurrence inside the context). The
generator turns the references into code-point offsets, checks every annotation against the guidelines in
tests/data/README.md, and writes one line per article in the project's own JSON Lines export format
(annotator/exports/jsonl.py), byte for byte the same on every run.

    python tests/data/build_suggest_gold.py [OUTPUT]      # default: tests/data/suggest_gold.jsonl

It prints the counts (articles, quotes by type, claims by category, distinct speakers) when it is done.
"""

# Each paragraph of an article is one line of its triple-quoted body, so that the body reads as it is stored.
# ruff: noqa: E501

from __future__ import annotations

import json
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUTPUT = HERE / "suggest_gold.jsonl"
SEED = ROOT / "seeds" / "000_aa40cb290a0c0354.txt"

PROJECT = "gold"
SOURCE = "annotator gold set"
TIMESTAMP = "2026-11-28T00:00:00Z"
QUOTE_TYPES = ("direct", "indirect", "mixed")
CATEGORIES = ("statistic", "event", "fact", "prediction", "causal", "other")
# The marks that may open or close a direct quote (straight and curly double and single, guillemets, German
# low-high, Japanese corner brackets). The German closing mark “ is the English opening mark.
OPENING = "\"“„«「'‘"
CLOSING = "\"”“»」'’"
MARKS = "\"“”„«»「」'‘’"
WORDS = (150, 500)  # the length of every article written for the set
NEAR = 250  # a speaker or cue span lies within this many code points of its quote

Ref = str | tuple[str, str] | tuple[str, str, int]


class GoldError(ValueError):
    pass


@dataclass(frozen=True)
class Quote:
    text: Ref
    speaker: str
    speaker_ref: Ref | None
    cue_ref: Ref | None
    quote_type: str


@dataclass(frozen=True)
class Claim:
    text: Ref
    category: str


@dataclass(frozen=True)
class Article:
    title: str
    text: str
    notes: tuple[Quote | Claim, ...]
    source: str = SOURCE
    byline: str = ""
    written_for_the_set: bool = True


def D(text: Ref, speaker: str, speaker_ref: Ref | None, cue_ref: Ref | None) -> Quote:
    """A direct quote: the text between the quotation marks."""
    return Quote(text, speaker, speaker_ref, cue_ref, "direct")


def I(text: Ref, speaker: str, speaker_ref: Ref | None, cue_ref: Ref | None) -> Quote:  # noqa: E743
    """An indirect quote: the reported clause, without a leading "that" and without the final full stop."""
    return Quote(text, speaker, speaker_ref, cue_ref, "indirect")


def M(text: Ref, speaker: str, speaker_ref: Ref | None, cue_ref: Ref | None) -> Quote:
    """A mixed quote: the reported clause with the quoted fragment and its marks."""
    return Quote(text, speaker, speaker_ref, cue_ref, "mixed")


def C(text: Ref, category: str) -> Claim:
    """A check-worthy claim: the sentence or clause that carries the fact, without the final full stop."""
    return Claim(text, category)


def P(text: str) -> str:
    """An article body written as a triple-quoted string: the newline after the opening quotes and the one
    before the closing quotes are not part of it."""
    return text.removeprefix("\n").removesuffix("\n")


# --- from references to offsets ----------------------------------------------------------------------------


def occurrences(haystack: str, needle: str) -> list[int]:
    """Every start of `needle` in `haystack`, overlapping ones included."""
    found = []
    start = haystack.find(needle)
    while start != -1:
        found.append(start)
        start = haystack.find(needle, start + 1)
    return found


def locate(body: str, ref: Ref, what: str) -> tuple[int, int]:
    if isinstance(ref, str):
        context, target, n = ref, ref, None
    elif len(ref) == 2:
        context, target, n = ref[0], ref[1], None
    else:
        context, target, n = ref
    if not target:
        raise GoldError(f"{what}: empty span")
    where = occurrences(body, context)
    if len(where) != 1:
        raise GoldError(f"{what}: {context!r} occurs {len(where)} times in the body, not once")
    inside = occurrences(context, target)
    if n is None and len(inside) != 1:
        raise GoldError(f"{what}: {target!r} occurs {len(inside)} times in {context!r}, not once")
    if n is not None and not 0 <= n < len(inside):
        raise GoldError(f"{what}: {target!r} has no occurrence {n} in {context!r}")
    start = where[0] + inside[0 if n is None else n]
    end = start + len(target)
    if body[start:end] != target:  # cannot happen; the invariant every consumer relies on
        raise GoldError(f"{what}: body[{start}:{end}] is not {target!r}")
    return start, end


def previous_visible(body: str, index: int) -> str:
    index -= 1
    while index >= 0 and body[index] in " \u00a0\t":
        index -= 1
    return body[index] if index >= 0 else ""


def next_visible(body: str, index: int) -> str:
    while index < len(body) and body[index] in " \u00a0\t":
        index += 1
    return body[index] if index < len(body) else ""


def check_span(body: str, start: int, end: int, what: str) -> None:
    text = body[start:end]
    if text != text.strip():
        raise GoldError(f"{what}: {text!r} starts or ends with whitespace")
    if (start > 0 and body[start - 1].isalnum()) or (end < len(body) and body[end].isalnum()):
        raise GoldError(f"{what}: {text!r} starts or ends inside a word")


def check_quote(body: str, note: Quote, start: int, end: int, what: str) -> None:
    text = body[start:end]
    if note.quote_type not in QUOTE_TYPES:
        raise GoldError(f"{what}: quote_type {note.quote_type!r}")
    if not note.speaker.strip():
        raise GoldError(f"{what}: no speaker")
    if note.speaker not in body:
        raise GoldError(f"{what}: the canonical speaker {note.speaker!r} is never named in the article")
    if note.quote_type == "direct":
        before, after = previous_visible(body, start), next_visible(body, end)
        # A quote that goes on in the next paragraph has no closing mark; the next paragraph opens with one.
        goes_on = body[end : end + 2] == "\n\n" and body[end + 2 : end + 3] in OPENING
        if before not in OPENING or not (after in CLOSING or goes_on):
            raise GoldError(f"{what}: direct quote {text!r} is not between quotation marks")
        if text[0] in OPENING or text[-1] in CLOSING.replace("'", "").replace("’", ""):
            raise GoldError(f"{what}: direct quote {text!r} includes its marks")
    else:
        if text.lower().startswith("that "):
            raise GoldError(f"{what}: {text!r} starts with 'that'")
        if text.endswith((".", ",", ";", ":")):
            raise GoldError(f"{what}: {text!r} ends with punctuation")
        has_marks = any(mark in text for mark in MARKS.replace("'", "").replace("’", "")) or " '" in text
        if note.quote_type == "mixed" and not has_marks:
            raise GoldError(f"{what}: mixed quote {text!r} has no quoted fragment")
        if note.quote_type == "indirect" and has_marks:
            raise GoldError(f"{what}: indirect quote {text!r} holds quotation marks (mixed?)")


def check_claim(body: str, note: Claim, start: int, end: int, what: str) -> None:
    text = body[start:end]
    if note.category not in CATEGORIES:
        raise GoldError(f"{what}: category {note.category!r}")
    if text.endswith((".", ",", ";", ":")):
        raise GoldError(f"{what}: claim {text!r} ends with punctuation")


def near(span: tuple[int, int], start: int, end: int) -> bool:
    gap = max(span[0] - end, start - span[1], 0)
    overlaps = span[0] < end and start < span[1]
    return gap <= NEAR and not overlaps


def annotations_of(article: Article) -> list[dict[str, Any]]:
    """The annotations of an article, resolved and checked, ordered like an export (start, end, kind)."""
    body = article.text
    resolved = []
    for number, note in enumerate(article.notes, start=1):
        what = f"{article.title[:40]!r} note {number}"
        start, end = locate(body, note.text, what)
        check_span(body, start, end, what)
        if isinstance(note, Quote):
            check_quote(body, note, start, end, what)
            attributes: dict[str, Any] = {"speaker": note.speaker}
            spans = {}
            for name, ref in (("speaker_span", note.speaker_ref), ("cue_span", note.cue_ref)):
                if ref is None:
                    spans[name] = None
                    continue
                span = locate(body, ref, f"{what} {name}")
                check_span(body, *span, f"{what} {name}")
                if not near(span, start, end):
                    raise GoldError(f"{what}: {name} {body[span[0] : span[1]]!r} is not next to its quote")
                spans[name] = list(span)
            attributes["speaker_span"] = spans["speaker_span"]
            attributes["cue_span"] = spans["cue_span"]
            attributes["quote_type"] = note.quote_type
            kind = "quote"
        else:
            check_claim(body, note, start, end, what)
            attributes = {
                "checkworthy": True,
                "category": note.category,
                "verdict": None,
                "verdict_note": "",
                "evidence_url": "",
            }
            kind = "claim"
        resolved.append((start, end, kind, attributes))
    keys = [(start, end, kind, json.dumps(attributes, sort_keys=True)) for start, end, kind, attributes in resolved]
    if len(set(keys)) != len(keys):
        raise GoldError(f"{article.title[:40]!r}: the same annotation twice")
    resolved.sort(key=lambda item: (item[0], item[1], item[2]))
    records = []
    for start, end, kind, attributes in resolved:
        record: dict[str, Any] = {
            "id": None,
            "kind": kind,
            "start": start,
            "end": end,
            "text": body[start:end],
            "parts": None,
            "status": "approved",
            "annotator": "gold",
            "reviewer": "gold",
            "origin": "human",
        }
        record.update(attributes)
        if kind == "quote":
            for span_name, text_name in (("speaker_span", "speaker_text"), ("cue_span", "cue_text")):
                span = attributes[span_name]
                record[text_name] = body[span[0] : span[1]] if span else None
        record["created_at"] = TIMESTAMP
        record["updated_at"] = TIMESTAMP
        records.append(record)
    return records


def check_body(article: Article) -> None:
    body = article.text
    if not unicodedata.is_normalized("NFC", body) or "\r" in body or "\x00" in body or not body.strip():
        raise GoldError(f"{article.title[:40]!r}: the body is not as the project stores it (NFC, \\n, no NUL)")
    if article.written_for_the_set:
        words = len(body.split())
        if not WORDS[0] <= words <= WORDS[1]:
            raise GoldError(f"{article.title[:40]!r}: {words} words, not {WORDS[0]}-{WORDS[1]}")


def dump_line(record: dict[str, Any]) -> str:
    """One JSON Lines record as annotator/exports/jsonl.py writes it (compact, UTF-8, U+2028/9 escaped)."""
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


def build(articles: list[Article]) -> tuple[str, list[dict[str, Any]]]:
    titles = [article.title for article in articles]
    if len(set(titles)) != len(titles) or len({a.text for a in articles}) != len(articles):
        raise GoldError("two articles share a title or a body")
    records = []
    next_annotation = 1
    for article_id, article in enumerate(articles, start=1):
        check_body(article)
        annotations = annotations_of(article)
        for annotation in annotations:
            annotation["id"] = next_annotation
            next_annotation += 1
        records.append(
            {
                "id": article_id,
                "revision": 1,
                "project": PROJECT,
                "title": article.title,
                "source": article.source,
                "url": "",
                "byline": article.byline,
                "language": "en",
                "published_at": None,
                "text": article.text,
                "annotations": annotations,
            }
        )
    return "".join(dump_line(record) for record in records), records


def summary(records: list[dict[str, Any]]) -> str:
    quotes = Counter()
    claims = Counter()
    speakers = set()
    for record in records:
        for annotation in record["annotations"]:
            if annotation["kind"] == "quote":
                quotes[annotation["quote_type"]] += 1
                speakers.add(annotation["speaker"])
            else:
                claims[annotation["category"]] += 1
    without_quotes = sum(1 for r in records if not any(a["kind"] == "quote" for a in r["annotations"]))
    lines = [
        f"articles: {len(records)} ({without_quotes} without quotes)",
        f"quotes: {sum(quotes.values())} — " + ", ".join(f"{t} {quotes[t]}" for t in QUOTE_TYPES),
        f"claims: {sum(claims.values())} — " + ", ".join(f"{c} {claims[c]}" for c in CATEGORIES),
        f"distinct speakers: {len(speakers)}",
    ]
    return "\n".join(lines)


# --- the articles --------------------------------------------------------------------------------------------


def seed_article() -> Article:
    """The project's seed article, its text byte for byte (it is stored NFC, with \\n line ends, as it is)."""
    body = SEED.read_bytes().decode("utf-8")
    title = body.split("\n", 1)[0].strip()  # what load_articles takes: the first line, a blank line follows
    return Article(
        title=title,
        text=body,
        source="",
        written_for_the_set=False,
        notes=(
            M(
                "the global security situation “has not improved” over the past years “but on the contrary, many"
                " existing threats have only become more serious.”",
                "Vladimir Putin",
                ("Thursday, Putin stated", "Putin"),
                ("Putin stated that the global", "stated"),
            ),
            M(
                "NATO with its “newly-declared official mission to deter Russia” is one such threat",
                "Vladimir Putin",
                "The Russian leader",
                ("leader added", "added"),
            ),
            C(
                "Mr. Putin was making reference to a NATO summit last July in the Polish capital city of Warsaw, where"
                " members of the alliance described Russia as their key security threat",
                "event",
            ),
            D(
                "This is the goal behind the expansion of this military bloc. It happened before, but now they have"
                " found a new justification which they believe to be serious,",
                "Vladimir Putin",
                ("serious,” he said", "he"),
                ("serious,” he said", "said"),
            ),
            D(
                "In fact, they are constantly provoking us, trying to drag us into a confrontation,",
                "Vladimir Putin",
                ("confrontation,” the Russian president said", "the Russian president"),
                ("the Russian president said, adding", "said"),
            ),
            M(
                "NATO members “are continuing their efforts to interfere in our domestic affairs with the goal of"
                " destabilizing social and political order in Russia proper.”",
                "Vladimir Putin",
                ("confrontation,” the Russian president said", "the Russian president"),
                "adding",
            ),
            I(
                "foreign intelligence agencies are engaged in intensive operations inside Russia",
                "Vladimir Putin",
                ("Mr. Putin stated that foreign", "Mr. Putin"),
                ("Mr. Putin stated that foreign", "stated"),
            ),
            D(
                "In the past year 53 foreign intelligence operatives and 386 agents of foreign intelligence services"
                " have been busted.",
                "Vladimir Putin",
                ("Mr. Putin stated that foreign", "Mr. Putin"),
                "saying",
            ),
            C(
                "In the past year 53 foreign intelligence operatives and 386 agents of foreign intelligence services"
                " have been busted",
                "statistic",
            ),
            I(
                "fighting common enemies such as terrorist groups has been primarily affected in the wake of the"
                " strained relations between Moscow and the Western military alliance",
                "Vladimir Putin",
                ("The Russian president also", "The Russian president"),
                "expressed regret",
            ),
            D(
                "It’s in everyone’s interest to resume dialogue between the intelligence agencies of the United States"
                " and other members of NATO,",
                "Vladimir Putin",
                ("NATO,” Mr. Putin said", "Mr. Putin"),
                ("NATO,” Mr. Putin said", "said"),
            ),
            C(
                "NATO and Moscow have been at loggerheads over Russia’s alleged role in the ongoing Ukraine conflict"
                " that has taken thousands of lives",
                "fact",
            ),
            C(
                "The military alliance severed its ties with Moscow in 2014, after the Ukraine-controlled Baltic"
                " peninsula of Crimea rejoined Russia in a historic referendum",
                "event",
            ),
            C("Since then, NATO has been deploying weapons and equipment close to Russia’s borders", "event"),
            C(
                "In early January, the US military began the deployment of hundreds of combat vehicles such as tanks"
                " and artillery guns along with 3,500 troops to Germany",
                "event",
            ),
            C(
                "The North Atlantic Treaty Organization (NATO), also called the North Atlantic Alliance, is an"
                " intergovernmental military alliance based on the North Atlantic Treaty which was signed on 4 April"
                " 1949",
                "fact",
            ),
            C(
                "Three NATO members are permanent members of the United Nations Security Council with the power to"
                " veto and are officially nuclear-weapon states: the United States, France and the United Kingdom",
                "fact",
            ),
            C(
                "NATO’s headquarters are located in Haren, Brussels, Belgium, while the headquarters of Allied Command"
                " Operations is near Mons",
                "fact",
            ),
            C(
                "Belgium is one of the 28 member states across North America and Europe, the newest of which, Albania"
                " and Croatia, joined in April 2009",
                "statistic",
            ),
            C(
                "An additional 22 countries participate in NATO’s Partnership for Peace program, with 15 other"
                " countries involved in institutionalized dialogue programmes",
                "statistic",
            ),
            C(
                "The combined military spending of all NATO members constitutes over 70% of the global total",
                "statistic",
            ),
            C("Members’ defence spending is supposed to amount to 2% of GDP", "fact"),
        ),
    )


SWEDEN_BUDGET = Article(
    title="Sweden's finance minister cuts income taxes as inflation eases",
    text=P("""
STOCKHOLM — Finance Minister Anna Lindqvist on Tuesday presented a budget that cuts income taxes by 18 billion crowns next year, arguing that the economy has turned a corner after two years of high inflation.

"Swedish households have carried a heavy burden for two years. Now it is time to give something back," Lindqvist told parliament.

Consumer prices rose 2.1 percent in the 12 months to September, down from a peak of 10.2 percent in December 2022, according to Statistics Sweden.

The minister said the budget would still leave the government with a small surplus in 2025, and she predicted that unemployment, now at 8.4 percent, would fall below 8 percent by the end of that year.

"We will not borrow to pay for tax cuts," she said, "and we will not gamble with the public finances."

The 54-year-old economist, who joined the government in 2022 after a decade at the central bank, told reporters that the tax cuts would cost less than 0.3 percent of gross domestic product.

The budget also raises defence spending to 2.4 percent of GDP, the highest share since 1991, and sets aside 5 billion crowns for railway maintenance.

The opposition was unimpressed. Karin Berg, who leads the Social Democrats, said the tax cuts favoured high earners.

"A nurse gets 300 crowns a month and a bank director gets 4,000," Berg said in a statement.

Lindqvist rejected that characterisation and said the package was "responsible and fair" and would pass before Christmas.

Parliament is expected to vote on the budget on Nov. 22.
"""),
    notes=(
        C(
            "Finance Minister Anna Lindqvist on Tuesday presented a budget that cuts income taxes by 18 billion"
            " crowns next year",
            "event",
        ),
        I(
            "the economy has turned a corner after two years of high inflation",
            "Anna Lindqvist",
            "Finance Minister Anna Lindqvist",
            "arguing",
        ),
        D(
            "Swedish households have carried a heavy burden for two years. Now it is time to give something back,",
            "Anna Lindqvist",
            ('back," Lindqvist told', "Lindqvist"),
            ("Lindqvist told parliament", "told"),
        ),
        I(
            "Consumer prices rose 2.1 percent in the 12 months to September, down from a peak of 10.2 percent in"
            " December 2022",
            "Statistics Sweden",
            "Statistics Sweden",
            "according to",
        ),
        C(
            "Consumer prices rose 2.1 percent in the 12 months to September, down from a peak of 10.2 percent in"
            " December 2022",
            "statistic",
        ),
        I(
            "the budget would still leave the government with a small surplus in 2025",
            "Anna Lindqvist",
            "The minister",
            ("The minister said", "said"),
        ),
        C("the budget would still leave the government with a small surplus in 2025", "prediction"),
        I(
            "unemployment, now at 8.4 percent, would fall below 8 percent by the end of that year",
            "Anna Lindqvist",
            ("and she predicted", "she"),
            "predicted",
        ),
        C("unemployment, now at 8.4 percent, would fall below 8 percent by the end of that year", "prediction"),
        D(
            "We will not borrow to pay for tax cuts,",
            "Anna Lindqvist",
            ('," she said, "and', "she"),
            ('," she said, "and', "said"),
        ),
        D(
            "and we will not gamble with the public finances.",
            "Anna Lindqvist",
            ('," she said, "and', "she"),
            ('," she said, "and', "said"),
        ),
        I(
            "the tax cuts would cost less than 0.3 percent of gross domestic product",
            "Anna Lindqvist",
            "The 54-year-old economist",
            ("told reporters that the tax", "told"),
        ),
        C("the tax cuts would cost less than 0.3 percent of gross domestic product", "prediction"),
        C(
            "The budget also raises defence spending to 2.4 percent of GDP, the highest share since 1991, and sets"
            " aside 5 billion crowns for railway maintenance",
            "statistic",
        ),
        I("the tax cuts favoured high earners", "Karin Berg", "Karin Berg", ("Democrats, said", "said")),
        D(
            "A nurse gets 300 crowns a month and a bank director gets 4,000,",
            "Karin Berg",
            ("Berg said in", "Berg"),
            ("Berg said in", "said"),
        ),
        C("A nurse gets 300 crowns a month and a bank director gets 4,000", "statistic"),
        M(
            'the package was "responsible and fair" and would pass before Christmas',
            "Anna Lindqvist",
            ("Lindqvist rejected", "Lindqvist"),
            ("characterisation and said", "said"),
        ),
    ),
)

WHO_MEASLES = Article(
    title="Measles cases in Europe more than doubled last year, WHO says",
    text=P("""
GENEVA — Measles cases in Europe more than doubled last year, the World Health Organization said on Thursday, warning that gaps in childhood vaccination were putting a generation of children at risk.

The agency recorded 131,200 cases across its 53-country European region in 2024, up from 61,000 in 2023 and the highest number since 1997.

According to the WHO report, children under five accounted for more than 40 percent of the cases and 38 people died.

"Measles is one of the most contagious diseases we know, and it does not stop at borders," said Dr. Lucia Ferrante, who heads the immunisation programme at the WHO's European office in Copenhagen.

"Every child who misses a dose is a child at risk."

Ferrante said coverage with the first dose of the vaccine had slipped to 93 percent in the region, below the 95 percent needed to stop the virus from spreading.

The pandemic disrupted routine immunisation in dozens of countries, and many health systems have not caught up, she told reporters.

In Romania, which reported the most cases, Health Minister Radu Ionescu said the government would open 200 walk-in vaccination centres by March. He said the figures were "a wake-up call for every parent".

The WHO said it was also concerned about outbreaks in Central Asia, where cases in Kazakhstan rose nearly fourfold.

Measles can cause pneumonia, brain swelling and death. Two doses of the vaccine are about 97 percent effective at preventing infection.
"""),
    notes=(
        I(
            "Measles cases in Europe more than doubled last year",
            "World Health Organization",
            "the World Health Organization",
            ("Organization said on", "said"),
        ),
        C("Measles cases in Europe more than doubled last year", "statistic"),
        I(
            "gaps in childhood vaccination were putting a generation of children at risk",
            "World Health Organization",
            "the World Health Organization",
            "warning",
        ),
        C(
            "The agency recorded 131,200 cases across its 53-country European region in 2024, up from 61,000 in"
            " 2023 and the highest number since 1997",
            "statistic",
        ),
        I(
            "children under five accounted for more than 40 percent of the cases and 38 people died",
            "World Health Organization",
            ("the WHO report", "WHO"),
            "According to",
        ),
        C("children under five accounted for more than 40 percent of the cases and 38 people died", "statistic"),
        D(
            "Measles is one of the most contagious diseases we know, and it does not stop at borders,",
            "Lucia Ferrante",
            "Dr. Lucia Ferrante",
            ('borders," said Dr.', "said"),
        ),
        C("Measles is one of the most contagious diseases we know", "fact"),
        D("Every child who misses a dose is a child at risk.", "Lucia Ferrante", None, None),
        I(
            "coverage with the first dose of the vaccine had slipped to 93 percent in the region, below the 95"
            " percent needed to stop the virus from spreading",
            "Lucia Ferrante",
            ("Ferrante said coverage", "Ferrante"),
            ("Ferrante said coverage", "said"),
        ),
        C(
            "coverage with the first dose of the vaccine had slipped to 93 percent in the region, below the 95"
            " percent needed to stop the virus from spreading",
            "statistic",
        ),
        I(
            "The pandemic disrupted routine immunisation in dozens of countries, and many health systems have not"
            " caught up",
            "Lucia Ferrante",
            ("up, she told", "she"),
            ("up, she told", "told"),
        ),
        C(
            "The pandemic disrupted routine immunisation in dozens of countries, and many health systems have not"
            " caught up",
            "causal",
        ),
        I(
            "the government would open 200 walk-in vaccination centres by March",
            "Radu Ionescu",
            "Health Minister Radu Ionescu",
            ("Ionescu said the", "said"),
        ),
        M(
            'the figures were "a wake-up call for every parent"',
            "Radu Ionescu",
            ("He said the figures", "He"),
            ("He said the figures", "said"),
        ),
        I(
            "it was also concerned about outbreaks in Central Asia, where cases in Kazakhstan rose nearly fourfold",
            "World Health Organization",
            ("The WHO said it", "WHO"),
            ("The WHO said it", "said"),
        ),
        C("cases in Kazakhstan rose nearly fourfold", "statistic"),
        C("Measles can cause pneumonia, brain swelling and death", "causal"),
        C("Two doses of the vaccine are about 97 percent effective at preventing infection", "statistic"),
    ),
)

CUP_FINAL = Article(
    title="Harbour City end 41-year wait for National Cup with extra-time winner",
    text=P("""
Harbour City FC won the National Cup for the first time in 41 years on Saturday, beating holders Northgate United 2-1 after extra time in front of 78,000 fans at the national stadium.

Substitute Tomás Reyes, 19, headed the winner in the 113th minute, four minutes after coming on.

"I just closed my eyes and jumped. When I opened them, the whole stadium was shaking," said Reyes, who signed his first professional contract in August.

Northgate had taken the lead in the 67th minute through a penalty from captain Liam O'Brien, but Harbour City equalised with 10 minutes of normal time left when Jonas Lindahl's shot deflected in off a defender.

Harbour City manager Ewa Nowak, the first woman to lead a team to the final, said her players had "refused to accept that the game was over."

"We were poor for an hour," Nowak admitted. "But this group never stops running, and today that was the difference."

Northgate, who had won the cup in each of the previous two seasons, finished with 10 men after defender Samuel Adeyemi was sent off in the 95th minute for a second yellow card.

O'Brien did not hide his disappointment. "We gave it away. Simple as that."

Northgate coach Paul Whitcombe said he would not blame the referee. "The better team won today," he said.

Within minutes of the final whistle, the club posted a photo of the trophy on social media with the caption "41 years. Worth every second 🏆".

Harbour City will play in next season's continental competition for the first time since 1984.
"""),
    notes=(
        C(
            "Harbour City FC won the National Cup for the first time in 41 years on Saturday, beating holders"
            " Northgate United 2-1 after extra time in front of 78,000 fans at the national stadium",
            "event",
        ),
        C(
            "Substitute Tomás Reyes, 19, headed the winner in the 113th minute, four minutes after coming on",
            "event",
        ),
        D(
            "I just closed my eyes and jumped. When I opened them, the whole stadium was shaking,",
            "Tomás Reyes",
            ("said Reyes, who", "Reyes"),
            ('shaking," said Reyes', "said"),
        ),
        C(
            "Northgate had taken the lead in the 67th minute through a penalty from captain Liam O'Brien, but Harbour"
            " City equalised with 10 minutes of normal time left when Jonas Lindahl's shot deflected in off a"
            " defender",
            "event",
        ),
        C("the first woman to lead a team to the final", "fact"),
        M(
            'her players had "refused to accept that the game was over."',
            "Ewa Nowak",
            "Harbour City manager Ewa Nowak",
            ("final, said her", "said"),
        ),
        D("We were poor for an hour,", "Ewa Nowak", ('hour," Nowak admitted', "Nowak"), "admitted"),
        D(
            "But this group never stops running, and today that was the difference.",
            "Ewa Nowak",
            ('hour," Nowak admitted', "Nowak"),
            "admitted",
        ),
        C(
            "Northgate, who had won the cup in each of the previous two seasons, finished with 10 men after defender"
            " Samuel Adeyemi was sent off in the 95th minute for a second yellow card",
            "event",
        ),
        D("We gave it away. Simple as that.", "Liam O'Brien", None, None),
        I(
            "he would not blame the referee",
            "Paul Whitcombe",
            "Northgate coach Paul Whitcombe",
            ("Whitcombe said he", "said"),
        ),
        D(
            "The better team won today,",
            "Paul Whitcombe",
            ('today," he said', "he"),
            ('today," he said', "said"),
        ),
        D("41 years. Worth every second 🏆", "Harbour City FC", ("the club posted", "the club"), "posted"),
        C(
            "Harbour City will play in next season's continental competition for the first time since 1984",
            "prediction",
        ),
    ),
)

PENSION_FRAUD = Article(
    title="Fake bond scheme adviser jailed for nine years for defrauding 230 pensioners",
    text=P("""
A former financial adviser who cheated 230 pensioners out of £4.2m was jailed for nine years at Southwark Crown Court on Friday.

Derek Holloway, 61, of Croydon, persuaded his victims to move their savings into a bond scheme that did not exist between 2016 and 2021, the jury heard during a six-week trial.

Prosecutor Mark Delaney told the court that Holloway had spent much of the money on a villa in Portugal and a collection of classic cars.

Sentencing him, Judge Patricia Awolowo said: 'You targeted people at the end of their working lives, people who trusted you completely. You took from them not only their money but their peace of mind.'

Only £310,000 has been recovered so far, according to the Crown Prosecution Service, which said it would seek a confiscation order.

Outside court, one of the victims, 78-year-old Margaret Finch, said the sentence had brought some relief.

'It's a day many of us thought would never come,' she said. 'But nine years won't give anybody their savings back.'

Holloway's barrister, Sarah Quint, said her client had shown 'genuine remorse' and intended to appeal against the length of the sentence.

The Financial Conduct Authority said it had received the first complaint about Holloway in 2019 but had not been able to act until police opened an investigation a year later.

'We are reviewing how this case was handled,' an FCA spokesperson said.
"""),
    notes=(
        C(
            "A former financial adviser who cheated 230 pensioners out of £4.2m was jailed for nine years at"
            " Southwark Crown Court on Friday",
            "event",
        ),
        C(
            "Derek Holloway, 61, of Croydon, persuaded his victims to move their savings into a bond scheme that did"
            " not exist between 2016 and 2021",
            "event",
        ),
        I(
            "Holloway had spent much of the money on a villa in Portugal and a collection of classic cars",
            "Mark Delaney",
            "Prosecutor Mark Delaney",
            "told",
        ),
        C("Holloway had spent much of the money on a villa in Portugal and a collection of classic cars", "event"),
        D(
            "You targeted people at the end of their working lives, people who trusted you completely. You took from"
            " them not only their money but their peace of mind.",
            "Patricia Awolowo",
            "Judge Patricia Awolowo",
            ("Awolowo said:", "said"),
        ),
        I(
            "Only £310,000 has been recovered so far",
            "Crown Prosecution Service",
            "the Crown Prosecution Service",
            "according to",
        ),
        C("Only £310,000 has been recovered so far", "statistic"),
        I(
            "it would seek a confiscation order",
            "Crown Prosecution Service",
            ("which said it would", "which"),
            ("which said it would", "said"),
        ),
        I(
            "the sentence had brought some relief",
            "Margaret Finch",
            "78-year-old Margaret Finch",
            ("Finch, said", "said"),
        ),
        D(
            "It's a day many of us thought would never come,",
            "Margaret Finch",
            ("come,' she said", "she"),
            ("come,' she said", "said"),
        ),
        D(
            "But nine years won't give anybody their savings back.",
            "Margaret Finch",
            ("come,' she said", "she"),
            ("come,' she said", "said"),
        ),
        M(
            "her client had shown 'genuine remorse' and intended to appeal against the length of the sentence",
            "Sarah Quint",
            "Sarah Quint",
            ("Quint, said", "said"),
        ),
        I(
            "it had received the first complaint about Holloway in 2019 but had not been able to act until police"
            " opened an investigation a year later",
            "Financial Conduct Authority",
            "The Financial Conduct Authority",
            ("Authority said", "said"),
        ),
        C(
            "it had received the first complaint about Holloway in 2019 but had not been able to act until police"
            " opened an investigation a year later",
            "event",
        ),
        D(
            "We are reviewing how this case was handled,",
            "Financial Conduct Authority",
            "an FCA spokesperson",
            ("spokesperson said", "said"),
        ),
    ),
)

EXOPLANET = Article(
    title="Webb telescope finds water vapour on a rocky planet close to Earth's size",
    text=P("""
Astronomers have detected water vapour in the atmosphere of a rocky planet orbiting a red dwarf star 48 light-years from Earth, the smallest world on which the gas has been found so far.

The team used the James Webb Space Telescope to watch the planet pass in front of its star, splitting the starlight into its colours.

"This is the first time we have seen water on a planet this close to Earth's size," said Dr. Priya Raman, an astrophysicist at the University of Edinburgh who led the study. "It doesn't mean there is life there. It means we now know how to look."

The planet, known as TOI-9921 b, is about 1.3 times as wide as Earth and completes an orbit every 11 days, according to NASA, which operates the telescope together with the European and Canadian space agencies.

Its surface temperature is estimated at around 60 degrees Celsius, hotter than any desert on Earth.

Not everyone is convinced. Lukas Weber, a planetary scientist at the Max Planck Institute for Astronomy in Heidelberg who was not involved in the work, said the signal could also come from cool spots on the star itself.

"Red dwarfs are messy. I would want to see a second set of observations before I call this water," he said in an interview.

Raman said her team had already ruled out that explanation for most of the signal. She welcomed the scrutiny, however.

"Extraordinary claims need extraordinary evidence. We will have new data within a year."

Only about a dozen small rocky exoplanets are close enough and bright enough for Webb to study their atmospheres in this way.
"""),
    notes=(
        C(
            "Astronomers have detected water vapour in the atmosphere of a rocky planet orbiting a red dwarf star 48"
            " light-years from Earth, the smallest world on which the gas has been found so far",
            "event",
        ),
        D(
            "This is the first time we have seen water on a planet this close to Earth's size,",
            "Priya Raman",
            "Dr. Priya Raman",
            ('size," said Dr.', "said"),
        ),
        C("This is the first time we have seen water on a planet this close to Earth's size", "fact"),
        D(
            "It doesn't mean there is life there. It means we now know how to look.",
            "Priya Raman",
            "Dr. Priya Raman",
            ('size," said Dr.', "said"),
        ),
        I(
            "The planet, known as TOI-9921 b, is about 1.3 times as wide as Earth and completes an orbit every 11 days",
            "NASA",
            "NASA",
            "according to",
        ),
        C(
            "The planet, known as TOI-9921 b, is about 1.3 times as wide as Earth and completes an orbit every 11 days",
            "statistic",
        ),
        C(
            "Its surface temperature is estimated at around 60 degrees Celsius, hotter than any desert on Earth",
            "statistic",
        ),
        I(
            "the signal could also come from cool spots on the star itself",
            "Lukas Weber",
            "Lukas Weber",
            ("work, said the signal", "said"),
        ),
        D(
            "Red dwarfs are messy. I would want to see a second set of observations before I call this water,",
            "Lukas Weber",
            ('water," he said', "he"),
            ('water," he said', "said"),
        ),
        I(
            "her team had already ruled out that explanation for most of the signal",
            "Priya Raman",
            ("Raman said her team", "Raman"),
            ("Raman said her team", "said"),
        ),
        D(
            "Extraordinary claims need extraordinary evidence. We will have new data within a year.",
            "Priya Raman",
            None,
            None,
        ),
        C(
            "Only about a dozen small rocky exoplanets are close enough and bright enough for Webb to study their"
            " atmospheres in this way",
            "statistic",
        ),
    ),
)

BIKE_LANES = Article(
    title="Millbrook council approves 14 km of protected bike lanes despite shopkeepers' protests",
    text=P("""
MILLBROOK — Millbrook City Council voted 7-2 on Monday night to build 14 kilometres of protected bike lanes along Harbour Road and Station Street, a project that will cost $6.8 million over three years.

Councillor Dana Whitfield, who proposed the plan, said the vote was "a win for every parent who has been too scared to let their kids cycle to school."

She told the meeting that collisions involving cyclists in the town had risen from 31 in 2019 to 52 last year.

The councillor, a former primary school teacher, said the network would be the longest of its kind in the state once it was finished.

Not everyone was cheering. Tom Barker, who runs a hardware store on Station Street, warned that the loss of 120 parking spaces would drive customers to the retail park on the edge of town.

"People don't carry a bag of cement home on a bicycle," he said.

Councillor Raj Patel, one of the two members who voted against, said he supported safer streets but objected to the price.

"Nobody is against safety, but this is the wrong plan at the wrong price," Patel said.

The lanes will be separated from traffic by concrete kerbs and planters, and several junctions will get new signals.

Construction is scheduled to begin in April, the council said in a statement.

Whitfield said she hoped to see the first section open before the end of the school year. "Come back in a year and count the bikes," she said.
"""),
    notes=(
        C(
            "Millbrook City Council voted 7-2 on Monday night to build 14 kilometres of protected bike lanes along"
            " Harbour Road and Station Street, a project that will cost $6.8 million over three years",
            "event",
        ),
        M(
            'the vote was "a win for every parent who has been too scared to let their kids cycle to school."',
            "Dana Whitfield",
            "Councillor Dana Whitfield",
            ("plan, said the vote", "said"),
        ),
        I(
            "collisions involving cyclists in the town had risen from 31 in 2019 to 52 last year",
            "Dana Whitfield",
            ("She told the meeting", "She"),
            ("She told the meeting", "told"),
        ),
        C("collisions involving cyclists in the town had risen from 31 in 2019 to 52 last year", "statistic"),
        I(
            "the network would be the longest of its kind in the state once it was finished",
            "Dana Whitfield",
            "The councillor",
            ("teacher, said the network", "said"),
        ),
        C("the network would be the longest of its kind in the state once it was finished", "prediction"),
        I(
            "the loss of 120 parking spaces would drive customers to the retail park on the edge of town",
            "Tom Barker",
            "Tom Barker",
            "warned",
        ),
        C("the loss of 120 parking spaces would drive customers to the retail park on the edge of town", "prediction"),
        D(
            "People don't carry a bag of cement home on a bicycle,",
            "Tom Barker",
            ('bicycle," he said', "he"),
            ('bicycle," he said', "said"),
        ),
        I(
            "he supported safer streets but objected to the price",
            "Raj Patel",
            "Councillor Raj Patel",
            ("against, said he", "said"),
        ),
        D(
            "Nobody is against safety, but this is the wrong plan at the wrong price,",
            "Raj Patel",
            ("Patel said", "Patel"),
            ("Patel said", "said"),
        ),
        I(
            "Construction is scheduled to begin in April",
            "Millbrook City Council",
            ("the council said in", "the council"),
            ("the council said in", "said"),
        ),
        I(
            "she hoped to see the first section open before the end of the school year",
            "Dana Whitfield",
            ("Whitfield said she", "Whitfield"),
            ("Whitfield said she", "said"),
        ),
        D(
            "Come back in a year and count the bikes,",
            "Dana Whitfield",
            ('bikes," she said', "she"),
            ('bikes," she said', "said"),
        ),
    ),
)

FARMERS_PARIS = Article(
    title="French farmers block motorways into Paris as government promises 400 million euros",
    text=P("""
PARIS — Thousands of farmers blocked the main motorways into Paris on Tuesday, the third day of protests over fuel costs and cheap imports, as Prime Minister Claire Dumont promised an emergency aid package worth 400 million euros.

«\u00a0Nous avons entendu la colère du monde agricole\u00a0», Dumont told reporters at the Rungis wholesale market south of the capital. “We will not let French farms disappear,” she added.

The prime minister said the money would be paid to the hardest-hit livestock farmers before the end of March.

Farm incomes in France fell by 18 percent last year, according to the national statistics agency INSEE. The number of farms has dropped by a fifth in a decade.

Arnaud Lefèvre, president of the country's largest farmers' union, said the package was “a first step, nothing more” and vowed to keep the blockades in place until Friday.

«On ne lâchera rien» (“We will not give an inch”), he told France Inter radio.

Banners hung from tractors parked on the A6 motorway read «Pas de pays sans paysans», a slogan that has spread across Europe since farmers' protests in Germany and the Netherlands.

The Paris police prefecture said about 1,200 tractors had taken part in the blockades on Tuesday and that officers had arrested 14 people who tried to force their way into the Rungis market.

Dumont, 47, a former agriculture minister, is due to meet union leaders again on Thursday.
"""),
    notes=(
        C(
            "Thousands of farmers blocked the main motorways into Paris on Tuesday, the third day of protests over"
            " fuel costs and cheap imports, as Prime Minister Claire Dumont promised an emergency aid package worth"
            " 400 million euros",
            "event",
        ),
        D(
            "Nous avons entendu la colère du monde agricole",
            "Claire Dumont",
            ("», Dumont told", "Dumont"),
            ("Dumont told reporters", "told"),
        ),
        D("We will not let French farms disappear,", "Claire Dumont", ("she added", "she"), "added"),
        I(
            "the money would be paid to the hardest-hit livestock farmers before the end of March",
            "Claire Dumont",
            "The prime minister",
            ("The prime minister said", "said"),
        ),
        I(
            "Farm incomes in France fell by 18 percent last year",
            "INSEE",
            "the national statistics agency INSEE",
            "according to",
        ),
        C("Farm incomes in France fell by 18 percent last year", "statistic"),
        C("The number of farms has dropped by a fifth in a decade", "statistic"),
        M(
            "the package was “a first step, nothing more”",
            "Arnaud Lefèvre",
            "Arnaud Lefèvre",
            ("union, said the package", "said"),
        ),
        D("On ne lâchera rien", "Arnaud Lefèvre", ("he told France Inter", "he"), ("he told France Inter", "told")),
        D(
            "We will not give an inch",
            "Arnaud Lefèvre",
            ("he told France Inter", "he"),
            ("he told France Inter", "told"),
        ),
        I(
            "about 1,200 tractors had taken part in the blockades on Tuesday and that officers had arrested 14 people"
            " who tried to force their way into the Rungis market",
            "Paris police prefecture",
            "The Paris police prefecture",
            ("prefecture said about", "said"),
        ),
        C("about 1,200 tractors had taken part in the blockades on Tuesday", "statistic"),
        C("officers had arrested 14 people who tried to force their way into the Rungis market", "event"),
    ),
)

GERMAN_INDUSTRY = Article(
    title="German industrial output falls for a third month",
    text=P("""
BERLIN — German industrial output fell for a third consecutive month in August, dropping 1.4 percent from July, the Federal Statistical Office said on Monday.

Production in energy-intensive sectors such as chemicals, glass and steel is now about 20 percent below its level at the start of 2022, before gas prices soared.

Economy Minister Jürgen Hartmann said at a trade fair in Hanover: „Die Lage ist ernst, aber nicht hoffnungslos.“ ("The situation is serious, but not hopeless.")

The minister told the Bundestag on Wednesday that the government would cut the electricity tax for manufacturers to the EU minimum from January.

Industry groups were unimpressed. „We need cheaper energy, and we need it now“, said Sabine Krüger, managing director of the German Engineering Federation. The federation represents more than 3,000 mostly family-owned companies.

Krüger said 40 percent of the federation's members were considering moving some production abroad.

Carsten Vogel, chief economist at Hanseatic Bank in Hamburg, said the figures made a contraction in the third quarter „almost unavoidable“.

„If output does not pick up in September, we are looking at a technical recession“, he wrote in a note to clients.

Germany's economy shrank by 0.3 percent in 2023 and was the weakest performer among the Group of Seven large industrial nations, according to the International Monetary Fund.

Hartmann, a Social Democrat, insisted that the government's investment programme would start to show results next year.
"""),
    notes=(
        I(
            "German industrial output fell for a third consecutive month in August, dropping 1.4 percent from July",
            "Federal Statistical Office",
            "the Federal Statistical Office",
            ("Office said on", "said"),
        ),
        C(
            "German industrial output fell for a third consecutive month in August, dropping 1.4 percent from July",
            "statistic",
        ),
        C(
            "Production in energy-intensive sectors such as chemicals, glass and steel is now about 20 percent below"
            " its level at the start of 2022, before gas prices soared",
            "statistic",
        ),
        D(
            "Die Lage ist ernst, aber nicht hoffnungslos.",
            "Jürgen Hartmann",
            "Economy Minister Jürgen Hartmann",
            ("Hartmann said at", "said"),
        ),
        D(
            "The situation is serious, but not hopeless.",
            "Jürgen Hartmann",
            "Economy Minister Jürgen Hartmann",
            ("Hartmann said at", "said"),
        ),
        I(
            "the government would cut the electricity tax for manufacturers to the EU minimum from January",
            "Jürgen Hartmann",
            "The minister",
            ("minister told the Bundestag", "told"),
        ),
        D(
            "We need cheaper energy, and we need it now",
            "Sabine Krüger",
            "Sabine Krüger",
            ("now“, said", "said"),
        ),
        C("The federation represents more than 3,000 mostly family-owned companies", "statistic"),
        I(
            "40 percent of the federation's members were considering moving some production abroad",
            "Sabine Krüger",
            ("Krüger said 40", "Krüger"),
            ("Krüger said 40", "said"),
        ),
        C("40 percent of the federation's members were considering moving some production abroad", "statistic"),
        M(
            "the figures made a contraction in the third quarter „almost unavoidable“",
            "Carsten Vogel",
            "Carsten Vogel",
            ("Hamburg, said", "said"),
        ),
        C("the figures made a contraction in the third quarter „almost unavoidable“", "prediction"),
        D(
            "If output does not pick up in September, we are looking at a technical recession",
            "Carsten Vogel",
            ("“, he wrote", "he"),
            ("he wrote", "wrote"),
        ),
        I(
            "Germany's economy shrank by 0.3 percent in 2023 and was the weakest performer among the Group of Seven"
            " large industrial nations",
            "International Monetary Fund",
            "the International Monetary Fund",
            "according to",
        ),
        C(
            "Germany's economy shrank by 0.3 percent in 2023 and was the weakest performer among the Group of Seven"
            " large industrial nations",
            "statistic",
        ),
        I(
            "the government's investment programme would start to show results next year",
            "Jürgen Hartmann",
            ("Hartmann, a Social Democrat", "Hartmann"),
            "insisted",
        ),
    ),
)

ISHIKAWA_QUAKE = Article(
    title="Magnitude 6.8 quake strikes off Ishikawa, tsunami advisory lifted",
    text=P("""
TOKYO — A magnitude 6.8 earthquake struck off the coast of Ishikawa prefecture early on Sunday, shaking buildings as far away as Tokyo and prompting a tsunami advisory that was lifted two hours later.

The Japan Meteorological Agency said waves of up to 40 centimetres had reached the coast near the city of Wajima.

According to the Fire and Disaster Management Agency, no deaths were reported and 23 people were treated for minor injuries, most of them cut by broken glass.

Wajima is still rebuilding after a magnitude 7.5 quake on New Year's Day in 2024 destroyed much of its historic centre.

Speaking to public broadcaster NHK, Mayor Kenji Sakamoto said: 「住民の安全が何よりも優先です」 ("The safety of residents comes before everything"). He said about 900 people had spent the night in evacuation centres.

「We are checking every reactor, every pipe and every tank,」 said a spokesman for Noto Coast Power, which operates a nuclear plant about 60 kilometres south of the epicentre.

The company said no abnormalities had been found at the plant, whose two reactors have been offline since 2011.

The meteorological agency warned that aftershocks of a similar strength were possible over the coming week and urged residents to stay away from steep slopes.

Bullet train services between Tokyo and Kanazawa were suspended for about three hours while engineers inspected the tracks.
"""),
    notes=(
        C(
            "A magnitude 6.8 earthquake struck off the coast of Ishikawa prefecture early on Sunday, shaking buildings"
            " as far away as Tokyo and prompting a tsunami advisory that was lifted two hours later",
            "event",
        ),
        I(
            "waves of up to 40 centimetres had reached the coast near the city of Wajima",
            "Japan Meteorological Agency",
            "The Japan Meteorological Agency",
            ("Agency said waves", "said"),
        ),
        C("waves of up to 40 centimetres had reached the coast near the city of Wajima", "statistic"),
        I(
            "no deaths were reported and 23 people were treated for minor injuries, most of them cut by broken glass",
            "Fire and Disaster Management Agency",
            "the Fire and Disaster Management Agency",
            "According to",
        ),
        C(
            "no deaths were reported and 23 people were treated for minor injuries, most of them cut by broken glass",
            "statistic",
        ),
        C(
            "Wajima is still rebuilding after a magnitude 7.5 quake on New Year's Day in 2024 destroyed much of its"
            " historic centre",
            "event",
        ),
        D("住民の安全が何よりも優先です", "Kenji Sakamoto", "Mayor Kenji Sakamoto", ("Sakamoto said:", "said")),
        D(
            "The safety of residents comes before everything",
            "Kenji Sakamoto",
            "Mayor Kenji Sakamoto",
            ("Sakamoto said:", "said"),
        ),
        I(
            "about 900 people had spent the night in evacuation centres",
            "Kenji Sakamoto",
            ("He said about 900", "He"),
            ("He said about 900", "said"),
        ),
        C("about 900 people had spent the night in evacuation centres", "statistic"),
        D(
            "We are checking every reactor, every pipe and every tank,",
            "Noto Coast Power",
            "a spokesman for Noto Coast Power",
            ("tank,」 said", "said"),
        ),
        I(
            "no abnormalities had been found at the plant, whose two reactors have been offline since 2011",
            "Noto Coast Power",
            "The company",
            ("The company said", "said"),
        ),
        C("no abnormalities had been found at the plant, whose two reactors have been offline since 2011", "event"),
        I(
            "aftershocks of a similar strength were possible over the coming week",
            "Japan Meteorological Agency",
            "The meteorological agency",
            "warned",
        ),
        C(
            "Bullet train services between Tokyo and Kanazawa were suspended for about three hours while engineers"
            " inspected the tracks",
            "event",
        ),
    ),
)

NORTHERN_RAIN = Article(
    title="Wettest October on record for parts of northern England",
    text=P("""
Autumn storms brought the wettest October on record to parts of northern England, with Cumbria and North Yorkshire receiving almost three times their average rainfall for the month.

A total of 312 millimetres of rain fell at Shap in Cumbria, the highest October total there since records began in 1910.

The River Ouse in York peaked at 4.9 metres above its normal summer level on Oct. 21, its third-highest level in the past fifty years, and flooded riverside pubs and car parks in the city centre.

More than 1,400 homes were flooded across the region, and around 60,000 properties lost power for at least part of a day during Storm Hilda.

The rain followed the driest summer in the region since 1995, when reservoirs fell to less than half of their capacity.

Many fields in the Vale of York are still under water, and on some farms the planting of winter wheat has been put off until the spring.

The autumn colours were muted this year, and the footpaths of the Yorkshire Dales have turned to mud. Walkers heading for the hills this weekend will need stout boots, a map and plenty of patience at the stiles.

A drier and colder November would be welcome. In the villages along the Ouse, sandbags are still stacked against front doors, and nobody is in a hurry to move them.
"""),
    notes=(
        C(
            "Autumn storms brought the wettest October on record to parts of northern England, with Cumbria and North"
            " Yorkshire receiving almost three times their average rainfall for the month",
            "statistic",
        ),
        C(
            "A total of 312 millimetres of rain fell at Shap in Cumbria, the highest October total there since records"
            " began in 1910",
            "statistic",
        ),
        C(
            "The River Ouse in York peaked at 4.9 metres above its normal summer level on Oct. 21, its third-highest"
            " level in the past fifty years, and flooded riverside pubs and car parks in the city centre",
            "statistic",
        ),
        C(
            "More than 1,400 homes were flooded across the region, and around 60,000 properties lost power for at"
            " least part of a day during Storm Hilda",
            "statistic",
        ),
        C(
            "The rain followed the driest summer in the region since 1995, when reservoirs fell to less than half of"
            " their capacity",
            "statistic",
        ),
    ),
)

DUTCH_ASYLUM = Article(
    title="Dutch lower house votes to cap asylum applications at 25,000 a year",
    text=P("""
THE HAGUE — The Dutch lower house on Thursday approved a bill that would cap first-time asylum applications at 25,000 a year, less than half of last year's total of 58,000.

The bill passed by 81 votes to 69 after a debate that lasted more than 14 hours.

Migration Minister Pieter de Vries told reporters the cap would "restore control" of a system that had been "overwhelmed for a decade".

According to the Council of State, the government's highest advisory body, parts of the law may conflict with the European Convention on Human Rights.

Opposition leader Femke Bakker warned that the cap would leave thousands of refugees "in limbo at the border" and said her party would challenge the law in court.

"This is a law written for the headlines, not for the people it will affect," Bakker said. "It will not survive its first day in court."

De Vries said that the number of applications had already fallen by 12 percent in the first nine months of the year.

The 41-year-old minister, a former mayor of Zwolle, rejected the criticism. "We have the most generous system in Europe, and it has reached its limit," he said.

The Senate is expected to vote on the bill in February. If it passes, the cap would take effect on July 1.
"""),
    notes=(
        C(
            "The Dutch lower house on Thursday approved a bill that would cap first-time asylum applications at"
            " 25,000 a year, less than half of last year's total of 58,000",
            "event",
        ),
        C("The bill passed by 81 votes to 69 after a debate that lasted more than 14 hours", "event"),
        M(
            'the cap would "restore control" of a system that had been "overwhelmed for a decade"',
            "Pieter de Vries",
            "Migration Minister Pieter de Vries",
            ("Vries told reporters", "told"),
        ),
        I(
            "parts of the law may conflict with the European Convention on Human Rights",
            "Council of State",
            "the Council of State",
            "According to",
        ),
        M(
            'the cap would leave thousands of refugees "in limbo at the border"',
            "Femke Bakker",
            "Opposition leader Femke Bakker",
            "warned",
        ),
        I(
            "her party would challenge the law in court",
            "Femke Bakker",
            "Opposition leader Femke Bakker",
            ('border" and said', "said"),
        ),
        D(
            "This is a law written for the headlines, not for the people it will affect,",
            "Femke Bakker",
            ('affect," Bakker said', "Bakker"),
            ('affect," Bakker said', "said"),
        ),
        D(
            "It will not survive its first day in court.",
            "Femke Bakker",
            ('affect," Bakker said', "Bakker"),
            ('affect," Bakker said', "said"),
        ),
        I(
            "the number of applications had already fallen by 12 percent in the first nine months of the year",
            "Pieter de Vries",
            ("De Vries said that", "De Vries"),
            ("De Vries said that", "said"),
        ),
        C(
            "the number of applications had already fallen by 12 percent in the first nine months of the year",
            "statistic",
        ),
        D(
            "We have the most generous system in Europe, and it has reached its limit,",
            "Pieter de Vries",
            ('limit," he said', "he"),
            ('limit," he said', "said"),
        ),
        C("We have the most generous system in Europe", "fact"),
    ),
)

NORGES_BANK = Article(
    title="Norway's central bank raises rates to 4.75%, highest since 2008",
    text=P("""
OSLO — Norges Bank, Norway's central bank, raised its key interest rate by a quarter point to 4.75 percent on Thursday, the highest level since 2008, and signalled that borrowing costs could rise again in December.

Governor Ingrid Solheim said: "Inflation is still too high, and the krone is still too weak. We would rather act too early than too late."

Core inflation stood at 5.9 percent in October, more than twice the bank's 2 percent target.

The bank now expects inflation to fall to 3.3 percent by the end of next year, it said in its monetary policy report.

Solheim told a news conference that the board had discussed a larger half-point increase but decided against it. She added that the weak krone had pushed up the price of imported goods by about 4 percent this year.

The decision surprised most economists. Kari Nilsen, chief economist at Fjord Securities in Bergen, said markets had expected the bank to hold rates steady until the spring.

"Most of us expected a pause. The message today is that the fight is not over," Nilsen said.

Rate increases reach Norwegian households quickly because about 90 percent of mortgages carry floating rates.

The krone strengthened by 0.8 percent against the euro after the announcement.
"""),
    notes=(
        C(
            "Norges Bank, Norway's central bank, raised its key interest rate by a quarter point to 4.75 percent on"
            " Thursday, the highest level since 2008",
            "statistic",
        ),
        I(
            "borrowing costs could rise again in December",
            "Norges Bank",
            ("OSLO — Norges Bank", "Norges Bank"),
            "signalled",
        ),
        D(
            "Inflation is still too high, and the krone is still too weak. We would rather act too early than too"
            " late.",
            "Ingrid Solheim",
            "Governor Ingrid Solheim",
            ("Solheim said:", "said"),
        ),
        C("Core inflation stood at 5.9 percent in October, more than twice the bank's 2 percent target", "statistic"),
        I(
            "The bank now expects inflation to fall to 3.3 percent by the end of next year",
            "Norges Bank",
            ("year, it said", "it"),
            ("year, it said", "said"),
        ),
        C("The bank now expects inflation to fall to 3.3 percent by the end of next year", "prediction"),
        I(
            "the board had discussed a larger half-point increase but decided against it",
            "Ingrid Solheim",
            ("Solheim told a news", "Solheim"),
            ("Solheim told a news", "told"),
        ),
        I(
            "the weak krone had pushed up the price of imported goods by about 4 percent this year",
            "Ingrid Solheim",
            ("She added", "She"),
            ("She added", "added"),
        ),
        C("the weak krone had pushed up the price of imported goods by about 4 percent this year", "causal"),
        I(
            "markets had expected the bank to hold rates steady until the spring",
            "Kari Nilsen",
            "Kari Nilsen",
            ("Bergen, said", "said"),
        ),
        D(
            "Most of us expected a pause. The message today is that the fight is not over,",
            "Kari Nilsen",
            ("Nilsen said", "Nilsen"),
            ("Nilsen said", "said"),
        ),
        C(
            "Rate increases reach Norwegian households quickly because about 90 percent of mortgages carry floating"
            " rates",
            "causal",
        ),
        C("The krone strengthened by 0.8 percent against the euro after the announcement", "causal"),
    ),
)

NHS_WAITING = Article(
    title="Hospital waiting list in England falls to lowest level in 18 months",
    text=P("""
LONDON — The waiting list for planned hospital treatment in England fell to 7.4 million in September, the lowest level in 18 months, according to figures published by NHS England on Thursday.

But almost 290,000 patients have now been waiting for more than a year, and the target of treating 92 percent of patients within 18 weeks has not been met since 2016.

Health Secretary Oliver Grant said that hospitals had carried out 1.6 million operations and procedures in September, 9 percent more than a year earlier.

“This is proof that the recovery plan is working,” said the health secretary during a visit to a surgical hub in Leicester. “We are not there yet, but the direction is clear.”

Doctors' leaders were more cautious. Dr. Amira Hassan, who chairs the College of Hospital Physicians, said the figures hid “a crisis at the front door” of hospitals, where more than 150,000 patients waited longer than 12 hours in emergency departments last month.

“A patient told me last week, ‘I have forgotten what it is like to walk without pain,’ and she is 52 years old,” Hassan said. “That is what a waiting list looks like from the inside.”

The government has pledged to eliminate waits of more than a year by March 2026.

The opposition health spokesperson, Helen Marsh, said ministers were “cherry-picking one good month”. She said the list was still 2.8 million longer than it had been before the pandemic.
"""),
    notes=(
        I(
            "The waiting list for planned hospital treatment in England fell to 7.4 million in September, the lowest"
            " level in 18 months",
            "NHS England",
            "NHS England",
            "according to",
        ),
        C(
            "The waiting list for planned hospital treatment in England fell to 7.4 million in September, the lowest"
            " level in 18 months",
            "statistic",
        ),
        C(
            "almost 290,000 patients have now been waiting for more than a year, and the target of treating 92"
            " percent of patients within 18 weeks has not been met since 2016",
            "statistic",
        ),
        I(
            "hospitals had carried out 1.6 million operations and procedures in September, 9 percent more than a year"
            " earlier",
            "Oliver Grant",
            "Health Secretary Oliver Grant",
            ("Grant said that", "said"),
        ),
        C(
            "hospitals had carried out 1.6 million operations and procedures in September, 9 percent more than a year"
            " earlier",
            "statistic",
        ),
        D(
            "This is proof that the recovery plan is working,",
            "Oliver Grant",
            ("said the health secretary", "the health secretary"),
            ("said the health secretary", "said"),
        ),
        D(
            "We are not there yet, but the direction is clear.",
            "Oliver Grant",
            ("said the health secretary", "the health secretary"),
            ("said the health secretary", "said"),
        ),
        M(
            "the figures hid “a crisis at the front door” of hospitals, where more than 150,000 patients waited longer"
            " than 12 hours in emergency departments last month",
            "Amira Hassan",
            "Dr. Amira Hassan",
            ("Physicians, said", "said"),
        ),
        C(
            "more than 150,000 patients waited longer than 12 hours in emergency departments last month",
            "statistic",
        ),
        D(
            "A patient told me last week, ‘I have forgotten what it is like to walk without pain,’ and she is 52 years"
            " old,",
            "Amira Hassan",
            ("old,” Hassan said", "Hassan"),
            ("old,” Hassan said", "said"),
        ),
        D(
            "That is what a waiting list looks like from the inside.",
            "Amira Hassan",
            ("old,” Hassan said", "Hassan"),
            ("old,” Hassan said", "said"),
        ),
        M(
            "ministers were “cherry-picking one good month”",
            "Helen Marsh",
            "Helen Marsh",
            ("Marsh, said", "said"),
        ),
        I(
            "the list was still 2.8 million longer than it had been before the pandemic",
            "Helen Marsh",
            ("She said the list", "She"),
            ("She said the list", "said"),
        ),
        C("the list was still 2.8 million longer than it had been before the pandemic", "statistic"),
    ),
)

PACIFIC_OPEN = Article(
    title="Okonkwo saves three match points to win Pacific Open",
    text=P("""
AUCKLAND — Adaeze Okonkwo won the Pacific Open on Sunday, coming back from 5-2 down in the final set to beat top seed Marta Kowalczyk 4-6, 6-3, 7-5 for the biggest title of her career.

The 22-year-old, ranked 31st in the world, saved three match points before winning the last five games in a row.

Speaking to reporters after the final, Okonkwo described how she had turned the match around:

"When I was 5-2 down, I told myself to play one more point, then one more, then one more. I did not think about the trophy at all.

"My coach kept telling me to breathe. That was the whole plan. Breathe and hit the ball."

Kowalczyk, who had not dropped a set all week, said she had felt her concentration slip at the decisive moment. "I was already thinking about the speech," the Pole said with a smile. "That's a lesson I won't forget."

Okonkwo will rise to a career-high 18th in the rankings on Monday, the WTA said.

Her prize money of $236,000 is more than she had earned in the whole of last season.

Okonkwo moved to Auckland with her family at the age of nine and trained on public courts until she was 15. "This city gave me everything," she said. "Today I gave a little back."
"""),
    notes=(
        C(
            "Adaeze Okonkwo won the Pacific Open on Sunday, coming back from 5-2 down in the final set to beat top"
            " seed Marta Kowalczyk 4-6, 6-3, 7-5 for the biggest title of her career",
            "event",
        ),
        C(
            "The 22-year-old, ranked 31st in the world, saved three match points before winning the last five games"
            " in a row",
            "event",
        ),
        D(
            "When I was 5-2 down, I told myself to play one more point, then one more, then one more. I did not think"
            " about the trophy at all.",
            "Adaeze Okonkwo",
            ("final, Okonkwo described", "Okonkwo"),
            "described",
        ),
        D(
            "My coach kept telling me to breathe. That was the whole plan. Breathe and hit the ball.",
            "Adaeze Okonkwo",
            ("final, Okonkwo described", "Okonkwo"),
            "described",
        ),
        I(
            "she had felt her concentration slip at the decisive moment",
            "Marta Kowalczyk",
            ("Kowalczyk, who had not", "Kowalczyk"),
            ("week, said she", "said"),
        ),
        D(
            "I was already thinking about the speech,",
            "Marta Kowalczyk",
            "the Pole",
            ("the Pole said", "said"),
        ),
        D(
            "That's a lesson I won't forget.",
            "Marta Kowalczyk",
            "the Pole",
            ("the Pole said", "said"),
        ),
        I(
            "Okonkwo will rise to a career-high 18th in the rankings on Monday",
            "WTA",
            "the WTA",
            ("the WTA said", "said"),
        ),
        C("Okonkwo will rise to a career-high 18th in the rankings on Monday", "prediction"),
        C("Her prize money of $236,000 is more than she had earned in the whole of last season", "statistic"),
        D(
            "This city gave me everything,",
            "Adaeze Okonkwo",
            ('everything," she said', "she"),
            ('everything," she said', "said"),
        ),
        D(
            "Today I gave a little back.",
            "Adaeze Okonkwo",
            ('everything," she said', "she"),
            ('everything," she said', "said"),
        ),
    ),
)

TEXAS_AGE_LAW = Article(
    title="Federal judge blocks Texas social media age-verification law",
    text=P("""
WASHINGTON — A federal judge on Tuesday blocked a Texas law that would have required social media companies with more than 50 million users to verify the age of every account holder, ruling that it likely violates the First Amendment.

U.S. District Judge Elena Marquez wrote in a 38-page opinion that the law "burdens far more speech than is necessary" to protect children online.

The law, passed by the Texas Legislature in May, was due to take effect on Sept. 1. It would have fined companies up to $10,000 for each violation.

The Digital Commerce Alliance, a trade group whose members include several of the largest social media platforms, sued the state in June.

"Today's ruling protects the right of every Texan to speak and read online without showing their papers," said Carl Brenner, the group's litigation director.

Texas Attorney General Ray Dalton said his office would appeal to the 5th U.S. Circuit Court of Appeals. "We will not stop fighting to protect Texas children from predators and harmful content," Dalton said in a statement.

Marquez noted that the state had offered "no evidence" that less restrictive measures, such as parental controls, would be ineffective. The 58-year-old judge added that Texas remained free to pass narrower rules aimed at specific harms.

Similar laws in Arkansas, Ohio and Utah have also been blocked by federal courts, according to the Digital Commerce Alliance.
"""),
    notes=(
        C(
            "A federal judge on Tuesday blocked a Texas law that would have required social media companies with more"
            " than 50 million users to verify the age of every account holder",
            "event",
        ),
        I(
            "it likely violates the First Amendment",
            "Elena Marquez",
            "A federal judge",
            ("holder, ruling that", "ruling"),
        ),
        M(
            'the law "burdens far more speech than is necessary" to protect children online',
            "Elena Marquez",
            "U.S. District Judge Elena Marquez",
            "wrote",
        ),
        C("The law, passed by the Texas Legislature in May, was due to take effect on Sept. 1", "event"),
        C("It would have fined companies up to $10,000 for each violation", "fact"),
        C(
            "The Digital Commerce Alliance, a trade group whose members include several of the largest social media"
            " platforms, sued the state in June",
            "event",
        ),
        D(
            "Today's ruling protects the right of every Texan to speak and read online without showing their papers,",
            "Carl Brenner",
            "Carl Brenner",
            ('papers," said Carl', "said"),
        ),
        I(
            "his office would appeal to the 5th U.S. Circuit Court of Appeals",
            "Ray Dalton",
            "Texas Attorney General Ray Dalton",
            ("Dalton said his", "said"),
        ),
        D(
            "We will not stop fighting to protect Texas children from predators and harmful content,",
            "Ray Dalton",
            ('content," Dalton said', "Dalton"),
            ('content," Dalton said', "said"),
        ),
        M(
            'the state had offered "no evidence" that less restrictive measures, such as parental controls, would be'
            " ineffective",
            "Elena Marquez",
            ("Marquez noted", "Marquez"),
            "noted",
        ),
        I(
            "Texas remained free to pass narrower rules aimed at specific harms",
            "Elena Marquez",
            "The 58-year-old judge",
            ("judge added", "added"),
        ),
        I(
            "Similar laws in Arkansas, Ohio and Utah have also been blocked by federal courts",
            "Digital Commerce Alliance",
            ("according to the Digital Commerce Alliance", "the Digital Commerce Alliance"),
            "according to",
        ),
        C("Similar laws in Arkansas, Ohio and Utah have also been blocked by federal courts", "event"),
    ),
)

ARCTIC_ICE = Article(
    title="Arctic sea ice hits smallest winter maximum on record",
    text=P("""
TROMSØ, Norway — Arctic sea ice reached its smallest winter maximum on record this year, covering 14.1 million square kilometres at its peak on March 14, the Arctic Monitoring Centre said on Wednesday.

That is 1.1 million square kilometres below the 1981-2010 average, a gap roughly the size of Egypt. The previous record low, set in 2017, was 14.4 million square kilometres.

"We are seeing the ice start each melt season from a weaker position," said Nora Halvorsen, a senior scientist at the centre. "Thin, young ice melts faster in summer, so a low maximum is a bad start."

Halvorsen said ocean temperatures in the Barents Sea had been 2 to 3 degrees Celsius above normal through the winter. Warm water kept large areas between Svalbard and Novaya Zemlya free of ice for most of February, she said.

The Arctic has warmed nearly four times faster than the planet as a whole since 1979, according to researchers at the Finnish Meteorological Institute.

Some scientists cautioned against reading too much into one winter. Mark Osei, a climate scientist at the University of Leeds, noted that the winter maximum varies widely from year to year because of wind patterns.

"The summer minimum is the number that matters most, and that trend has been clear for four decades," he said.

The centre said it expected the September minimum to be among the five lowest since satellite measurements began.

The ice is home to polar bears, seals and walrus, and its edge is one of the most productive feeding grounds in the world's oceans.
"""),
    notes=(
        I(
            "Arctic sea ice reached its smallest winter maximum on record this year, covering 14.1 million square"
            " kilometres at its peak on March 14",
            "Arctic Monitoring Centre",
            "the Arctic Monitoring Centre",
            ("Centre said on", "said"),
        ),
        C(
            "Arctic sea ice reached its smallest winter maximum on record this year, covering 14.1 million square"
            " kilometres at its peak on March 14",
            "statistic",
        ),
        C(
            "That is 1.1 million square kilometres below the 1981-2010 average, a gap roughly the size of Egypt",
            "statistic",
        ),
        C("The previous record low, set in 2017, was 14.4 million square kilometres", "statistic"),
        D(
            "We are seeing the ice start each melt season from a weaker position,",
            "Nora Halvorsen",
            "Nora Halvorsen",
            ('position," said Nora', "said"),
        ),
        D(
            "Thin, young ice melts faster in summer, so a low maximum is a bad start.",
            "Nora Halvorsen",
            "Nora Halvorsen",
            ('position," said Nora', "said"),
        ),
        C("Thin, young ice melts faster in summer", "fact"),
        I(
            "ocean temperatures in the Barents Sea had been 2 to 3 degrees Celsius above normal through the winter",
            "Nora Halvorsen",
            ("Halvorsen said ocean", "Halvorsen"),
            ("Halvorsen said ocean", "said"),
        ),
        C(
            "ocean temperatures in the Barents Sea had been 2 to 3 degrees Celsius above normal through the winter",
            "statistic",
        ),
        I(
            "Warm water kept large areas between Svalbard and Novaya Zemlya free of ice for most of February",
            "Nora Halvorsen",
            ("February, she said", "she"),
            ("February, she said", "said"),
        ),
        C("Warm water kept large areas between Svalbard and Novaya Zemlya free of ice for most of February", "causal"),
        I(
            "The Arctic has warmed nearly four times faster than the planet as a whole since 1979",
            "Finnish Meteorological Institute",
            "researchers at the Finnish Meteorological Institute",
            "according to",
        ),
        C("The Arctic has warmed nearly four times faster than the planet as a whole since 1979", "statistic"),
        I(
            "the winter maximum varies widely from year to year because of wind patterns",
            "Mark Osei",
            "Mark Osei",
            "noted",
        ),
        C("the winter maximum varies widely from year to year because of wind patterns", "causal"),
        D(
            "The summer minimum is the number that matters most, and that trend has been clear for four decades,",
            "Mark Osei",
            ('decades," he said', "he"),
            ('decades," he said', "said"),
        ),
        I(
            "it expected the September minimum to be among the five lowest since satellite measurements began",
            "Arctic Monitoring Centre",
            "The centre",
            ("The centre said", "said"),
        ),
        C(
            "it expected the September minimum to be among the five lowest since satellite measurements began",
            "prediction",
        ),
        C("its edge is one of the most productive feeding grounds in the world's oceans", "fact"),
    ),
)

SCHOOL_CLOSURE = Article(
    title="Parents pack school hall to fight closure of 112-year-old Elm Street Primary",
    text=P("""
RIVERTON — More than 200 parents packed the hall of Elm Street Primary School on Wednesday evening to oppose a plan by Dunmore County Council to close the 112-year-old school next summer.

The council says falling birth rates have left the school with 94 pupils in buildings designed for 240, and that merging it with Oakfield Primary, two miles away, would save £380,000 a year.

"They tell us it's about money, but nobody has shown us the numbers," said Lucy Brennan, whose two children attend the school.

Another parent, retired firefighter Colin Hayes, said he had walked his own children and now his grandchildren to the same gate. "Close it, and the village loses its heart," he said.

Councillor Graham Webb, the council's cabinet member for education, told the meeting that no decision had been made. "We will listen to every parent before the cabinet votes in January," he said, "but we cannot keep paying to heat empty classrooms."

The campaign group Save Elm Street said it had collected 2,300 signatures in eight days and would ask for a judicial review if the closure went ahead.

The school, which opened in 1911, was rated "good" by inspectors in 2022.

Headteacher Rachel Dunne declined to comment.
"""),
    notes=(
        C(
            "More than 200 parents packed the hall of Elm Street Primary School on Wednesday evening to oppose a plan"
            " by Dunmore County Council to close the 112-year-old school next summer",
            "event",
        ),
        I(
            "falling birth rates have left the school with 94 pupils in buildings designed for 240, and that merging"
            " it with Oakfield Primary, two miles away, would save £380,000 a year",
            "Dunmore County Council",
            "The council",
            "says",
        ),
        C("falling birth rates have left the school with 94 pupils in buildings designed for 240", "causal"),
        C("merging it with Oakfield Primary, two miles away, would save £380,000 a year", "prediction"),
        D(
            "They tell us it's about money, but nobody has shown us the numbers,",
            "Lucy Brennan",
            "Lucy Brennan",
            ('numbers," said Lucy', "said"),
        ),
        I(
            "he had walked his own children and now his grandchildren to the same gate",
            "Colin Hayes",
            "retired firefighter Colin Hayes",
            ("Hayes, said he", "said"),
        ),
        D(
            "Close it, and the village loses its heart,",
            "Colin Hayes",
            ('heart," he said', "he", 1),
            ('heart," he said', "said"),
        ),
        I(
            "no decision had been made",
            "Graham Webb",
            "Councillor Graham Webb",
            ("education, told", "told"),
        ),
        D(
            "We will listen to every parent before the cabinet votes in January,",
            "Graham Webb",
            ('January," he said', "he"),
            ('January," he said', "said"),
        ),
        D(
            "but we cannot keep paying to heat empty classrooms.",
            "Graham Webb",
            ('January," he said', "he"),
            ('January," he said', "said"),
        ),
        I(
            "it had collected 2,300 signatures in eight days and would ask for a judicial review if the closure went"
            " ahead",
            "Save Elm Street",
            "The campaign group Save Elm Street",
            ("Street said it", "said"),
        ),
        C("it had collected 2,300 signatures in eight days", "statistic"),
        C('The school, which opened in 1911, was rated "good" by inspectors in 2022', "event"),
    ),
)

CYPRUS_CROSSINGS = Article(
    title="Cypriot leaders agree to open two new crossing points, UN says",
    text=P("""
NICOSIA — Greek Cypriot and Turkish Cypriot leaders agreed on Friday to open two new crossing points along the UN-patrolled buffer zone that has divided the island since 1974, the United Nations said.

UN special envoy María Ángeles Ortega, who hosted the meeting at the old Nicosia airport, said the agreement was “modest but real”. It was the first concrete step since the last round of reunification talks collapsed in 2017.

“Seven years is a long time to wait for good news. Today we have some,” the envoy told reporters after the three-hour meeting.

She said the two crossings, at Louroujina and Mia Milia, would open by the summer and would cut travel times for thousands of people who cross the line every day for work.

“People on both sides have told me the same thing: they want to be able to visit their grandparents' village without queuing for an hour.”

More than 1.2 million crossings were recorded at the existing nine checkpoints last year, according to UN figures.

Neither leader spoke to the press after the meeting, which took place in a former airport terminal that has been empty for half a century.

Andreas Charalambous, a political scientist at the University of Nicosia, said expectations should be kept low. “The crossings matter for daily life. They do not touch the hard questions of property, security and territory,” he said.
"""),
    notes=(
        I(
            "Greek Cypriot and Turkish Cypriot leaders agreed on Friday to open two new crossing points along the"
            " UN-patrolled buffer zone that has divided the island since 1974",
            "United Nations",
            "the United Nations",
            ("Nations said", "said"),
        ),
        C(
            "Greek Cypriot and Turkish Cypriot leaders agreed on Friday to open two new crossing points along the"
            " UN-patrolled buffer zone that has divided the island since 1974",
            "event",
        ),
        M(
            "the agreement was “modest but real”",
            "María Ángeles Ortega",
            "UN special envoy María Ángeles Ortega",
            ("airport, said", "said"),
        ),
        C("It was the first concrete step since the last round of reunification talks collapsed in 2017", "fact"),
        D(
            "Seven years is a long time to wait for good news. Today we have some,",
            "María Ángeles Ortega",
            "the envoy",
            ("envoy told", "told"),
        ),
        I(
            "the two crossings, at Louroujina and Mia Milia, would open by the summer and would cut travel times for"
            " thousands of people who cross the line every day for work",
            "María Ángeles Ortega",
            ("She said the two", "She"),
            ("She said the two", "said"),
        ),
        D(
            "People on both sides have told me the same thing: they want to be able to visit their grandparents'"
            " village without queuing for an hour.",
            "María Ángeles Ortega",
            None,
            None,
        ),
        I(
            "More than 1.2 million crossings were recorded at the existing nine checkpoints last year",
            "United Nations",
            ("UN figures", "UN"),
            "according to",
        ),
        C("More than 1.2 million crossings were recorded at the existing nine checkpoints last year", "statistic"),
        I(
            "expectations should be kept low",
            "Andreas Charalambous",
            "Andreas Charalambous",
            ("Nicosia, said", "said"),
        ),
        D(
            "The crossings matter for daily life. They do not touch the hard questions of property, security and"
            " territory,",
            "Andreas Charalambous",
            ("territory,” he said", "he"),
            ("territory,” he said", "said"),
        ),
    ),
)

NORDVIK_FOODS = Article(
    title="Nordvik Foods profit falls 23% as shoppers trade down",
    text=P("""
STOCKHOLM — Nordvik Foods said on Thursday that its third-quarter operating profit fell 23 percent as shoppers switched to cheaper supermarket own brands. Its shares fell 11 percent in Stockholm trading, their biggest one-day drop since 2020.

Operating profit fell to 412 million Swedish crowns from 535 million a year earlier, while sales were flat at 6.1 billion crowns.

Chief Executive Henrik Sandberg said the company had been "too slow to respond" to the squeeze on household budgets.

"We priced ourselves out of some kitchens. That is on us, and we are fixing it," Sandberg told analysts on a conference call.

The company said it would cut 350 jobs, most of them at its head office in Malmö, and close a factory in Poland by the end of next year.

Nordvik, which makes frozen pizzas, ready meals and fish fingers sold in 14 countries, has lowered prices on about 200 products since July.

Emma Lund, an analyst at Baltic Equity Research, said the price cuts had come too late to save the year. "They have been defending margins while their customers were walking out of the door," she wrote in a note.

The 49-year-old chief executive, who joined from a Danish dairy group in January, said he expected sales volumes to return to growth in the first half of 2025.
"""),
    notes=(
        I(
            "its third-quarter operating profit fell 23 percent as shoppers switched to cheaper supermarket own brands",
            "Nordvik Foods",
            ("STOCKHOLM — Nordvik Foods", "Nordvik Foods"),
            ("Foods said on", "said"),
        ),
        C(
            "its third-quarter operating profit fell 23 percent as shoppers switched to cheaper supermarket own brands",
            "causal",
        ),
        C("Its shares fell 11 percent in Stockholm trading, their biggest one-day drop since 2020", "statistic"),
        C(
            "Operating profit fell to 412 million Swedish crowns from 535 million a year earlier, while sales were"
            " flat at 6.1 billion crowns",
            "statistic",
        ),
        M(
            'the company had been "too slow to respond" to the squeeze on household budgets',
            "Henrik Sandberg",
            "Chief Executive Henrik Sandberg",
            ("Sandberg said the", "said"),
        ),
        D(
            "We priced ourselves out of some kitchens. That is on us, and we are fixing it,",
            "Henrik Sandberg",
            ('it," Sandberg told', "Sandberg"),
            ('it," Sandberg told', "told"),
        ),
        I(
            "it would cut 350 jobs, most of them at its head office in Malmö, and close a factory in Poland by the end"
            " of next year",
            "Nordvik Foods",
            ("The company said it", "The company"),
            ("The company said it", "said"),
        ),
        C(
            "Nordvik, which makes frozen pizzas, ready meals and fish fingers sold in 14 countries, has lowered prices"
            " on about 200 products since July",
            "event",
        ),
        I(
            "the price cuts had come too late to save the year",
            "Emma Lund",
            "Emma Lund",
            ("Research, said", "said"),
        ),
        D(
            "They have been defending margins while their customers were walking out of the door,",
            "Emma Lund",
            ('door," she wrote', "she"),
            ('door," she wrote', "wrote"),
        ),
        I(
            "he expected sales volumes to return to growth in the first half of 2025",
            "Henrik Sandberg",
            "The 49-year-old chief executive",
            ("January, said he", "said"),
        ),
        C("he expected sales volumes to return to growth in the first half of 2025", "prediction"),
    ),
)

RAIL_STRIKE = Article(
    title="Northern Star Rail drivers to strike for 48 hours",
    text=P("""
LONDON — Train drivers at Northern Star Rail will strike for 48 hours from Monday after talks over pay and rosters broke down, the Rail Drivers' Union said on Friday, warning that almost all of the operator's 1,100 daily services would be cancelled.

"We did not want this strike," union general secretary Bernadette Kelly said, "but the company has left us with no choice."

The union says drivers have had no pay rise since 2022. Consumer prices have risen by about 14 percent over the same period.

Northern Star Rail said its offer of 4.5 percent over two years was "fair and affordable" and that the average driver already earned £62,000 a year, well above the median full-time salary of £35,000.

"I understand how frustrating this is for passengers," the company's chief operating officer, Ian Crawley, said. "Our door remains open, and it has been open all along."

Transport Secretary Nadia Karim urged both sides to return to talks. Strikes on the railways had already cost the economy more than £1 billion this year, she said.

Commuters in Leeds and Manchester, where the operator runs most of its services, were told to work from home if they could.

It is the sixth strike by drivers at the company since March.
"""),
    notes=(
        I(
            "Train drivers at Northern Star Rail will strike for 48 hours from Monday after talks over pay and rosters"
            " broke down",
            "Rail Drivers' Union",
            "the Rail Drivers' Union",
            ("Union said on", "said"),
        ),
        I(
            "almost all of the operator's 1,100 daily services would be cancelled",
            "Rail Drivers' Union",
            "the Rail Drivers' Union",
            "warning",
        ),
        C("almost all of the operator's 1,100 daily services would be cancelled", "prediction"),
        D(
            "We did not want this strike,",
            "Bernadette Kelly",
            "union general secretary Bernadette Kelly",
            ("Kelly said,", "said"),
        ),
        D(
            "but the company has left us with no choice.",
            "Bernadette Kelly",
            "union general secretary Bernadette Kelly",
            ("Kelly said,", "said"),
        ),
        I("drivers have had no pay rise since 2022", "Rail Drivers' Union", "The union", "says"),
        C("drivers have had no pay rise since 2022", "fact"),
        C("Consumer prices have risen by about 14 percent over the same period", "statistic"),
        M(
            'its offer of 4.5 percent over two years was "fair and affordable" and that the average driver already'
            " earned £62,000 a year, well above the median full-time salary of £35,000",
            "Northern Star Rail",
            ("Northern Star Rail said its", "Northern Star Rail"),
            ("Rail said its", "said"),
        ),
        C(
            "the average driver already earned £62,000 a year, well above the median full-time salary of £35,000",
            "statistic",
        ),
        D(
            "I understand how frustrating this is for passengers,",
            "Ian Crawley",
            "Ian Crawley",
            ("Crawley, said", "said"),
        ),
        D(
            "Our door remains open, and it has been open all along.",
            "Ian Crawley",
            "Ian Crawley",
            ("Crawley, said", "said"),
        ),
        I(
            "Strikes on the railways had already cost the economy more than £1 billion this year",
            "Nadia Karim",
            ("year, she said", "she"),
            ("year, she said", "said"),
        ),
        C("Strikes on the railways had already cost the economy more than £1 billion this year", "statistic"),
        C("It is the sixth strike by drivers at the company since March", "statistic"),
    ),
)

RICE_PRICES = Article(
    title="Japan's rice price nears double last year's level",
    text=P("""
TOKYO — The average price of a 5-kilogram bag of rice in Japanese supermarkets rose to 4,268 yen last week, almost double the level of a year earlier, the Ministry of Agriculture, Forestry and Fisheries said on Tuesday.

「Rice is not a luxury. Families should not have to think twice before buying it,」 Agriculture Minister Takeshi Mori told a parliamentary committee.

Mori said the government would release a further 300,000 tonnes from its emergency stockpile in June.

A poor harvest in 2023, when record summer heat damaged crops across the country, was the main cause of the shortage, according to the ministry.

Ryo Tanaka, who runs a rice shop in Tokyo's Setagaya ward, said customers had started buying smaller bags. 「People come in and ask for one kilogram. Before, nobody did that,」 he said.

Restaurants have also felt the squeeze. The Japan Food Service Association said 62 percent of its members had raised menu prices since January, many of them for the first time in a decade.

Japan's rice consumption per person has fallen by roughly half since the 1960s, but the grain remains central to the national diet and to rural politics.

Core consumer prices rose 3.5 percent in April from a year earlier, well above the Bank of Japan's 2 percent target, with food the biggest contributor.
"""),
    notes=(
        I(
            "The average price of a 5-kilogram bag of rice in Japanese supermarkets rose to 4,268 yen last week,"
            " almost double the level of a year earlier",
            "Ministry of Agriculture, Forestry and Fisheries",
            "the Ministry of Agriculture, Forestry and Fisheries",
            ("Fisheries said on", "said"),
        ),
        C(
            "The average price of a 5-kilogram bag of rice in Japanese supermarkets rose to 4,268 yen last week,"
            " almost double the level of a year earlier",
            "statistic",
        ),
        D(
            "Rice is not a luxury. Families should not have to think twice before buying it,",
            "Takeshi Mori",
            "Agriculture Minister Takeshi Mori",
            ("Mori told", "told"),
        ),
        I(
            "the government would release a further 300,000 tonnes from its emergency stockpile in June",
            "Takeshi Mori",
            ("Mori said the government", "Mori"),
            ("Mori said the government", "said"),
        ),
        I(
            "A poor harvest in 2023, when record summer heat damaged crops across the country, was the main cause of"
            " the shortage",
            "Ministry of Agriculture, Forestry and Fisheries",
            ("according to the ministry", "the ministry"),
            "according to",
        ),
        C(
            "A poor harvest in 2023, when record summer heat damaged crops across the country, was the main cause of"
            " the shortage",
            "causal",
        ),
        I(
            "customers had started buying smaller bags",
            "Ryo Tanaka",
            "Ryo Tanaka",
            ("ward, said", "said"),
        ),
        D(
            "People come in and ask for one kilogram. Before, nobody did that,",
            "Ryo Tanaka",
            ("that,」 he said", "he"),
            ("that,」 he said", "said"),
        ),
        I(
            "62 percent of its members had raised menu prices since January, many of them for the first time in a"
            " decade",
            "Japan Food Service Association",
            "The Japan Food Service Association",
            ("Association said", "said"),
        ),
        C(
            "62 percent of its members had raised menu prices since January, many of them for the first time in a"
            " decade",
            "statistic",
        ),
        C("Japan's rice consumption per person has fallen by roughly half since the 1960s", "statistic"),
        C(
            "Core consumer prices rose 3.5 percent in April from a year earlier, well above the Bank of Japan's 2"
            " percent target, with food the biggest contributor",
            "statistic",
        ),
    ),
)

LYON_ART_THEFT = Article(
    title="Three arrested over theft of 48 paintings from Lyon gallery",
    text=P("""
LYON — Lyon police have arrested three men suspected of stealing 48 paintings from a private gallery in the city's old town last month, the city's public prosecutor said on Saturday.

Prosecutor Hélène Marchand told a news conference that the suspects, aged 24 to 39, had been detained in dawn raids in Lyon and Grenoble on Friday.

A police spokeswoman said 31 of the paintings had been found undamaged in a rented garage in Villeurbanne, on the eastern edge of the city. The rest are still missing.

The stolen works, mostly 19th-century landscapes, are worth an estimated 2.3 million euros, according to the gallery's insurer, Rhône Assurances.

"It was a very professional operation. They knew exactly what they wanted and exactly where the cameras were," Marchand said. "That tells us they had help."

She said investigators were examining whether a former employee of the gallery had passed information to the gang.

Gallery owner Philippe Arnaud said he had "not slept for three weeks". "Some of these paintings have been in my family for four generations," he said. "I would have given anything to have them back."

The theft, on the night of Oct. 12, was the biggest art robbery in the Lyon region in more than a decade.
"""),
    notes=(
        I(
            "Lyon police have arrested three men suspected of stealing 48 paintings from a private gallery in the"
            " city's old town last month",
            "Hélène Marchand",
            "the city's public prosecutor",
            ("prosecutor said on", "said"),
        ),
        C(
            "Lyon police have arrested three men suspected of stealing 48 paintings from a private gallery in the"
            " city's old town last month",
            "event",
        ),
        I(
            "the suspects, aged 24 to 39, had been detained in dawn raids in Lyon and Grenoble on Friday",
            "Hélène Marchand",
            "Prosecutor Hélène Marchand",
            ("Marchand told", "told"),
        ),
        C("the suspects, aged 24 to 39, had been detained in dawn raids in Lyon and Grenoble on Friday", "event"),
        I(
            "31 of the paintings had been found undamaged in a rented garage in Villeurbanne, on the eastern edge of"
            " the city",
            "Lyon police",
            "A police spokeswoman",
            ("spokeswoman said", "said"),
        ),
        C(
            "31 of the paintings had been found undamaged in a rented garage in Villeurbanne, on the eastern edge of"
            " the city",
            "statistic",
        ),
        I(
            "The stolen works, mostly 19th-century landscapes, are worth an estimated 2.3 million euros",
            "Rhône Assurances",
            "Rhône Assurances",
            "according to",
        ),
        C("The stolen works, mostly 19th-century landscapes, are worth an estimated 2.3 million euros", "statistic"),
        D(
            "It was a very professional operation. They knew exactly what they wanted and exactly where the cameras"
            " were,",
            "Hélène Marchand",
            ('were," Marchand said', "Marchand"),
            ('were," Marchand said', "said"),
        ),
        D(
            "That tells us they had help.",
            "Hélène Marchand",
            ('were," Marchand said', "Marchand"),
            ('were," Marchand said', "said"),
        ),
        I(
            "investigators were examining whether a former employee of the gallery had passed information to the gang",
            "Hélène Marchand",
            ("She said investigators", "She"),
            ("She said investigators", "said"),
        ),
        M(
            'he had "not slept for three weeks"',
            "Philippe Arnaud",
            "Gallery owner Philippe Arnaud",
            ("Arnaud said he", "said"),
        ),
        D(
            "Some of these paintings have been in my family for four generations,",
            "Philippe Arnaud",
            ('generations," he said', "he"),
            ('generations," he said', "said"),
        ),
        D(
            "I would have given anything to have them back.",
            "Philippe Arnaud",
            ('generations," he said', "he"),
            ('generations," he said', "said"),
        ),
        C(
            "The theft, on the night of Oct. 12, was the biggest art robbery in the Lyon region in more than a decade",
            "statistic",
        ),
    ),
)

FILM_FESTIVAL = Article(
    title="Quiet cannery drama takes top prize at Atlantic Film Festival",
    text=P("""
VIGO, Spain — The ninth Atlantic Film Festival closed in Vigo on Saturday night with the Golden Wave for best film going to "The Salt Road", a quiet, beautifully shot drama about two sisters who run a failing fish cannery.

This year's programme was the largest in the festival's history, with 164 films from 41 countries, and ticket sales rose by about a quarter to 58,000.

It was a strong year for first-time directors. The competition felt fresher and braver than in recent editions, and several of the most talked-about films came from directors still in their twenties.

The best performance of the week belonged to Inés Vallejo, whose turn as the older sister is all silences and small gestures. Vallejo, 34, also won the prize for best actress.

Not every gamble paid off. "Low Tide", a three-hour black-and-white portrait of a fishing village, tested the patience of even the most devoted audiences, and the late-night horror strand felt thin.

Rain swept in from the Atlantic for most of the week, but the queues still stretched around the Teatro García Barbón every evening, and the bars of the old town stayed full long after the last screening.

The festival's budget of 2.1 million euros is small by the standards of Cannes or Venice, and it shows in the modest red carpet and the folding chairs at the press conferences. Nobody here seems to mind.

Next year's edition will run from Sept. 18 to 26.
"""),
    notes=(
        C(
            "The ninth Atlantic Film Festival closed in Vigo on Saturday night with the Golden Wave for best film going"
            ' to "The Salt Road"',
            "event",
        ),
        C(
            "This year's programme was the largest in the festival's history, with 164 films from 41 countries, and"
            " ticket sales rose by about a quarter to 58,000",
            "statistic",
        ),
        C("Vallejo, 34, also won the prize for best actress", "event"),
        C("The festival's budget of 2.1 million euros is small by the standards of Cannes or Venice", "statistic"),
    ),
)

OFFSHORE_WIND = Article(
    title="Scotland approves 1.4-gigawatt wind farm off Aberdeenshire",
    text=P("""
EDINBURGH — The Scottish government on Monday approved plans for a 1.4-gigawatt wind farm off the coast of Aberdeenshire, one of the largest offshore projects in the United Kingdom.

The developer, North Sea Renewables, says the wind farm will be able to power about 1.5 million homes when it is completed in 2030.

Net Zero Secretary Fiona MacLeod said the decision showed that Scotland was "open for business" for clean energy. "This project alone will create around 900 jobs during construction and 120 permanent jobs in Peterhead," she said.

The design calls for 74 turbines, each 280 metres tall, almost as high as the Eiffel Tower.

Fishing groups had opposed the scheme. The North East Fishermen's Association warned that the site covered some of the best langoustine grounds in the North Sea. Its chief executive, Alan Bruce, said: "We have been told again and again that fishing and wind can share the sea. Nobody has shown us how."

The cost of building offshore wind farms has risen by about 40 percent since 2021 because of higher interest rates and steel prices, according to the consultancy Brightline Energy.

North Sea Renewables said it would make a final investment decision by the end of 2026. The company, which is owned by a Norwegian pension fund and a Spanish utility, did not say how much the project would cost.

The bird charity Seabird Trust said it was disappointed that ministers had not required a larger buffer around the puffin colonies at Fowlsheugh, a few kilometres from the site.
"""),
    notes=(
        C(
            "The Scottish government on Monday approved plans for a 1.4-gigawatt wind farm off the coast of"
            " Aberdeenshire, one of the largest offshore projects in the United Kingdom",
            "event",
        ),
        I(
            "the wind farm will be able to power about 1.5 million homes when it is completed in 2030",
            "North Sea Renewables",
            ("The developer, North Sea Renewables", "North Sea Renewables"),
            "says",
        ),
        C("the wind farm will be able to power about 1.5 million homes when it is completed in 2030", "prediction"),
        M(
            'the decision showed that Scotland was "open for business" for clean energy',
            "Fiona MacLeod",
            "Net Zero Secretary Fiona MacLeod",
            ("MacLeod said", "said"),
        ),
        D(
            "This project alone will create around 900 jobs during construction and 120 permanent jobs in Peterhead,",
            "Fiona MacLeod",
            ('Peterhead," she said', "she"),
            ('Peterhead," she said', "said"),
        ),
        C(
            "This project alone will create around 900 jobs during construction and 120 permanent jobs in Peterhead",
            "prediction",
        ),
        C("The design calls for 74 turbines, each 280 metres tall, almost as high as the Eiffel Tower", "fact"),
        I(
            "the site covered some of the best langoustine grounds in the North Sea",
            "North East Fishermen's Association",
            "The North East Fishermen's Association",
            ("Association warned", "warned"),
        ),
        D(
            "We have been told again and again that fishing and wind can share the sea. Nobody has shown us how.",
            "Alan Bruce",
            "Alan Bruce",
            ("Bruce, said", "said"),
        ),
        I(
            "The cost of building offshore wind farms has risen by about 40 percent since 2021 because of higher"
            " interest rates and steel prices",
            "Brightline Energy",
            "the consultancy Brightline Energy",
            "according to",
        ),
        C(
            "The cost of building offshore wind farms has risen by about 40 percent since 2021 because of higher"
            " interest rates and steel prices",
            "causal",
        ),
        I(
            "it would make a final investment decision by the end of 2026",
            "North Sea Renewables",
            ("North Sea Renewables said it", "North Sea Renewables"),
            ("Renewables said it", "said"),
        ),
        I(
            "it was disappointed that ministers had not required a larger buffer around the puffin colonies at"
            " Fowlsheugh, a few kilometres from the site",
            "Seabird Trust",
            "The bird charity Seabird Trust",
            ("Trust said", "said"),
        ),
    ),
)

EXAM_RESULTS = Article(
    title="Share of top A-level grades edges up as regional gap widens",
    text=P("""
The proportion of A-level entries in England, Wales and Northern Ireland awarded an A or A* rose to 28.2 percent this year, up from 27.8 percent in 2024, according to figures published on Thursday by the Joint Council for Qualifications.

That is still well below the peak of 44.8 percent in 2021, when grades were set by teachers because exams were cancelled during the pandemic.

Girls outperformed boys at the top grades for the fourth year running, and London had the highest share of A and A* grades of any English region.

"Today is about the students who have worked incredibly hard," Education Secretary Lena Mitchell said, "and they deserve every one of these results."

The gap between the North East and London widened to 9.6 percentage points, the largest since current records began, according to an analysis by the Education Policy Unit, a think tank.

At Westfield Academy in Sunderland, where 41 percent of students are eligible for free school meals, head teacher David Okoro said the school had recorded its best results ever. "These are children who have been told all their lives that top universities are not for them," the head teacher said.

A record 81,500 18-year-olds from the most disadvantaged areas had been accepted on university courses by Thursday morning, the admissions service UCAS said.

Paul Graves, general secretary of the Association of Secondary Teachers, warned that a shortage of maths and physics teachers was "holding back" students in poorer areas. He said one in five physics lessons in the North East was taught by a teacher without a degree in the subject.
"""),
    notes=(
        I(
            "The proportion of A-level entries in England, Wales and Northern Ireland awarded an A or A* rose to 28.2"
            " percent this year, up from 27.8 percent in 2024",
            "Joint Council for Qualifications",
            "the Joint Council for Qualifications",
            ("2024, according to", "according to"),
        ),
        C(
            "The proportion of A-level entries in England, Wales and Northern Ireland awarded an A or A* rose to 28.2"
            " percent this year, up from 27.8 percent in 2024",
            "statistic",
        ),
        C(
            "That is still well below the peak of 44.8 percent in 2021, when grades were set by teachers because exams"
            " were cancelled during the pandemic",
            "statistic",
        ),
        C(
            "Girls outperformed boys at the top grades for the fourth year running, and London had the highest share"
            " of A and A* grades of any English region",
            "statistic",
        ),
        D(
            "Today is about the students who have worked incredibly hard,",
            "Lena Mitchell",
            "Education Secretary Lena Mitchell",
            ("Mitchell said", "said"),
        ),
        D(
            "and they deserve every one of these results.",
            "Lena Mitchell",
            "Education Secretary Lena Mitchell",
            ("Mitchell said", "said"),
        ),
        I(
            "The gap between the North East and London widened to 9.6 percentage points, the largest since current"
            " records began",
            "Education Policy Unit",
            "the Education Policy Unit",
            ("began, according to", "according to"),
        ),
        C(
            "The gap between the North East and London widened to 9.6 percentage points, the largest since current"
            " records began",
            "statistic",
        ),
        I(
            "the school had recorded its best results ever",
            "David Okoro",
            "head teacher David Okoro",
            ("Okoro said", "said"),
        ),
        C("the school had recorded its best results ever", "statistic"),
        D(
            "These are children who have been told all their lives that top universities are not for them,",
            "David Okoro",
            ('them," the head teacher said', "the head teacher"),
            ("the head teacher said", "said"),
        ),
        I(
            "A record 81,500 18-year-olds from the most disadvantaged areas had been accepted on university courses by"
            " Thursday morning",
            "UCAS",
            "the admissions service UCAS",
            ("UCAS said", "said"),
        ),
        C(
            "A record 81,500 18-year-olds from the most disadvantaged areas had been accepted on university courses by"
            " Thursday morning",
            "statistic",
        ),
        M(
            'a shortage of maths and physics teachers was "holding back" students in poorer areas',
            "Paul Graves",
            "Paul Graves",
            "warned",
        ),
        I(
            "one in five physics lessons in the North East was taught by a teacher without a degree in the subject",
            "Paul Graves",
            ("He said one in five", "He"),
            ("He said one in five", "said"),
        ),
        C(
            "one in five physics lessons in the North East was taught by a teacher without a degree in the subject",
            "statistic",
        ),
    ),
)

IRISH_RENTS = Article(
    title="Irish rents for new tenancies rise 6.1% to record €1,910",
    text=P("""
DUBLIN — Average monthly rents for new tenancies in Ireland rose 6.1 percent in the year to June to a record €1,910, according to the Residential Tenancies Board.

Rents in Dublin averaged €2,450, while the fastest increases were in Leitrim and Longford, where new tenancies cost 11 percent more than a year earlier.

Housing Minister Seán Kearney insisted that the market was "turning a corner" as new supply came on stream. "We completed 32,700 new homes last year, the highest number since 2008," Kearney told the Dáil. "That is not an accident."

The opposition's housing spokeswoman, Orla Byrne, argued that the figures "mask the misery" of renters who spend more than half of their income on housing.

"When I asked the landlord about the increase, he just said, 'That's the market,' and hung up," said Niamh Walsh, a 29-year-old nurse who pays €1,750 a month for a one-bedroom flat in Drumcondra.

The Small Landlords Federation claimed that about 10,000 small landlords had sold up since 2020 because of rising costs and tighter regulation.

Economist Ciara Doyle of Trinity College Dublin noted that rents outside the capital were now rising faster than in Dublin for the third year in a row.

"Supply is the only answer. Everything else is a sticking plaster," Doyle said.
"""),
    notes=(
        I(
            "Average monthly rents for new tenancies in Ireland rose 6.1 percent in the year to June to a record"
            " €1,910",
            "Residential Tenancies Board",
            "the Residential Tenancies Board",
            "according to",
        ),
        C(
            "Average monthly rents for new tenancies in Ireland rose 6.1 percent in the year to June to a record"
            " €1,910",
            "statistic",
        ),
        C(
            "Rents in Dublin averaged €2,450, while the fastest increases were in Leitrim and Longford, where new"
            " tenancies cost 11 percent more than a year earlier",
            "statistic",
        ),
        M(
            'the market was "turning a corner" as new supply came on stream',
            "Seán Kearney",
            "Housing Minister Seán Kearney",
            "insisted",
        ),
        D(
            "We completed 32,700 new homes last year, the highest number since 2008,",
            "Seán Kearney",
            ('2008," Kearney told', "Kearney"),
            ('2008," Kearney told', "told"),
        ),
        C("We completed 32,700 new homes last year, the highest number since 2008", "statistic"),
        D(
            "That is not an accident.",
            "Seán Kearney",
            ('2008," Kearney told', "Kearney"),
            ('2008," Kearney told', "told"),
        ),
        M(
            'the figures "mask the misery" of renters who spend more than half of their income on housing',
            "Orla Byrne",
            "Orla Byrne",
            "argued",
        ),
        D(
            "When I asked the landlord about the increase, he just said, 'That's the market,' and hung up,",
            "Niamh Walsh",
            "Niamh Walsh",
            ('up," said Niamh', "said"),
        ),
        I(
            "about 10,000 small landlords had sold up since 2020 because of rising costs and tighter regulation",
            "Small Landlords Federation",
            "The Small Landlords Federation",
            "claimed",
        ),
        C(
            "about 10,000 small landlords had sold up since 2020 because of rising costs and tighter regulation",
            "causal",
        ),
        I(
            "rents outside the capital were now rising faster than in Dublin for the third year in a row",
            "Ciara Doyle",
            "Economist Ciara Doyle",
            "noted",
        ),
        C("rents outside the capital were now rising faster than in Dublin for the third year in a row", "statistic"),
        D(
            "Supply is the only answer. Everything else is a sticking plaster,",
            "Ciara Doyle",
            ("Doyle said", "Doyle"),
            ("Doyle said", "said"),
        ),
    ),
)

MARKET_CLOSE = Article(
    title="European shares close at record high as banks rally",
    text=P("""
European shares closed at a record high on Wednesday, led by banks and carmakers, as investors bet on another interest rate cut by the European Central Bank next month.

The pan-European STOXX 600 index rose 0.9 percent to 548.3 points, its highest close ever. Germany's DAX gained 1.2 percent and France's CAC 40 added 0.7 percent, while London's FTSE 100 edged up 0.2 percent.

Bank shares jumped 2.1 percent, their best day since March, after lenders in Spain and Italy reported stronger-than-expected lending in the third quarter.

Carmakers recovered some of the ground they lost last week. Valmont rose 3.4 percent and Kessler Motoren 2.6 percent.

Trading volumes were thin ahead of a holiday in several markets on Friday, and many dealers were watching the bond market rather than their screens of equities.

The euro slipped to $1.071, its weakest level in seven months, while the yield on Germany's 10-year bond fell four basis points to 2.31 percent.

Oil prices were little changed. Brent crude settled at $82.40 a barrel.

In a quiet session for company news, shares in Dutch chipmaker Lumetra fell 5 percent after a broker downgraded its rating on the stock.
"""),
    notes=(
        C(
            "European shares closed at a record high on Wednesday, led by banks and carmakers, as investors bet on"
            " another interest rate cut by the European Central Bank next month",
            "causal",
        ),
        C("The pan-European STOXX 600 index rose 0.9 percent to 548.3 points, its highest close ever", "statistic"),
        C(
            "Germany's DAX gained 1.2 percent and France's CAC 40 added 0.7 percent, while London's FTSE 100 edged up"
            " 0.2 percent",
            "statistic",
        ),
        C(
            "Bank shares jumped 2.1 percent, their best day since March, after lenders in Spain and Italy reported"
            " stronger-than-expected lending in the third quarter",
            "causal",
        ),
        C("Valmont rose 3.4 percent and Kessler Motoren 2.6 percent", "statistic"),
        C(
            "The euro slipped to $1.071, its weakest level in seven months, while the yield on Germany's 10-year bond"
            " fell four basis points to 2.31 percent",
            "statistic",
        ),
        C("Brent crude settled at $82.40 a barrel", "statistic"),
        C(
            "shares in Dutch chipmaker Lumetra fell 5 percent after a broker downgraded its rating on the stock",
            "causal",
        ),
    ),
)


AMAZON_DEFORESTATION = Article(
    title="Amazon deforestation falls 31% to lowest level since 2015",
    text=P("""
BRASÍLIA — Deforestation in Brazil's Amazon fell 31 percent in the 12 months to July, to 6,288 square kilometres, the lowest level since 2015, the National Institute for Space Research (INPE) said on Wednesday.

The area cleared is still roughly four times the size of the city of São Paulo.

Environment Minister Beatriz Alencar said the figures showed that stronger enforcement was working. “Quando o Estado está presente, a floresta fica de pé” (“When the state is present, the forest stays standing”), she told reporters in Brasília.

Environmental police carried out 4,100 operations in the region last year, up from 2,700 in 2022, according to the Environment Ministry.

But scientists warned that the gains were fragile. Rafael Moreira, a forest ecologist at the Federal University of Pará, said fires, which are not counted in the deforestation figures, had damaged more forest than chainsaws in several states this year.

“We are winning one battle and losing another,” he said. “The forest is drying out, and dry forest burns.”

The environmental network Rede Floresta Viva said the government was still approving new oil exploration near the mouth of the Amazon, “which contradicts everything it says about the climate.”

Alencar rejected that criticism and said Brazil would present a plan to end illegal deforestation by 2030 at the UN climate conference in Belém in November.

Cattle ranching is the main driver of forest clearing in the Amazon, where about a fifth of the original forest has already been lost.
"""),
    notes=(
        I(
            "Deforestation in Brazil's Amazon fell 31 percent in the 12 months to July, to 6,288 square kilometres,"
            " the lowest level since 2015",
            "National Institute for Space Research",
            ("the National Institute for Space Research (INPE)", "the National Institute for Space Research"),
            ("(INPE) said", "said"),
        ),
        C(
            "Deforestation in Brazil's Amazon fell 31 percent in the 12 months to July, to 6,288 square kilometres,"
            " the lowest level since 2015",
            "statistic",
        ),
        C("The area cleared is still roughly four times the size of the city of São Paulo", "statistic"),
        I(
            "the figures showed that stronger enforcement was working",
            "Beatriz Alencar",
            "Environment Minister Beatriz Alencar",
            ("Alencar said the figures", "said"),
        ),
        D(
            "Quando o Estado está presente, a floresta fica de pé",
            "Beatriz Alencar",
            ("she told reporters", "she"),
            ("she told reporters", "told"),
        ),
        D(
            "When the state is present, the forest stays standing",
            "Beatriz Alencar",
            ("she told reporters", "she"),
            ("she told reporters", "told"),
        ),
        I(
            "Environmental police carried out 4,100 operations in the region last year, up from 2,700 in 2022",
            "Environment Ministry",
            "the Environment Ministry",
            "according to",
        ),
        C(
            "Environmental police carried out 4,100 operations in the region last year, up from 2,700 in 2022",
            "statistic",
        ),
        I(
            "fires, which are not counted in the deforestation figures, had damaged more forest than chainsaws in"
            " several states this year",
            "Rafael Moreira",
            "Rafael Moreira",
            ("Pará, said", "said"),
        ),
        C(
            "fires, which are not counted in the deforestation figures, had damaged more forest than chainsaws in"
            " several states this year",
            "statistic",
        ),
        D(
            "We are winning one battle and losing another,",
            "Rafael Moreira",
            ("another,” he said", "he", 1),
            ("another,” he said", "said"),
        ),
        D(
            "The forest is drying out, and dry forest burns.",
            "Rafael Moreira",
            ("another,” he said", "he", 1),
            ("another,” he said", "said"),
        ),
        M(
            "the government was still approving new oil exploration near the mouth of the Amazon, “which contradicts"
            " everything it says about the climate.”",
            "Rede Floresta Viva",
            "The environmental network Rede Floresta Viva",
            ("Viva said", "said"),
        ),
        C("the government was still approving new oil exploration near the mouth of the Amazon", "event"),
        I(
            "Brazil would present a plan to end illegal deforestation by 2030 at the UN climate conference in Belém in"
            " November",
            "Beatriz Alencar",
            ("Alencar rejected", "Alencar"),
            ("criticism and said", "said"),
        ),
        C(
            "Cattle ranching is the main driver of forest clearing in the Amazon, where about a fifth of the original"
            " forest has already been lost",
            "causal",
        ),
    ),
)


ARTICLES = [
    seed_article(),
    SWEDEN_BUDGET,
    WHO_MEASLES,
    CUP_FINAL,
    PENSION_FRAUD,
    EXOPLANET,
    BIKE_LANES,
    FARMERS_PARIS,
    GERMAN_INDUSTRY,
    ISHIKAWA_QUAKE,
    NORTHERN_RAIN,
    DUTCH_ASYLUM,
    NORGES_BANK,
    NHS_WAITING,
    PACIFIC_OPEN,
    TEXAS_AGE_LAW,
    ARCTIC_ICE,
    SCHOOL_CLOSURE,
    CYPRUS_CROSSINGS,
    NORDVIK_FOODS,
    RAIL_STRIKE,
    RICE_PRICES,
    LYON_ART_THEFT,
    FILM_FESTIVAL,
    OFFSHORE_WIND,
    EXAM_RESULTS,
    IRISH_RENTS,
    MARKET_CLOSE,
    AMAZON_DEFORESTATION,
]


def main(argv: list[str]) -> int:
    output = Path(argv[1]) if len(argv) > 1 else OUTPUT
    try:
        content, records = build(ARTICLES)
    except GoldError as error:
        print(f"build_suggest_gold: {error}", file=sys.stderr)
        return 1
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(content)
    print(f"wrote {output}")
    print(summary(records))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
