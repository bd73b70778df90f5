"""In Chromium against the real server: an admin creates an account and adds a member from the Members page, an
annotator makes and revokes their API token, and a label's colour reaches the highlights under the CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotator.accounts.models import Membership, Role, User
from annotator.annotations.services import create_annotation
from tests.factories import ArticleFactory, MembershipFactory, ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
BODY = "The minister said “we will win” and critics doubted it."


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def test_an_admin_creates_an_account_that_joins_the_project_and_adds_an_existing_user(page, chromium, live_app):
    page.set_viewport_size({"width": 1366, "height": 900})
    project = ProjectFactory(name="Harbour desk")
    MembershipFactory(project=project, role=Role.ADMIN, user__username="ada")
    UserFactory(username="boris")
    log_in(page, "ada")
    page.goto(f"/projects/{project.slug}/")
    page.get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", name="1 member")).to_be_visible()

    page.get_by_label("Username:", exact=True).fill("nell")
    page.get_by_label("Email (optional):").fill("nell@example.org")
    page.get_by_label("Role:", exact=True).select_option("reviewer")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#created-account")).to_contain_text("nell has an account now and is reviewer")
    password = page.locator("#new-password").inner_text()
    assert len(password) == 16
    expect(page.get_by_label("Role of nell")).to_have_value("reviewer")

    page.locator("#add-username").fill("boris")
    page.locator("#add-role").select_option("annotator")
    page.get_by_role("button", name="Add member").click()
    expect(page.locator(".messages")).to_contain_text("boris is now annotator of this project.")
    expect(page.get_by_role("heading", name="3 members")).to_be_visible()
    page.reload()
    expect(page.locator("#new-password")).to_have_count(0)
    assert page.console_errors == []

    # The new account logs in with the password the admin was shown, chooses its own, and sees the project.
    context = chromium.new_context(base_url=live_app)
    newcomer = context.new_page()
    log_in(newcomer, "nell", password)
    expect(newcomer.get_by_role("heading", name="Change your password")).to_be_visible()
    newcomer.get_by_label("Old password:").fill(password)
    newcomer.get_by_label("New password:", exact=True).fill("plum orchard at dawn")
    newcomer.get_by_label("New password confirmation:").fill("plum orchard at dawn")
    newcomer.get_by_role("button", name="Change my password").click()
    expect(newcomer.get_by_role("heading", name="Password changed")).to_be_visible()
    newcomer.get_by_role("link", name="Go on to your projects").click()
    expect(newcomer.get_by_role("link", name="Harbour desk")).to_be_visible()
    context.close()
    nell = User.objects.get(username="nell")
    assert Membership.objects.get(project=project, user=nell).role == Role.REVIEWER


def test_a_refused_username_is_explained_on_the_members_page(page):
    project = ProjectFactory(name="Harbour desk")
    MembershipFactory(project=project, role=Role.ADMIN, user__username="ada")
    log_in(page, "ada")
    page.goto(f"/projects/{project.slug}/members/")
    page.get_by_label("Username:", exact=True).fill("ADA")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("form[action$='/members/new/']")).to_contain_text("looks like the username 'ada'")
    assert not User.objects.filter(username="ADA").exists()


def test_an_annotator_creates_then_revokes_an_api_token(page):
    project = ProjectFactory(name="Harbour desk")
    MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="anna")
    log_in(page, "anna")
    page.get_by_role("link", name="API token").click()
    expect(page.locator("#token-state")).to_have_text("You have no API token.")
    page.get_by_role("button", name="Create a token").click()
    key = page.locator("#new-token").inner_text()
    api = page.request.get("/api/v1/projects/", headers={"Authorization": f"Token {key}"})
    assert api.status == 200 and "Harbour desk" in api.text()

    page.get_by_role("button", name="Revoke the token").click()
    expect(page.locator(".messages")).to_contain_text("Your API token is revoked")
    expect(page.locator("#token-state")).to_have_text("You have no API token.")
    assert page.request.get("/api/v1/projects/", headers={"Authorization": f"Token {key}"}).status == 401
    assert page.console_errors == []


def test_a_labels_colour_set_by_the_admin_fills_its_highlights(page):
    project = ProjectFactory(name="Harbour desk")
    MembershipFactory(project=project, role=Role.ADMIN, user__username="ada")
    article = ArticleFactory(project=project, body=BODY)
    start = BODY.index("“we will win”")
    annotation = create_annotation(
        actor=User.objects.get(username="ada"),
        article=article,
        kind="quote",
        start=start,
        end=start + len("“we will win”"),
        attributes={"quote_type": "indirect"},
    )
    log_in(page, "ada")
    page.goto(f"/projects/{project.slug}/settings/")
    page.get_by_label("Quote types").fill("direct\nindirect #b8e0ff\nmixed")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".messages")).to_contain_text("Settings saved.")
    expect(page.locator("mark.swatch")).to_have_text("indirect")
    page.goto(f"/articles/{article.pk}/")
    mark = page.locator(f'mark[data-ann="{annotation.pk}"]')
    expect(mark).to_have_css("background-color", "rgb(184, 224, 255)")
    assert page.console_errors == [], "no CSP violation: the colours come from a stylesheet"
