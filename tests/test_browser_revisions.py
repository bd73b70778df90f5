"""Corrected articles in a browser: a reviewer corrects the text through the page, then the workspace, the
revisions page and the diff are what annotators and reviewers see (and pass the accessibility checks)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotator.annotations.models import Anchor, Annotation
from annotator.articles.models import Article
from annotator.articles.revisions import revise_article
from tests.browser import select_offsets
from tests.test_browser_a11y import check_all, desk  # noqa: F401 the fixture is used by name
from tests.test_browser_workspace import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WITHDRAWN = "“We have turned the corner,” she told reporters — though critics 😐 disagreed."


def test_a_reviewer_corrects_the_text_on_the_page_and_everyone_sees_the_result(page, desk):  # noqa: F811
    _, article, _, _ = desk
    log_in(page, "rita")
    page.goto(f"/articles/{article.pk}/")
    page.get_by_role("link", name="Correct the text").click()
    corrected = "Updated on Wednesday.\n\n" + article.body.replace(WITHDRAWN, "")
    page.locator("#id_body").fill(corrected)
    page.locator("#id_note").fill("quote withdrawn")
    page.get_by_role("button", name="Save revision 2").click()
    expect(page.locator("h1")).to_have_text("Revision 2")
    expect(page.locator(".revision-diff ins").first).to_contain_text("Updated on Wednesday.")
    expect(page.locator(".revision-diff del").first).to_contain_text("We have turned the corner")
    assert Article.objects.get(pk=article.pk).revision == 2
    orphans = Annotation.with_orphans.filter(article=article, anchor=Anchor.ORPHANED)
    assert orphans.count() == 3  # anna's, otto's rejected one, and the suggestion on "critics"
    check_all(
        page,
        [
            ("diff page", f"/articles/{article.pk}/revisions/2/"),
            ("revisions page as reviewer", f"/articles/{article.pk}/revisions/"),
            ("corrected workspace as reviewer", f"/articles/{article.pk}/"),
        ],
    )
    expect(page.locator("#revision-panel h2")).to_have_text("Corrected (revision 2)")
    log_in(page, "anna")
    page.goto(f"/articles/{article.pk}/")
    expect(page.locator("#revision-panel .orphans li")).to_have_count(2)  # her quote and the pending suggestion
    check_all(page, [("corrected workspace as annotator", f"/articles/{article.pk}/")])


def test_an_orphan_is_placed_again_on_the_text_selected_in_the_article(page, desk):  # noqa: F811
    _, article, _, reviewer = desk
    lead = "Updated 📈 on Wednesday: “We have turned the corner,” she said."
    corrected = lead + "\n\n" + article.body.replace(WITHDRAWN, "")
    revise_article(actor=reviewer, article=article, body=corrected, note="quote withdrawn")
    mine = Annotation.with_orphans.get(article=article, anchor=Anchor.ORPHANED, author__username="anna")
    log_in(page, "anna")
    page.goto(f"/articles/{article.pk}/")
    item = page.locator(f"#orphan-{mine.pk}")
    item.get_by_role("button", name="Place on the selection").click()
    expect(item.locator(".place-status")).to_have_text("Select the text in the article first.")
    wanted = "“We have turned the corner,” she said."
    start = corrected.index(wanted)  # code points: the emoji before it counts one
    select_offsets(page, start, start + len(wanted))
    item.get_by_role("button", name="Place on the selection").click()
    expect(page.locator(".messages")).to_contain_text("Annotation placed again.")
    placed = Annotation.objects.get(pk=mine.pk)
    assert (placed.start, placed.end, placed.anchor) == (start, start + len(wanted), Anchor.EXACT)
    assert placed.text == corrected[placed.start : placed.end] == wanted
    expect(page.locator(f"#orphan-{mine.pk}")).to_have_count(0)
    assert page.console_errors == []
