"""Shared users and a project where each role is represented."""

from __future__ import annotations

import pytest
from django.test import Client

from annotator.accounts.models import Role
from tests.factories import ArticleFactory, MembershipFactory, ProjectFactory


@pytest.fixture
def project(db):
    return ProjectFactory()


@pytest.fixture
def admin(project):
    return MembershipFactory(project=project, role=Role.ADMIN, user__username="ada_admin").user


@pytest.fixture
def reviewer(project):
    return MembershipFactory(project=project, role=Role.REVIEWER, user__username="rita_reviewer").user


@pytest.fixture
def annotator(project):
    return MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="ann_annotator").user


@pytest.fixture
def other_annotator(project):
    return MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="otto_annotator").user


@pytest.fixture
def outsider(db):
    """A user who belongs to another project only."""
    return MembershipFactory(role=Role.ADMIN, user__username="olga_outsider").user


@pytest.fixture
def article(project):
    return ArticleFactory(project=project)


class SecureClient(Client):
    """A test client that always speaks HTTPS, as production does (settings redirect plain HTTP)."""

    def generic(self, *args, **kwargs):
        kwargs["secure"] = True
        return super().generic(*args, **kwargs)


def secure_client(user=None) -> Client:
    client = SecureClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def client() -> Client:
    return secure_client()


@pytest.fixture
def admin_client(db, admin_user) -> Client:
    return secure_client(admin_user)
