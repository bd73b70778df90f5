"""Changing a span after it is made, in Chromium: its ends dragged with the mouse or moved by keys (a grapheme or a
word at a time), a new selection taken as the span, a quote's speaker and cue spans, the author's edit and the
reviewer's "correct, then approve"; and the spans of an open form marked in the text."""

from __future__ import annotations

import re

import pytest
import regex
from playwright.sync_api import expect

from annotator.accounts.models import Role
from annotator.annotations.models import Annotation, Status
from annotator.annotations.services import create_annotation, submit_article
from tests.a11y import assert_accessible
from tests.factories import ArticleFactory, MembershipFactory, ProjectFactory
from tests.test_browser_workspace import drag_select, log_in, open_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# An emoji of five code points joined by ZWJ, a flag of two and CJK text come before the spans changed here.
BODY = (
    "Ukraine’s 🇺🇦 president 👩‍👩‍👧 told 中文 reporters: “We will rebuild every city,” and added that "
    "exports rose 12% in May.\n\nCritics in Kyiv were unconvinced."
)
GRAPHEME_BOUNDARIES = {0, *(m.end() for m in regex.finditer(r"\X", BODY))}


def span(fragment: str) -> tuple[int, int]:
    start = BODY.index(fragment)
    return start, start + len(fragment)


@pytest.fixture
def setup(db):
    project = ProjectFactory(name="Kyiv desk")
    anna = MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="anna").user
    rita = MembershipFactory(project=project, role=Role.REVIEWER, user__username="rita").user
    article = ArticleFactory(project=project, title="Rebuilding pledge", body=BODY)
    return article, anna, rita


def tag(actor, article, kind: str, fragment: str, **attributes) -> Annotation:
    start, end = span(fragment)
    return create_annotation(actor=actor, article=article, kind=kind, start=start, end=end, attributes=attributes)


def open_edit_form(page, article) -> None:
    open_article(page, article)
    page.locator("#article-body").focus()
    page.keyboard.press("j")
    page.keyboard.press("e")
    expect(page.locator("#annotation-form h2")).to_have_text(re.compile("^Edit"))
    form_settled(page)


def form_settled(page) -> None:
    """The form has taken the focus (in its first field), as it does once htmx has settled it."""
    page.wait_for_function("() => document.getElementById('annotation-form')?.contains(document.activeElement)")


def form_span(page, name: str = "span") -> tuple[int, int]:
    """The offsets the form will post for the span `name` (the annotation's own, or a span attribute)."""
    prefix = "" if name == "span" else f"{name}_"
    return (
        int(page.input_value(f"#annotation-form [name={prefix}start]")),
        int(page.input_value(f"#annotation-form [name={prefix}end]")),
    )


def assert_form_span(page, text: str, name: str = "span") -> None:
    start, end = form_span(page, name)
    assert BODY[start:end] == text
    assert {start, end} <= GRAPHEME_BOUNDARIES


def edge_point(page, offset: int, side: str) -> dict:
    """The middle of the left edge of the character at `offset` (side "left") or of the right edge of the
    character before it (side "right"), in viewport pixels."""
    return page.evaluate(
        """([offset, side]) => {
            const root = document.getElementById("article-body");
            const range = side === "left" ? AnnotatorOffsets.rangeFromSpan(root, offset, offset + 1)
                : AnnotatorOffsets.rangeFromSpan(root, offset - 1, offset);
            const rects = range.getClientRects();
            const r = side === "left" ? rects[0] : rects[rects.length - 1];
            return {x: side === "left" ? r.left + 1 : r.right - 1, y: r.top + r.height / 2};
        }""",
        [offset, side],
    )


def drag_end(page, name: str, edge: str, to_offset: int) -> None:
    """Drag the start or end handle of span `name` to the boundary before the code point `to_offset`."""
    handle = page.locator(f"#article-body + .span-handles .span-handle[data-span='{name}'][data-edge='{edge}']")
    expect(handle).to_be_visible()
    box = handle.bounding_box()
    target = edge_point(page, to_offset, "left" if edge == "start" else "right")
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"], target["y"], steps=8)
    page.mouse.up()


def marked(page, name: str) -> list[str]:
    """The text of the ranges the page marks for the span `name` of the open form."""
    return page.evaluate(
        "name => { const h = CSS.highlights.get(`annotator-${name}`); return h ? [...h].map(String) : []; }", name
    )


def save(page) -> None:
    page.locator("#annotation-form [type=submit]").click()
    expect(page.locator("#annotation-form")).to_have_count(0)


