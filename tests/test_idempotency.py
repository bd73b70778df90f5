"""Idempotent creates: the API's Idempotency-Key header and the workspace form's hidden key share one store
(annotator/idempotency): a copy of a request is answered as the first and stores nothing new."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from annotator.annotations.models import Annotation, AnnotationEvent, Review, Status
from annotator.annotations.services import create_annotation, submit_article
from annotator.articles.models import Article
from annotator.idempotency.models import IdempotencyKey
from annotator.idempotency.services import purge_expired_keys
from annotator.jobs.models import Job, JobKind
from tests.conftest import secure_client
from tests.factories import ArticleFactory
from tests.jobs import job_result
from tests.test_api import Api

pytestmark = pytest.mark.django_db
BODY = "Prime Minister Ana Kovač said “inflation will fall below 3% by June” 📉 — critics 😐 disagreed."
HX = {"HX-Request": "true"}
KEY = "5f0c6a4e-1d2b-4c8e-9a37-0b1e2d3c4f5a"


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, body=BODY)


def claim(fragment: str = "inflation will fall below 3% by June", **attributes) -> dict:
    start = BODY.index(fragment)
    return {"kind": "claim", "start": start, "end": start + len(fragment), "text": fragment, "attributes": attributes}


def keyed(key: str = KEY) -> dict:
    return {"headers": {"Idempotency-Key": key}}


def run_at_once(functions):
    """Each function in its own thread, so on its own database connection, released together."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def worker(i, function):
        try:
            barrier.wait()
            results[i] = function()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


# --- the API ----------------------------------------------------------------------------------------------


def test_a_replayed_create_returns_the_first_response_and_creates_nothing(article, annotator):
    api = Api(annotator)
    first = api.post(f"/articles/{article.pk}/annotations/", claim(), **keyed())
    again = api.post(f"/articles/{article.pk}/annotations/", claim(), **keyed())
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["ETag"] == first.headers["ETag"] == '"1"'
    assert again.headers["Content-Type"] == "application/json"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert Annotation.objects.count() == 1
    assert AnnotationEvent.objects.count() == 1


def test_a_replayed_bulk_create_returns_the_same_list_and_stores_it_once(article, annotator):
    api = Api(annotator)
    items = [claim(), claim("critics"), claim("Prime Minister Ana Kovač")]
    first = api.post(f"/articles/{article.pk}/annotations/", items, **keyed())
    again = api.post(f"/articles/{article.pk}/annotations/", items, **keyed())
    assert first.status_code == again.status_code == 201
    assert json.loads(again.content) == json.loads(first.content)
    assert len(json.loads(first.content)) == 3
    assert Annotation.objects.count() == 3


def test_a_replay_still_answers_as_the_first_after_the_annotation_changed(article, annotator):
    api = Api(annotator)
    first = api.post(f"/articles/{article.pk}/annotations/", claim(), **keyed())
    pk = json.loads(first.content)["id"]
    assert api.patch(f"/annotations/{pk}/", {"attributes": {"checkworthy": False}}).status_code == 200
    again = api.post(f"/articles/{article.pk}/annotations/", claim(), **keyed())
    assert again.content == first.content
    assert again.headers["ETag"] == '"1"'
    assert Annotation.objects.get().version == 2


def test_replayed_article_creates_and_uploads_store_nothing_new(project, admin):
    api = Api(admin)
    records = [{"title": "Budget", "body": "The budget passed."}, {"title": "Strike", "body": "Rail workers struck."}]
    first = api.post(f"/projects/{project.slug}/articles/", records, **keyed())
    again = api.post(f"/projects/{project.slug}/articles/", records, **keyed())
    assert first.status_code == again.status_code == 201
    assert json.loads(again.content) == json.loads(first.content)
    assert json.loads(again.content)["added"] == 2

    def upload(name: str):
        data = io.BytesIO(b'{"title": "Harvest", "body": "The harvest was late."}\n')
        data.name = name
        return api.client.post(
            f"/api/v1/projects/{project.slug}/articles/import/",
            {"file": data},
            headers={**api.headers, "Idempotency-Key": "upload-1"},
        )

    first, again = upload("news.jsonl"), upload("news.jsonl")  # a new multipart boundary each time
    assert first.status_code == again.status_code == 202
    assert json.loads(again.content) == json.loads(first.content)  # the same job
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Job.objects.filter(kind=JobKind.IMPORT).count() == 1
    assert job_result(again)["added"] == 1
    assert Article.objects.filter(project=project).count() == 3
    assert upload("other.jsonl").status_code == 422  # another file name is another request


