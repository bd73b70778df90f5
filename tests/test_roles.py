"""Projects and members: who may create projects, manage members, and what each role sees."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotator.accounts.models import Membership, Role
from annotator.accounts.services import remove_membership, set_membership
from annotator.annotations.models import Annotation
from annotator.annotations.services import create_annotation
from annotator.articles.models import Article, Project
from annotator.articles.services import create_project
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_create_projects_and_become_their_admin(db):
    staff = UserFactory(is_staff=True)
    project = create_project(actor=staff, name="Fact-check desk")
    assert project.slug == "fact-check-desk"
    assert Membership.objects.role_of(staff, project) == Role.ADMIN
    assert project.label_config["quote"]["quote_types"] == ["direct", "indirect", "mixed"]


def test_non_staff_cannot_create_projects(db):
    with pytest.raises(PermissionDenied):
        create_project(actor=UserFactory(), name="Mine")
    assert not Project.objects.exists()


def test_a_duplicate_slug_or_bad_label_config_is_refused_with_the_field_named(project):
    with pytest.raises(ValidationError) as excinfo:
        create_project(actor=None, name="Again", slug=project.slug)
    assert "slug" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        create_project(actor=None, name="Bad", label_config={"claim": {"verdicts": "true"}})
    assert "label_config.claim.verdicts" in excinfo.value.message_dict


def test_only_admins_manage_members(project, admin, reviewer, annotator):
    newcomer = UserFactory()
    with pytest.raises(PermissionDenied, match="Only a project admin may manage members"):
        set_membership(actor=reviewer, project=project, user=newcomer, role=Role.ANNOTATOR)
    set_membership(actor=admin, project=project, user=newcomer, role=Role.REVIEWER)
    assert Membership.objects.role_of(newcomer, project) == Role.REVIEWER
    set_membership(actor=admin, project=project, user=newcomer, role=Role.ANNOTATOR)
    assert Membership.objects.filter(project=project, user=newcomer).count() == 1
    with pytest.raises(ValidationError, match="not a role"):
        set_membership(actor=admin, project=project, user=newcomer, role="owner")


def test_the_last_admin_cannot_be_removed(project, admin, annotator):
    remove_membership(actor=admin, project=project, user=annotator)
    assert Membership.objects.role_of(annotator, project) is None
    with pytest.raises(ValidationError, match="at least one admin"):
        remove_membership(actor=admin, project=project, user=admin)


def test_annotators_see_only_their_own_annotations(project, article, annotator, other_annotator, reviewer):
    mine = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    theirs = create_annotation(actor=other_annotator, article=article, kind="claim", start=6, end=9)
    assert list(Annotation.objects.visible_to(annotator)) == [mine]
    assert set(Annotation.objects.visible_to(reviewer)) == {mine, theirs}


def test_non_members_see_nothing_of_a_project(project, article, annotator, outsider):
    create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    assert not Project.objects.visible_to(outsider).filter(pk=project.pk).exists()
    assert not Article.objects.visible_to(outsider).filter(project=project).exists()
    assert not Annotation.objects.visible_to(outsider).exists()


def test_inactive_users_see_nothing(project, article, annotator):
    annotator.is_active = False
    annotator.save()
    assert not Project.objects.visible_to(annotator).exists()
    with pytest.raises(PermissionDenied):
        create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)


def test_superusers_are_admins_of_every_project(project, article):
    root = UserFactory(is_superuser=True, is_staff=True)
    assert Membership.objects.role_of(root, project) == Role.ADMIN
    assert Project.objects.visible_to(root).filter(pk=project.pk).exists()
