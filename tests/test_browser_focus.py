"""Focus and scrolling in the workspace and the review page (Chromium, 1366×900): every form or panel an action
opens is in view with focus in its first field, no single-key shortcut acts in a field, the hint line rests
once the form closes, a skip link, `n` with nothing left, and the filter of the annotation list."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from annotator.accounts.models import Role, User
from annotator.annotations.models import Annotation, Status
from annotator.annotations.services import create_annotations, review_annotation, submit_article
from annotator.suggestions.base import Candidate
from annotator.suggestions.services import suggest_articles
from tests.browser import select_offsets
from tests.conftest import secure_client
from tests.factories import ArticleFactory, MembershipFactory, ProjectFactory
from tests.test_browser_workspace import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 1366, "height": 900}
PARAGRAPHS = 40
BODY = "\n\n".join(
    f"Minister {i} said “Plan {i} will cut prices by {i}%,” on Monday in the capital." for i in range(PARAGRAPHS)
)
KINDS = ("quote", "claim", "stance")


def span_of(fragment: str) -> tuple[int, int]:
    start = BODY.index(fragment)
    return start, start + len(fragment)


class TwoSuggestions:
    """Two pending suggestions, on the first two paragraphs' ministers."""

    name = "test.focus"

    def suggest(self, body: str, title: str = "") -> list[Candidate]:
        return [Candidate("quote", *span_of(f"Minister {i}"), {"speaker": f"Minister {i}"}, 0.8) for i in (0, 1)]


def annotation_items(indexes) -> list[dict]:
    items = []
    for i in indexes:
        kind = KINDS[i % 3]
        start, end = span_of(f"Plan {i} will cut prices by {i}%")
        attributes = {"stance": {"target": "prices", "polarity": "favor"}}.get(kind, {})
        items.append({"kind": kind, "start": start, "end": end, "text": BODY[start:end], "attributes": attributes})
    return items


@pytest.fixture
def desk(db):
    """One article with 40 annotations by anna (24 submitted, 3 of them approved, then 16 drafts; the last is a
    quote) and 2 suggestions, so that the side panel scrolls."""
    project = ProjectFactory(name="Prices desk", annotators_per_article=1)
    anna = MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="anna").user
    rita = MembershipFactory(project=project, role=Role.REVIEWER, user__username="rita").user
    article = ArticleFactory(project=project, title="Price plans", body=BODY)
    submitted = create_annotations(actor=anna, article=article, items=annotation_items(range(0, 40, 5)))
    submitted += create_annotations(
        actor=anna, article=article, items=annotation_items(i for i in range(40) if i % 5 in (1, 2))
    )
    submit_article(actor=anna, article=article)
    for annotation in submitted[:3]:
        review_annotation(actor=rita, annotation=annotation.pk, decision="approve")
    create_annotations(actor=anna, article=article, items=annotation_items(i for i in range(40) if i % 5 in (3, 4)))
    suggest_articles(articles=[article], suggesters=[TwoSuggestions()])
    return article


@pytest.fixture
def wide(page):
    page.set_viewport_size(VIEWPORT)
    return page


def open_workspace(page, article, username="anna") -> None:
    log_in(page, username)
    page.goto(f"/articles/{article.pk}/")
    page.wait_for_selector("#article-body")


def open_review(page, article) -> None:
    log_in(page, "rita")
    page.goto(f"/articles/{article.pk}/review/")
    page.wait_for_selector("#article-body")


def scroll_list_to_the_end(page) -> None:
    scrolled = page.evaluate(
        """() => { const panel = document.querySelector(".side-panel");
                   panel.scrollTop = panel.scrollHeight; return panel.scrollTop; }"""
    )
    assert scrolled > 1000, "the fixture's list is meant to scroll"


def in_view(page, selector: str) -> bool:
    """The element's top lies inside the viewport and inside its scroll container (the side panel)."""
    return page.evaluate(
        """selector => {
            const box = document.querySelector(selector).getBoundingClientRect();
            const panel = document.querySelector(".side-panel").getBoundingClientRect();
            return box.height > 0 && box.top >= Math.max(0, panel.top) - 1
                && box.top < Math.min(window.innerHeight, panel.bottom) - 20;
        }""",
        selector,
    )


