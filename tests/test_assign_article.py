"""Project admins hand an article to a member: the service (`queue.assign_article`), its page and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from annotator.annotations.models import Assignment, AssignmentStatus
from annotator.annotations.queue import assign_article, next_article
from annotator.annotations.services import create_annotation, submit_article
from tests.conftest import secure_client
from tests.factories import ArticleFactory, UserFactory
from tests.test_api import Api

pytestmark = pytest.mark.django_db


def assign_url(article) -> str:
    return reverse("article_assign", args=[article.pk])


def api_path(article) -> str:
    return f"/articles/{article.pk}/assign/"


# --- the service ----------------------------------------------------------------------------------


def test_an_assigned_article_is_next_in_the_members_queue_even_beyond_k(project, admin, annotator, other_annotator):
    article, _ = ArticleFactory.create_batch(2, project=project)
    assert next_article(actor=other_annotator, project=project) == article  # k = 1: article is taken
    assign_article(actor=admin, article=article, username=annotator.username)
    assert next_article(actor=annotator, project=project) == article
    assert Assignment.objects.filter(article=article).count() == 2


def test_handing_an_article_again_to_who_has_it_changes_nothing(project, admin, annotator, article):
    first = assign_article(actor=admin, article=article, username=annotator.username)
    again = assign_article(actor=admin, article=article, username=annotator.username)
    assert again.pk == first.pk and again.started_at == first.started_at


def test_an_article_a_member_has_submitted_is_not_handed_to_them_again(project, admin, annotator, article):
    create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    submit_article(actor=annotator, article=article)
    with pytest.raises(ValidationError, match="has submitted this article already"):
        assign_article(actor=admin, article=article, username=annotator.username)


def test_only_members_are_handed_articles(project, admin, article, outsider):
    for username in (outsider.username, "nobody-by-this-name"):
        with pytest.raises(ValidationError, match="is not a member of the project"):
            assign_article(actor=admin, article=article, username=username)
    assert not Assignment.objects.exists()


def test_only_project_admins_hand_out_articles(project, reviewer, annotator, article):
    with pytest.raises(PermissionDenied, match="Only a project admin may assign articles"):
        assign_article(actor=reviewer, article=article, username=annotator.username)


# --- the page -------------------------------------------------------------------------------------


def test_the_page_shows_who_has_the_article_and_hands_it_out(
    project, admin, annotator, other_annotator, article, django_assert_max_num_queries
):
    assign_article(actor=admin, article=article, username=other_annotator.username)
    client = secure_client(admin)
    with django_assert_max_num_queries(8):
        page = client.get(assign_url(article))
    assert page.status_code == 200
    html = page.content.decode()
    assert "otto_annotator" in html and '<option value="ann_annotator">' in html
    with django_assert_max_num_queries(14):
        response = client.post(assign_url(article), {"username": "ann_annotator"})
    assert response.status_code == 302
    assert Assignment.objects.get(article=article, user=annotator).status == AssignmentStatus.IN_PROGRESS
    assert "ann_annotator has the article" in client.get(response.url).content.decode()


def test_the_page_says_why_a_username_is_refused(project, admin, article, outsider):
    response = secure_client(admin).post(assign_url(article), {"username": outsider.username})
    assert response.status_code == 400
    assert "is not a member of the project" in response.content.decode()


def test_the_page_is_for_project_admins_only(project, reviewer, outsider, article):
    assert secure_client(reviewer).get(assign_url(article)).status_code == 403
    assert secure_client(reviewer).post(assign_url(article), {"username": "rita_reviewer"}).status_code == 403
    assert secure_client(outsider).get(assign_url(article)).status_code == 404


def test_the_review_page_links_admins_to_it(project, admin, reviewer, article):
    link = f'href="{assign_url(article)}"'
    assert link in secure_client(admin).get(reverse("article_review", args=[article.pk])).content.decode()
    assert link not in secure_client(reviewer).get(reverse("article_review", args=[article.pk])).content.decode()


# --- the API --------------------------------------------------------------------------------------


def test_the_api_hands_an_article_to_a_member(project, admin, annotator, article, django_assert_max_num_queries):
    api = Api(admin)
    with django_assert_max_num_queries(11):
        response = api.post(api_path(article), {"username": annotator.username})
    assert response.status_code == 200
    body = response.json()
    assert (body["article"], body["username"], body["status"]) == (article.pk, "ann_annotator", "in_progress")


def test_the_api_refuses_with_the_field_named(project, admin, annotator, article, outsider):
    api = Api(admin)
    assert api.post(api_path(article), {}).json()["errors"] == {"username": ["This field is required."]}
    refused = api.post(api_path(article), {"username": outsider.username})
    assert refused.status_code == 400
    assert "is not a member of the project" in refused.json()["errors"]["username"][0]
    create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    submit_article(actor=annotator, article=article)
    assert api.post(api_path(article), {"username": annotator.username}).status_code == 400


def test_the_api_is_for_project_admins_only(project, reviewer, annotator, outsider, article):
    assert Api(reviewer).post(api_path(article), {"username": annotator.username}).status_code == 403
    assert Api(outsider).post(api_path(article), {"username": annotator.username}).status_code == 404
    assert Api().post(api_path(article), {"username": annotator.username}).status_code == 401
    assert not Assignment.objects.exists()


def test_the_schema_describes_the_endpoint(admin):
    schema = Api(admin).get("/schema/", headers={"Accept": "application/json"}).content.decode()
    assert "/api/v1/articles/{id}/assign/" in schema
    assert "AssignInput" in schema


def test_superusers_who_are_not_members_assign_as_project_admins(project, annotator, article):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    assert Api(superuser).post(api_path(article), {"username": annotator.username}).status_code == 200
