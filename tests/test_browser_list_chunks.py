"""A long article's list in Chromium: the page carries its first entries, the rest follows in chunks by itself."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotator.accounts.models import Role
from annotator.annotations.models import Annotation
from tests.factories import ArticleFactory, MembershipFactory, ProjectFactory
from tests.test_browser_workspace import log_in, open_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "Sentence number one is here. " * 500
COUNT = 1200  # the page's first 100, then chunks of 1,000 and 100


@pytest.fixture
def long_list(db):
    project = ProjectFactory(name="Long desk")
    annotator = MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="anna").user
    article = ArticleFactory(project=project, title="Long", body=BODY)
    made = Annotation.objects.bulk_create(
        Annotation(
            article=article,
            author=annotator,
            kind="claim",
            start=i * 10,
            end=i * 10 + 8,
            text=BODY[i * 10 : i * 10 + 8],
            attributes={"checkworthy": True},
        )
        for i in range(COUNT)
    )
    return article, made


def test_the_whole_list_arrives_and_k_from_the_text_reaches_its_last_entry(page, long_list):
    article, made = long_list
    log_in(page, "anna")
    open_article(page, article)
    expect(page.locator("#annotation-list .item")).to_have_count(COUNT)
    expect(page.locator("#annotation-list .more-items")).to_have_count(0)
    expect(page.locator("#filter-count")).to_have_text(f"{COUNT} of {COUNT} shown")
    ids = page.evaluate("[...document.querySelectorAll('#annotation-list .item')].map(item => +item.dataset.ann)")
    assert ids == [a.pk for a in made]
    page.locator("#article-body").focus()
    page.keyboard.press("k")
    expect(page.locator(f"#item-{made[-1].pk}")).to_be_focused()
    page.keyboard.press("e")
    expect(page.locator("#annotation-form")).to_be_visible()
    assert page.console_errors == []


def test_j_on_the_last_entry_in_while_the_list_still_comes_waits_for_the_next_chunk(page, long_list):
    article, made = long_list
    held = []
    page.route(lambda url: "/items/" in url, lambda route: held.append(route))  # the chunks wait for the test
    log_in(page, "anna")
    open_article(page, article)
    while not held:
        page.wait_for_timeout(20)
    expect(page.locator("#annotation-list .item")).to_have_count(100)
    page.locator("#article-body").focus()
    page.keyboard.press("k")
    expect(page.locator(f"#item-{made[99].pk}")).to_be_focused()  # the last one in so far
    page.keyboard.press("j")
    expect(page.locator("#selection-status")).to_contain_text("on its way")
    expect(page.locator(f"#item-{made[99].pk}")).to_be_focused()  # not back to the first
    held[0].continue_()  # the next chunk (later ones stay held)
    expect(page.locator(f"#item-{made[100].pk}")).to_be_focused()
    assert page.console_errors == []
