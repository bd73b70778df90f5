r"""CoNLL: one token per line, BIO tags in one column per layer, a `-DOCSTART-` line per article.

Layers: QUOTE (the quoted content), SPEAKER and CUE (a quote's `speaker_span` and `cue_span`) and CLAIM.
Stances are not written (a stance is a relation between a holder and a target, often about the whole
article, not a labelled stretch of tokens); use another format for them.

Each article starts with `-DOCSTART-<TAB>article id`, then a blank line. Each token line has eight
tab-separated columns:

    TOKEN  START  END  SPACE  QUOTE  SPEAKER  CUE  CLAIM

- TOKEN: the token's text. START, END: its code-point offsets in the article's body, half-open, the
  same offsets as every other format. SPACE: the whitespace that follows the token up to the next
  token, or `_` when there is none, so that the text between any two tokens can be rebuilt exactly.
  TOKEN and SPACE are escaped: `\\` for a backslash, `\s` for a space, `\t`, `\n`, `\r`, and
  `\uXXXX` (or `\UXXXXXXXX`) for any other white space or line-breaking character.
- A layer's cell is `B-LAYER` on the first token of a span, `I-LAYER` on the next ones, `O` elsewhere.
  When spans of one layer overlap (two quotes sharing words), the cell holds one tag per stacked span,
  joined by `|`, each span keeping its position in the stack from its first token to its last (as if
  the layer had several columns; trailing `O`s are left out). Identical spans of a layer are written
  once.
- A quote in parts (a quote interrupted by its attribution) is tagged part by part: each part is a span of
  the QUOTE layer, starting with `B-QUOTE`, and the tokens between its parts (the attribution) are not
  tagged as quote. BIO cannot say that the parts belong together; `jsonl`, `csv` and `w3c` do.
- A blank line separates the lines of the body (where it has a line break), except where a span
  crosses the line break: a span is never cut in two.

Tokenisation (the `regex` package): tokens are the matches of

    (?=\p{Han})\X  |  (?:(?=\w)(?!\p{Han})\X)+  |  (?=\S)\X

that is, each Chinese character (Han ideograph) is a token; a run of word characters with their
combining marks (whole grapheme clusters) is a token; any other non-space grapheme cluster is a token
of its own (a punctuation mark, a symbol, a whole emoji with its modifiers, ZWJ sequence or flag).
White space is not a token. Then, so that every span is a whole number of tokens, a token is cut
wherever a span of the export starts or ends inside it, and a stretch of white space that begins a
span or ends it becomes a token of its own. A reader rebuilds a span as (START of its B token, END of
its last I token), and its text from the TOKEN and SPACE columns of those tokens.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

import regex

from annotator.annotations.kinds import KINDS, Type
from annotator.exports.records import ExportContext, buffered
from annotator.exports.rows import AnnotationRow, ArticleGroup

# A layer per kind the format holds (the annotation's span) and per span attribute of those kinds (a quote's
# speaker_span is SPEAKER, its cue_span CUE), in this column order.
LAYER_KINDS = ("quote", "claim")
# Why the kinds that are not layers are left out (the export page says it).
WHY_NOT_LAYERS = (
    "CoNLL tags stretches of tokens; a stance is a relation between a holder and a target, often about the whole "
    "article"
)
SPAN_LAYERS = {
    kind: {a.name: a.name.removesuffix("_span").upper() for a in KINDS[kind].of_type(Type.SPAN)} for kind in LAYER_KINDS
}
LAYERS = tuple(layer for kind in LAYER_KINDS for layer in (kind.upper(), *SPAN_LAYERS[kind].values()))
TOKEN = regex.compile(r"(?=\p{Han})\X|(?:(?=\w)(?!\p{Han})\X)+|(?=\S)\X")
# White space (str.isspace), control characters and the line separators that str.splitlines() honours.
NEEDS_ESCAPE = re.compile(r"[\\\s\x00-\x1f\x7f-\x9f\u2028\u2029]")
ESCAPES = {"\\": "\\\\", " ": "\\s", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


class Token(NamedTuple):
    start: int
    end: int


def escape(text: str) -> str:
    """Text safe in a tab-separated line: no tab, no line break of any kind, reversible."""
    if not NEEDS_ESCAPE.search(text):
        return text
    out = []
    for char in text:
        if char in ESCAPES:
            out.append(ESCAPES[char])
        elif NEEDS_ESCAPE.match(char):
            code = ord(char)
            out.append(f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
        else:
            out.append(char)
    return "".join(out)


def unescape(text: str) -> str:
    if text == "_":
        return ""
    out, i = [], 0
    names = {"\\": "\\", "s": " ", "t": "\t", "n": "\n", "r": "\r"}
    while i < len(text):
        char = text[i]
        if char != "\\":
            out.append(char)
            i += 1
        elif text[i + 1] in names:
            out.append(names[text[i + 1]])
            i += 2
        else:
            width = 4 if text[i + 1] == "u" else 8
            out.append(chr(int(text[i + 2 : i + 2 + width], 16)))
            i += 2 + width
    return "".join(out)


def layer_spans(annotations: Iterable[AnnotationRow]) -> dict[str, list[tuple[int, int]]]:
    """The distinct spans of each layer, sorted."""
    spans: dict[str, set[tuple[int, int]]] = {layer: set() for layer in LAYERS}
    for row in annotations:
        if not row.exported or row.start is None:
            continue
        if row.kind not in SPAN_LAYERS:
            continue
        spans[row.kind.upper()].update((s, e) for s, e in row.parts or [(row.start, row.end)])
        for name, layer in SPAN_LAYERS[row.kind].items():
            span = row.attributes.get(name)
            if span:
                spans[layer].add((span[0], span[1]))
    return {layer: sorted(found) for layer, found in spans.items()}


def tokenize(body: str, spans: Iterable[tuple[int, int]] = ()) -> list[Token]:
    """The tokens of a body, cut at the boundaries of `spans` (see the module's docstring)."""
    starts, ends = set(), set()
    for start, end in spans:
        starts.add(start)
        ends.add(end)
    boundaries = sorted(starts | ends)
    tokens: list[Token] = []

    def cut(start: int, end: int, keep=None) -> None:
        i = bisect.bisect_right(boundaries, start)
        while i < len(boundaries) and boundaries[i] < end:
            if keep is None or keep(start, boundaries[i]):
                tokens.append(Token(start, boundaries[i]))
            start = boundaries[i]
            i += 1
        if keep is None or keep(start, end):
            tokens.append(Token(start, end))

    def space_at_a_span_edge(start: int, end: int) -> bool:
        return start in starts or end in ends

    position = 0
    for match in TOKEN.finditer(body):
        if match.start() > position and boundaries:
            cut(position, match.start(), space_at_a_span_edge)
        cut(match.start(), match.end())
        position = match.end()
    if position < len(body) and boundaries:
        cut(position, len(body), space_at_a_span_edge)
    return tokens


def _stacked(spans: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Each span with its place in the stack: the lowest place free when it starts."""
    places: list[int] = []  # the end of the span holding each place
    result = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        for place, held_until in enumerate(places):
            if held_until <= start:
                places[place] = end
                break
        else:
            place = len(places)
            places.append(end)
        result.append((start, end, place))
    return result


def _column(tokens: list[Token], spans: list[tuple[int, int]], layer: str) -> list[str]:
    cells = ["O"] * len(tokens)
    if not spans:
        return cells
    begin, inside = f"B-{layer}", f"I-{layer}"
    token_starts = [token.start for token in tokens]
    stacks: list[list[str]] = [[] for _ in tokens]
    for start, end, place in _stacked(spans):
        i = bisect.bisect_left(token_starts, start)
        first = True
        while i < len(tokens) and tokens[i].end <= end:
            stack = stacks[i]
            stack.extend(["O"] * (place + 1 - len(stack)))
            stack[place] = begin if first else inside
            first = False
            i += 1
    for i, stack in enumerate(stacks):
        if stack:
            cells[i] = "|".join(stack)
    return cells


def article_lines(article_id: int, body: str, annotations: list[AnnotationRow]) -> Iterator[str]:
    spans = layer_spans(annotations)
    every_span = sorted({span for found in spans.values() for span in found})
    tokens = tokenize(body, every_span)
    columns = [_column(tokens, spans[layer], layer) for layer in LAYERS]
    yield f"-DOCSTART-\t{article_id}\n\n"
    reach, next_span = 0, 0
    for i, token in enumerate(tokens):
        following = tokens[i + 1].start if i + 1 < len(tokens) else len(body)
        space = body[token.end : following]
        tags = "\t".join(column[i] for column in columns)
        yield f"{escape(body[token.start : token.end])}\t{token.start}\t{token.end}\t{escape(space) or '_'}\t{tags}\n"
        if "\n" in space and i + 1 < len(tokens):
            while next_span < len(every_span) and every_span[next_span][0] < token.end:
                reach = max(reach, every_span[next_span][1])
                next_span += 1
            if reach <= following:  # no span holds both this token and the next
                yield "\n"
    yield "\n"


def write_conll(groups: Iterable[ArticleGroup], context: ExportContext) -> Iterator[bytes]:
    return buffered("".join(article_lines(a.id, a.body, rows)).encode() for a, rows in groups)