def test_the_author_drags_both_ends_of_a_quote_after_emoji_flag_and_cjk(page, setup):
    article, anna, _ = setup
    quote = tag(anna, article, "quote", "rebuild every city")
    log_in(page, "anna")
    open_edit_form(page, article)

    drag_end(page, "span", "start", span("“We")[0])
    assert_form_span(page, "“We will rebuild every city")
    drag_end(page, "span", "end", span("city,”")[1])
    assert_form_span(page, "“We will rebuild every city,”")
    expect(page.locator("#span-text")).to_have_text("“We will rebuild every city,”")
    assert page.evaluate("getSelection().isCollapsed")  # dragging a handle selects nothing
    save(page)

    quote.refresh_from_db()
    assert (quote.start, quote.end) == span("“We will rebuild every city,”")
    assert quote.text == BODY[quote.start : quote.end]
    assert (quote.version, quote.attributes["speaker_span"]) == (2, None)
    expect(page.locator(f"#item-{quote.pk} .excerpt")).to_have_text("“We will rebuild every city,”")
    drawn = page.evaluate(
        "id => [...document.querySelectorAll(`#article-body mark[data-ann='${id}']`)].map(m => m.textContent).join('')",
        quote.pk,
    )
    assert drawn == quote.text
    assert page.console_errors == []


def test_the_author_moves_the_ends_by_grapheme_and_by_word_with_keys(page, setup):
    article, anna, _ = setup
    claim = tag(anna, article, "claim", "president")
    log_in(page, "anna")
    open_edit_form(page, article)
    page.locator("[data-span-adjust='span']").focus()
    steps = [
        ("[", " president"),
        ("[", "🇺🇦 president"),  # a flag is one step: two code points
        ("]", " president"),
        ("[", "🇺🇦 president"),
        (".", "🇺🇦 president "),
        (".", "🇺🇦 president 👩‍👩‍👧"),  # five code points joined by ZWJ: one step
        (",", "🇺🇦 president "),
        (">", "🇺🇦 president 👩‍👩‍👧 told"),
        (">", "🇺🇦 president 👩‍👩‍👧 told 中文"),
        ("<", "🇺🇦 president 👩‍👩‍👧 told"),
        ("}", "president 👩‍👩‍👧 told"),
        ("{", "Ukraine’s 🇺🇦 president 👩‍👩‍👧 told"),
    ]
    for key, expected in steps:
        page.keyboard.press(key)
        assert_form_span(page, expected)
        expect(page.locator("#span-text")).to_have_text(expected)
    save(page)

    claim.refresh_from_db()
    assert claim.text == BODY[claim.start : claim.end] == "Ukraine’s 🇺🇦 president 👩‍👩‍👧 told"
    assert (claim.start, claim.end) == span("Ukraine’s 🇺🇦 president 👩‍👩‍👧 told")
    assert page.console_errors == []


def test_a_key_never_splits_a_grapheme_and_never_empties_the_span(page, setup):
    article, anna, _ = setup
    tag(anna, article, "claim", "president")
    log_in(page, "anna")
    open_edit_form(page, article)
    page.locator("[data-span-adjust='span']").focus()
    ends = []
    for _ in range(4):
        page.keyboard.press(".")
        ends.append(form_span(page)[1])
    assert set(ends) <= GRAPHEME_BOUNDARIES
    assert BODY[ends[0] : ends[1]] == "👩‍👩‍👧"
    assert_form_span(page, "president 👩‍👩‍👧 t")
    for _ in range(20):
        page.keyboard.press(",")
    assert_form_span(page, "p")
    expect(page.locator("#selection-status")).to_contain_text("at least one character")


def test_a_selection_made_while_editing_becomes_the_span_with_u_instead_of_a_new_annotation(page, setup):
    article, anna, _ = setup
    claim = tag(anna, article, "claim", "exports rose 12% in May", category="statistic")
    log_in(page, "anna")
    open_edit_form(page, article)
    drag_select(page, "Critics in Kyiv were unconvinced")
    expect(page.locator("#selection-status")).to_contain_text("u makes them this claim’s span")
    page.keyboard.press("u")
    expect(page.locator("#annotation-form h2")).to_have_text("Edit claim")
    expect(page.locator("#span-text")).to_have_text("Critics in Kyiv were unconvinced")
    assert marked(page, "span") == ["Critics in Kyiv were unconvinced"]
    save(page)

    assert Annotation.objects.count() == 1
    claim.refresh_from_db()
    assert claim.text == BODY[claim.start : claim.end] == "Critics in Kyiv were unconvinced"
    assert claim.attributes["category"] == "statistic"
    expect(page.locator(f"#item-{claim.pk} .excerpt")).to_have_text("Critics in Kyiv were unconvinced")
    assert page.console_errors == []


