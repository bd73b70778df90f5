"""Every user makes and revokes their own API token on their Account page; the API revokes it the same way."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token

from annotator.accounts.services import create_token, revoke_token
from tests.conftest import secure_client
from tests.test_api import Api

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests.factories' password


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


def shown_key(response) -> str | None:
    page = response.content.decode()
    return page.split('id="new-token">')[1].split("<")[0] if 'id="new-token">' in page else None


def projects_with(key: str) -> int:
    return Api(token=key).get("/projects/").status_code


def test_the_header_links_every_user_to_their_token_page(annotator, project):
    page = secure_client(annotator).get(reverse("project_detail", args=[project.slug])).content.decode()
    assert f'href="{reverse("api_token")}">API token</a>' in page


def test_a_user_creates_a_token_that_is_shown_once_and_works(annotator, django_assert_max_num_queries):
    client = secure_client(annotator)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("api_token"))
    assert "You have no API token." in response.content.decode()
    with django_assert_max_num_queries(10):
        response = client.post(reverse("api_token_create"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    key = shown_key(response)
    assert key == Token.objects.get(user=annotator).key
    assert projects_with(key) == 200
    again = client.get(reverse("api_token"))
    assert shown_key(again) is None and key not in again.content.decode()
    assert "You have a token, made" in again.content.decode()


def test_a_new_token_replaces_the_old_one(annotator):
    client = secure_client(annotator)
    first = shown_key(client.post(reverse("api_token_create")))
    second = shown_key(client.post(reverse("api_token_create")))
    assert first != second
    assert projects_with(first) == 401
    assert projects_with(second) == 200


def test_revoking_on_the_page_makes_the_api_refuse_the_token(annotator, django_assert_max_num_queries):
    key = create_token(user=annotator).key
    client = secure_client(annotator)
    with django_assert_max_num_queries(8):
        response = client.post(reverse("api_token_revoke"))
    assert response.status_code == 302 and response["Location"] == reverse("api_token")
    page = client.get(reverse("api_token")).content.decode()
    assert "Your API token is revoked" in page and "You have no API token." in page
    assert not Token.objects.filter(user=annotator).exists()
    assert projects_with(key) == 401
    assert "You had no API token." in client.post(reverse("api_token_revoke"), follow=True).content.decode()


def test_the_api_revokes_the_token_it_is_called_with_and_a_login_makes_a_new_one(annotator):
    key = create_token(user=annotator).key
    assert Api(token=key).delete("/auth/token/").status_code == 204
    assert projects_with(key) == 401
    assert Api(token=key).delete("/auth/token/").status_code == 401
    login = Api().post("/auth/token/", {"username": annotator.username, "password": PASSWORD})
    assert login.status_code == 200
    fresh = login.json()["token"]
    assert fresh != key and projects_with(fresh) == 200
    again = Api().post("/auth/token/", {"username": annotator.username, "password": PASSWORD})
    assert again.json()["token"] == fresh, "logging in again hands out the token the user has"


def test_logging_in_through_the_api_ignores_a_stale_token_header(annotator):
    response = Api(token="stale").post("/auth/token/", {"username": annotator.username, "password": PASSWORD})
    assert response.status_code == 200


def test_revoking_is_each_users_own(annotator, reviewer):
    create_token(user=annotator)
    reviewers = create_token(user=reviewer).key
    assert revoke_token(user=annotator) is True
    assert revoke_token(user=annotator) is False
    assert projects_with(reviewers) == 200


def test_the_token_page_is_for_logged_in_users_only(client):
    for response in (client.get(reverse("api_token")), client.post(reverse("api_token_create"))):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Token.objects.exists()