def first_field_is_focused(page) -> bool:
    return page.evaluate(
        """() => { const form = document.getElementById("annotation-form");
                   const first = form.querySelector("input:not([type=hidden]), select, textarea");
                   return document.activeElement === first; }"""
    )


def select_text(page, fragment: str) -> None:
    select_offsets(page, *span_of(fragment))


def hint(page) -> str:
    return page.locator("#selection-status").inner_text()


def edit_and_history_of_the_last_item_open_in_view(page, edit_link: str) -> None:
    """With the list scrolled to its end, the last entry's edit form and then its history."""
    scroll_list_to_the_end(page)
    page.locator("#annotation-list .item").last.get_by_role("link", name=edit_link).click()
    expect(page.locator("#annotation-form")).to_be_visible()
    expect(page.locator("#annotation-form :focus")).to_have_count(1)
    assert in_view(page, "#annotation-form")
    assert first_field_is_focused(page)

    page.keyboard.press("Escape")
    scroll_list_to_the_end(page)
    page.locator("#annotation-list .item").last.get_by_role("link", name="History").click()
    expect(page.locator("#editor .history-panel")).to_be_visible()
    expect(page.locator("#editor :focus")).to_have_count(1)
    assert in_view(page, "#editor .history-panel")


def test_edit_and_history_open_in_view_with_focus_after_the_list_is_scrolled(wide, desk):
    open_workspace(wide, desk)
    edit_and_history_of_the_last_item_open_in_view(wide, "Edit")
    assert wide.console_errors == []


def test_new_quote_form_after_selecting_text_opens_in_view_with_focus_in_its_first_field(wide, desk):
    page = wide
    open_workspace(page, desk)
    scroll_list_to_the_end(page)
    select_text(page, "“Plan 0 will cut prices by 0%,”")
    page.locator("#article-body").focus()
    select_text(page, "“Plan 0 will cut prices by 0%,”")
    page.keyboard.press("q")
    expect(page.locator("#annotation-form")).to_be_visible()
    expect(page.get_by_label("Speaker (canonical name)")).to_be_focused()
    assert in_view(page, "#annotation-form")


def test_j_then_e_puts_focus_in_the_form_and_typing_a_name_fires_no_shortcut(wide, desk):
    page = wide
    open_workspace(page, desk)
    page.locator("#article-body").focus()
    page.keyboard.press("k")  # the last annotation, at the end of the list: a quote of anna's
    expect(page.locator("#annotation-list .item").last).to_be_focused()
    page.keyboard.press("e")
    speaker = page.get_by_label("Speaker (canonical name)")
    expect(speaker).to_be_focused()
    assert in_view(page, "#annotation-form")
    page.evaluate("window.notReloaded = true")
    page.keyboard.type("Anne Nash, speaker")  # e, n, s, k, a, p, …
    expect(speaker).to_have_value("Anne Nash, speaker")
    assert page.evaluate("window.notReloaded") is True
    expect(page.locator("#annotation-form")).to_have_count(1)
    expect(page.locator("#speaker_span-text")).to_have_text("none")  # p picked nothing
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#annotation-form') !== null")
    assert page.console_errors == []


def test_no_single_key_shortcut_acts_while_focus_is_in_a_field(wide, desk):
    page = wide
    open_workspace(page, desk)
    page.evaluate("window.notReloaded = true")
    page.locator("#article-body").focus()
    page.keyboard.press("s")  # a document-level stance
    holder = page.get_by_label("Holder (who takes the stance)")
    expect(holder).to_be_focused()
    keys = "qcsjkenxyavp?"
    page.keyboard.type(keys)
    expect(holder).to_have_value(keys)
    page.keyboard.press("Delete")
    page.keyboard.press("Enter")  # saves the form: it is invalid (no polarity), nothing else happens
    expect(page.get_by_label("favor")).to_be_focused()
    page.keyboard.type(keys)
    target = page.get_by_label("Target (what it is about)")
    target.focus()
    page.keyboard.type(keys)
    expect(target).to_have_value(keys)

    # A field outside the form (the list's filter) and an editable region another script might add.
    page.locator("#filter-kind").focus()
    page.keyboard.press("n")
    page.keyboard.press("j")
    page.evaluate(
        """() => { const box = document.createElement("div"); box.id = "scratch"; box.contentEditable = "true";
                   document.getElementById("editor").before(box); box.focus(); }"""
    )
    page.keyboard.type("nj?")
    expect(page.locator("#scratch")).to_have_text("nj?")
    assert not page.evaluate("document.getElementById('shortcuts').open")
    assert page.evaluate("window.notReloaded") is True
    assert Annotation.objects.filter(kind="stance", start=None).count() == 0


