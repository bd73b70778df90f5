"""Creating accounts: one service (`create_user`) behind the API and the demo set-up."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotator.accounts.models import User
from annotator.accounts.services import create_user
from tests.factories import UserFactory
from tests.test_api import Api

pytestmark = pytest.mark.django_db
PASSWORD = "a long and uncommon passphrase"


def test_staff_create_an_account_that_logs_in_with_its_password():
    staff = UserFactory(is_staff=True)
    user = create_user(actor=staff, username="nina", password=PASSWORD, email="nina@example.org")
    assert User.objects.get(username="nina").check_password(PASSWORD)
    assert (user.email, user.is_staff, user.is_superuser) == ("nina@example.org", False, False)


def test_someone_who_is_not_staff_may_not_create_accounts():
    with pytest.raises(PermissionDenied):
        create_user(actor=UserFactory(), username="nina", password=PASSWORD)
    assert not User.objects.filter(username="nina").exists()


def test_only_a_superuser_gives_staff_or_superuser_rights():
    staff = UserFactory(is_staff=True)
    for rights in ({"is_staff": True}, {"is_superuser": True}):
        with pytest.raises(PermissionDenied):
            create_user(actor=staff, username="nina", password=PASSWORD, **rights)
    boss = UserFactory(is_staff=True, is_superuser=True)
    assert create_user(actor=boss, username="nina", password=PASSWORD, is_staff=True).is_staff


def test_the_command_line_creates_superusers_as_actor_none():
    assert create_user(actor=None, username="root", password=PASSWORD, is_staff=True, is_superuser=True).is_superuser


@pytest.mark.parametrize("password", ["12345678", "ninapetrova", "short"])
def test_a_weak_password_is_refused_naming_the_password(password):
    with pytest.raises(ValidationError) as refused:
        create_user(actor=None, username="ninapetrova", password=password, email="nina@example.org")
    assert set(refused.value.message_dict) == {"password"}
    assert not User.objects.filter(username="ninapetrova").exists()


def test_a_taken_username_is_refused_naming_the_username():
    UserFactory(username="nina")
    with pytest.raises(ValidationError) as refused:
        create_user(actor=None, username="nina", password=PASSWORD)
    assert set(refused.value.message_dict) == {"username"}


def test_the_api_creates_accounts_through_the_service():
    staff = UserFactory(is_staff=True)
    response = Api(staff).post("/users/", {"username": "nina", "password": PASSWORD, "email": "nina@example.org"})
    assert response.status_code == 201
    assert response.json()["username"] == "nina"
    assert User.objects.get(username="nina").check_password(PASSWORD)


def test_the_api_refuses_account_creation_to_non_staff():
    response = Api(UserFactory()).post("/users/", {"username": "nina", "password": PASSWORD})
    assert response.status_code == 403
    assert not User.objects.filter(username="nina").exists()
