"""The admin writes through the services the pages, the API and the commands use: a project added there has
its creator as admin, an article is normalised and checked as an import would, memberships keep an admin,
and records (assignments, reviews, history) are shown, never edited by hand."""

from __future__ import annotations

import json
import unicodedata

import pytest
from django.contrib import admin as admin_site
from django.contrib.admin import helpers
from django.contrib.auth.models import Permission
from django.urls import reverse

from annotator.accounts.models import Membership, Role
from annotator.annotations.labels import default_label_config
from annotator.annotations.models import Action, Annotation, AnnotationEvent, Assignment
from annotator.annotations.services import create_annotation, review_annotation, submit_article
from annotator.articles.ingestion import content_hash
from annotator.articles.models import Article, Project
from tests.conftest import secure_client
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

OUR_APPS = {"accounts", "articles", "annotations", "suggestions"}
BODY = "\ufeffThe minister said prices would fall.\r\nCafe\u0301 owners doubted it."


def project_form(**values) -> dict:
    return {
        "name": "Election desk",
        "slug": "election-desk",
        "description": "",
        "guidelines": "",
        "label_config": json.dumps(default_label_config()),
        "annotators_per_article": "2",
    } | values


def article_form(project: Project, **values) -> dict:
    return {
        "project": project.pk,
        "title": "",
        "body": BODY,
        "source": "",
        "url": "",
        "byline": "",
        "published_at_0": "",
        "published_at_1": "",
        "language": "",
        "metadata": "{}",
    } | values


def run_action(client, model: str, action: str, rows) -> str:
    response = client.post(
        reverse(f"admin:{model}_changelist"),
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [row.pk for row in rows]},
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


# --- projects -------------------------------------------------------------------------------------


def test_a_project_added_in_the_admin_has_its_creator_as_its_admin(admin_client, admin_user):
    response = admin_client.post(reverse("admin:articles_project_add"), project_form())
    assert response.status_code == 302
    project = Project.objects.get(slug="election-desk")
    assert project.annotators_per_article == 2
    assert Membership.objects.get(project=project, user=admin_user).role == Role.ADMIN


def test_a_label_still_used_cannot_be_removed_in_the_admin_either(admin_client, project, annotator, article):
    create_annotation(
        actor=annotator, article=article, kind="claim", start=0, end=3, attributes={"category": "statistic"}
    )
    config = default_label_config()
    config["claim"]["categories"].remove("statistic")
    response = admin_client.post(
        reverse("admin:articles_project_change", args=[project.pk]),
        project_form(name=project.name, label_config=json.dumps(config)),
    )
    assert response.status_code == 200  # the form again, with the service's refusal on the field
    assert "statistic is used by annotations" in response.content.decode()
    project.refresh_from_db()
    assert "statistic" in project.label_config["claim"]["categories"]


def test_a_project_setting_changed_in_the_admin_is_stored(admin_client, project):
    response = admin_client.post(
        reverse("admin:articles_project_change", args=[project.pk]),
        project_form(name="Renamed", label_config=json.dumps(project.label_config)),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.annotators_per_article) == ("Renamed", 2)


def test_staff_who_are_not_admins_of_the_project_are_refused_on_the_form(project):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename__in=["add_article", "view_article"]))
    response = secure_client(staff).post(reverse("admin:articles_article_add"), article_form(project))
    assert response.status_code == 200
    assert "You are not a member of the project" in response.content.decode()
    assert not Article.objects.filter(project=project).exists()


# --- articles -------------------------------------------------------------------------------------


def test_an_article_added_in_the_admin_is_normalised_as_an_import_would(admin_client, admin_user, project):
    response = admin_client.post(reverse("admin:articles_article_add"), article_form(project))
    assert response.status_code == 302
    article = Article.objects.get(project=project)
    expected = unicodedata.normalize("NFC", BODY.removeprefix("\ufeff").replace("\r\n", "\n"))
    assert article.body == expected
    assert article.content_hash == content_hash(expected)
    assert article.title == "The minister said prices would fall."
    assert article.added_by == admin_user
    assert article.search_document is not None  # indexed, as after an upload