def test_the_speaker_and_cue_spans_change_by_keys_and_by_drag(page, setup):
    article, anna, _ = setup
    quote = tag(
        anna, article, "quote", "“We will rebuild every city,”", speaker="Zelensky",
        speaker_span=list(span("president")), cue_span=list(span("told")),
    )  # fmt: skip
    log_in(page, "anna")
    open_edit_form(page, article)

    page.locator("[data-span-adjust='speaker_span']").click()
    expect(page.locator("[data-span-adjust='speaker_span']")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("{")
    assert_form_span(page, "Ukraine’s 🇺🇦 president", "speaker_span")
    expect(page.locator("#speaker_span-text")).to_have_text("Ukraine’s 🇺🇦 president")

    drag_end(page, "cue_span", "end", span("reporters")[1])
    assert_form_span(page, "told 中文 reporters", "cue_span")
    expect(page.locator("#cue_span-text")).to_have_text("told 中文 reporters")
    assert_form_span(page, "“We will rebuild every city,”")  # the quote's own span did not move
    save(page)

    quote.refresh_from_db()
    assert quote.attributes["speaker_span"] == list(span("Ukraine’s 🇺🇦 president"))
    assert quote.attributes["cue_span"] == list(span("told 中文 reporters"))
    assert quote.attributes["speaker"] == "Zelensky"
    assert (quote.start, quote.end) == span("“We will rebuild every city,”")
    assert page.console_errors == []


def test_the_spans_of_an_open_form_are_marked_in_the_text_and_follow_each_change(page, setup):
    article, anna, _ = setup
    tag(
        anna, article, "quote", "“We will rebuild every city,”",
        speaker_span=list(span("president")), cue_span=list(span("told")),
    )  # fmt: skip
    log_in(page, "anna")
    open_article(page, article)
    assert marked(page, "span") == []
    page.locator("#article-body").focus()
    page.keyboard.press("j")
    page.keyboard.press("e")
    form_settled(page)
    assert marked(page, "span") == ["“We will rebuild every city,”"]
    assert marked(page, "speaker_span") == ["president"]
    assert marked(page, "cue_span") == ["told"]
    expect(page.locator("#article-body + .span-handles .span-handle")).to_have_count(6)
    assert_accessible(page, context="the workspace with a quote's spans marked for change")

    page.locator("[data-span-adjust='span']").focus()
    page.keyboard.press("]")
    assert marked(page, "span") == ["We will rebuild every city,”"]
    page.locator("#annotation-form [data-unpick='cue_span']").click()
    assert marked(page, "cue_span") == []
    expect(page.locator("#article-body + .span-handles .span-handle")).to_have_count(4)

    page.keyboard.press("Escape")
    expect(page.locator("#annotation-form")).to_have_count(0)
    assert marked(page, "span") == [] and marked(page, "speaker_span") == []
    expect(page.locator("#article-body + .span-handles .span-handle")).to_have_count(0)


def test_a_reviewer_corrects_the_span_then_approves(page, setup):
    article, anna, rita = setup
    quote = tag(anna, article, "quote", "We will rebuild every city", speaker="Zelensky")
    submit_article(actor=anna, article=article)
    log_in(page, "rita")
    page.goto(f"/articles/{article.pk}/review/")
    page.get_by_role("link", name="Correct, then approve").click()
    form_settled(page)
    assert marked(page, "span") == ["We will rebuild every city"]
    assert_accessible(page, context="the review page in correct, then approve")

    drag_end(page, "span", "end", span("city,”")[1])
    page.locator("[data-span-adjust='span']").focus()
    page.keyboard.press("[")
    assert_form_span(page, "“We will rebuild every city,”")
    page.get_by_role("button", name="Save and approve").click()
    expect(page.locator(f"#item-{quote.pk} .status")).to_have_text("Approved")

    quote.refresh_from_db()
    assert (quote.status, quote.author) == (Status.APPROVED, anna)
    assert quote.text == BODY[quote.start : quote.end] == "“We will rebuild every city,”"
    edit, approval = quote.events.order_by("id")[2:]
    assert (edit.action, edit.actor, approval.action, approval.actor) == ("edited", rita, "approved", rita)
    assert edit.changes["start"] == [span("We")[0], span("“We")[0]]
    assert page.console_errors == []