def test_a_replayed_submit_answers_with_the_first_count(article, annotator):
    create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    api = Api(annotator)
    first = api.post(f"/articles/{article.pk}/submit/", **keyed())
    create_annotation(actor=annotator, article=article, kind="claim", start=6, end=10)
    again = api.post(f"/articles/{article.pk}/submit/", **keyed())
    assert json.loads(first.content) == json.loads(again.content) == {"submitted": 1}
    assert Annotation.objects.filter(status=Status.DRAFT).count() == 1  # the replay submitted nothing


def test_replayed_reviews_decide_once_and_answer_as_the_first(article, annotator, reviewer):
    one = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    two = create_annotation(actor=annotator, article=article, kind="claim", start=6, end=10)
    three = create_annotation(actor=annotator, article=article, kind="claim", start=11, end=15)
    submit_article(actor=annotator, article=article)
    api = Api(reviewer)
    decision = {"decision": "reject", "comment": "Too short."}
    first = api.post(f"/annotations/{one.pk}/review/", decision, **keyed("review-one"))
    again = api.post(f"/annotations/{one.pk}/review/", decision, **keyed("review-one"))
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again.headers["ETag"] == first.headers["ETag"]
    bulk = {"decision": "approve", "ids": [two.pk, three.pk]}
    first = api.post(f"/articles/{article.pk}/review/", bulk, **keyed("review-bulk"))
    again = api.post(f"/articles/{article.pk}/review/", bulk, **keyed("review-bulk"))
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert Review.objects.count() == 3


def test_a_replayed_suggestion_accept_answers_201_again_without_a_second_copy(article, annotator):
    suggestion = Annotation.objects.create(
        article=article, kind="claim", start=0, end=5, text=BODY[:5], origin="suggested", suggester="test"
    )
    api = Api(annotator)
    first = api.post(f"/annotations/{suggestion.pk}/accept/", {}, **keyed())
    again = api.post(f"/annotations/{suggestion.pk}/accept/", {}, **keyed())
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert Annotation.objects.filter(author=annotator).count() == 1
    assert api.post(f"/annotations/{suggestion.pk}/accept/", {}).status_code == 409  # without a key: decided


def test_the_same_key_with_another_body_is_refused_with_422_naming_the_key(article, annotator):
    api = Api(annotator)
    assert api.post(f"/articles/{article.pk}/annotations/", claim(), **keyed()).status_code == 201
    other = api.post(f"/articles/{article.pk}/annotations/", claim("critics"), **keyed())
    assert other.status_code == 422
    body = json.loads(other.content)
    assert KEY in body["detail"]
    assert f"POST /api/v1/articles/{article.pk}/annotations/" in body["detail"]
    assert list(body["errors"]) == ["Idempotency-Key"]
    elsewhere = api.post(f"/articles/{article.pk}/submit/", **keyed())
    assert elsewhere.status_code == 422
    assert Annotation.objects.count() == 1


def test_another_users_same_key_is_independent(article, annotator, other_annotator):
    mine = Api(annotator).post(f"/articles/{article.pk}/annotations/", claim(), **keyed())
    theirs = Api(other_annotator).post(f"/articles/{article.pk}/annotations/", claim("critics"), **keyed())
    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert sorted(Annotation.objects.values_list("author__username", flat=True)) == [
        "ann_annotator",
        "otto_annotator",
    ]


