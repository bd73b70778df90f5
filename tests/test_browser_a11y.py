"""Every page and htmx state of the app, as each role sees it, has no serious or critical axe-core violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotator.accounts.models import Role
from annotator.annotations.models import Annotation, Decision, Origin, Status
from annotator.annotations.services import create_annotation, review_annotation, submit_article
from tests.a11y import assert_accessible
from tests.factories import NEWS_BODY, ArticleFactory, MembershipFactory, ProjectFactory
from tests.test_browser_workspace import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUOTE = "“inflation will fall below 3% by June,”"
CLAIM = "inflation will fall below 3% by June"
SECOND_QUOTE = "“We have turned the corner,”"


ATTRIBUTES = {
    "quote": {"speaker": "Ana Kovač", "speaker_span": None, "cue_span": None, "quote_type": "direct"},
    "claim": {"checkworthy": True, "category": "statistic"},
    "stance": {"holder": "critics", "target": "the forecast", "polarity": "against"},
}


def tag(article, author, fragment, kind="quote"):
    start = article.body.index(fragment)
    return create_annotation(
        actor=author, article=article, kind=kind, start=start, end=start + len(fragment), text=fragment,
        attributes=ATTRIBUTES[kind],
    )  # fmt: skip


@pytest.fixture
def desk(db):
    """A project with a reviewed and a waiting article: two annotators' versions, a rejection, a suggestion."""
    project = ProjectFactory(name="Budget desk", guidelines="# Quotes\n\nTag **direct** quotes with their cue.")
    admin = MembershipFactory(project=project, role=Role.ADMIN, user__username="ada").user
    reviewer = MembershipFactory(project=project, role=Role.REVIEWER, user__username="rita").user
    anna = MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="anna").user
    otto = MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="otto").user
    article = ArticleFactory(project=project, title="Minister forecasts lower prices", body=NEWS_BODY)
    ArticleFactory(project=project, title="Not started yet")
    tag(article, anna, QUOTE)
    tag(article, otto, QUOTE)
    tag(article, anna, CLAIM, kind="claim")
    rejected = tag(article, otto, SECOND_QUOTE)
    submit_article(actor=anna, article=article)
    submit_article(actor=otto, article=article)
    review_annotation(actor=reviewer, annotation=rejected.pk, decision=Decision.REJECT, comment="Name the speaker.")
    tag(article, anna, SECOND_QUOTE)
    start = article.body.index("critics")
    Annotation.objects.create(
        article=article, kind="stance", start=start, end=start + 7, text="critics", attributes=ATTRIBUTES["stance"],
        origin=Origin.SUGGESTED, suggester="demo-suggester", confidence=0.7,
    )  # fmt: skip
    return project, article, admin, reviewer


def check_all(page, checks) -> None:
    """Visit each (name, path or action) and check it; report every page's violations together."""
    failures = []
    for name, visit in checks:
        if isinstance(visit, str):
            page.goto(visit)
        else:
            visit()
        try:
            assert_accessible(page, context=name)
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n\n".join(failures)


def open_new_quote_form(page) -> None:
    page.locator("#article-body").focus()
    page.evaluate(
        """(fragment) => {
            const root = document.getElementById("article-body");
            const start = [...root.textContent].join("").indexOf(fragment);
            const codePoints = [...root.textContent.slice(0, start)].length;
            const range = AnnotatorOffsets.rangeFromSpan(root, codePoints, codePoints + [...fragment].length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }""",
        "forecast economists",
    )
    page.keyboard.press("q")
    expect(page.locator("#annotation-form")).to_be_visible()


def save_new_quote(page) -> None:
    page.get_by_label("Speaker (canonical name)").fill("Ana Kovač")
    page.get_by_label("Speaker (canonical name)").press("Enter")
    expect(page.locator("#toast")).to_be_visible()


def accept_suggestion(page, workspace: str) -> None:
    page.goto(workspace)
    page.locator("#annotation-list .item.suggestion button.accept").click()
    expect(page.locator("#annotation-list .item.suggestion")).to_have_count(0)


def open_edit_form(page, annotation_id: int) -> None:
    page.locator(f"#item-{annotation_id} .item-head").click()
    page.keyboard.press("e")
    expect(page.locator("#annotation-form")).to_be_visible()


