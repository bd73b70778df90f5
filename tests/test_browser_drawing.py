"""How the workspace draws a change on a long article (Chromium): an htmx answer is acted on once, not once per
element it swapped; the list's filter touches only the entries that arrive; the text and the list are laid out a
paragraph and an entry at a time, and not at all out of view (bench/README.md, "The workspace in a browser")."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotator.accounts.models import Role
from annotator.annotations.models import Annotation
from tests.browser import select_offsets
from tests.factories import ArticleFactory, MembershipFactory, ProjectFactory
from tests.test_browser_workspace import log_in, open_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "\n\n".join("Sentence number one is here. " * 10 for _ in range(30))
COUNT = 300  # more than the page's first entries: the rest arrive in a chunk

# Counts every scrollIntoView (focusAnnotation scrolls the highlight and the entry once each time it runs).
COUNT_SCROLLS = """
window.scrolls = 0;
const scrollIntoView = Element.prototype.scrollIntoView;
Element.prototype.scrollIntoView = function (...args) { window.scrolls += 1; return scrollIntoView.apply(this, args); };
"""


@pytest.fixture
def long_list(db):
    project = ProjectFactory(name="Long desk")
    MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="anna")
    article = ArticleFactory(project=project, title="Long", body=BODY)
    Annotation.objects.bulk_create(
        Annotation(
            article=article,
            author=article.project.memberships.get().user,
            kind="claim",
            start=i * 20,
            end=i * 20 + 8,
            text=BODY[i * 20 : i * 20 + 8],
            attributes={"checkworthy": True},
        )
        for i in range(COUNT)
    )
    return article


def save_quote(page, start: int, end: int) -> None:
    select_offsets(page, start, end, scroll=True)
    page.keyboard.press("q")
    speaker = page.locator("#annotation-form input[name=speaker]")
    speaker.fill("Somebody")
    page.evaluate("window.scrolls = 0")  # from here: the save alone
    speaker.press("Enter")


def test_a_save_is_acted_on_once_and_the_filter_rewrites_no_entry_but_the_new_one(page, long_list):
    page.add_init_script(COUNT_SCROLLS)
    log_in(page, "anna")
    open_article(page, long_list)
    expect(page.locator("#filter-count")).to_have_text(f"{COUNT} of {COUNT} shown")  # the list is whole
    page.locator("#filter-kind").select_option("quote")
    expect(page.locator("#filter-count")).to_have_text(f"0 of {COUNT} shown")
    page.evaluate("""() => {
        window.hiddenWrites = 0;
        new MutationObserver((records) => { window.hiddenWrites += records.length; })
          .observe(document.getElementById("annotation-items"),
                   {attributes: true, attributeFilter: ["hidden"], subtree: true});
    }""")  # fmt: skip
    start = BODY.index("number", 3000)
    save_quote(page, start, start + len("number one"))
    expect(page.locator("#filter-count")).to_have_text(f"1 of {COUNT + 1} shown")
    quote = page.locator("#annotation-items > .item.k-quote")
    expect(quote).to_be_visible()
    expect(page.locator("#article-body mark.ann.k-quote.focused").first).to_be_visible()
    page.wait_for_timeout(300)  # anything the answer would still set off
    assert page.evaluate("window.hiddenWrites") == 0  # the 300 hidden claims are left alone
    assert page.evaluate("window.scrolls") <= 2  # its highlight and its entry, once
    page.keyboard.press("k")
    expect(quote).to_be_focused()  # j / k see the new entry, and only it
    page.keyboard.press("j")
    expect(quote).to_be_focused()
    assert page.console_errors == []


def test_the_text_and_the_list_are_laid_out_a_paragraph_and_an_entry_at_a_time(page, long_list):
    log_in(page, "anna")
    open_article(page, long_list)
    expect(page.locator("#filter-count")).to_have_text(f"{COUNT} of {COUNT} shown")
    styles = page.evaluate("""() => {
        const style = (element) => getComputedStyle(element);
        const para = style(document.querySelector("#article-body > .para"));
        const item = style(document.querySelector("#annotation-items > .item"));
        return [para.display, para.contentVisibility, item.contain];
    }""")  # fmt: skip
    assert styles == ["block", "auto", "content"]  # content: layout, paint and style containment
    # The last entry, far out of the panel's view, is brought into view and acted on as any other.
    page.locator("#article-body").focus()
    page.keyboard.press("k")
    last = page.locator("#annotation-items > .item").last
    expect(last).to_be_focused()
    expect(last).to_be_in_viewport()
    page.keyboard.press("e")
    expect(page.locator("#annotation-form")).to_be_in_viewport()
    assert page.console_errors == []
