"""Suggestions in Chromium against the real server: Tab through them, Enter or y accepts, x dismisses, accept all."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotator.accounts.models import Role
from annotator.annotations.models import Annotation
from annotator.suggestions.models import SuggestionOutcome
from annotator.suggestions.services import suggest_articles
from tests.factories import NEWS_BODY, ArticleFactory, MembershipFactory, ProjectFactory
from tests.suggesters import FixedSuggester
from tests.test_browser_workspace import log_in, open_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article(db):
    """NEWS_BODY with three suggestions, in text order: a quote and a claim over the same words, a quote."""
    project = ProjectFactory(name="Budget desk")
    MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="anna")
    MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="boris")
    article = ArticleFactory(project=project, title="Inflation forecast", body=NEWS_BODY)
    # The server runs the settings' suggesters; the test's own are run here, in the database it shares.
    suggest_articles(articles=[article], suggesters=[FixedSuggester()])
    return article


def suggestions(page):
    return page.locator("#annotation-list .item.suggestion")


def focused_item(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_tab_enter_y_and_x_go_through_the_suggestions(page, article):
    first_quote, claim, second_quote = Annotation.objects.pending_suggestions().order_by("start", "pk")
    assert (first_quote.kind, claim.kind, second_quote.kind) == ("quote", "claim", "quote")
    log_in(page, "anna")
    open_article(page, article)
    expect(suggestions(page)).to_have_count(3)
    expect(page.locator("#article-body mark.suggested")).to_have_count(3)
    expect(page.locator("#suggestion-bar")).to_contain_text("3 suggestions to check")

    page.keyboard.press("Tab")  # the skip link, then the text
    page.keyboard.press("Enter")
    expect(page.locator("#article-body")).to_be_focused()
    page.keyboard.press("Tab")
    assert focused_item(page) == f"item-{first_quote.pk}"
    expect(page.locator(f'#article-body mark[data-ann="{first_quote.pk}"].focused')).to_have_count(1)
    page.keyboard.press("Tab")
    assert focused_item(page) == f"item-{claim.pk}"
    page.keyboard.press("Shift+Tab")
    assert focused_item(page) == f"item-{first_quote.pk}"

    page.keyboard.press("Enter")  # accept: my draft, its speaker filled in
    expect(suggestions(page)).to_have_count(2)
    mine = Annotation.objects.get(author__username="anna")
    expect(page.locator(f"#item-{mine.pk}")).to_contain_text("Ana Kovač")
    expect(page.locator(f"#item-{claim.pk}")).to_be_focused()  # on to the next suggestion

    page.keyboard.press("x")  # dismiss the claim
    expect(suggestions(page)).to_have_count(1)
    expect(page.locator(f"#item-{second_quote.pk}")).to_be_focused()

    page.keyboard.press("y")
    expect(suggestions(page)).to_have_count(0)
    expect(page.locator("#selection-status")).to_contain_text("No suggestions left")
    expect(page.locator("#article-body mark.suggested")).to_have_count(0)
    expect(page.locator("#article-body mark.k-quote")).to_have_count(2)
    expect(page.locator("#suggestion-bar")).to_contain_text("No suggestions left to check")

    drafts = Annotation.objects.filter(author__username="anna").order_by("start")
    assert [(d.kind, d.status, d.origin, d.attributes["speaker"]) for d in drafts] == [
        ("quote", "draft", "suggested", "Ana Kovač"),
        ("quote", "draft", "suggested", "Ana Kovač"),
    ]
    outcomes = dict(SuggestionOutcome.objects.values_list("suggestion_id", "outcome"))
    assert outcomes == {first_quote.pk: "accepted", claim.pk: "dismissed", second_quote.pk: "accepted"}
    assert page.console_errors == []


def test_accept_all_quotes_and_another_annotator_still_sees_them(page, chromium, live_app, article):
    log_in(page, "anna")
    open_article(page, article)
    page.get_by_role("button", name="Accept all quotes (2)").click()
    expect(page.locator("#toast")).to_contain_text("Accepted 2 quotes")
    expect(suggestions(page)).to_have_count(1)
    assert Annotation.objects.filter(author__username="anna", kind="quote").count() == 2

    context = chromium.new_context(base_url=live_app)
    other = context.new_page()
    try:
        log_in(other, "boris")
        open_article(other, article)
        expect(suggestions(other)).to_have_count(3)
    finally:
        context.close()
