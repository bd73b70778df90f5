"""A reviewer's and an annotator's day in Chromium at 1366×900: adjudication by units, bulk actions that say
what they will do and can be undone, the compact review list and its keys, per-item Accept apart from Accept all."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect

from annotator.accounts.models import Role
from annotator.annotations.models import Annotation, Status
from annotator.annotations.services import create_annotation, review_annotation, submit_article
from annotator.suggestions.services import suggest_articles
from tests.factories import NEWS_BODY, ArticleFactory, MembershipFactory, ProjectFactory
from tests.suggesters import FixedSuggester
from tests.test_browser_workspace import log_in
from tests.test_review_rules import statuses

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 1366, "height": 900}
BODY = (
    "The minister said: “We will cut taxes, and as my father said “never waste a crisis”, we will not wait.” "
    "Critics said the plan was late.\n\nThe opposition said the cuts would cost 4 billion euros."
)
OUTER = "“We will cut taxes, and as my father said “never waste a crisis”, we will not wait.”"
INNER = "never waste a crisis"


@pytest.fixture
def desk(db):
    project = ProjectFactory(name="Tax desk")
    users = {
        name: MembershipFactory(project=project, role=role, user__username=name).user
        for name, role in (
            ("anna", Role.ANNOTATOR),
            ("boris", Role.ANNOTATOR),
            ("carla", Role.ANNOTATOR),
            ("rita", Role.REVIEWER),
        )
    }
    article = ArticleFactory(project=project, title="Tax cuts", body=BODY)
    return users, article


def quote(user, article, text, speaker="The minister", start_shift=0, end=None):
    start = BODY.index(text) + start_shift
    return create_annotation(
        actor=user,
        article=article,
        kind="quote",
        start=start,
        end=end or BODY.index(text) + len(text),
        attributes={"speaker": speaker, "quote_type": "direct"},
    )


def open_review(page, article):
    page.set_viewport_size(VIEWPORT)
    log_in(page, "rita")
    page.goto(f"/articles/{article.pk}/review/")
    page.wait_for_selector("#article-body")


def comparison_rows(page):
    return page.locator("#comparison tbody tr")


# --- adjudication ---------------------------------------------------------------------------------------------


def test_identical_quotes_are_one_version_and_nested_quotes_a_row_of_their_own(page, desk):
    users, article = desk
    for name in ("anna", "boris"):
        quote(users[name], article, OUTER)
        quote(users[name], article, INNER, speaker="His father")
        submit_article(actor=users[name], article=article)
    open_review(page, article)
    expect(comparison_rows(page)).to_have_count(2)
    expect(page.locator("#comparison tr.agreement-exact")).to_have_count(2)
    expect(page.locator("#comparison tr.agreement-overlap")).to_have_count(0)
    expect(page.locator("#comparison a.adjudicate")).to_have_count(0)  # no rival: nothing to adjudicate
    expect(page.locator("#comparison .shared").first).to_contain_text("same as")
    page.get_by_role("link", name="Side by side").click()  # from the top of the page
    expect(page.locator("#comparison")).to_be_in_viewport()
    assert page.console_errors == []


def test_adjudication_lists_the_rivals_it_will_reject_and_rejects_only_those(page, desk):
    users, article = desk
    anna_outer = quote(users["anna"], article, OUTER)
    anna_inner = quote(users["anna"], article, INNER, speaker="His father")
    boris_outer = quote(users["boris"], article, OUTER)
    carla_crossing = quote(users["carla"], article, OUTER, start_shift=5, end=BODY.index("Critics") + 7)
    for name in ("anna", "boris", "carla"):
        submit_article(actor=users[name], article=article)
    review_annotation(actor=users["rita"], annotation=boris_outer, decision="approve")

    open_review(page, article)
    expect(comparison_rows(page)).to_have_count(2)  # the outer unit (with carla's crossing rival), the nested one
    cell = page.locator(f'#comparison .cell[data-ann="{anna_outer.pk}"]')
    cell.get_by_role("link", name="Approve this one, reject 1 rival…").click()
    confirm = page.locator("#bulk-confirm")
    expect(confirm).to_be_visible()
    expect(confirm).to_be_in_viewport()
    expect(confirm.locator("#bulk-rejects li")).to_have_count(1)
    expect(confirm.locator("#bulk-rejects")).to_contain_text("carla")
    expect(confirm).to_contain_text("Not changed: boris's (approved)")
    expect(confirm.get_by_role("button", name="Approve 1, reject 1")).to_be_visible()
    expect(confirm.get_by_label("Comment for the rejected (optional)")).to_be_focused()  # its first field
    assert Annotation.objects.get(pk=carla_crossing.pk).status == Status.SUBMITTED  # nothing done yet

    page.keyboard.press("Enter")
    expect(page.locator("#toast")).to_contain_text("rejected 1")
    assert statuses() == {
        anna_outer.pk: Status.APPROVED,
        anna_inner.pk: Status.SUBMITTED,
        boris_outer.pk: Status.APPROVED,
        carla_crossing.pk: Status.REJECTED,
    }
    assert page.console_errors == []


# --- bulk actions: confirm, then undo ------------------------------------------------------------------------------


def confirm_then_undo(page, button: str, done: tuple[str, str, int], undone: tuple[str, str, int]) -> None:
    """Press the confirmation's button, then the toast's Undo; after each, the toast and the list say so."""
    page.locator("#bulk-confirm").get_by_role("button", name=button).click()
    for step, (toast, items, count) in enumerate((done, undone)):
        if step:
            page.locator("#undo").click()
        expect(page.locator("#toast")).to_contain_text(toast)
        expect(page.locator(items)).to_have_count(count)


def test_approve_all_says_what_it_will_do_and_can_be_undone(page, desk):
    users, article = desk
    quote(users["anna"], article, OUTER)
    quote(users["anna"], article, INNER, speaker="His father")
    submit_article(actor=users["anna"], article=article)
    open_review(page, article)
    page.get_by_role("link", name="Approve all 2…").click()
    confirm = page.locator("#bulk-confirm")
    expect(confirm).to_contain_text("Approve all 2 of anna?")
    expect(confirm.get_by_role("button", name="Approve 2")).to_be_focused()  # no field: Enter confirms
    expect(confirm.locator(".bulk-list li")).to_have_count(2)
    assert set(Annotation.objects.values_list("status", flat=True)) == {Status.SUBMITTED}
    confirm_then_undo(
        page,
        "Approve 2",
        ("Approved 2 annotations of anna.", "#annotation-list .item.st-approved", 2),
        ("Undone: 2 annotations wait for review again.", "#annotation-list .item.st-submitted", 2),
    )
    assert set(Annotation.objects.values_list("status", flat=True)) == {Status.SUBMITTED}
    assert page.console_errors == []


@pytest.fixture
def suggested(db):
    project = ProjectFactory(name="Budget desk")
    MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="anna")
    article = ArticleFactory(project=project, title="Inflation forecast", body=NEWS_BODY)
    suggest_articles(articles=[article], suggesters=[FixedSuggester()])
    return article


def test_accept_all_quotes_says_what_it_will_do_and_can_be_undone(page, suggested):
    page.set_viewport_size(VIEWPORT)
    log_in(page, "anna")
    page.goto(f"/articles/{suggested.pk}/")
    page.get_by_role("button", name="Accept all quotes (2)…").click()
    confirm = page.locator("#bulk-confirm")
    expect(confirm).to_contain_text("Accept 2 suggested quotes?")
    expect(confirm.locator(".bulk-list li")).to_have_count(2)
    assert not Annotation.objects.filter(author__username="anna").exists()
    confirm_then_undo(
        page,
        "Accept 2 quotes",
        ("Accepted 2 quotes", "#annotation-list .item.suggestion", 1),
        ("Undone: 2 suggestions are pending again.", "#annotation-list .item.suggestion", 3),
    )
    assert not Annotation.objects.filter(author__username="anna").exists()
    assert page.console_errors == []


def test_the_undo_of_a_bulk_action_stays_offered_after_other_toasts_have_gone(page, suggested):
    page.clock.install()
    page.set_viewport_size(VIEWPORT)
    log_in(page, "anna")
    page.goto(f"/articles/{suggested.pk}/")
    page.get_by_role("button", name="Accept all quotes (2)…").click()
    page.locator("#bulk-confirm").get_by_role("button", name="Accept 2 quotes").click()
    expect(page.locator("#toast")).to_contain_text("Accepted 2 quotes")
    page.clock.run_for(60_000)  # a minute later: a plain toast would be gone after 8 s
    expect(page.locator("#undo")).to_be_visible()
    page.locator("#undo").click()
    expect(page.locator("#toast")).to_contain_text("Undone: 2 suggestions are pending again.")
    page.clock.run_for(10_000)
    expect(page.locator("#toast")).not_to_be_visible()  # the undo's own answer offers nothing more: it goes
    assert page.console_errors == []


def test_the_per_item_accept_is_apart_from_accept_all(page, suggested):
    page.set_viewport_size(VIEWPORT)
    log_in(page, "anna")
    page.goto(f"/articles/{suggested.pk}/")
    bulk = [b.bounding_box() for b in page.locator(".accept-all").all()]
    items = [b.bounding_box() for b in page.locator("#annotation-list .item.suggestion button.accept").all()]
    assert bulk and items
    margin = 24  # a click that misses by this much still lands on nothing else

    def apart(a, b) -> bool:
        return (
            a["x"] + a["width"] + margin <= b["x"]
            or b["x"] + b["width"] + margin <= a["x"]
            or a["y"] + a["height"] + margin <= b["y"]
            or b["y"] + b["height"] + margin <= a["y"]
        )

    assert all(apart(a, b) for a in bulk for b in items)
    page.locator("#annotation-list .item.suggestion button.accept").first.click()
    expect(page.locator("#annotation-list .item.suggestion")).to_have_count(2)
    # The list shifted under the pointer: what is there now is an item's button, never a bulk action.
    after = [b.bounding_box() for b in page.locator(".accept-all").all()]
    items = [b.bounding_box() for b in page.locator("#annotation-list .item.suggestion button.accept").all()]
    assert all(apart(a, b) for a in after for b in items)
    expect(page.locator("#bulk-confirm")).to_have_count(0)


# --- the compact review list and its keys ---------------------------------------------------------------------------


@pytest.fixture
def three_waiting(desk):
    users, article = desk
    first = quote(users["anna"], article, OUTER)
    second = quote(users["anna"], article, INNER, speaker="His father")
    third = create_annotation(
        actor=users["anna"],
        article=article,
        kind="claim",
        start=BODY.index("The opposition"),
        end=len(BODY) - 1,
    )
    submit_article(actor=users["anna"], article=article)
    return users, article, [first, second, third]


def test_each_review_item_has_its_actions_on_one_line(page, three_waiting):
    _users, article, _items = three_waiting
    open_review(page, article)
    for item in page.locator("#annotation-list .item").all():
        inside = item.bounding_box()
        controls = ("button.approve", "input[name=comment]", "button.reject", "a.edit")
        boxes = [item.locator(selector).bounding_box() for selector in controls]
        centres = [box["y"] + box["height"] / 2 for box in boxes]
        assert max(centres) - min(centres) < 8, centres  # one line
        for left, right in itertools.pairwise(boxes):
            assert left["x"] + left["width"] <= right["x"], boxes  # side by side, none over another
        assert boxes[-1]["x"] + boxes[-1]["width"] <= inside["x"] + inside["width"], (boxes, inside)
    item = page.locator("#annotation-list .item").first
    item.locator("button.reject").click()  # no comment yet: the box opens for it
    expect(item.locator("input[name=comment]")).to_be_focused()
    assert item.locator("input[name=comment]").bounding_box()["width"] > 100


def test_j_and_k_skip_decided_items_and_a_moves_on_to_the_next_undecided(page, three_waiting):
    users, article, (first, second, third) = three_waiting
    review_annotation(actor=users["rita"], annotation=second, decision="approve")
    open_review(page, article)
    page.locator("#article-body").focus()
    page.keyboard.press("j")
    expect(page.locator(f"#item-{first.pk}")).to_be_focused()
    page.keyboard.press("j")
    expect(page.locator(f"#item-{third.pk}")).to_be_focused()  # the approved one is skipped
    page.keyboard.press("k")
    expect(page.locator(f"#item-{first.pk}")).to_be_focused()
    page.keyboard.press("a")
    expect(page.locator(f"#item-{first.pk}")).to_have_class(re.compile(r"\bst-approved\b"))
    expect(page.locator(f"#item-{third.pk}")).to_be_focused()  # on to the next undecided
    page.keyboard.press("r")
    expect(page.locator(f"#reject-{third.pk}")).to_be_focused()
    page.keyboard.type("The claim ends before the full stop.")
    page.keyboard.press("Enter")
    expect(page.locator(f"#item-{third.pk}")).to_have_class(re.compile(r"\bst-rejected\b"))
    expect(page.locator("#selection-status")).to_contain_text("Nothing else here waits for your decision")
    assert statuses() == {
        first.pk: Status.APPROVED,
        second.pk: Status.APPROVED,
        third.pk: Status.REJECTED,
    }
    assert page.console_errors == []
