"""The work queue: k annotators per article, oldest first, safe when many ask at once, stale hand-outs return."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import Counter

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from annotator.accounts.models import Role
from annotator.annotations.models import Assignment
from annotator.annotations.queue import assign_article, next_article
from annotator.annotations.services import create_annotation, submit_article
from tests.conftest import secure_client
from tests.factories import ArticleFactory, MembershipFactory, ProjectFactory


def test_each_annotator_gets_the_oldest_article_with_room_and_not_one_they_did(db):
    project = ProjectFactory(annotators_per_article=2)
    first, second, third = ArticleFactory.create_batch(3, project=project)
    anna, boris, carla = (MembershipFactory(project=project).user for _ in range(3))
    assert next_article(actor=anna, project=project) == first
    assert next_article(actor=anna, project=project) == first  # still mine until I submit it
    submit_article(actor=anna, article=first)
    assert next_article(actor=anna, project=project) == second
    assert next_article(actor=boris, project=project) == first
    submit_article(actor=boris, article=first)
    assert next_article(actor=boris, project=project) == second
    assert next_article(actor=carla, project=project) == third  # first and second have 2 annotators


def test_nothing_left_is_none(db):
    project = ProjectFactory(annotators_per_article=1)
    article = ArticleFactory(project=project)
    anna, boris = (MembershipFactory(project=project).user for _ in range(2))
    assert next_article(actor=anna, project=project) == article
    submit_article(actor=anna, article=article)
    assert next_article(actor=boris, project=project) is None
    assert next_article(actor=anna, project=project) is None


def test_an_article_left_alone_too_long_goes_back_to_the_pool(db, settings):
    settings.QUEUE_TIMEOUT_HOURS = 24
    project = ProjectFactory(annotators_per_article=1)
    article = ArticleFactory(project=project)
    anna, boris, carla = (MembershipFactory(project=project).user for _ in range(3))
    assert next_article(actor=anna, project=project) == article
    Assignment.objects.filter(user=anna).update(started_at=timezone.now() - dt.timedelta(hours=25))
    assert next_article(actor=boris, project=project) == article
    # Boris tagged something: his work counts however old his hand-out is.
    create_annotation(actor=boris, article=article, kind="claim", start=0, end=5)
    Assignment.objects.filter(user=boris).update(started_at=timezone.now() - dt.timedelta(hours=25))
    assert next_article(actor=carla, project=project) is None


def test_admins_assign_articles_to_named_members(db):
    project = ProjectFactory(annotators_per_article=1)
    admin = MembershipFactory(project=project, role=Role.ADMIN).user
    anna = MembershipFactory(project=project).user
    article = ArticleFactory(project=project)
    assign_article(actor=admin, article=article, username=anna.username)
    assert next_article(actor=anna, project=project) == article
    with pytest.raises(Exception, match="admin"):
        assign_article(actor=anna, article=article, username=admin.username)


@pytest.mark.django_db(transaction=True)
def test_sixteen_people_asking_at_once_never_get_an_article_more_than_k_times():
    project = ProjectFactory(annotators_per_article=2)
    articles = ArticleFactory.create_batch(10, project=project)
    users = [MembershipFactory(project=project).user for _ in range(16)]
    barrier = threading.Barrier(len(users))
    handed: list = []
    failures: list = []

    def ask(user):
        try:
            barrier.wait()
            article = next_article(actor=user, project=project)
            handed.append(article.pk if article else None)
        except Exception as exc:  # reported below: the test fails on any
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    counts = Counter(handed)
    assert None not in counts
    assert max(counts.values()) <= 2
    assert sum(counts.values()) == 16
    assert set(counts) <= {a.pk for a in articles}
    assert Assignment.objects.count() == 16
    per_article = Counter(Assignment.objects.values_list("article_id", flat=True))
    assert max(per_article.values()) <= 2


def test_next_article_in_the_browser_and_the_api(db, project, annotator, outsider):
    project.annotators_per_article = 1
    project.save()
    article = ArticleFactory(project=project)
    client = secure_client(annotator)
    response = client.post(reverse("queue_next", args=[project.slug]))
    assert response.headers["Location"] == reverse("article_detail", args=[article.pk])
    submit_article(actor=annotator, article=article)
    response = client.post(reverse("queue_next", args=[project.slug]), follow=True)
    assert "Nothing left for you" in response.content.decode()

    other = MembershipFactory(project=project).user
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=other).key
    api = secure_client()
    assert (
        api.get(f"/api/v1/projects/{project.slug}/queue/next/", headers={"Authorization": f"Token {token}"}).status_code
        == 204
    )
    fresh = ArticleFactory(project=project)
    got = api.post(f"/api/v1/projects/{project.slug}/queue/next/", headers={"Authorization": f"Token {token}"})
    assert got.status_code == 200 and json.loads(got.content)["id"] == fresh.pk
    outsider_token = Token.objects.create(user=outsider).key
    assert (
        api.get(
            f"/api/v1/projects/{project.slug}/queue/next/", headers={"Authorization": f"Token {outsider_token}"}
        ).status_code
        == 404
    )