def test_an_article_whose_body_the_project_has_is_refused_on_the_form(admin_client, project):
    ArticleFactory(project=project, body=unicodedata.normalize("NFC", "The minister said prices would fall."))
    response = admin_client.post(
        reverse("admin:articles_article_add"), article_form(project, body="The minister said prices would fall.\r\n")
    )
    assert response.status_code == 200
    assert "same body already" in response.content.decode()
    assert Article.objects.filter(project=project).count() == 1


def test_an_article_url_that_is_not_http_is_refused_on_its_field(admin_client, project):
    response = admin_client.post(reverse("admin:articles_article_add"), article_form(project, url="ftp://a.example/x"))
    assert response.status_code == 200
    assert "is not an http or https URL" in response.content.decode()
    assert not Article.objects.exists()


def test_a_stored_article_is_shown_not_edited(admin_client, article):
    page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert page.status_code == 200
    assert 'name="body"' not in page.content.decode()
    response = admin_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), article_form(article.project, body="New")
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.body != "New"


def test_articles_are_deleted_by_the_action_through_the_service(admin_client, project):
    articles = ArticleFactory.create_batch(2, project=project)
    assert "Articles deleted: 2" in run_action(admin_client, "articles_article", "delete_articles", articles)
    assert not Article.objects.filter(project=project).exists()


# --- memberships ----------------------------------------------------------------------------------


def test_a_membership_added_in_the_admin_is_set_by_the_service(admin_client, project):
    user = UserFactory()
    response = admin_client.post(
        reverse("admin:accounts_membership_add"), {"user": user.pk, "project": project.pk, "role": "reviewer"}
    )
    assert response.status_code == 302
    assert Membership.objects.role_of(user, project) == Role.REVIEWER


def test_the_last_admin_of_a_project_is_not_removed(admin_client, project, admin):
    membership = Membership.objects.get(user=admin, project=project)
    page = run_action(admin_client, "accounts_membership", "remove_members", [membership])
    assert "a project needs at least one admin" in page
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_users_memberships_are_shown_on_the_user_page_not_edited_there(admin_client, admin):
    page = admin_client.get(reverse("admin:accounts_user_change", args=[admin.pk])).content.decode()
    assert "memberships-TOTAL_FORMS" in page
    assert 'name="memberships-0-role"' not in page


# --- records ---------------------------------------------------------------------------------------


def test_assignments_cannot_be_added_or_edited_in_the_admin(admin_client, article, annotator):
    create_annotation(actor=annotator, article=article, kind="claim", start=0, end=3)
    assignment = Assignment.objects.get(article=article, user=annotator)
    assert admin_client.get(reverse("admin:annotations_assignment_add")).status_code == 403
    change = reverse("admin:annotations_assignment_change", args=[assignment.pk])
    assert admin_client.post(change, {"status": "submitted"}).status_code == 403
    assert admin_client.get(reverse("admin:annotations_assignment_delete", args=[assignment.pk])).status_code == 403
    assignment.refresh_from_db()
    assert assignment.status == "in_progress"


def test_annotations_are_deleted_by_the_action_with_their_history(admin_client, admin_user, article, annotator):
    annotation = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=3)
    assert "Annotations deleted: 1" in run_action(
        admin_client, "annotations_annotation", "delete_annotations", [annotation]
    )
    assert not Annotation.objects.filter(pk=annotation.pk).exists()
    assert AnnotationEvent.objects.filter(annotation_id=annotation.pk, action=Action.DELETED, actor=admin_user)


def test_every_admin_page_answers_with_a_bounded_number_of_queries(
    admin_client, django_assert_max_num_queries, project, annotator, reviewer
):
    for article in ArticleFactory.create_batch(3, project=project):
        create_annotation(actor=annotator, article=article, kind="claim", start=0, end=3)
        submit_article(actor=annotator, article=article)
        review_annotation(actor=reviewer, annotation=article.annotations.get(), decision="approve")
    ours = [model for model in admin_site.site._registry if model._meta.app_label in OUR_APPS]
    assert len(ours) == 9
    for model in ours:
        info = (model._meta.app_label, model._meta.model_name)
        with django_assert_max_num_queries(8):
            assert admin_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
        row = model._default_manager.first()
        if row is None:
            continue
        with django_assert_max_num_queries(10):
            assert admin_client.get(reverse("admin:{}_{}_change".format(*info), args=[row.pk])).status_code == 200
