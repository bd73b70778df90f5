"""The REST API: auth, the permission matrix, articles, annotations with ETag/If-Match, bulk, review, errors."""

from __future__ import annotations

import io
import json

import pytest
from django.core.cache import cache

from annotator.accounts.models import Membership, Role
from annotator.annotations.models import Annotation, Status
from annotator.annotations.services import create_annotation
from annotator.articles.models import Article
from tests.conftest import SecureClient
from tests.factories import ArticleFactory, UserFactory
from tests.jobs import job_result

pytestmark = pytest.mark.django_db
API = "/api/v1"
BODY = "Prime Minister Ana Kovač said “inflation will fall below 3% by June” 📉 — critics 😐 disagreed."


class Api:
    """A client that speaks JSON with a token, as scripts do."""

    def __init__(self, user=None, token: str | None = None):
        self.client = SecureClient()
        self.headers = {}
        if user is not None:
            from rest_framework.authtoken.models import Token

            token = Token.objects.get_or_create(user=user)[0].key
        if token:
            self.headers["Authorization"] = f"Token {token}"

    def call(self, method: str, path: str, data=None, headers=None, **kwargs):
        body = json.dumps(data) if data is not None else None
        return getattr(self.client, method)(
            API + path,
            data=body,
            content_type="application/json",
            headers={**self.headers, **(headers or {})},
            **kwargs,
        )

    def get(self, path, **kw):
        return self.call("get", path, **kw)

    def post(self, path, data=None, **kw):
        return self.call("post", path, data, **kw)

    def patch(self, path, data=None, **kw):
        return self.call("patch", path, data, **kw)

    def delete(self, path, **kw):
        return self.call("delete", path, **kw)


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, body=BODY)


def span(fragment: str) -> dict:
    start = BODY.index(fragment)
    return {"start": start, "end": start + len(fragment), "text": fragment}


# --- auth -----------------------------------------------------------------------------------------


def test_a_token_is_traded_for_a_username_and_password_and_then_authenticates(project, annotator):
    anonymous = Api()
    response = anonymous.post("/auth/token/", {"username": "ann_annotator", "password": "correct horse battery staple"})
    assert response.status_code == 200
    token = response.json()["token"]
    assert Api(token=token).get("/projects/").json()["results"][0]["slug"] == project.slug
    assert anonymous.post("/auth/token/", {"username": "ann_annotator", "password": "wrong"}).status_code == 400
    assert anonymous.get("/projects/").status_code == 401


def test_repeated_token_attempts_are_throttled(annotator):
    """20 a minute from one client, whatever the usernames (one username is locked after 5: test_security.py)."""
    anonymous = Api()
    codes = [anonymous.post("/auth/token/", {"username": f"u{n}", "password": "x"}).status_code for n in range(22)]
    assert codes[:20] == [400] * 20
    assert codes[-1] == 429


# The permission matrix of every endpoint and actor is in tests/test_permissions.py.


# --- articles ---------------------------------------------------------------------------------------


def test_articles_are_added_one_or_many_with_duplicates_and_rejections_by_index(project, admin):
    api = Api(admin)
    one = api.post(f"/projects/{project.slug}/articles/", {"title": "One", "body": "Story one 🗞."})
    assert one.status_code == 201
    assert one.json()["added"] == 1
    many = api.post(
        f"/projects/{project.slug}/articles/",
        [{"text": "Story two."}, {"body": "Story one 🗞."}, {"body": "  "}, {"body": "x", "url": "javascript:x"}],
    )
    data = many.json()
    assert (data["added"], data["duplicates"], data["rejected"]) == (1, 1, 2)
    assert data["ids"][1] == one.json()["ids"][0]
    assert data["ids"][2] is None and data["ids"][3] is None
    assert [e["where"] for e in data["errors"]] == ["item 2", "item 3"]
    assert "http or https" in data["errors"][1]["reason"]


def test_articles_with_unknown_fields_are_rejected_by_name(project, admin):
    response = Api(admin).post(f"/projects/{project.slug}/articles/", [{"body": "Fine.", "colour": "red"}])
    assert response.json()["rejected"] == 1
    assert "colour" in response.json()["errors"][0]["reason"]


def test_a_file_upload_is_a_job_whose_result_is_the_same_summary(project, admin):
    api = Api(admin)
    content = b'{"body": "Good one."}\n{"body": \n{"text": "Second good."}\n'
    response = api.client.post(
        f"{API}/projects/{project.slug}/articles/import/",
        data={"file": _named(content, "feed.jsonl")},
        headers=api.headers,
    )
    assert response.status_code == 202
    data = job_result(response)
    assert (data["added"], data["rejected"]) == (2, 1)
    assert data["errors"][0]["where"] == "feed.jsonl line 2"


