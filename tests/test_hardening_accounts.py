"""Hardening of accounts and the queue: who a client is (the throttle and the lockout), a project keeps an admin
through role changes too, taking an article is a POST, and no username looks like another."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.throttling import ScopedRateThrottle

from annotator.accounts.lockout import client_ip
from annotator.accounts.models import Membership, Role, User
from annotator.accounts.services import create_user, set_membership
from annotator.annotations.models import Assignment
from annotator.annotations.queue import next_article
from tests.conftest import SecureClient, secure_client
from tests.factories import ArticleFactory, MembershipFactory, UserFactory
from tests.test_api import Api

PASSWORD = "a long and uncommon passphrase"


# --- who a client is: the token throttle and the login lockout ------------------------------------------------


def token_attempt(client, number: int):
    return client.post(
        "/api/v1/auth/token/",
        {"username": f"nobody{number}", "password": "x"},
        content_type="application/json",
        headers={"X-Forwarded-For": f"10.{number // 256}.{number % 256}.7"},
    )


def test_rotating_x_forwarded_for_does_not_escape_the_token_throttle(db):
    client = SecureClient(REMOTE_ADDR="192.0.2.41")
    codes = [token_attempt(client, n).status_code for n in range(25)]
    assert codes[:20] == [400] * 20
    assert codes[20:] == [429] * 5


def test_another_connection_address_has_a_count_of_its_own(db):
    for n in range(21):
        token_attempt(SecureClient(REMOTE_ADDR="192.0.2.42"), n)
    assert token_attempt(SecureClient(REMOTE_ADDR="192.0.2.43"), 0).status_code == 400


def test_rotating_x_forwarded_for_does_not_escape_the_login_lockout(client, annotator, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    codes = [
        client.post(
            reverse("login"),
            {"username": annotator.username, "password": "wrong"},
            headers={"X-Forwarded-For": f"10.0.0.{n}"},
        ).status_code
        for n in range(6)
    ]
    assert codes == [200] * 4 + [429] * 2


@pytest.mark.parametrize(
    ("proxies", "forwarded", "seen"),
    [
        (0, None, "127.0.0.1"),
        (0, "6.6.6.6", "127.0.0.1"),
        (1, None, "127.0.0.1"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "203.0.113.9"),
    ],
)
def test_the_throttle_and_the_lockout_see_the_same_client(settings, proxies, forwarded, seen):
    settings.TRUSTED_PROXIES = proxies
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {"NUM_PROXIES": proxies}
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", **headers)
    assert client_ip(request) == seen
    assert ScopedRateThrottle().get_ident(request) == seen


# --- a project keeps an admin through role changes --------------------------------------------------------------


def test_the_last_admin_cannot_demote_themselves(project, admin):
    with pytest.raises(ValidationError) as refused:
        set_membership(actor=admin, project=project, user=admin, role=Role.ANNOTATOR)
    assert set(refused.value.message_dict) == {"role"}
    assert Membership.objects.get(project=project, user=admin).role == Role.ADMIN


def test_an_admin_may_step_down_when_another_admin_remains(project, admin):
    other = MembershipFactory(project=project, role=Role.ADMIN).user
    set_membership(actor=admin, project=project, user=admin, role=Role.REVIEWER)
    assert Membership.objects.role_of(other, project) == Role.ADMIN
    assert Membership.objects.get(project=project, user=admin).role == Role.REVIEWER


def test_the_last_admin_keeps_the_role_through_the_api_the_page_and_the_admin(project, admin, admin_client):
    response = Api(admin).post(f"/projects/{project.slug}/members/", {"username": admin.username, "role": "reviewer"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["role"]
    page = secure_client(admin).post(
        reverse("project_member", args=[project.slug]), {"username": admin.username, "role": "reviewer"}, follow=True
    )
    assert "a project needs at least one admin" in page.content.decode()
    membership = Membership.objects.get(project=project, user=admin)
    form = admin_client.post(reverse("admin:accounts_membership_change", args=[membership.pk]), {"role": "reviewer"})
    assert form.status_code == 200
    assert "a project needs at least one admin" in form.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin(project):
    first, second = (MembershipFactory(project=project, role=Role.ADMIN).user for _ in range(2))
    refusals: list[ValidationError] = []

    def demote_second():
        try:
            set_membership(actor=None, project=project, user=second, role=Role.ANNOTATOR)
        except ValidationError as refusal:
            refusals.append(refusal)
        finally:
            connection.close()

    with transaction.atomic():
        set_membership(actor=None, project=project, user=first, role=Role.ANNOTATOR)
        other = threading.Thread(target=demote_second)
        other.start()
        time.sleep(0.5)  # the other demotion runs meanwhile: it must wait for this one
    other.join(timeout=30)
    assert len(refusals) == 1
    assert Membership.objects.filter(project=project, role=Role.ADMIN).count() == 1


# --- taking an article is a POST --------------------------------------------------------------------------------

NEXT = "/projects/{}/queue/next/"


def test_asking_the_queue_with_get_assigns_nothing(project, annotator):
    ArticleFactory(project=project)
    response = Api(annotator).get(NEXT.format(project.slug))
    assert response.status_code == 204
    assert not Assignment.objects.exists()


def test_post_takes_the_next_article_and_get_then_answers_it(project, annotator, django_assert_max_num_queries):
    article = ArticleFactory(project=project)
    api = Api(annotator)
    taken = api.post(NEXT.format(project.slug))
    assert taken.status_code == 200
    assert taken.json()["id"] == article.pk
    assert Assignment.objects.filter(user=annotator, article=article).count() == 1
    with django_assert_max_num_queries(6):
        held = api.get(NEXT.format(project.slug))
    assert held.status_code == 200
    assert held.json()["id"] == article.pk
    assert Assignment.objects.count() == 1


def test_a_submitted_article_is_no_longer_held(project, annotator):
    from annotator.annotations.services import submit_article

    article = ArticleFactory(project=project)
    next_article(actor=annotator, project=project)
    submit_article(actor=annotator, article=article)
    assert Api(annotator).get(NEXT.format(project.slug)).status_code == 204


def test_taking_an_article_with_a_session_needs_the_csrf_token(project, annotator):
    ArticleFactory(project=project)
    client = SecureClient(enforce_csrf_checks=True)
    client.force_login(annotator)
    assert client.post("/api/v1" + NEXT.format(project.slug)).status_code == 403
    assert not Assignment.objects.exists()


def test_the_next_article_page_assigns_only_on_post(project, annotator):
    article = ArticleFactory(project=project)
    client = secure_client(annotator)
    shown = client.get(reverse("queue_next", args=[project.slug]))
    assert shown.status_code == 302
    assert shown.headers["Location"] == reverse("project_detail", args=[project.slug])
    assert not Assignment.objects.exists()
    client.post(reverse("queue_next", args=[project.slug]))
    held = client.get(reverse("queue_next", args=[project.slug]))
    assert held.headers["Location"] == reverse("article_detail", args=[article.pk])
    assert Assignment.objects.count() == 1


def test_the_schema_documents_both_methods_of_the_queue(db):
    schema = SecureClient().get("/api/v1/schema/", headers={"Accept": "application/json"}).json()
    operations = schema["paths"]["/api/v1/projects/{slug}/queue/next/"]
    assert set(operations) == {"get", "post"}
    assert {"200", "204"} <= set(operations["get"]["responses"]) & set(operations["post"]["responses"])


# --- no username looks like another -------------------------------------------------------------------------

NO_MEMBERSHIPS = {"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}


@pytest.mark.parametrize("lookalike", ["ａ_ann1", "A_ANN1", "а_ann1", "a_annl", "A_ANNI"])
def test_a_username_that_looks_like_another_is_refused_naming_the_username(db, lookalike):
    UserFactory(username="a_ann1")
    with pytest.raises(ValidationError) as refused:
        create_user(actor=None, username=lookalike, password=PASSWORD)
    assert set(refused.value.message_dict) == {"username"}
    assert "a_ann1" in " ".join(refused.value.messages)
    assert User.objects.count() == 1


def test_the_api_refuses_a_lookalike_username_with_a_400(db):
    UserFactory(username="a_ann1")
    staff = UserFactory(is_staff=True)
    response = Api(staff).post("/users/", {"username": "ａ_ann1", "password": PASSWORD})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["username"]


def test_the_admin_add_form_refuses_a_lookalike_username(admin_client):
    UserFactory(username="a_ann1")
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"username": "а_ann1", "password1": PASSWORD, "password2": PASSWORD} | NO_MEMBERSHIPS,
    )
    assert response.status_code == 200
    assert "looks like the username" in response.content.decode()
    assert not User.objects.filter(username="а_ann1").exists()


def test_the_admin_adds_accounts_through_the_service(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"username": "nina", "password1": PASSWORD, "password2": PASSWORD} | NO_MEMBERSHIPS,
    )
    assert response.status_code == 302
    assert User.objects.get(username="nina").check_password(PASSWORD)


def test_renaming_a_user_to_a_lookalike_is_refused_on_the_admin_form(admin_client):
    UserFactory(username="a_ann1")
    other = UserFactory(username="boris")
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[other.pk]),
        {
            "username": "A_ann1",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "is_active": "on",
        }
        | NO_MEMBERSHIPS,
    )
    assert response.status_code == 200
    assert "looks like the username" in response.content.decode()
    other.refresh_from_db()
    assert other.username == "boris"


def test_the_database_refuses_two_lookalike_usernames(db):
    UserFactory(username="a_ann1")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="A_ANN1")


def test_renaming_keeps_the_lookalike_key_in_step(db):
    user = UserFactory(username="boris")
    user.username = "a_ann1"
    user.save()
    with pytest.raises(ValidationError):
        create_user(actor=None, username="A_ANN1", password=PASSWORD)
    assert create_user(actor=None, username="boris", password=PASSWORD).username == "boris"


@pytest.mark.django_db(transaction=True)
def test_two_lookalike_accounts_created_at_once_make_one_and_a_refusal():
    refusals: list[ValidationError] = []

    def create_lookalike():
        try:
            create_user(actor=None, username="NINA", password=PASSWORD)
        except ValidationError as refusal:
            refusals.append(refusal)
        finally:
            connection.close()

    with transaction.atomic():
        create_user(actor=None, username="nina", password=PASSWORD)
        other = threading.Thread(target=create_lookalike)
        other.start()
        time.sleep(0.5)  # the other create runs meanwhile: the unique index makes it wait for this one
    other.join(timeout=30)
    assert [set(r.message_dict) for r in refusals] == [{"username"}]
    assert list(User.objects.values_list("username", flat=True)) == ["nina"]
