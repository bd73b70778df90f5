"""static/js/offsets.js in Chromium: DOM selections (UTF-16) and code-point offsets agree with Python's str indices."""

from __future__ import annotations

import html
import itertools
import re
from bisect import bisect_right
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

OFFSETS_JS = Path(__file__).resolve().parent.parent / "static" / "js" / "offsets.js"

NOTHING_SELECTED = "Select some text first."
BEYOND_ARTICLE = "The selection goes beyond the article text: select within the article."
ONLY_WHITESPACE = "The selection is only whitespace."

# e + U+0301 and n + U+0303 would be composed by NFC, but q + U+0303 has no precomposed form, so stored
# bodies do hold combining marks; the conversion must not care either way.
NEWS = (
    "Breaking 😀 news: the minister 👍🏽 said\u00a0“we agree” on 🇺🇦🇫🇷 ties.\n"
    "Family 👩\u200d👩\u200d👧 met doctor 👨🏽\u200d⚕\ufe0f at the cafe\u0301 with sen\u0303or q\u0303.\n"
    "中文新闻 and 日本語 reports:\u3000quiet.\n\n"
    "قال الرئيس today, אמר השר later, in the text.\n\n"
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ends\u00a0here."
)
# Span boundaries inside grapheme clusters too: the server splits wherever an annotation starts or ends.
NEWS_CUTS = sorted(
    {
        *range(0, len(NEWS), 9),
        NEWS.index("🏽"),
        NEWS.index("🇦"),
        NEWS.index("🇫"),
        NEWS.index("\u200d") + 1,
        NEWS.index("\u0301"),
        NEWS.index("\u200d⚕"),
        NEWS.index("\ufe0f"),
        NEWS.index("\u0303or"),
        NEWS.index("新闻"),
        NEWS.index("الرئيس") + 2,
        NEWS.index("השר"),
        NEWS.index("\n\n") + 1,
        *(paragraph.end() for paragraph in re.finditer("\n\n", NEWS)),
        NEWS.index("𝔦"),
    }
)
# Ranges [first, stop) of span indices, nested as the server nests overlapping highlights.
NEWS_MARKS = [
    (0, 2),
    (0, 1),
    (0, 1),
    (2, 9),
    (3, 8),
    (3, 5),
    (4, 5),
    (4, 5),
    (6, 8),
    (12, 20),
    (13, 14),
    (20, 30),
    (22, 27),
    (len(NEWS_CUTS) - 4, len(NEWS_CUTS)),
    (len(NEWS_CUTS) - 1, len(NEWS_CUTS)),
]
# The server also wraps each paragraph (up to the blank lines after it) in a <span class="para"> without
# data-o, outside the marks, and splits a mark that crosses a paragraph break into one mark per paragraph.
PARAGRAPH_STARTS = [0, *(NEWS_CUTS.index(paragraph.end()) for paragraph in re.finditer("\n\n", NEWS))]
NEWS_PARAGRAPHS = list(itertools.pairwise([*PARAGRAPH_STARTS, len(NEWS_CUTS)]))
LAYOUTS = {"marks": {}, "paragraphs-and-marks": {"paragraphs": NEWS_PARAGRAPHS}}

PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Offsets</title>'
    "<style>#article-body {{ white-space: pre-wrap; }}</style></head>"
    '<body><p id="before">Before the article.</p><div id="article-body">{article}</div>'
    '<p id="after">After the article.</p></body></html>'
)
# Test-only shorthands: the root and the text node of the i-th span.
HELPERS = """
window.article = document.getElementById("article-body");
window.textOf = (i) => article.querySelectorAll("span[data-o]")[i].firstChild;
"""


