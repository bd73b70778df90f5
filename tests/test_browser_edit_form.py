"""The edit form on `e` (Chromium, 1366×900): asked for as soon as an annotation has focus, so that `e` shows it
without a request of its own (static/js/editor.js), always as the server renders the annotation now: a form
fetched for an entry is not shown once the entry is drawn anew (after a save), and one still on its way is
waited for, not asked for twice."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotator.annotations.models import Annotation
from tests.test_browser_focus import (
    desk,
    in_view,
    open_review,
    open_workspace,
    scroll_list_to_the_end,
    span_of,
    wide,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["desk", "wide"]  # fixtures


def edit_requests(page) -> list[str]:
    """Every request for an edit form from now on (the list fills as the page asks)."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/edit/" in request.url else None)
    return asked


def focus_last_with_k(page) -> None:
    page.locator("#article-body").focus()
    page.keyboard.press("k")  # the last annotation: a draft quote of anna's
    expect(page.locator("#annotation-list .item").last).to_be_focused()


def test_e_shows_the_form_fetched_when_the_annotation_got_focus_without_a_request_of_its_own(wide, desk):
    page = wide
    open_workspace(page, desk)
    asked = edit_requests(page)
    with page.expect_response(lambda response: "/edit/" in response.url):
        focus_last_with_k(page)
    assert len(asked) == 1
    page.keyboard.press("e")
    expect(page.get_by_label("Speaker (canonical name)")).to_be_focused()
    assert in_view(page, "#annotation-form")
    page.wait_for_timeout(200)
    assert len(asked) == 1, "e asked the server again"
    assert page.console_errors == []


def test_after_a_save_e_shows_the_new_version_not_the_form_fetched_before(wide, desk):
    page = wide
    open_workspace(page, desk)
    last = page.locator("#annotation-list .item").last
    with page.expect_response(lambda response: "/edit/" in response.url):
        focus_last_with_k(page)
    page.keyboard.press("e")
    version = page.locator("#annotation-form input[name=version]").input_value()
    speaker = page.get_by_label("Speaker (canonical name)")
    speaker.fill("Anne Nash")
    speaker.press("Enter")
    expect(page.locator("#annotation-form")).to_have_count(0)
    expect(last).to_contain_text("Anne Nash")
    last.locator(".item-head").click()
    page.keyboard.press("e")
    expect(page.get_by_label("Speaker (canonical name)")).to_have_value("Anne Nash")
    assert int(page.locator("#annotation-form input[name=version]").input_value()) == int(version) + 1
    assert page.console_errors == []


def test_e_pressed_while_the_form_is_on_its_way_waits_for_it_and_asks_once(wide, desk):
    page = wide
    open_workspace(page, desk)
    asked = edit_requests(page)
    held = []
    page.route(
        lambda url: "/edit/" in url, lambda route: held.append(route)
    )  # the answer waits until the test lets it through
    focus_last_with_k(page)
    while not held:
        page.wait_for_timeout(20)
    page.keyboard.press("e")
    page.keyboard.type("xyz")  # keys meant for the form's field while it comes do nothing
    expect(page.locator("#annotation-form")).to_have_count(0)
    held[0].continue_()
    speaker = page.get_by_label("Speaker (canonical name)")
    expect(speaker).to_be_focused()
    assert speaker.input_value() == ""
    assert len(asked) == 1
    assert page.console_errors == []


def test_correct_then_approve_on_the_review_page_opens_from_the_form_fetched_on_j(wide, desk):
    page = wide
    open_review(page, desk)
    scroll_list_to_the_end(page)
    asked = edit_requests(page)
    page.locator("#article-body").focus()
    with page.expect_response(lambda response: "/edit/" in response.url and "then=approve" in response.url):
        page.keyboard.press("j")  # the first annotation that waits for a decision
    page.keyboard.press("e")
    expect(page.locator("#annotation-form")).to_be_visible()
    expect(page.get_by_role("button", name="Save and approve")).to_be_visible()
    expect(page.locator("#annotation-form :focus")).to_have_count(1)
    assert in_view(page, "#annotation-form")
    assert len(asked) == 1
    assert page.console_errors == []


def test_a_stances_span_dropped_in_the_edit_form_makes_it_a_document_level_stance(wide, desk):
    page = wide
    start, _end = span_of("Plan 8 will cut prices by 8%")
    stance = Annotation.objects.get(article=desk, kind="stance", start=start)  # a draft of anna's
    open_workspace(page, desk)
    expect(page.locator(f'#article-body mark[data-ann="{stance.pk}"]').first).to_be_attached()
    page.locator(f"#item-{stance.pk} .item-head").click()
    page.keyboard.press("e")
    page.get_by_role("button", name="Whole article").click()
    expect(page.locator("#span-text")).to_have_text("A document-level stance: about the whole article.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#annotation-form")).to_have_count(0)
    expect(page.locator(f"#item-{stance.pk} .excerpt")).to_have_text("The whole article")
    expect(page.locator(f'#article-body mark[data-ann="{stance.pk}"]')).to_have_count(0)
    stance.refresh_from_db()
    assert (stance.start, stance.end, stance.text) == (None, None, None)
    assert stance.attributes["target"] == "prices"
    assert page.console_errors == []
