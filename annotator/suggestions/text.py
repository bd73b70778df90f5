"""Sentences and paragraphs of an article body, as code-point offsets into the untouched body.

Sentence boundaries come from spaCy 3.8 (`spacy.blank("en")`, no model to download): its English tokenizer knows
the abbreviations of news text ("Mr.", "Sen.", "U.S.", "Sept.", "p.m."), decimals and initials, which a
hand-written splitter gets wrong one case at a time; the boundaries follow the rule of spaCy's "sentencizer"
(a sentence starts at the first token that is not punctuation after a sentence-final character). spaCy never
changes the text it is given (every token keeps its character offset), so the spans index `body` itself:
nothing here normalises, strips or re-encodes the body; emoji, combining marks, NBSP and zero-width spaces
keep their code points.

Speed, measured with `bench/suggest.py` (113 articles of 1.4–12 KB): tokenizing whole bodies and running the
sentencizer component cost about 3 ms an article, a third of the whole suggest step, which then ran at about
110 articles per CPU-second. Two changes, each checked to give the same sentences on both gold sets: the
sentencizer's rule is computed over spaCy's token arrays with numpy instead of the component (which builds a
Python object per token), and only paragraphs holding a sentence-final character before their end are
tokenized (most news paragraphs are one sentence). spaCy now costs about 1.5 ms an article. Dropping spaCy for
a regular-expression splitter would save that too, but would put its abbreviation knowledge back into our hands.

Two corrections on top of the rule: a sentence never crosses a line break (headlines and bylines have no full
stop), and an opening quotation mark the rule left at the end of a sentence moves to the sentence it opens.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from annotator.suggestions.base import check_time_budget

# Characters that pad a span without being part of it: Unicode whitespace (NBSP included) and the
# invisible format characters that pasted news text carries.
PADDING = (
    " \t\n\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff"
)
OPENING_QUOTES = "\"“„«「『‘'"
CLOSING = "\"”“»」』’')]}" + PADDING
_LINE_BREAK = re.compile(r"\n+")
# spaCy's tokenizer strips a word's punctuation one character at a time, copying the rest each time: a run of
# 80,000 punctuation marks took half a minute. No word of prose is this long; such a run goes to spaCy as
# one plain word of the same length, so that offsets stay those of the body.
LONG_RUN = re.compile(r"(?<!\S)\S{1000,}")
# spaCy keeps "p.m.", "Inc." or "U.S." whole, so it never ends a sentence there; a sentence opener after them
# does: "… between noon and 6 p.m. At least 12 people have died …".
ABBREVIATION_THEN_SENTENCE = re.compile(
    r"(?<![\w.])(?:[ap]\.m\.|etc\.|Inc\.|Corp\.|Co\.|Ltd\.|U\.S\.|U\.K\.|D\.C\.|Jr\.|Sr\.)[ \u00a0]+"
    r"(?=(?:The|A|An|At|In|On|He|She|It|They|We|I|But|And|This|That|These|Those|There|His|Her|Their|Its|Our|"
    r"After|Before|When|While|As|If|For|By|From|With|Some|Many|Most|All|No|One|Two|Three|Meanwhile|However)\b)"
)
# "GENEVA — ", "TROMSØ, Norway — ", "LONDON (Reuters) - ": the place a story was filed from, before its first words.
DATELINE = re.compile(
    r"[A-ZÀ-Ý][A-ZÀ-Ý'’.-]+(?: [A-ZÀ-Ý][A-ZÀ-Ý'’.-]+)*(?:, [A-Z][\w.]+(?: [A-Z][\w.]+)*)?"
    r"\s*(?:\([^)]{1,40}\)\s*)?[—–―-]+\s+"
)

# The pattern splits a run of hyphens between the place and the dash every way before it fails ("GENEVA----…x"),
# quadratic in the run: it is tried on a sentence's first characters only; real datelines are under 60.
DATELINE_MAX_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int  # index of the paragraph (text between line breaks) the sentence is in


@functools.cache
def _tokenizer():
    """spaCy's blank English tokenizer, the ORTH ids of the sentencizer's sentence-final characters, and a
    pattern finding those characters."""
    import numpy  # imported on first use: spaCy takes a second to load, and only the suggest step needs it
    import spacy
    from spacy.pipeline.sentencizer import Sentencizer

    nlp = spacy.blank("en")
    characters = Sentencizer.default_punct_chars
    stops = numpy.array(sorted(nlp.vocab.strings.add(char) for char in characters), dtype=numpy.uint64)
    pattern = re.compile("[" + "".join(re.escape(char) for char in characters) + "]")
    return nlp.tokenizer, stops, frozenset(characters), pattern


def _sentence_starts(body: str) -> list[int]:
    """Where sentences start, by the rule of spaCy's sentencizer: the first token that is not punctuation after
    a sentence-final character. Computed over the token arrays at once rather than token by token (the
    sentencizer component builds a Python object per token, a sixth of the whole suggest step), and only for
    the paragraphs that hold a sentence-final character before their end (most news paragraphs are one
    sentence: tokenizing them cannot split them)."""
    import numpy
    from spacy.attrs import IDX, IS_PUNCT, ORTH

    tokenizer, stops, characters, pattern = _tokenizer()
    starts: list[int] = []
    for p_start, p_end in paragraphs(body):
        inner_end = p_end
        while inner_end > p_start and (body[inner_end - 1] in characters or body[inner_end - 1] in CLOSING):
            inner_end -= 1
        if pattern.search(body, p_start, inner_end) is None:
            continue
        check_time_budget()
        doc = tokenizer(LONG_RUN.sub(lambda run: "x" * len(run.group()), body[p_start:p_end]))
        array = doc.to_array([IDX, IS_PUNCT, ORTH])
        orth = array[:, 2]
        is_stop = stops[numpy.minimum(numpy.searchsorted(stops, orth), len(stops) - 1)] == orth
        words = numpy.flatnonzero(~(array[:, 1].astype(bool) | is_stop))
        stops_so_far = numpy.cumsum(is_stop)
        since_previous_word = stops_so_far[words] - numpy.concatenate(([0], stops_so_far[words[:-1]]))
        starts.extend(p_start + offset for offset in array[words[since_previous_word > 0], 0].tolist())
    return starts


def trim(body: str, start: int, end: int) -> tuple[int, int]:
    """The span without the whitespace and invisible characters at its ends."""
    while start < end and body[start] in PADDING:
        start += 1
    while end > start and body[end - 1] in PADDING:
        end -= 1
    return start, end


def without_final_stop(body: str, start: int, end: int) -> int:
    """A span's end without its final full stop, trailing commas, semicolons, colons and padding."""
    while end > start and body[end - 1] in ".,;:" + PADDING:
        end -= 1
    return end