@pytest.mark.parametrize(
    ("key", "reason"),
    [("", "is empty"), ("k" * 256, "256 characters long; the limit is 255"), ("two words", "visible ASCII")],
)
def test_an_empty_too_long_or_unprintable_key_is_refused_with_400(article, annotator, key, reason):
    response = Api(annotator).post(f"/articles/{article.pk}/annotations/", claim(), **keyed(key))
    assert response.status_code == 400
    assert reason in json.loads(response.content)["errors"]["Idempotency-Key"][0]
    assert not Annotation.objects.exists()


def test_a_key_of_255_characters_is_accepted(article, annotator):
    response = Api(annotator).post(f"/articles/{article.pk}/annotations/", claim(), **keyed("k" * 255))
    assert response.status_code == 201


def test_an_error_answer_is_not_kept_so_the_key_can_be_sent_again_corrected(article, annotator):
    api = Api(annotator)
    wrong = claim() | {"text": "not the body"}
    assert api.post(f"/articles/{article.pk}/annotations/", wrong, **keyed()).status_code == 400
    assert api.post(f"/articles/{article.pk}/annotations/", claim(), **keyed()).status_code == 201
    assert Annotation.objects.count() == 1


def test_a_key_older_than_the_setting_is_free_again_and_purged(article, annotator, settings):
    settings.IDEMPOTENCY_KEY_HOURS = 24
    api = Api(annotator)
    assert api.post(f"/articles/{article.pk}/annotations/", claim(), **keyed()).status_code == 201
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    again = api.post(f"/articles/{article.pk}/annotations/", claim("critics"), **keyed())
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again.headers
    assert Annotation.objects.count() == 2
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert purge_expired_keys() == 1
    assert not IdempotencyKey.objects.exists()


