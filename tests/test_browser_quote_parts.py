"""Quotes in parts in Chromium (docs/quotes-in-parts.md): a quote is made, then given a second part by selecting more
text and pressing + (offsets checked against body[s:e] after an emoji and a flag); the text marks its parts and not
the attribution between them, the list shows it once with its parts joined by " … "; a part is removed again;
and a refused part is named above the form."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotator.accounts.models import Role
from annotator.annotations.models import Annotation
from annotator.annotations.services import create_annotation
from tests.a11y import assert_accessible
from tests.browser import select_offsets
from tests.factories import ArticleFactory, MembershipFactory, ProjectFactory
from tests.test_browser_spans import open_edit_form
from tests.test_browser_workspace import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "Kyiv 🇺🇦 👩‍👩‍👧 report. “We will rebuild every city,” the mayor said, “and every school.” Critics disagreed."


def at(fragment: str) -> list[int]:
    start = BODY.index(fragment)
    return [start, start + len(fragment)]


FIRST, SECOND = at("We will rebuild every city,"), at("and every school.")


@pytest.fixture
def quote(db):
    project = ProjectFactory(name="Kyiv desk")
    anna = MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="anna").user
    article = ArticleFactory(project=project, title="Rebuilding pledge", body=BODY)
    made = create_annotation(
        actor=anna, article=article, kind="quote", start=FIRST[0], end=FIRST[1], attributes={"speaker": "Mayor"}
    )
    return article, made


def save(page) -> None:
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#annotation-form")).to_have_count(0)


def test_a_part_is_added_by_selecting_more_text_and_pressing_plus_then_drawn_as_one_quote(page, quote):
    article, made = quote
    log_in(page, "anna")
    open_edit_form(page, article)
    select_offsets(page, *SECOND)
    page.locator("#article-body").focus()
    page.keyboard.press("+")
    expect(page.locator("#part-list li")).to_have_count(2)
    expect(page.locator("#part-list li").nth(1)).to_contain_text("and every school.")
    assert_accessible(page, "the quote form with two parts", selector="#annotation-form")
    save(page)
    made.refresh_from_db()
    assert made.parts == [FIRST, SECOND]
    assert [BODY[s:e] for s, e in made.parts] == ["We will rebuild every city,", "and every school."]
    marks = page.locator(f'#article-body mark[data-ann="{made.pk}"]')
    assert "".join(marks.all_inner_texts()) == "We will rebuild every city,and every school."
    expect(page.locator("#annotation-list .item")).to_have_count(1)
    expect(page.locator(f"#item-{made.pk} .excerpt")).to_have_text("We will rebuild every city, … and every school.")
    assert page.console_errors == []


def test_a_part_is_removed_and_the_quote_is_an_ordinary_one_again(page, quote):
    article, made = quote
    Annotation.objects.filter(pk=made.pk).update(parts=[FIRST, SECOND], end=SECOND[1], text=BODY[FIRST[0] : SECOND[1]])
    log_in(page, "anna")
    open_edit_form(page, article)
    expect(page.locator("#part-list li")).to_have_count(2)
    page.get_by_role("button", name=re.compile("^Remove part 2")).click()
    expect(page.locator("#part-list li")).to_have_count(0)
    save(page)
    made.refresh_from_db()
    assert made.parts is None and (made.start, made.end) == tuple(FIRST)


def test_an_overlapping_part_is_refused_naming_it(page, quote):
    article, made = quote
    log_in(page, "anna")
    open_edit_form(page, article)
    select_offsets(page, FIRST[0] + 3, FIRST[1] + 2)
    page.locator("#article-body").focus()
    page.keyboard.press("+")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#annotation-form .error").first).to_contain_text("overlaps")
    made.refresh_from_db()
    assert made.parts is None


def test_the_page_after_a_reload_draws_the_parts_and_not_the_attribution(page, quote):
    article, made = quote
    Annotation.objects.filter(pk=made.pk).update(parts=[FIRST, SECOND], end=SECOND[1], text=BODY[FIRST[0] : SECOND[1]])
    log_in(page, "anna")
    page.goto(f"/articles/{article.pk}/")
    marks = page.locator(f'#article-body mark[data-ann="{made.pk}"]')
    assert "".join(marks.all_inner_texts()) == "We will rebuild every city,and every school."
    offsets = page.evaluate(
        """(id) => [...document.querySelectorAll(`#article-body mark[data-ann="${id}"] span[data-o]`)]
            .map((span) => Number(span.dataset.o))""",
        made.pk,
    )
    assert offsets == [FIRST[0], SECOND[0]]