def test_failed_save_puts_focus_on_the_invalid_field_in_view(wide, desk):
    page = wide
    open_workspace(page, desk)
    scroll_list_to_the_end(page)
    page.locator("#article-body").focus()
    page.keyboard.press("s")
    expect(page.get_by_label("Holder (who takes the stance)")).to_be_focused()
    page.keyboard.type("Opposition")
    page.keyboard.press("Enter")
    polarity = page.get_by_label("favor")  # the first choice of the field the save was refused for
    expect(polarity).to_have_attribute("aria-invalid", "true")
    expect(polarity).to_be_focused()
    assert in_view(page, "#annotation-form")


def test_hint_line_rests_once_the_form_is_saved_cancelled_or_closed(wide, desk):
    page = wide
    open_workspace(page, desk)
    resting = hint(page)
    body = page.locator("#article-body")
    body.focus()
    page.keyboard.press("s")
    expect(page.locator("#annotation-form")).to_be_visible()
    expect(page.locator("#selection-status")).to_contain_text("stance")
    page.keyboard.press("Escape")
    expect(page.locator("#selection-status")).to_have_text(resting)

    body.focus()
    page.keyboard.press("s")
    expect(page.locator("#annotation-form :focus")).to_have_count(1)  # the form has settled and taken focus
    page.get_by_label("Target (what it is about)").fill("prices")
    page.get_by_label("against").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#annotation-form")).to_have_count(0)
    expect(page.locator("#selection-status")).to_have_text(resting)

    select_text(page, "“Plan 7 will cut prices by 7%,”")
    body.focus()
    select_text(page, "“Plan 7 will cut prices by 7%,”")
    page.keyboard.press("q")
    expect(page.get_by_label("Speaker (canonical name)")).to_be_focused()
    select_text(page, "said")
    page.get_by_role("button", name="Use selection v").click()
    expect(page.locator("#selection-status")).to_contain_text("Cue")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#annotation-form")).to_have_count(0)
    expect(page.locator("#selection-status")).to_have_text(resting)


def test_skip_link_is_the_first_tab_stop_and_leads_to_the_text(wide, desk):
    page = wide
    log_in(page, "rita")
    for path in (f"/articles/{desk.pk}/", f"/articles/{desk.pk}/review/"):
        page.goto(path)
        page.wait_for_selector("#article-body")
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to the text")
        expect(skip).to_be_focused()
        assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0
        page.keyboard.press("Enter")
        expect(page.locator("#article-body")).to_be_focused()
        page.keyboard.press("Shift+ArrowRight")
        assert page.evaluate("window.getSelection().toString()") == "M"


def test_n_with_nothing_left_says_so_without_reloading(wide, desk):
    page = wide
    open_workspace(page, desk)  # anna holds the article: her drafts are on it, and it is the project's only one
    page.evaluate("window.notReloaded = true")
    page.locator("#article-body").focus()
    page.keyboard.press("n")
    expect(page.locator("#toast")).to_contain_text("Nothing else is left")
    assert page.evaluate("window.notReloaded") is True
    assert page.url.endswith(f"/articles/{desk.pk}/")

    # Once she submits it, nothing at all is left: said in the page again.
    page.keyboard.press("Control+Enter")
    expect(page.locator("#toast")).to_contain_text("Submitted")
    page.locator("#article-body").focus()
    page.keyboard.press("n")
    expect(page.locator("#toast")).to_contain_text("Nothing left for you")
    assert page.evaluate("window.notReloaded") is True

    # Another article comes in: n opens it.
    fresh = ArticleFactory(project=desk.project, title="Fresh article")
    page.locator("#article-body").focus()
    page.keyboard.press("n")
    page.wait_for_url(f"**/articles/{fresh.pk}/")