def after_dateline(body: str, start: int, end: int) -> int:
    """Where a span's own words start, past a dateline at its beginning."""
    match = DATELINE.match(body, start, min(end, start + DATELINE_MAX_LENGTH))
    return match.end() if match and match.end() < end else start


@functools.lru_cache(maxsize=8)
def paragraphs(body: str) -> tuple[tuple[int, int], ...]:
    """Non-blank lines of the body, trimmed: news bodies put one paragraph on a line."""
    spans = []
    position = 0
    for match in [*_LINE_BREAK.finditer(body), None]:
        line_end = match.start() if match else len(body)
        start, end = trim(body, position, line_end)
        if start < end:
            spans.append((start, end))
        if match:
            position = match.end()
    return tuple(spans)


@functools.lru_cache(maxsize=8)
def sentences(body: str) -> tuple[Sentence, ...]:
    """Sentences of the body in order, trimmed, none crossing a line break (cached: every suggester asks)."""
    paras = paragraphs(body)
    if not paras:
        return ()
    cuts = sorted(
        {0, *_sentence_starts(body)}
        | {start for start, _ in paras}
        | {match.end() for match in ABBREVIATION_THEN_SENTENCE.finditer(body)}
    )
    # An opening quote the sentencizer kept with the previous sentence ("…said: “Go.” “Next…") opens the next one.
    moved = []
    for cut in cuts:
        if _continues_quote(body, cut):
            continue
        position = cut
        while position > 0 and body[position - 1] in PADDING:
            position -= 1
        if position > 0 and body[position - 1] in OPENING_QUOTES and _opens_quote(body, position - 1):
            cut = position - 1
        moved.append(cut)
    result = []
    para_starts = [start for start, _ in paras]
    for cut, next_cut in zip(moved, [*moved[1:], len(body)], strict=True):
        for piece_start, piece_end in _lines(body, cut, next_cut):
            start, end = trim(body, piece_start, piece_end)
            if start < end:
                result.append(Sentence(start, end, bisect.bisect_right(para_starts, start) - 1))
    return tuple(result)


def _lines(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span cut at every line break inside it."""
    pieces = []
    for match in _LINE_BREAK.finditer(body, start, end):
        pieces.append((start, match.start()))
        start = match.end()
    pieces.append((start, end))
    return pieces


def _continues_quote(body: str, cut: int) -> bool:
    """`“Why now?” asked the senator`: after a quotation's closing mark, a lowercase word goes on the sentence."""
    position = cut
    while position < len(body) and body[position] in " \u00a0":
        position += 1
    if position >= len(body) or not body[position].islower():
        return False
    before = cut
    while before > 0 and body[before - 1] in " \u00a0":
        before -= 1
    return before > 0 and body[before - 1] in "”\"’'»」』"


def _opens_quote(body: str, index: int) -> bool:
    """A quotation mark at `index` opens a quote when a word follows it and no word precedes it."""
    following = body[index + 1] if index + 1 < len(body) else ""
    preceding = body[index - 1] if index > 0 else " "
    if body[index] in "“„«「『":
        return bool(following) and following not in PADDING
    return bool(following) and following not in PADDING and (preceding in PADDING or preceding in "([—–-")
