"""Shared users and a project where each role is represented."""

from __future__ import annotations

import pytest

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