def test_the_schema_declares_the_header_and_the_422_on_every_idempotent_create(annotator):
    schema = json.loads(Api(annotator).get("/schema/", headers={"Accept": "application/json"}).content)
    keyed_operations = {
        (path, method)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))
    }
    assert keyed_operations == {
        ("/api/v1/projects/{slug}/articles/", "post"),
        ("/api/v1/projects/{slug}/articles/import/", "post"),
        ("/api/v1/articles/{id}/annotations/", "post"),
        ("/api/v1/articles/{id}/submit/", "post"),
        ("/api/v1/articles/{id}/review/", "post"),
        ("/api/v1/articles/{id}/adjudication/", "post"),
        ("/api/v1/annotations/{id}/review/", "post"),
        ("/api/v1/annotations/{id}/accept/", "post"),
    }
    for path, method in keyed_operations:
        assert "422" in schema["paths"][path][method]["responses"]


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_replays_create_exactly_one_annotation(article, annotator):
    token = Api(annotator).headers["Authorization"].removeprefix("Token ")
    path = f"/articles/{article.pk}/annotations/"
    responses = run_at_once([lambda: Api(token=token).post(path, claim(), **keyed())] * 8)
    assert [r.status_code for r in responses] == [201] * 8
    assert len({r.content for r in responses}) == 1
    assert len({r.headers["ETag"] for r in responses}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 7
    assert Annotation.objects.count() == 1
    assert AnnotationEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_bulk_replays_and_another_body_store_one_list(article, annotator):
    token = Api(annotator).headers["Authorization"].removeprefix("Token ")
    path = f"/articles/{article.pk}/annotations/"
    items = [claim(), claim("critics")]
    calls = [lambda: Api(token=token).post(path, items, **keyed())] * 8
    calls.append(lambda: Api(token=token).post(path, [claim()], **keyed()))
    responses = run_at_once(calls)
    statuses = sorted(r.status_code for r in responses)
    stored = Annotation.objects.count()
    # Whichever came first was stored; the copies of it replay, the other body is refused.
    assert (stored, statuses) in [(2, [201] * 8 + [422]), (1, [201] + [422] * 8)]


# --- the workspace form -----------------------------------------------------------------------------------


def new_form(client, article, query: str) -> dict:
    """The new-annotation form as the page shows it: its hidden fields, the idempotency key among them."""
    fragment = client.get(reverse("annotation_new", args=[article.pk]) + query, headers=HX).content.decode()
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', fragment))


def test_the_new_annotation_form_carries_a_fresh_idempotency_key(client, article, annotator):
    client.force_login(annotator)
    one = new_form(client, article, "?kind=claim&start=0&end=5")
    two = new_form(client, article, "?kind=claim&start=0&end=5")
    assert len(one["idempotency_key"]) == 32
    assert one["idempotency_key"] != two["idempotency_key"]


def test_the_htmx_form_sent_twice_creates_one_annotation(client, article, annotator):
    client.force_login(annotator)
    data = new_form(client, article, "?kind=claim&start=0&end=5") | {"checkworthy": "on"}
    url = reverse("annotation_create", args=[article.pk])
    first = client.post(url, data, headers=HX)
    second = client.post(url, data, headers=HX)
    assert first.status_code == second.status_code == 200
    annotation = Annotation.objects.get()
    fragment = second.content.decode()
    # The second answer replaces the list entry the first added instead of adding another.
    assert f'<li id="item-{annotation.pk}" hx-swap-oob="delete"></li>' in fragment
    assert json.loads(second.headers["HX-Trigger-After-Settle"]) == {"annotationSaved": {"id": annotation.pk}}
    assert AnnotationEvent.objects.count() == 1


def test_the_form_without_htmx_sent_twice_creates_one_annotation_and_redirects_both_times(client, article, annotator):
    client.force_login(annotator)
    data = new_form(client, article, "?kind=claim&start=0&end=5") | {"checkworthy": "on"}
    url = reverse("annotation_create", args=[article.pk])
    responses = [client.post(url, data), client.post(url, data)]
    assert [r.status_code for r in responses] == [302, 302]
    assert Annotation.objects.count() == 1


def test_a_new_form_creates_a_new_annotation_and_a_changed_copy_is_refused(client, article, annotator):
    client.force_login(annotator)
    url = reverse("annotation_create", args=[article.pk])
    data = new_form(client, article, "?kind=claim&start=0&end=5")
    assert client.post(url, data, headers=HX).status_code == 200
    assert client.post(url, data | {"checkworthy": "on"}, headers=HX).status_code == 422
    assert client.post(url, new_form(client, article, "?kind=claim&start=0&end=5"), headers=HX).status_code == 200
    assert Annotation.objects.count() == 2


def test_a_refused_form_keeps_its_key_and_saves_once_corrected(client, article, annotator):
    client.force_login(annotator)
    url = reverse("annotation_create", args=[article.pk])
    data = new_form(client, article, "?kind=claim&start=0&end=5")
    refused = client.post(url, data | {"category": "gossip"}, headers=HX)
    assert refused.status_code == 422
    assert f'value="{data["idempotency_key"]}"' in refused.content.decode()
    assert client.post(url, data, headers=HX).status_code == 200
    assert client.post(url, data, headers=HX).status_code == 200
    assert Annotation.objects.count() == 1


def test_the_gold_form_sent_twice_creates_one_gold_annotation(client, article, annotator, reviewer):
    client.force_login(reviewer)
    data = new_form(client, article, "?kind=claim&start=0&end=5&gold=1")
    url = reverse("gold_create", args=[article.pk])
    assert [client.post(url, data, headers=HX).status_code for _ in range(2)] == [200, 200]
    gold = Annotation.objects.get()
    assert gold.status == Status.APPROVED
    assert Review.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_the_form_at_once_creates_one_annotation(article, annotator):
    client = secure_client(annotator)
    data = new_form(client, article, "?kind=claim&start=0&end=5")
    url = reverse("annotation_create", args=[article.pk])
    responses = run_at_once([lambda: secure_client(annotator).post(url, data, headers=HX)] * 4)
    assert [r.status_code for r in responses] == [200] * 4
    assert Annotation.objects.count() == 1