def test_next_article_for_htmx_answers_in_the_page_in_a_few_queries(desk, django_assert_max_num_queries):
    anna = User.objects.get(username="anna")
    client = secure_client(anna)
    url = reverse("queue_next", args=[desk.project.slug])
    with django_assert_max_num_queries(12):
        response = client.post(url, {"current": desk.pk}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Nothing else is left" in response.content.decode()
    assert "HX-Redirect" not in response.headers
    fresh = ArticleFactory(project=desk.project)
    submit_article(actor=anna, article=desk)
    response = client.post(url, {"current": desk.pk}, headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"] == reverse("article_detail", args=[fresh.pk])


def visible_items(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll("#annotation-list .item")].filter((item) => !item.hidden)
                 .map((item) => item.className)"""
    )


def test_list_filter_by_kind_status_and_suggestions_survives_rerenders_and_j_skips_hidden(wide, desk):
    page = wide
    open_workspace(page, desk)
    expect(page.locator("#filter-count")).to_have_text("42 of 42 shown")

    page.locator("#filter-kind").focus()
    page.keyboard.press("Tab")  # in a field Tab is the browser's, not a step through the suggestions
    expect(page.locator("#filter-status")).to_be_focused()
    page.locator("#filter-kind").select_option("claim")
    classes = visible_items(page)
    assert classes and all("k-claim" in c and "suggestion" not in c for c in classes)
    claims = Annotation.objects.filter(article=desk, kind="claim").count()
    expect(page.locator("#filter-count")).to_have_text(f"{claims} of 42 shown")
    page.locator("#article-body").focus()
    for _ in range(3):
        page.keyboard.press("j")
        assert "k-claim" in page.evaluate("document.activeElement.className")

    page.locator("#filter-kind").select_option("")
    page.locator("#filter-status").select_option("draft")
    page.locator("#filter-suggestions").uncheck()
    drafts = Annotation.objects.filter(article=desk, status=Status.DRAFT, author__isnull=False).count()
    expect(page.locator("#filter-count")).to_have_text(f"{drafts} of 42 shown")
    assert all("st-draft" in c and "suggestion" not in c for c in visible_items(page))

    # A change that draws the whole list again (submitting the drafts) keeps the filter.
    page.locator("#article-body").focus()
    page.keyboard.press("Control+Enter")
    expect(page.locator("#toast")).to_contain_text(f"Submitted {drafts} annotations")
    expect(page.locator("#filter-status")).to_have_value("draft")
    expect(page.locator("#filter-count")).to_have_text("0 of 42 shown")
    assert visible_items(page) == []
    page.locator("#filter-status").select_option("submitted")
    submitted = Annotation.objects.filter(article=desk, status=Status.SUBMITTED).count()
    expect(page.locator("#filter-count")).to_have_text(f"{submitted} of 42 shown")
    assert all("st-submitted" in c for c in visible_items(page))

    page.locator("#filter-status").select_option("")
    page.locator("#filter-suggestions").check()
    expect(page.locator("#filter-count")).to_have_text("42 of 42 shown")
    assert page.console_errors == []


def test_review_forms_and_panels_open_in_view_with_focus_after_the_list_is_scrolled(wide, desk):
    page = wide
    open_review(page, desk)
    edit_and_history_of_the_last_item_open_in_view(page, "Correct, then approve")

    page.keyboard.press("Escape")
    scroll_list_to_the_end(page)
    page.locator("#article-body").focus()
    select_text(page, "“Plan 3 will cut prices by 3%,”")
    page.keyboard.press("q")
    expect(page.get_by_role("button", name="Save as gold")).to_be_visible()
    expect(page.get_by_label("Speaker (canonical name)")).to_be_focused()
    assert in_view(page, "#annotation-form")
    assert page.console_errors == []