def article_html(
    body: str, cuts: list[int], marks: list[tuple[int, int]] = (), paragraphs: list[tuple[int, int]] = ()
) -> str:
    """Spans of `body` starting at the code-point `cuts`, `<mark>`s around the span ranges [first, stop) of `marks`,
    and `<span class="para">` around those of `paragraphs`."""
    if cuts[0] != 0 or cuts != sorted(set(cuts)) or cuts[-1] >= len(body):
        raise ValueError("cuts must start at 0 and increase within the body")
    spans = [
        f'<span data-o="{start}">{html.escape(body[start:stop])}</span>'
        for start, stop in itertools.pairwise([*cuts, len(body)])
    ]
    wrappers = [(first, stop, 0, '<span class="para">', "</span>") for first, stop in paragraphs]
    for ann, (first, stop) in enumerate(marks):
        for para_first, para_stop in paragraphs or [(0, len(spans))]:
            if max(first, para_first) < min(stop, para_stop):
                piece = (max(first, para_first), min(stop, para_stop))
                wrappers.append((*piece, 1, f'<mark data-ann="{ann}">', "</mark>"))
    wrappers.sort(key=lambda wrapper: (wrapper[0], -wrapper[1], wrapper[2]))  # outermost first
    parts: list[str] = []
    open_wrappers: list[tuple[int, str]] = []
    for index, span in enumerate(spans):
        while open_wrappers and open_wrappers[-1][0] <= index:
            parts.append(open_wrappers.pop()[1])
        for first, stop, _, start_tag, end_tag in wrappers:
            if first == index:
                if open_wrappers and stop > open_wrappers[-1][0]:
                    raise ValueError("marks must nest")
                parts.append(start_tag)
                open_wrappers.append((stop, end_tag))
        parts.append(span)
    parts.extend(end_tag for _, end_tag in reversed(open_wrappers))
    return "".join(parts)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def dom_point(body: str, cuts: list[int], cp: int) -> list[int]:
    """[span index, UTF-16 offset] of code point `cp`; a span boundary is the start of the later span."""
    span = bisect_right(cuts, cp) - 1
    return [span, utf16_length(body[cuts[span] : cp])]


