"""Project admins manage members and create accounts from the project's Members page, through the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from annotator.accounts.models import Membership, Role, User
from annotator.accounts.services import READABLE_CHARACTERS, create_member, generate_password
from tests.conftest import secure_client
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum orchard at dawn"


def members_url(project) -> str:
    return reverse("project_members", args=[project.slug])


def member_url(project) -> str:
    return reverse("project_member", args=[project.slug])


def create_url(project) -> str:
    return reverse("member_create", args=[project.slug])


def test_an_admin_sees_every_member_with_their_role_in_a_fixed_number_of_queries(
    project, admin, reviewer, annotator, django_assert_max_num_queries
):
    for n in range(20):
        MembershipFactory(project=project, role=Role.ANNOTATOR, user__username=f"extra_{n:02}")
    client = secure_client(admin)
    with django_assert_max_num_queries(6):
        response = client.get(members_url(project))
    assert response.status_code == 200
    page = response.content.decode()
    assert "23 members" in page
    for user, role in ((admin, "admin"), (reviewer, "reviewer"), (annotator, "annotator")):
        assert f"Role of {user.username}" in page
        membership = Membership.objects.get(project=project, user=user)
        assert f'id="role-{membership.pk}"' in page
        assert f'<option value="{role}" selected>' in page


def test_annotators_and_reviewers_are_refused_and_outsiders_do_not_see_the_project(
    project, admin, reviewer, annotator, outsider
):
    for user in (reviewer, annotator):
        client = secure_client(user)
        assert client.get(members_url(project)).status_code == 403
        assert client.post(member_url(project), {"username": user.username, "role": "admin"}).status_code == 403
        assert client.post(create_url(project), {"username": "sneaky", "role": "admin"}).status_code == 403
    assert secure_client(outsider).get(members_url(project)).status_code == 404
    assert secure_client(outsider).post(create_url(project), {"username": "sneaky", "role": "admin"}).status_code == 404
    assert not User.objects.filter(username="sneaky").exists()
    assert Membership.objects.role_of(annotator, project) == Role.ANNOTATOR


def test_the_members_page_is_linked_from_the_project_page_and_the_settings_for_admins_only(project, admin, reviewer):
    url = members_url(project)
    assert url in secure_client(admin).get(reverse("project_detail", args=[project.slug])).content.decode()
    assert url in secure_client(admin).get(reverse("project_settings", args=[project.slug])).content.decode()
    assert url not in secure_client(reviewer).get(reverse("project_detail", args=[project.slug])).content.decode()


def test_an_admin_adds_an_existing_user_changes_the_role_and_removes_them(
    project, admin, django_assert_max_num_queries
):
    nina = UserFactory(username="nina")
    client = secure_client(admin)
    with django_assert_max_num_queries(14):
        response = client.post(member_url(project), {"username": "nina", "role": "reviewer"})
    assert response.status_code == 302 and response["Location"] == members_url(project)
    assert Membership.objects.role_of(nina, project) == Role.REVIEWER
    response = client.post(member_url(project), {"username": "nina", "role": "annotator"}, follow=True)
    assert "nina is now annotator of this project." in response.content.decode()
    assert Membership.objects.get(project=project, user=nina).role == Role.ANNOTATOR
    response = client.post(member_url(project), {"username": "nina", "action": "remove"}, follow=True)
    assert "nina is no longer a member." in response.content.decode()
    assert not Membership.objects.filter(project=project, user=nina).exists()


def test_adding_a_user_who_does_not_exist_or_with_no_role_says_so(project, admin):
    client = secure_client(admin)
    response = client.post(member_url(project), {"username": "ghost", "role": "annotator"}, follow=True)
    assert "There is no user &#x27;ghost&#x27;." in response.content.decode()
    response = client.post(member_url(project), {"username": "ada_admin", "role": "owner"}, follow=True)
    assert "role: Select a valid choice." in response.content.decode()
    assert Membership.objects.get(project=project, user=admin).role == Role.ADMIN


def test_the_last_admin_can_neither_step_down_nor_be_removed_through_the_page(project, admin):
    client = secure_client(admin)
    for data in ({"username": "ada_admin", "role": "reviewer"}, {"username": "ada_admin", "action": "remove"}):
        response = client.post(member_url(project), data, follow=True)
        assert "a project needs at least one admin" in response.content.decode()
    assert Membership.objects.get(project=project, user=admin).role == Role.ADMIN
    second = MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="bea").user
    client.post(member_url(project), {"username": "bea", "role": "admin"})
    response = client.post(member_url(project), {"username": "ada_admin", "role": "reviewer"}, follow=True)
    assert "ada_admin is now reviewer of this project." in response.content.decode()
    assert Membership.objects.role_of(second, project) == Role.ADMIN


def test_an_admin_creates_an_account_with_a_made_up_password_shown_once(project, admin, django_assert_max_num_queries):
    client = secure_client(admin)
    with django_assert_max_num_queries(16):
        response = client.post(
            create_url(project), {"username": "nell", "email": "nell@example.org", "role": "reviewer"}
        )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    password = page.split('id="new-password">')[1].split("<")[0]
    assert len(password) == 16 and set(password) <= set(READABLE_CHARACTERS)
    nell = User.objects.get(username="nell")
    assert nell.email == "nell@example.org" and not nell.is_staff
    assert nell.check_password(password)
    assert Membership.objects.role_of(nell, project) == Role.REVIEWER
    again = client.get(members_url(project)).content.decode()
    assert "nell" in again and password not in again


def test_an_admin_creates_an_account_with_a_password_typed_twice(project, admin):
    client = secure_client(admin)
    data = {"username": "olaf", "role": "annotator", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    response = client.post(create_url(project), data)
    assert response.status_code == 200
    assert 'id="new-password"' not in response.content.decode()
    olaf = User.objects.get(username="olaf")
    assert olaf.check_password(NEW_PASSWORD)
    assert Membership.objects.role_of(olaf, project) == Role.ANNOTATOR


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password1": NEW_PASSWORD, "password2": "plum orchard at dusk"}, "The two passwords differ."),
        ({"password1": "short", "password2": "short"}, "This password is too short."),
        ({"username": "ADA_ADMIN"}, "looks like the username &#x27;ada_admin&#x27;"),
        ({"username": "аda_admin"}, "looks like the username &#x27;ada_admin&#x27;"),  # a Cyrillic а
        ({"username": "ada_admin"}, "A user with that username already exists."),
        ({"username": "two words"}, "Enter a valid username."),
        ({"email": "not-an-address"}, "Enter a valid email address."),
    ],
    ids=["passwords-differ", "weak-password", "case-only", "confusable", "taken", "bad-username", "bad-email"],
)
def test_a_refused_account_is_not_made_and_the_form_says_why(project, admin, data, message):
    before = User.objects.count()
    response = secure_client(admin).post(create_url(project), {"username": "newbie", "role": "annotator", **data})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'id="new-password"' not in page
    assert User.objects.count() == before


def test_only_project_admins_create_members_and_the_account_is_made_with_its_membership_or_not_at_all(
    project, admin, reviewer
):
    with pytest.raises(PermissionDenied):
        create_member(actor=reviewer, project=project, username="zed", password=NEW_PASSWORD, role=Role.ANNOTATOR)
    with pytest.raises(ValidationError) as refused:
        create_member(actor=admin, project=project, username="zed", password=NEW_PASSWORD, role="owner")
    assert set(refused.value.message_dict) == {"role"}
    assert not User.objects.filter(username="zed").exists()
    membership = create_member(actor=admin, project=project, username="zed", password=NEW_PASSWORD, role="admin")
    assert (membership.user.username, membership.role) == ("zed", Role.ADMIN)


def test_made_up_passwords_differ_and_pass_the_password_validators():
    from django.contrib.auth.password_validation import validate_password

    passwords = {generate_password() for _ in range(50)}
    assert len(passwords) == 50
    for password in list(passwords)[:5]:
        validate_password(password)


def test_a_made_up_password_is_changed_at_the_first_login_before_anything_else(project, admin):
    from django.core.cache import cache

    cache.clear()  # the token endpoint's throttle
    response = secure_client(admin).post(create_url(project), {"username": "nell", "role": "annotator"})
    password = response.content.decode().split('id="new-password">')[1].split("<")[0]
    nell = User.objects.get(username="nell")
    assert nell.must_change_password
    client = secure_client(nell)
    response = client.get(reverse("project_detail", args=[project.slug]))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    assert client.get("/api/v1/projects/").status_code == 403
    login = secure_client().post(
        "/api/v1/auth/token/", {"username": "nell", "password": password}, content_type="application/json"
    )
    assert login.status_code == 400 and "choose your own first" in login.json()["detail"]
    page = client.get(reverse("password_change"), follow=True).content.decode()
    assert "Your password was made up for you" in page
    changed = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    nell.refresh_from_db()
    assert not nell.must_change_password
    assert client.get(reverse("project_detail", args=[project.slug])).status_code == 200


def test_a_password_the_admin_typed_needs_no_change(project, admin):
    data = {"username": "olaf", "role": "annotator", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    secure_client(admin).post(create_url(project), data)
    olaf = User.objects.get(username="olaf")
    assert not olaf.must_change_password
    assert secure_client(olaf).get(reverse("project_detail", args=[project.slug])).status_code == 200