def open_history_in_panel(page, workspace: str, annotation_id: int) -> None:
    page.goto(workspace)
    page.locator(f"#item-{annotation_id} a.history").click()
    expect(page.locator("#editor")).not_to_be_empty()


def open_shortcuts(page, workspace: str) -> None:
    page.goto(workspace)
    page.locator("#article-body").focus()
    page.keyboard.press("?")
    expect(page.locator("#shortcuts")).to_be_visible()


def focus_reject_comment(page, review: str, annotation_id: int) -> None:
    page.goto(review)
    page.locator(f"#item-{annotation_id} input[name=comment]").focus()
    expect(page.locator(f"#item-{annotation_id} input[name=comment]")).to_be_focused()


def open_correct_then_approve(page, review: str, annotation_id: int) -> None:
    page.goto(review)
    page.locator(f"#item-{annotation_id} a.edit").click()
    expect(page.locator("#annotation-form")).to_be_visible()


def approve_on_review_page(page, review: str, annotation_id: int) -> None:
    page.goto(review)
    page.locator(f"#item-{annotation_id} button.approve").click()
    expect(page.locator(f"#item-{annotation_id} .status")).to_have_text("Approved")


def project_pages(project, role: str) -> list[tuple[str, str]]:
    """The pages every member reaches from the navigation, named with the role that visits them."""
    return [
        (f"project list as {role}", "/"),
        (f"project page as {role}", f"/projects/{project.slug}/"),
        (f"dashboard as {role}", f"/projects/{project.slug}/dashboard/"),
        (f"export page as {role}", f"/projects/{project.slug}/export/"),
    ]


def test_login_page_and_annotator_pages_have_no_serious_violations(page, desk):
    project, article, _, _ = desk
    page.goto("/accounts/login/")
    assert_accessible(page, context="login page")
    log_in(page, "anna")
    draft = Annotation.objects.get(author__username="anna", status=Status.DRAFT)
    workspace = f"/articles/{article.pk}/"
    check_all(
        page,
        [
            *project_pages(project, "annotator"),
            ("guidelines", f"/projects/{project.slug}/guidelines/"),
            ("workspace with annotations and a suggestion", workspace),
            ("workspace, new quote form open", lambda: open_new_quote_form(page)),
            ("workspace, new quote saved (toast)", lambda: save_new_quote(page)),
            ("workspace, suggestion accepted", lambda: accept_suggestion(page, workspace)),
            ("workspace, edit form open", lambda: (page.goto(workspace), open_edit_form(page, draft.pk))),
            ("workspace, history in the panel", lambda: open_history_in_panel(page, workspace, draft.pk)),
            ("history page", f"/annotations/{draft.pk}/history/"),
            ("shortcuts dialog", lambda: open_shortcuts(page, workspace)),
        ],
    )


def test_reviewer_pages_have_no_serious_violations(page, desk):
    project, article, _, _ = desk
    log_in(page, "rita")
    submitted = Annotation.objects.filter(author__username="anna", status=Status.SUBMITTED).first()
    quote = Annotation.objects.get(author__username="otto", status=Status.SUBMITTED)
    review = f"/articles/{article.pk}/review/"
    check_all(
        page,
        [
            *project_pages(project, "reviewer"),
            ("review queue", f"/projects/{project.slug}/review/"),
            ("review page with the side-by-side comparison", review),
            ("review page, correct-then-approve form open", lambda: open_correct_then_approve(page, review, quote.pk)),
            ("review page, reject comment focused", lambda: focus_reject_comment(page, review, submitted.pk)),
            ("review page after an approve", lambda: approve_on_review_page(page, review, quote.pk)),
            ("workspace as reviewer", f"/articles/{article.pk}/"),
            ("history page as reviewer", f"/annotations/{submitted.pk}/history/"),
        ],
    )


def test_admin_pages_have_no_serious_violations(page, desk):
    project, article, _, _ = desk
    log_in(page, "ada")
    check_all(
        page,
        [
            *project_pages(project, "admin"),
            ("project settings", f"/projects/{project.slug}/settings/"),
            ("import page", f"/projects/{project.slug}/import/"),
            ("assign page", f"/articles/{article.pk}/assign/"),
            ("review page as admin", f"/articles/{article.pk}/review/"),
            ("API docs", "/api/v1/docs/"),
            ("page not found", "/projects/no-such-project/"),
        ],
    )
