"""Bad input to the API is a JSON 4xx naming the field and the reason, never a 500 (found by tests/test_api_fuzz.py)."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from annotator.annotations.models import Annotation
from annotator.annotations.services import create_annotation, submit_article
from annotator.articles.models import Article, Project
from tests.factories import ArticleFactory, UserFactory
from tests.test_api import API, BODY, Api

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, body=BODY)


@pytest.fixture
def submitted(article, annotator):
    annotation = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    submit_article(actor=annotator, article=article)
    annotation.refresh_from_db()
    return annotation


def raw_post(api: Api, path: str, body: bytes | str):
    return api.client.post(API + path, data=body, content_type="application/json", headers=api.headers)


# --- annotations ------------------------------------------------------------------------------------


def test_an_annotation_without_offsets_is_400_unless_it_is_a_document_stance(article, annotator):
    api = Api(annotator)
    claim = api.post(f"/articles/{article.pk}/annotations/", {"kind": "claim"})
    assert claim.status_code == 400
    assert "needs a span" in claim.json()["errors"]["start"][0]
    stance = api.post(
        f"/articles/{article.pk}/annotations/",
        {"kind": "stance", "attributes": {"target": "rates", "polarity": "favor"}},
    )
    assert stance.status_code == 201
    assert (stance.json()["start"], stance.json()["end"], stance.json()["text"]) == (None, None, None)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "quote", "start": 0, "end": 5, "attributes": {"speaker": "Ana\x00"}}, "attributes.speaker"),
        ({"kind": "stance", "attributes": {"target": "x\x00", "polarity": "favor"}}, "attributes.target"),
        ({"kind": "claim", "start": 0, "end": 5, "attributes": {"verdict_note": "\x00"}}, "attributes.verdict_note"),
    ],
)
def test_a_nul_character_in_an_attribute_is_400_naming_it(article, annotator, payload, field):
    api = Api(annotator)
    one = api.post(f"/articles/{article.pk}/annotations/", payload)
    assert one.status_code == 400
    assert "NUL" in one.json()["errors"][field][0]
    many = api.post(f"/articles/{article.pk}/annotations/", [{"kind": "claim", "start": 0, "end": 5}, payload])
    assert many.status_code == 400
    assert field in many.json()["errors"]["1"]
    assert not Annotation.objects.exists()


def test_a_nul_character_in_an_edited_attribute_is_400_and_changes_nothing(submitted, annotator):
    response = Api(annotator).patch(f"/annotations/{submitted.pk}/", {"attributes": {"verdict_note": "a\x00b"}})
    assert response.status_code == 400
    assert "attributes.verdict_note" in response.json()["errors"]
    submitted.refresh_from_db()
    assert submitted.version == 2 and submitted.attributes["verdict_note"] == ""


@pytest.mark.parametrize(
    ("payload", "field", "reason"),
    [
        ({"kind": "claim", "start": "0", "end": 5}, "start", "must be a whole number, not a string"),
        ({"kind": "claim", "start": 0, "end": 5.0}, "end", "must be a whole number, not a decimal number"),
        ({"kind": "claim", "start": 0, "end": 5, "text": 5}, "text", "must be a string, not a number"),
        ({"kind": 1, "start": 0, "end": 5}, "kind", "must be a string, not a number"),
        ({"kind": "claim", "start": 0, "end": 5, "attributes": ["category"]}, "attributes", "dictionary"),
    ],
)
def test_a_value_of_the_wrong_json_type_is_400_not_converted(article, annotator, payload, field, reason):
    response = Api(annotator).post(f"/articles/{article.pk}/annotations/", payload)
    assert response.status_code == 400
    assert reason in response.json()["errors"][field][0]
    assert not Annotation.objects.exists()


def test_review_fields_of_the_wrong_type_are_400(submitted, article, reviewer):
    api = Api(reviewer)
    one = api.post(f"/annotations/{submitted.pk}/review/", {"decision": "reject", "comment": 0})
    assert one.status_code == 400
    assert one.json()["errors"]["comment"] == ["must be a string, not a number"]
    bulk = api.post(f"/articles/{article.pk}/review/", {"decision": "approve", "ids": [str(submitted.pk)]})
    assert bulk.status_code == 400
    assert bulk.json()["errors"]["ids"] == ["item 0 must be a whole number, not a string"]
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_an_if_match_that_is_not_ascii_digits_is_400(submitted, annotator):
    response = Api(annotator).patch(f"/annotations/{submitted.pk}/", {}, headers={"If-Match": '"²"'})
    assert response.status_code == 400
    assert "If-Match" in response.json()["errors"]


def test_the_history_of_an_id_that_is_not_a_number_is_a_json_404(annotator):
    response = Api(annotator).get("/annotations/null,null/history/")
    assert response.status_code == 404
    assert response.json()["detail"] == "Not found, or not yours to see."


# --- request bodies -----------------------------------------------------------------------------------


def test_json_nested_deeper_than_the_decoder_goes_is_400(article, annotator):
    response = raw_post(Api(annotator), f"/articles/{article.pk}/annotations/", "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_a_json_body_over_the_upload_limit_is_a_json_413_and_nothing_is_stored(project, admin, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    api = Api(admin)
    small = api.post(f"/projects/{project.slug}/articles/", {"body": "A short story."})
    assert small.status_code == 201
    response = api.post(f"/projects/{project.slug}/articles/", {"body": "A long story. " * 1_000})
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in response.json()["detail"]
    assert Article.objects.count() == 1


def test_adding_articles_without_a_body_is_400(project, admin):
    response = raw_post(Api(admin), f"/projects/{project.slug}/articles/", b"")
    assert response.status_code == 400
    assert "items" in response.json()["errors"]


# --- projects, members, users -------------------------------------------------------------------------


def test_a_nul_character_in_a_label_is_400_naming_the_vocabulary(project, admin):
    admin.is_staff = True
    admin.save()
    api = Api(admin)
    edited = api.patch(f"/projects/{project.slug}/", {"label_config": {"claim": {"categories": ["fact", "a\x00"]}}})
    assert edited.status_code == 400
    assert "NUL" in edited.json()["errors"]["label_config.claim.categories"][0]
    created = api.post("/projects/", {"name": "Desk", "label_config": {"stance": {"targets": ["\x00"]}}})
    assert created.status_code == 400
    assert "label_config.stance.targets" in created.json()["errors"]
    assert not Project.objects.filter(name="Desk").exists()


@pytest.mark.parametrize("path", ["/projects/%00/", "/projects/{slug}%00/members/", "/projects/{slug}/members/a%00b/"])
def test_a_nul_character_in_a_slug_or_username_is_a_json_404(project, admin, path):
    api = Api(admin)
    response = api.call("delete" if path.endswith("b/") else "get", path.format(slug=project.slug))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found, or not yours to see."}


@pytest.mark.parametrize("password", ["12345678", "ninapetrova"])
def test_a_weak_password_is_400_naming_the_password(db, password):
    staff = UserFactory(username="stan", is_staff=True)
    response = Api(staff).post(
        "/users/", {"username": "ninapetrova", "password": password, "email": "nina@example.org"}
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"password"}


# --- lists ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("cursor=bm9wZQ", "cursor"),
        ("page_size=0", "page_size"),
        ("page_size=ten", "page_size"),
    ],
)
def test_a_cursor_or_page_size_we_did_not_hand_out_is_400(project, annotator, query, field):
    response = Api(annotator).get(f"/projects/?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("source=%00", "source"),
        ("published_after=yesterday", "published_after"),
        ("published_before=", "published_before"),
    ],
)
def test_a_bad_article_filter_is_400_naming_it(project, annotator, query, field):
    response = Api(annotator).get(f"/projects/{project.slug}/articles/?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_article_filters_still_filter(project, annotator):
    ArticleFactory(project=project, body="Old story.", published_at="2020-01-01T00:00:00Z")
    ArticleFactory(project=project, body="New story.", published_at="2025-01-01T00:00:00Z")
    found = Api(annotator).get(f"/projects/{project.slug}/articles/?published_after=2024-01-01T00:00:00Z").json()
    assert [a["published_at"] for a in found["results"]] == ["2025-01-01T00:00:00Z"]


# --- addresses and the schema ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/annotations/0.5/", "/articles/1/nothing/", "/nothing/"])
def test_an_api_address_that_names_no_endpoint_is_a_json_404(annotator, path):
    response = Api(annotator).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found, or not yours to see."}


def test_a_missing_page_outside_the_api_is_still_html(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_every_operation_documents_the_errors_it_can_answer(annotator):
    api = Api(annotator)
    spec = json.loads(api.client.get(f"{API}/schema/", headers=api.headers | {"Accept": "application/json"}).content)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "400" in codes, (method, path)
            if path != "/api/v1/auth/token/":
                assert {"401", "404"} <= codes, (method, path)
    articles = spec["paths"]["/api/v1/projects/{slug}/articles/"]["post"]["responses"]
    assert {"200", "201"} <= set(articles), "an import that stores nothing new answers 200"


def test_a_publication_date_that_python_cannot_read_back_is_rejected(project, admin):
    api = Api(admin)
    api.client.raise_request_exception = False
    added = api.post(
        f"/projects/{project.slug}/articles/", {"body": "Late.", "published_at": "9999-12-31T23:00:00-14:00"}
    )
    assert added.json()["rejected"] == 1
    assert api.get(f"/projects/{project.slug}/articles/").status_code == 200


def test_a_pending_suggestion_in_a_list_has_a_null_author_and_the_schema_says_so(article, annotator):
    Annotation.objects.create(
        article=article, kind="claim", start=0, end=5, text=article.body[:5], origin="suggested", suggester="test"
    )
    api = Api(annotator)
    listed = api.get(f"/articles/{article.pk}/annotations/").json()["results"]
    assert [a["author"] for a in listed] == [None]
    spec = json.loads(api.client.get(f"{API}/schema/", headers=api.headers | {"Accept": "application/json"}).content)
    assert spec["components"]["schemas"]["Annotation"]["properties"]["author"]["nullable"] is True


@pytest.mark.parametrize(
    ("until", "status"),
    [
        ("3553-10-27T01:55:52.0-18:43", 200),  # an offset Python reads and PostgreSQL refuses
        ("0001-01-01T00:00:00+05:00", 400),  # before the year 1 in UTC
        ("9999-12-31T23:30:00-05:00", 400),  # after the year 9999 in UTC
        ("9999-12-31", 200),
    ],
)
def test_export_bounds_past_what_postgresql_or_python_hold_are_not_a_500(project, reviewer, until, status):
    api = Api(reviewer)
    api.client.raise_request_exception = False
    response = api.get(f"/projects/{project.slug}/export/?format=jsonl&until={until.replace('+', '%2B')}")
    assert response.status_code == status, response.content[:300]
    if status == 400:
        assert "until" in response.json()["errors"]