def js_trim(body: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the leading and trailing whitespace JS's /\\s/u matches."""
    js_space = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    js_space += "\u2028\u2029\u202f\u205f\u3000\ufeff"
    while start < end and body[start] in js_space:
        start += 1
    while end > start and body[end - 1] in js_space:
        end -= 1
    return start, end


@pytest.fixture
def open_article(chromium):
    """Opens a page holding the given body as the server renders it, with offsets.js loaded."""
    contexts = []

    def open_(body: str = NEWS, cuts: list[int] = NEWS_CUTS, marks: list[tuple[int, int]] = NEWS_MARKS, **layout):
        context = chromium.new_context()
        contexts.append(context)
        page = context.new_page()
        page.set_content(PAGE.format(article=article_html(body, cuts, marks, **layout)))
        page.add_script_tag(path=str(OFFSETS_JS))
        page.add_script_tag(content=HELPERS)
        return page

    yield open_
    for context in contexts:
        context.close()


def select_and_read(page, anchor: list[int], focus: list[int]) -> dict:
    """spanFromSelection after selecting from anchor to focus, each [span index, UTF-16 offset]."""
    return page.evaluate(
        """([[a, aOffset], [f, fOffset]]) => {
            const selection = getSelection();
            selection.setBaseAndExtent(textOf(a), aOffset, textOf(f), fOffset);
            return AnnotatorOffsets.spanFromSelection(article, selection);
        }""",
        [anchor, focus],
    )


def test_module_defines_only_window_annotator_offsets_and_freezes_it(chromium):
    with chromium.new_context() as context:
        page = context.new_page()
        page.set_content(PAGE.format(article=article_html(NEWS, NEWS_CUTS, NEWS_MARKS)))
        globals_before = set(page.evaluate("Object.keys(window)"))
        page.add_script_tag(path=str(OFFSETS_JS))

        assert set(page.evaluate("Object.keys(window)")) - globals_before == {"AnnotatorOffsets"}
        assert sorted(page.evaluate("Object.keys(AnnotatorOffsets)")) == [
            "bodyText",
            "codePointCount",
            "fromCodePoint",
            "rangeFromSpan",
            "sliceCodePoints",
            "spanFromSelection",
            "toCodePoint",
        ]
        assert page.evaluate("Object.isFrozen(AnnotatorOffsets)")


def test_code_point_count_counts_astral_characters_and_lone_surrogates_once(open_article):
    page = open_article()
    words = ["😀", "👍🏽", "🇺🇦🇫🇷", "👩\u200d👩\u200d👧", "👨🏽\u200d⚕\ufe0f", "q\u0303", "日本語", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", NEWS]

    assert page.evaluate("(words) => words.map(AnnotatorOffsets.codePointCount)", words) == [len(w) for w in words]
    lone = page.evaluate(
        """() => ["\\ud83d", "a\\ud83dz", "\\ude00\\ud83d", "\\ude00", ""].map(AnnotatorOffsets.codePointCount)"""
    )
    assert lone == [1, 3, 2, 1, 0]


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_every_code_point_boundary_maps_to_its_text_node_and_back(open_article, layout):
    page = open_article(**layout)
    found = page.evaluate(
        """(length) => {
            const spans = [...article.querySelectorAll("span[data-o]")];
            return Array.from({ length: length + 1 }, (_, cp) => {
                const { node, offset } = AnnotatorOffsets.fromCodePoint(article, cp);
                return [spans.indexOf(node.parentElement), offset, AnnotatorOffsets.toCodePoint(article, node, offset)];
            });
        }""",
        len(NEWS),
    )

    assert found == [[*dom_point(NEWS, NEWS_CUTS, cp), cp] for cp in range(len(NEWS) + 1)]


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_every_dom_boundary_point_maps_to_the_code_points_before_it(open_article, layout):
    page = open_article(**layout)
    points = page.evaluate(
        """() => {
            const points = [];
            const walker = document.createTreeWalker(article);
            for (let node = article; node; node = walker.nextNode()) {
                const size = node.nodeType === Node.TEXT_NODE ? node.length : node.childNodes.length;
                for (let offset = 0; offset <= size; offset += 1) {
                    const splitsPair = node.nodeType === Node.TEXT_NODE && offset > 0 && offset < size
                        && /[\\ud800-\\udbff]/.test(node.data[offset - 1]);
                    if (splitsPair) continue;
                    const before = document.createRange();
                    before.setStart(article, 0);
                    before.setEnd(node, offset);
                    const cp = AnnotatorOffsets.toCodePoint(article, node, offset);
                    points.push([node.nodeName, cp, before.toString()]);
                }
            }
            return points;
        }"""
    )

    assert {name for name, _, _ in points} == {"DIV", "MARK", "SPAN", "#text"}
    assert [cp for _, cp, _ in points] == [len(before) for _, _, before in points]
    assert all(NEWS.startswith(before) for _, _, before in points)


def test_element_boundaries_on_root_marks_and_spans_map_to_the_neighbouring_text(open_article):
    page = open_article()
    # (mark data-ann, child index) -> the span whose text follows; the mark covers the spans NEWS_MARKS[ann].
    mark_points = {
        (3, 0): 2,
        (3, 1): 3,
        (3, 2): 8,
        (3, 3): 9,
        (4, 0): 3,
        (4, 1): 5,
        (4, 2): 6,
        (4, 3): 8,
        (6, 0): 4,
        (6, 1): 5,
        (7, 0): 4,
        (7, 1): 5,
    }
    found = page.evaluate(
        """(markPoints) => {
            const { toCodePoint } = AnnotatorOffsets;
            const mark = (ann) => article.querySelector(`mark[data-ann="${ann}"]`);
            const span = textOf(4).parentElement;
            return {
                nesting: mark(7).matches("[data-ann='3'] > [data-ann='4'] > [data-ann='5'] > [data-ann='6'] > *"),
                root: [0, 1, article.childNodes.length].map((child) => toCodePoint(article, article, child)),
                marks: markPoints.map(([ann, child]) => toCodePoint(article, mark(ann), child)),
                span: [toCodePoint(article, span, 0), toCodePoint(article, span, 1)],
            };
        }""",
        list(mark_points),
    )

    assert found["nesting"]
    assert found["root"] == [0, NEWS_CUTS[2], len(NEWS)]
    assert found["marks"] == [NEWS_CUTS[span] for span in mark_points.values()]
    assert found["span"] == [NEWS_CUTS[4], NEWS_CUTS[5]]


def test_boundary_points_outside_the_article_give_null(open_article):
    page = open_article()
    found = page.evaluate(
        """() => {
            const { toCodePoint } = AnnotatorOffsets;
            const rootIndex = [...document.body.childNodes].indexOf(article);
            return [
                toCodePoint(article, document.getElementById("before").firstChild, 3),
                toCodePoint(article, document.body, rootIndex),
                toCodePoint(article, document.body, rootIndex + 1),
                toCodePoint(article, document.createTextNode("detached"), 0),
                toCodePoint(article, textOf(0), 0),
            ];
        }"""
    )

    assert found == [None, None, None, None, 0]


@pytest.mark.parametrize(
    ("character", "within"),
    [("😀", "😀"), ("🏽", "👍🏽"), ("🇦", "🇺🇦"), ("𝔫", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"), ("👧", "👩\u200d👧")],
)
def test_offset_inside_a_surrogate_pair_rounds_to_the_start_of_the_pair(open_article, character, within):
    page = open_article()
    cp = NEWS.index(character, NEWS.index(within))
    span, offset = dom_point(NEWS, NEWS_CUTS, cp)

    found = page.evaluate(
        "([span, offset]) => AnnotatorOffsets.toCodePoint(article, textOf(span), offset + 1)", [span, offset]
    )

    assert found == cp


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_range_text_equals_the_python_slice_for_every_pair_of_offsets(open_article, layout):
    page = open_article(**layout)
    texts = page.evaluate(
        """(length) => {
            const texts = [];
            for (let start = 0; start <= length; start += 1) {
                for (let end = start; end <= length; end += 1) {
                    texts.push(AnnotatorOffsets.rangeFromSpan(article, start, end).toString());
                }
            }
            return texts;
        }""",
        len(NEWS),
    )
    pairs = [(start, end) for start in range(len(NEWS) + 1) for end in range(start, len(NEWS) + 1)]

    assert len(texts) == len(pairs)
    assert [pair for pair, text in zip(pairs, texts, strict=True) if text != NEWS[slice(*pair)]] == []


def test_range_on_span_boundaries_starts_and_ends_in_the_text_of_its_own_characters(open_article):
    page = open_article()
    found = page.evaluate(
        """(cuts) => cuts.slice(1).map((cut, i) => {
            const range = AnnotatorOffsets.rangeFromSpan(article, cut - 1, cut + 1);
            const empty = AnnotatorOffsets.rangeFromSpan(article, cut, cut);
            const ending = AnnotatorOffsets.rangeFromSpan(article, cut - 1, cut);
            return [
                range.startContainer === textOf(i) && range.endContainer === textOf(i + 1),
                ending.endContainer === textOf(i) && ending.endOffset === textOf(i).length,
                empty.collapsed && empty.startContainer === textOf(i + 1) && empty.startOffset === 0,
            ];
        })""",
        NEWS_CUTS,
    )

    assert found == [[True, True, True]] * (len(NEWS_CUTS) - 1)


def test_offsets_outside_the_body_raise_range_error(open_article):
    page = open_article()
    errors = page.evaluate(
        """(length) => {
            const { fromCodePoint, rangeFromSpan } = AnnotatorOffsets;
            const calls = [
                () => fromCodePoint(article, -1),
                () => fromCodePoint(article, length + 1),
                () => fromCodePoint(article, 1.5),
                () => fromCodePoint(article, Number.NaN),
                () => rangeFromSpan(article, 5, 2),
                () => rangeFromSpan(article, 0, length + 1),
                () => fromCodePoint(article, length),
            ];
            return calls.map((call) => {
                try {
                    call();
                    return null;
                } catch (error) {
                    return error.name;
                }
            });
        }""",
        len(NEWS),
    )

    assert errors == ["RangeError"] * 6 + [None]


@pytest.mark.parametrize(
    "words",
    [
        "🇺🇦🇫🇷 ties",
        "ties.\nFamily 👩\u200d👩\u200d👧 met doctor",
        "👨🏽\u200d⚕\ufe0f at the cafe\u0301 with sen\u0303or q\u0303",
        "👍🏽 said\u00a0“we",
        "Breaking 😀",
    ],
)
def test_selection_after_flags_and_zwj_sequences_gives_python_offsets(open_article, words):
    page = open_article()
    start = NEWS.index(words)
    end = start + len(words)

    forwards = select_and_read(page, dom_point(NEWS, NEWS_CUTS, start), dom_point(NEWS, NEWS_CUTS, end))
    backwards = select_and_read(page, dom_point(NEWS, NEWS_CUTS, end), dom_point(NEWS, NEWS_CUTS, start))

    assert forwards == {"start": start, "end": end, "text": NEWS[start:end]}
    assert backwards == forwards
    assert page.evaluate("getSelection().direction") == "backward"


@pytest.mark.parametrize(
    "words", ["新闻 and 日本語", "الرئيس today, אמר השר", "قال", "השר later", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ends\u00a0here."]
)
def test_selection_of_cjk_right_to_left_and_astral_math_text_gives_python_offsets(open_article, words):
    page = open_article()
    start = NEWS.index(words)
    end = start + len(words)

    forwards = select_and_read(page, dom_point(NEWS, NEWS_CUTS, start), dom_point(NEWS, NEWS_CUTS, end))
    backwards = select_and_read(page, dom_point(NEWS, NEWS_CUTS, end), dom_point(NEWS, NEWS_CUTS, start))

    assert forwards == {"start": start, "end": end, "text": NEWS[start:end]}
    assert backwards == forwards


def test_selection_across_paragraphs_and_a_split_mark_gives_python_offsets(open_article):
    page = open_article(paragraphs=NEWS_PARAGRAPHS)
    start = NEWS.index("日本語")
    end = NEWS.index("قال") + 3
    assert NEWS_CUTS[20] < start < NEWS_CUTS[25] < end < NEWS_CUTS[27]
    split_mark = page.evaluate(
        f"article.querySelectorAll('.para mark[data-ann=\"{NEWS_MARKS.index((22, 27))}\"]').length"
    )

    forwards = select_and_read(page, dom_point(NEWS, NEWS_CUTS, start), dom_point(NEWS, NEWS_CUTS, end))
    backwards = select_and_read(page, dom_point(NEWS, NEWS_CUTS, end), dom_point(NEWS, NEWS_CUTS, start))

    assert split_mark == 2
    assert forwards == {"start": start, "end": end, "text": NEWS[start:end]}
    assert backwards == forwards


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (NEWS.index(" 😀"), NEWS.index(" news") + 1),
        (NEWS.index("said") + 4, NEWS.index("agree")),
        (NEWS.index("ties.") + 5, NEWS.index("Family") + 3),
        (NEWS.index("reports:") + 8, NEWS.index("quiet.") + 6 + 1),
        (NEWS.index("text.") + 5, NEWS.index("𝔢") + 2),
    ],
    ids=["spaces", "nbsp", "newline", "ideographic-space-and-newline", "blank-line-and-space"],
)
def test_selection_is_trimmed_of_spaces_nbsp_ideographic_spaces_and_newlines(open_article, start, end):
    page = open_article()
    trimmed_start, trimmed_end = js_trim(NEWS, start, end)
    assert (trimmed_start, trimmed_end) != (start, end)

    forwards = select_and_read(page, dom_point(NEWS, NEWS_CUTS, start), dom_point(NEWS, NEWS_CUTS, end))
    backwards = select_and_read(page, dom_point(NEWS, NEWS_CUTS, end), dom_point(NEWS, NEWS_CUTS, start))

    assert forwards == {"start": trimmed_start, "end": trimmed_end, "text": NEWS[trimmed_start:trimmed_end]}
    assert backwards == forwards


@pytest.mark.parametrize("whitespace", ["\n\n", "\u00a0", "\u3000", " "])
def test_selection_of_only_whitespace_is_refused(open_article, whitespace):
    page = open_article()
    start = NEWS.index(whitespace)
    end = start + len(whitespace)

    found = select_and_read(page, dom_point(NEWS, NEWS_CUTS, start), dom_point(NEWS, NEWS_CUTS, end))

    assert found == {"error": ONLY_WHITESPACE}


def test_selection_starting_or_ending_outside_the_article_is_refused(open_article):
    page = open_article()
    inside = dom_point(NEWS, NEWS_CUTS, NEWS.index("news"))
    found = page.evaluate(
        """([span, offset]) => {
            const selection = getSelection();
            const before = document.getElementById("before").firstChild;
            const after = document.getElementById("after").firstChild;
            const rootIndex = [...document.body.childNodes].indexOf(article);
            const attempts = [
                [before, 3, textOf(span), offset],
                [textOf(span), offset, before, 3],
                [textOf(span), offset, after, 5],
                [after, 5, textOf(span), offset],
                [document.body, rootIndex, textOf(span), offset],
                [textOf(span), offset, document.body, rootIndex + 1],
                [before, 0, after, 5],
            ];
            return attempts.map((points) => {
                selection.setBaseAndExtent(...points);
                return AnnotatorOffsets.spanFromSelection(article, selection);
            });
        }""",
        inside,
    )

    assert found == [{"error": BEYOND_ARTICLE}] * 7


def test_collapsed_missing_or_empty_selection_asks_for_some_text(open_article):
    page = open_article()
    found = page.evaluate(
        """() => {
            const selection = getSelection();
            const results = [];
            selection.setBaseAndExtent(textOf(2), 3, textOf(2), 3);
            results.push(AnnotatorOffsets.spanFromSelection(article, selection));
            // Not collapsed, yet it holds no character: from the end of one span to the start of the next.
            selection.setBaseAndExtent(textOf(2), textOf(2).length, textOf(3), 0);
            results.push([selection.isCollapsed, AnnotatorOffsets.spanFromSelection(article, selection)]);
            selection.removeAllRanges();
            results.push(AnnotatorOffsets.spanFromSelection(article, selection));
            return results;
        }"""
    )

    assert found == [{"error": NOTHING_SELECTED}, [False, {"error": NOTHING_SELECTED}], {"error": NOTHING_SELECTED}]


def test_selection_between_element_positions_gives_python_offsets(open_article):
    page = open_article()
    found = page.evaluate(
        """() => {
            const selection = getSelection();
            const deepest = article.querySelector("mark[data-ann='7']");
            selection.setBaseAndExtent(article, article.childNodes.length, article, 0);
            const whole = AnnotatorOffsets.spanFromSelection(article, selection);
            selection.setBaseAndExtent(deepest, 0, deepest, 1);
            const mark = AnnotatorOffsets.spanFromSelection(article, selection);
            return [whole, mark];
        }"""
    )
    mark_start, mark_end = js_trim(NEWS, NEWS_CUTS[4], NEWS_CUTS[5])

    assert found == [
        {"start": 0, "end": len(NEWS), "text": NEWS},
        {"start": mark_start, "end": mark_end, "text": NEWS[mark_start:mark_end]},
    ]


def test_selection_splitting_a_surrogate_pair_rounds_both_ends_to_the_start_of_the_pair(open_article):
    page = open_article()
    smile = NEWS.index("😀")
    span, offset = dom_point(NEWS, NEWS_CUTS, smile)
    math = NEWS.index("𝔦")

    from_inside_smile = select_and_read(page, [span, offset + 1], dom_point(NEWS, NEWS_CUTS, smile + 6))
    to_inside_math = select_and_read(page, dom_point(NEWS, NEWS_CUTS, math - 1), [NEWS_CUTS.index(math), 1])

    assert from_inside_smile == {"start": smile, "end": smile + 6, "text": NEWS[smile : smile + 6]}
    assert to_inside_math == {"start": math - 1, "end": math, "text": "𝔫"}


def test_offsets_follow_the_dom_after_the_article_is_rendered_again(open_article):
    page = open_article()
    body = "Re-rendered: 🇫🇷 «قال» 日本語 𝔘𝔫𝔦"
    cuts = [0, 5, 13, 15, 21, 26]
    probes = [0, 14, 16, 22, len(body)]
    found = page.evaluate(
        """async ([html, probes, length]) => {
            const { fromCodePoint, toCodePoint } = AnnotatorOffsets;
            const spans = () => [...article.querySelectorAll("span[data-o]")];
            const probe = () => probes.map((cp) => {
                const { node, offset } = fromCodePoint(article, cp);
                return [spans().indexOf(node.parentElement), offset, toCodePoint(article, node, offset)];
            });
            fromCodePoint(article, 0);
            article.innerHTML = html;
            const sameTask = probe();
            article.lastChild.firstChild.data += " x";
            // Let the MutationObserver deliver its records before asking again.
            await new Promise((resolve) => setTimeout(resolve));
            const afterEdit = fromCodePoint(article, length + 2).offset;
            return [sameTask, afterEdit];
        }""",
        [article_html(body, cuts), probes, len(body)],
    )

    assert found == [[[*dom_point(body, cuts, cp), cp] for cp in probes], utf16_length(body[cuts[-1] :] + " x")]


def test_body_text_and_slice_code_points_follow_python(open_article):
    page = open_article()
    pairs = [[0, 9], [9, 40], [NEWS.index("𝔘"), NEWS.index("𝔢") + 1], [30, 30], [40, 30], [len(NEWS) - 3, 10_000]]
    found = page.evaluate(
        """(pairs) => {
            const body = AnnotatorOffsets.bodyText(article);
            return [body, pairs.map(([start, end]) => AnnotatorOffsets.sliceCodePoints(body, start, end)),
                AnnotatorOffsets.sliceCodePoints(body, 60)];
        }""",
        pairs,
    )

    assert found == [NEWS, [NEWS[start:end] for start, end in pairs], NEWS[60:]]


def test_thousand_round_trips_on_a_two_hundred_thousand_code_point_body_take_under_a_second(open_article):
    chunk = "Markets 📈 fell 3 %; 👩\u200d👩\u200d👧 قال 日本語 𝔘𝔫𝔦 q\u0303.\n"
    body = (chunk * (200_000 // len(chunk) + 1))[:200_000]
    cuts = list(range(0, 200_000, 40))
    marks = [(first, first + 3) for first in range(0, 4_990, 7)] + [(first, first + 1) for first in range(0, 4_990, 7)]
    assert len(cuts) == 5_000
    page = open_article(body, cuts, marks)

    found = page.evaluate(
        """(length) => {
            const { fromCodePoint, toCodePoint } = AnnotatorOffsets;
            const probes = Array.from({ length: 1000 }, (_, i) => (i * 7919 * 25 + i) % (length + 1));
            const started = performance.now();
            const wrong = probes.filter((cp) => {
                const { node, offset } = fromCodePoint(article, cp);
                return toCodePoint(article, node, offset) !== cp;
            });
            return { elapsed: performance.now() - started, wrong, distinct: new Set(probes).size };
        }""",
        len(body),
    )

    assert found["distinct"] > 900
    assert found["wrong"] == []
    assert found["elapsed"] < 1000
