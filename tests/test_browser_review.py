"""The review round trip in Chromium: submit, reject with a comment, fix, resubmit, approve."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotator.accounts.models import Role
from annotator.annotations.models import Annotation, Status
from tests.factories import ArticleFactory, MembershipFactory, ProjectFactory
from tests.test_browser_workspace import drag_select, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = (
    "Ukraine’s 🇺🇦 president 👩‍👩‍👧 told 中文 reporters: “We will rebuild every city,” and added that "
    "exports rose 12% in May.\n\nCritics in Kyiv were unconvinced."
)


def test_rejected_annotation_returns_to_author_who_fixes_it_until_approved(page, chromium, live_app):
    project = ProjectFactory(name="Kyiv desk")
    MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="anna")
    MembershipFactory(project=project, role=Role.REVIEWER, user__username="rita")
    article = ArticleFactory(project=project, title="Rebuilding pledge", body=BODY)

    # The annotator tags a quote with the wrong speaker and submits.
    log_in(page, "anna")
    page.goto(f"/articles/{article.pk}/")
    drag_select(page, "“We will rebuild every city,”")
    page.keyboard.press("q")
    page.get_by_label("Speaker (canonical name)").fill("Denys Shmyhal")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#annotation-list .item")).to_have_count(1)
    page.locator("#article-body").focus()
    page.keyboard.press("Control+Enter")
    expect(page.locator("#toast")).to_contain_text("Submitted 1 annotation")

    # The reviewer finds it in the queue and rejects it with the keyboard.
    context = chromium.new_context(base_url=live_app)
    reviewer = context.new_page()
    reviewer_errors: list[str] = []
    reviewer.on("console", lambda message: reviewer_errors.append(message.text) if message.type == "error" else None)
    try:
        log_in(reviewer, "rita")
        reviewer.goto(f"/projects/{project.slug}/")
        expect(reviewer.locator("#review-notice")).to_contain_text("1 annotation waits for review")
        reviewer.get_by_role("link", name="Review queue").click()
        reviewer.get_by_role("link", name="Rebuilding pledge").click()
        reviewer.locator("#article-body").focus()
        reviewer.keyboard.press("j")
        reviewer.keyboard.press("r")
        expect(reviewer.locator("input[name=comment]")).to_be_focused()
        reviewer.keyboard.type("The speaker is the president, Volodymyr Zelensky.")
        reviewer.keyboard.press("Enter")
        expect(reviewer.locator("#annotation-list .item .status")).to_have_text("Rejected")

        # The author sees the comment in place, fixes the speaker and submits again.
        page.reload()
        expect(page.locator(".rejection")).to_contain_text("The speaker is the president, Volodymyr Zelensky.")
        page.locator("#article-body").focus()
        page.keyboard.press("j")
        page.keyboard.press("e")
        page.get_by_label("Speaker (canonical name)").fill("Volodymyr Zelensky")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#annotation-list .item .status")).to_have_text("Draft")
        page.locator("#article-body").focus()
        page.keyboard.press("Control+Enter")
        expect(page.locator("#toast")).to_contain_text("Submitted 1 annotation")

        # Back in the queue, the reviewer approves it with the keyboard.
        reviewer.reload()
        reviewer.locator("#article-body").focus()
        reviewer.keyboard.press("j")
        reviewer.keyboard.press("a")
        expect(reviewer.locator("#annotation-list .item .status")).to_have_text("Approved")
        assert reviewer_errors == []
    finally:
        context.close()

    quote = Annotation.objects.get()
    assert (quote.status, quote.attributes["speaker"]) == (Status.APPROVED, "Volodymyr Zelensky")
    actions = list(quote.events.order_by("at", "id").values_list("action", flat=True))
    assert actions == ["created", "submitted", "rejected", "edited", "submitted", "approved"]
    assert page.console_errors == []
