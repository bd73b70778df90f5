"""`make run`'s demo set-up: the seed article in the demo project, demo accounts only on an empty install."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from annotator.accounts.models import Membership, User
from annotator.articles.models import Article
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def run_setup_demo() -> str:
    out = StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()


def test_demo_accounts_are_created_once_with_passwords_printed_once(db):
    first = run_setup_demo()
    assert "added 1, duplicates 0, rejected 0" in first
    passwords = {line.split()[0]: line.split()[1] for line in first.splitlines() if "(" in line and " of " in line}
    assert set(passwords) == {"admin", "reviewer", "annotator"}
    for username, password in passwords.items():
        # A request, as every login has one: django-axes counts failures per username and address.
        assert authenticate(RequestFactory().post("/accounts/login/"), username=username, password=password)
    roles = dict(Membership.objects.filter(project__slug="demo").values_list("user__username", "role"))
    assert roles == {"admin": "admin", "reviewer": "reviewer", "annotator": "annotator"}

    second = run_setup_demo()
    assert "added 0, duplicates 1, rejected 0" in second
    assert "password" not in second.lower()
    assert User.objects.count() == 3


def test_the_seed_article_keeps_its_text_exactly(db):
    run_setup_demo()
    article = Article.objects.get(project__slug="demo")
    assert article.body.startswith("Russian President Vladimir Putin has slammed")
    assert "“has not improved”" in article.body
    assert article.title.startswith("Russian President Vladimir Putin")


def test_no_demo_accounts_when_users_exist(db):
    UserFactory(username="existing")
    output = run_setup_demo()
    assert "Demo accounts" not in output
    assert list(User.objects.values_list("username", flat=True)) == ["existing"]