def _named(content: bytes, name: str):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def test_article_search_and_filters(project, annotator):
    ArticleFactory(project=project, title="Harbour strike", body="Dock workers walked out in Zürich.", source="Ledger")
    ArticleFactory(project=project, title="Budget", body="The minister spoke.", source="Courier")
    api = Api(annotator)
    found = api.get(f"/projects/{project.slug}/articles/?q=zürich").json()["results"]
    assert [a["title"] for a in found] == ["Harbour strike"]
    by_source = api.get(f"/projects/{project.slug}/articles/?source=Courier").json()["results"]
    assert [a["title"] for a in by_source] == ["Budget"]
    assert "body" not in by_source[0]


def test_one_article_is_read_with_its_body(article, annotator):
    data = Api(annotator).get(f"/articles/{article.pk}/").json()
    assert data["body"] == BODY


# --- annotations, ETag and If-Match ------------------------------------------------------------------


def test_an_annotation_round_trips_with_its_etag_and_a_stale_if_match_is_refused(article, annotator):
    api = Api(annotator)
    created = api.post(
        f"/articles/{article.pk}/annotations/",
        {"kind": "quote", **span("“inflation will fall below 3% by June”"), "attributes": {"speaker": "Ana Kovač"}},
    )
    assert created.status_code == 201
    assert created.headers["ETag"] == '"1"'
    pk = created.json()["id"]
    first = api.patch(f"/annotations/{pk}/", {"attributes": {"speaker": "A. Kovač"}}, headers={"If-Match": '"1"'})
    assert first.status_code == 200 and first.headers["ETag"] == '"2"'
    second = api.patch(f"/annotations/{pk}/", {"attributes": {"speaker": "Lost"}}, headers={"If-Match": '"1"'})
    assert second.status_code == 412
    assert second.json()["current"]["attributes"]["speaker"] == "A. Kovač"
    assert api.delete(f"/annotations/{pk}/", headers={"If-Match": '"1"'}).status_code == 412
    assert Annotation.objects.get(pk=pk).attributes["speaker"] == "A. Kovač"
    assert api.delete(f"/annotations/{pk}/", headers={"If-Match": '"2"'}).status_code == 204


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "claim", "start": 9, "end": 3}, "end"),
        ({"kind": "claim", "start": 0, "end": 500}, "end"),
        ({"kind": "claim", "start": -1, "end": 3}, "start"),
        ({"kind": "claim", "start": "zero", "end": 3}, "start"),
        ({"kind": "claim", "start": 0, "end": 5, "text": "Prim"}, "text"),
        ({"kind": "rumour", "start": 0, "end": 5}, "kind"),
        ({"kind": "claim", "start": 0, "end": 5, "attributes": {"verdict": "maybe"}}, "attributes.verdict"),
        ({"kind": "claim", "start": 0, "end": 5, "attributes": {"mood": "x"}}, "attributes.mood"),
        ({"kind": "claim", "start": 0, "end": 5, "colour": "red"}, "colour"),
        ({"kind": "quote", "start": None, "end": None}, "start"),
    ],
)
def test_bad_annotations_are_400_naming_the_field_and_nothing_is_stored(article, annotator, payload, field):
    response = Api(annotator).post(f"/articles/{article.pk}/annotations/", payload)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert response.json()["detail"]
    assert not Annotation.objects.exists()


def test_malformed_json_is_a_400_not_a_500(article, annotator):
    api = Api(annotator)
    response = api.client.post(
        f"{API}/articles/{article.pk}/annotations/",
        data="{not json",
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_a_bulk_create_stores_all_or_none_with_errors_by_index(article, annotator):
    api = Api(annotator)
    good = [{"kind": "claim", "start": i, "end": i + 5} for i in range(10)]
    bad = [
        *good[:3],
        {"kind": "claim", "start": 5, "end": 2},
        *good[3:],
        {"kind": "claim", "start": 0, "end": 4, "text": "x"},
    ]
    refused = api.post(f"/articles/{article.pk}/annotations/", bad)
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"3", "11"}
    assert not Annotation.objects.exists()
    stored = api.post(f"/articles/{article.pk}/annotations/", good)
    assert stored.status_code == 201
    assert [a["start"] for a in stored.json()] == list(range(10))
    assert Annotation.objects.count() == 10
    too_many = api.post(f"/articles/{article.pk}/annotations/", [good[0]] * 501)
    assert too_many.status_code == 400 and "500" in too_many.json()["detail"]


def test_cursor_pagination_walks_250_annotations_without_duplicates_or_gaps(article, annotator):
    api = Api(annotator)
    for offset in range(0, 250, 50):
        api.post(
            f"/articles/{article.pk}/annotations/",
            [{"kind": "claim", "start": i % 60, "end": i % 60 + 3} for i in range(offset, offset + 50)],
        )
    seen, url = [], f"/articles/{article.pk}/annotations/?page_size=40"
    while url:
        page = api.get(url).json()
        seen += [a["id"] for a in page["results"]]
        url = page["next"].split(API, 1)[1] if page["next"] else None
    assert len(seen) == 250 == len(set(seen))
    assert seen == sorted(Annotation.objects.values_list("pk", flat=True))


