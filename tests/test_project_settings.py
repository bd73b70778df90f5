"""Project settings for admins: name, guidelines, labels, k and members; labels in use stay."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from annotator.accounts.models import Membership, Role
from annotator.annotations.services import create_annotation
from tests.conftest import secure_client
from tests.factories import ArticleFactory, MembershipFactory, ProjectFactory, UserFactory


def settings_data(project, **changes):
    from annotator.articles.forms import ProjectSettingsForm

    data = ProjectSettingsForm.initial_for(project)
    data["free_targets"] = "on" if data["free_targets"] else ""
    return {**data, **changes}


def test_the_django_admin_keeps_the_same_label_rule(project, article, annotator):
    create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5, attributes={"category": "event"})
    staff = UserFactory(is_staff=True, is_superuser=True)
    config = {**project.label_config, "claim": {**project.label_config["claim"], "categories": ["statistic"]}}
    url = reverse("admin:articles_project_change", args=[project.pk])
    form = {
        "name": project.name,
        "slug": project.slug,
        "description": project.description,
        "guidelines": project.guidelines,
        "annotators_per_article": project.annotators_per_article,
        "created_at_0": "2026-11-28",
        "created_at_1": "08:00:00",
    }
    response = secure_client(staff).post(url, {**form, "label_config": json.dumps(config)})
    assert response.status_code == 200 and "event is used by annotations" in response.content.decode()
    response = secure_client(staff).post(url, {**form, "label_config": "[1, 2]"})
    assert response.status_code == 200 and "must be a JSON object" in response.content.decode()
    project.refresh_from_db()
    assert "event" in project.label_config["claim"]["categories"]


@pytest.mark.django_db
def test_an_admin_changes_k_guidelines_and_labels(project, admin):
    client = secure_client(admin)
    data = settings_data(project, annotators_per_article=3, guidelines="# Quotes", verdicts="true\nfalse\nsatire")
    response = client.post(reverse("project_settings", args=[project.slug]), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.annotators_per_article == 3
    assert project.guidelines == "# Quotes"
    assert project.label_config["claim"]["verdicts"] == ["true", "false", "satire"]


@pytest.mark.django_db
def test_a_label_in_use_cannot_be_removed_and_the_page_says_why(project, article, admin, annotator):
    create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5, attributes={"category": "event"})
    client = secure_client(admin)
    response = client.post(
        reverse("project_settings", args=[project.slug]), settings_data(project, categories="statistic\nother")
    )
    assert response.status_code == 400
    assert "event is used by annotations" in response.content.decode()
    project.refresh_from_db()
    assert "event" in project.label_config["claim"]["categories"]


@pytest.mark.django_db
def test_only_admins_open_the_settings(project, admin, reviewer, annotator, outsider):
    url = reverse("project_settings", args=[project.slug])
    assert secure_client(admin).get(url).status_code == 200
    assert secure_client(reviewer).get(url).status_code == 403
    assert secure_client(annotator).get(url).status_code == 403
    assert secure_client(outsider).get(url).status_code == 404


@pytest.mark.django_db
def test_members_are_added_changed_and_removed_but_the_last_admin_stays(project, admin, annotator):
    newcomer = UserFactory(username="nina")
    client = secure_client(admin)
    url = reverse("project_member", args=[project.slug])
    client.post(url, {"username": "nina", "role": "reviewer"})
    assert Membership.objects.role_of(newcomer, project) == Role.REVIEWER
    client.post(url, {"username": "ann_annotator", "role": "admin"})
    assert Membership.objects.get(user=annotator, project=project).role == Role.ADMIN
    client.post(url, {"username": "nina", "action": "remove", "role": "reviewer"})
    assert not Membership.objects.filter(user=newcomer, project=project).exists()
    client.post(url, {"username": "ann_annotator", "action": "remove", "role": "admin"})
    response = client.post(url, {"username": "ada_admin", "action": "remove", "role": "admin"}, follow=True)
    assert "a project needs at least one admin" in response.content.decode()
    response = client.post(url, {"username": "ghost", "role": "annotator"}, follow=True)
    assert "There is no user" in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_changes_k_and_a_members_role_in_the_browser(page):
    project = ProjectFactory(name="Desk")
    MembershipFactory(project=project, role=Role.ADMIN, user__username="ada")
    member = MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="boris")
    ArticleFactory(project=project)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/projects/{project.slug}/")
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Annotators per article (k)").fill("2")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".messages")).to_contain_text("Settings saved.")
    page.get_by_role("link", name="Members").click()
    page.get_by_label("Role of boris").select_option("reviewer")
    page.get_by_role("button", name="Change role of boris").click()
    expect(page.locator(".messages")).to_contain_text("boris is now reviewer")
    project.refresh_from_db()
    member.refresh_from_db()
    assert (project.annotators_per_article, member.role) == (2, Role.REVIEWER)
    assert page.console_errors == []