def test_list_queries_do_not_grow_with_the_page(article, annotator, django_assert_max_num_queries):
    api = Api(annotator)
    api.post(f"/articles/{article.pk}/annotations/", [{"kind": "claim", "start": 0, "end": 3}])
    with django_assert_max_num_queries(7):
        api.get(f"/articles/{article.pk}/annotations/")
    api.post(f"/articles/{article.pk}/annotations/", [{"kind": "claim", "start": i, "end": i + 3} for i in range(50)])
    with django_assert_max_num_queries(7):
        assert len(api.get(f"/articles/{article.pk}/annotations/").json()["results"]) == 51
    with django_assert_max_num_queries(7):
        api.get(f"/projects/{article.project.slug}/articles/")


# --- submit, review, history ------------------------------------------------------------------------


def test_submit_review_and_history_through_the_api(article, annotator, reviewer):
    author, lead = Api(annotator), Api(reviewer)
    pk = author.post(f"/articles/{article.pk}/annotations/", {"kind": "claim", **span("3% by June")}).json()["id"]
    assert author.post(f"/articles/{article.pk}/submit/").json() == {"submitted": 1}
    rejected = lead.post(f"/annotations/{pk}/review/", {"decision": "reject", "comment": "Too short."})
    assert rejected.json()["status"] == "rejected"
    again = lead.post(f"/annotations/{pk}/review/", {"decision": "approve"})
    assert again.status_code == 409 and "already rejected by rita_reviewer" in again.json()["detail"]
    author.patch(f"/annotations/{pk}/", span("below 3% by June"))
    author.post(f"/articles/{article.pk}/submit/")
    assert lead.post(f"/articles/{article.pk}/review/", {"decision": "approve", "ids": [pk]}).status_code == 200
    history = author.get(f"/annotations/{pk}/history/").json()
    assert [e["action"] for e in history] == ["created", "submitted", "rejected", "edited", "submitted", "approved"]
    assert history[2]["comment"] == "Too short."


def test_a_rejection_without_comment_is_400(article, annotator, reviewer):
    pk = (
        Api(annotator)
        .post(f"/articles/{article.pk}/annotations/", {"kind": "claim", "start": 0, "end": 5})
        .json()["id"]
    )
    Api(annotator).post(f"/articles/{article.pk}/submit/")
    response = Api(reviewer).post(f"/annotations/{pk}/review/", {"decision": "reject"})
    assert response.status_code == 400 and "comment" in response.json()["errors"]
    assert Annotation.objects.get(pk=pk).status == Status.SUBMITTED


# --- projects and members -----------------------------------------------------------------------------


def test_staff_create_a_project_and_its_admin_adds_members(db):
    staff = UserFactory(username="stan", is_staff=True)
    newcomer = UserFactory(username="nina")
    api = Api(staff)
    created = api.post("/projects/", {"name": "Fact desk", "annotators_per_article": 2})
    assert created.status_code == 201 and created.json()["slug"] == "fact-desk"
    added = api.post("/projects/fact-desk/members/", {"username": "nina", "role": "reviewer"})
    assert added.status_code == 201
    assert Membership.objects.role_of(newcomer, Membership.objects.get(user=newcomer).project) == Role.REVIEWER
    assert api.post("/projects/fact-desk/members/", {"username": "ghost", "role": "reviewer"}).status_code == 400
    assert api.delete("/projects/fact-desk/members/nina/").status_code == 204


def test_a_label_in_use_cannot_be_removed_from_the_label_config(project, article, admin, annotator):
    create_annotation(
        actor=annotator, article=article, kind="claim", start=0, end=5, attributes={"category": "statistic"}
    )
    response = Api(admin).patch(
        f"/projects/{project.slug}/", {"label_config": {"claim": {"categories": ["event", "other"]}}}
    )
    assert response.status_code == 400
    assert "statistic is used by annotations" in response.json()["detail"]


# --- schema and docs -------------------------------------------------------------------------------------


def test_the_openapi_schema_and_the_docs_are_served(annotator):
    api = Api(annotator)
    schema = api.client.get(f"{API}/schema/", headers=api.headers | {"Accept": "application/json"})
    assert schema.status_code == 200
    spec = json.loads(schema.content)
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in ("/api/v1/auth/token/", "/api/v1/articles/{id}/annotations/", "/api/v1/annotations/{id}/"):
        assert path in paths
    patch = paths["/api/v1/annotations/{id}/"]["patch"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"])
    docs = api.client.get(f"{API}/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
    assert Article.objects.count() == 0
