"""Values PostgreSQL refuses (time-zone offsets past ±15:59, lone surrogates, NUL, infinite or endless numbers,
forged cursors) are a 400 naming the field, or in an import the record rejected with its reason while the
others are stored, never a 500: `annotator/values.py` checks them for every service, import, filter and cursor."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import io
import json
from urllib.parse import quote

import hypothesis
import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck
from hypothesis import strategies as st

from annotator.annotations.kinds import KINDS
from annotator.annotations.models import Annotation, Review
from annotator.annotations.services import create_annotation, review_annotation, submit_article, update_annotation
from annotator.api.article_lists import checked_records
from annotator.articles.ingestion import read_named_file
from annotator.articles.models import Article, Project
from annotator.articles.services import create_project, import_articles, update_project
from annotator.suggestions.services import accept_suggestion
from annotator.values import clean_datetime, clean_id, clean_json, clean_text
from tests.factories import ArticleFactory
from tests.jobs import job_result
from tests.test_api import BODY, Api

pytestmark = pytest.mark.django_db

LONE = "Kova\ud800"
PAST_OFFSET = "2024-01-01T00:00:00+20:00"
FORGED_CURSOR = base64.b64encode(b"p=abc").decode()  # cD1hYmM=


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, body=BODY)


@pytest.fixture
def staff_admin(admin):
    admin.is_staff = True
    admin.save()
    return admin


def messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


def upload(api: Api, project, name: str, content: bytes):
    handle = io.BytesIO(content)
    handle.name = name
    return api.client.post(
        f"/api/v1/projects/{project.slug}/articles/import/", data={"file": handle}, headers=api.headers
    )


# --- the checks ------------------------------------------------------------------------------------


def test_clean_text_refuses_nul_and_lone_surrogates_naming_the_field_and_position():
    assert clean_text("Kovač 📉", "title") == "Kovač 📉"
    with pytest.raises(ValidationError) as nul:
        clean_text("ab\x00", "title")
    assert messages(nul.value) == {"title": ["contains a NUL character at position 2"]}
    with pytest.raises(ValidationError) as lone:
        clean_text(LONE, "title")
    assert messages(lone.value) == {"title": ["is not valid UTF-8 (a lone surrogate, '\\ud800', at position 4)"]}


@pytest.mark.parametrize(
    ("value", "path", "message"),
    [
        ({"speaker": "a\x00"}, "attributes.speaker", "contains a NUL character at position 1"),
        ({"a\udc80": 1}, "attributes", "has a key, 'a\\udc80', that is not valid UTF-8"),
        ({"tags": ["ok", LONE]}, "attributes.tags", "[1] is not valid UTF-8"),
        ({"score": float("inf")}, "attributes.score", "holds inf, which JSON does not allow"),
        ({"score": float("nan")}, "attributes.score", "holds nan, which JSON does not allow"),
        ({"count": 10**5000}, "attributes.count", "has more than 4000 digits"),
        ({"when": dt.date(2024, 1, 1)}, "attributes.when", "holds a date, which is not a JSON value"),
        ({1: "x"}, "attributes", "has a key, 1, that must be text"),
    ],
)
def test_clean_json_names_the_path_of_what_jsonb_cannot_hold(value, path, message):
    with pytest.raises(ValidationError) as refused:
        clean_json(value, "attributes")
    assert list(messages(refused.value)) == [path]
    assert messages(refused.value)[path][0].startswith(message)


def test_clean_json_bounds_the_depth_and_keeps_what_jsonb_holds():
    deep: list = []
    for _ in range(150):
        deep = [deep]
    with pytest.raises(ValidationError, match="nested deeper than 100 levels"):
        clean_json({"x": deep}, "metadata")
    fine = {"n": [1, -2.5, 10**300, None, True, {"ü": "📉"}]}
    assert clean_json(fine, "metadata") is fine


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=20))), "has the offset +20:00"),
        (dt.datetime(2024, 1, 1, tzinfo=dt.timezone(-dt.timedelta(hours=16))), "has the offset -16:00"),
        (dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))), "is outside the years 1 to 9999 in UTC"),
        (dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(-dt.timedelta(hours=5))), "is outside the years"),
        (dt.datetime(2024, 1, 1), "has no time zone"),
        ("2024-01-01", "must be a date-time"),
    ],
)
def test_clean_datetime_refuses_what_postgresql_or_python_cannot_hold(value, message):
    with pytest.raises(ValidationError) as refused:
        clean_datetime(value, "published_at")
    assert message in messages(refused.value)["published_at"][0]


def test_clean_datetime_gives_the_moment_in_utc():
    moment = dt.datetime(2024, 1, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=15, minutes=59)))
    assert clean_datetime(moment, "at") == moment
    assert clean_datetime(moment, "at").utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize("value", ["abc", "", "1.5", "99999999999999999999", "١٢", True, None, 2**63])
def test_clean_id_refuses_what_is_not_a_bigint(value):
    with pytest.raises(ValidationError):
        clean_id(value, "cursor")


# --- (a) time-zone offsets -------------------------------------------------------------------------


def test_an_article_published_past_the_largest_offset_is_400_naming_published_at(project, admin):
    response = Api(admin).post(f"/projects/{project.slug}/articles/", {"body": "Late.", "published_at": PAST_OFFSET})
    assert response.status_code == 400
    assert "+20:00" in response.json()["errors"]["published_at"][0]
    assert not Article.objects.exists()


def test_a_list_with_one_article_past_the_largest_offset_stores_the_others(project, admin):
    articles = [{"body": "First."}, {"body": "Late.", "published_at": PAST_OFFSET}, {"body": "Third."}]
    response = Api(admin).post(f"/projects/{project.slug}/articles/", articles)
    assert response.status_code == 201
    assert (response.json()["added"], response.json()["rejected"]) == (2, 1)
    assert response.json()["errors"][0]["where"] == "item 1"
    assert "published_at" in response.json()["errors"][0]["reason"]
    assert sorted(Article.objects.values_list("body", flat=True)) == ["First.", "Third."]


def test_an_upload_with_one_article_past_the_largest_offset_stores_the_others(project, admin):
    lines = [{"body": "First."}, {"body": "Late.", "published_at": "2024-01-01T00:00:00-23:59"}, {"body": "Third."}]
    content = "".join(json.dumps(line) + "\n" for line in lines).encode()
    response = upload(Api(admin), project, "feed.jsonl", content)
    assert job_result(response)["errors"] == [
        {"where": "feed.jsonl line 2", "reason": "published_at has the offset -23:59, past the ±15:59 of any time zone"}
    ]
    assert Article.objects.count() == 2


def test_an_offset_within_the_largest_is_stored_as_its_moment(project, admin):
    response = Api(admin).post(
        f"/projects/{project.slug}/articles/", {"body": "Early.", "published_at": "2024-01-01T00:00:00+15:30"}
    )
    assert response.status_code == 201
    assert Article.objects.get().published_at == dt.datetime(2023, 12, 31, 8, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("name", ["published_after", "published_before"])
@pytest.mark.parametrize("moment", [PAST_OFFSET, "0001-01-01T00:00:00+01:00"])
def test_an_article_filter_past_what_postgresql_holds_is_400_naming_it(project, annotator, name, moment):
    response = Api(annotator).get(f"/projects/{project.slug}/articles/?{name}={quote(moment)}")
    assert response.status_code == 400
    assert name in response.json()["errors"]


# --- (b) lone surrogates, NUL and numbers in JSON and text ------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "quote", "start": 0, "end": 5, "attributes": {"speaker": LONE}}, "attributes.speaker"),
        ({"kind": "quote", "start": 0, "end": 5, "attributes": {LONE: "x"}}, "attributes"),
        ({"kind": "stance", "attributes": {"target": "rates", "polarity": "favor", "x": [LONE]}}, "attributes.x"),
    ],
)
def test_a_lone_surrogate_in_an_annotation_is_400_naming_it(article, annotator, payload, field):
    response = Api(annotator).post(f"/articles/{article.pk}/annotations/", payload)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Annotation.objects.exists()


def test_the_annotation_services_refuse_lone_surrogates_and_endless_numbers_naming_the_attribute(article, annotator):
    with pytest.raises(ValidationError) as created:
        create_annotation(actor=annotator, article=article, kind="quote", start=0, end=5, attributes={"speaker": LONE})
    assert "attributes.speaker" in messages(created.value)
    annotation = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    with pytest.raises(ValidationError) as edited:
        update_annotation(actor=annotator, annotation=annotation, attributes={"verdict_note": "a\x00"})
    assert "NUL" in messages(edited.value)["attributes.verdict_note"][0]
    with pytest.raises(ValidationError) as infinite:
        update_annotation(actor=annotator, annotation=annotation, attributes={"checkworthy": float("inf")})
    assert "attributes.checkworthy" in messages(infinite.value)


def test_accepting_a_suggestion_with_a_lone_surrogate_is_400_and_the_service_refuses_it(article, annotator):
    suggestion = Annotation.objects.create(
        article=article, kind="claim", start=0, end=5, text=BODY[:5], origin="suggested", suggester="test"
    )
    response = Api(annotator).post(f"/annotations/{suggestion.pk}/accept/", {"attributes": {"verdict_note": LONE}})
    assert response.status_code == 400
    assert "attributes.verdict_note" in response.json()["errors"]
    with pytest.raises(ValidationError) as refused:
        accept_suggestion(actor=annotator, suggestion=suggestion, attributes={"verdict_note": LONE})
    assert "attributes.verdict_note" in messages(refused.value)


def test_a_lone_surrogate_in_a_label_is_400_and_the_project_services_refuse_it(project, staff_admin):
    api = Api(staff_admin)
    edited = api.patch(f"/projects/{project.slug}/", {"label_config": {"claim": {"categories": ["fact", LONE]}}})
    assert edited.status_code == 400
    assert edited.json()["errors"]["label_config.claim.categories"][0].startswith("[1] is not valid UTF-8")
    with pytest.raises(ValidationError) as label:
        update_project(actor=staff_admin, project=project, label_config={"claim": {"categories": ["fact", LONE]}})
    assert "label_config.claim.categories" in messages(label.value)
    with pytest.raises(ValidationError) as kind:
        update_project(actor=staff_admin, project=project, label_config={LONE: {}})
    assert "label_config" in messages(kind.value)


@pytest.mark.parametrize("field", ["name", "description", "guidelines"])
@pytest.mark.parametrize("value", [LONE, "a\x00b"])
def test_the_project_services_refuse_text_postgresql_cannot_store_naming_the_field(project, staff_admin, field, value):
    with pytest.raises(ValidationError) as updated:
        update_project(actor=staff_admin, project=project, **{field: value})
    assert field in messages(updated.value)
    with pytest.raises(ValidationError) as created:
        create_project(actor=staff_admin, **{"name": "Desk", field: value})
    assert field in messages(created.value)
    assert not Project.objects.filter(slug="desk").exists()


def test_a_review_comment_postgresql_cannot_store_is_refused_naming_the_comment(article, annotator, reviewer):
    annotation = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    submit_article(actor=annotator, article=article)
    for comment in (LONE, "fix\x00"):
        with pytest.raises(ValidationError) as refused:
            review_annotation(actor=reviewer, annotation=annotation, decision="reject", comment=comment)
        assert "comment" in messages(refused.value)
    assert not Review.objects.exists()


def test_an_import_rejects_the_record_whose_annotation_or_metadata_postgresql_cannot_store(project, admin):
    lines = [
        {"body": "First said so.", "annotations": [{"kind": "quote", "start": 0, "end": 5, "speaker": LONE}]},
        {"body": "Second said so.", "annotations": [{"kind": "claim", "start": 0, "end": 6, LONE: 1}]},
        {"body": "Third said so.", "metadata": {"score": 1e400}},
        {"body": "Fourth said so.", "title": "T\x00"},
        {"body": "Fifth said so.", "annotations": [{"kind": "claim", "start": 0, "end": 5}]},
    ]
    content = "".join(json.dumps(line) + "\n" for line in lines).encode()
    items = read_named_file("feed.jsonl", lambda: io.BytesIO(content))
    summary = import_articles(project=project, actor=admin, items=items, suggest=False)
    reasons = {r.where: r.reason for r in summary.rejected}
    assert list(reasons) == [f"feed.jsonl line {n}" for n in (1, 2, 3, 4)]
    assert "speaker" in reasons["feed.jsonl line 1"] and "UTF-8" in reasons["feed.jsonl line 1"]
    assert "has a key, 'Kova\\ud800'" in reasons["feed.jsonl line 2"]
    assert reasons["feed.jsonl line 3"] == "metadata.score holds inf, which JSON does not allow"
    assert reasons["feed.jsonl line 4"] == "title contains a NUL character at position 1"
    assert list(Article.objects.values_list("body", flat=True)) == ["Fifth said so."]
    assert Annotation.objects.count() == 1


def test_a_json_body_with_a_lone_surrogate_anywhere_is_a_400_naming_where(project, admin):
    api = Api(admin)
    token = api.post("/auth/token/", {"username": LONE, "password": "whatever-it-is"})
    assert token.status_code == 400
    assert "username" in token.json()["errors"]
    many = api.post(f"/projects/{project.slug}/articles/", [{"body": "Fine."}, {"body": "x", "metadata": {"k": LONE}}])
    assert many.status_code == 400
    assert "metadata.k" in many.json()["errors"]["1"]
    assert not Article.objects.exists()


def test_an_articles_text_with_nul_or_a_lone_surrogate_is_refused_by_the_ingestion_rule_on_every_api_path(
    project, admin
):
    """The API's article input leaves these checks of the title and body to clean_fields (one rule, one message):
    one article, a short list stored in the request, and the items a job's worker checks (read back from the
    database, past the parser's check for lone surrogates)."""
    api = Api(admin)
    one = api.post(f"/projects/{project.slug}/articles/", {"title": "Fine", "body": "Said\x00 so."})
    assert one.status_code == 400
    assert one.json()["errors"] == {"body": ["body contains a NUL character at position 4"]}
    short = api.post(f"/projects/{project.slug}/articles/", [{"body": "Fine."}, {"title": "A\x00B", "body": "x"}])
    assert (short.status_code, short.json()["added"], short.json()["rejected"]) == (201, 1, 1)
    assert short.json()["errors"][0]["reason"] == "title contains a NUL character at position 1"
    records, errors = checked_records([{"body": "Fine."}, {"title": "x", "text": f"{LONE}."}])
    assert records[1].reason == "body is not valid UTF-8 (a lone surrogate, '\\ud800', at position 4)"
    assert errors == {"body": [records[1].reason]}
    assert list(Article.objects.values_list("body", flat=True)) == ["Fine."]


# --- (c) forged cursors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cursor", [FORGED_CURSOR, base64.b64encode(b"p=1%00").decode(), "cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5"]
)
@pytest.mark.parametrize("path", ["/projects/", "/projects/{slug}/articles/", "/articles/{article}/annotations/"])
def test_a_forged_cursor_on_any_list_is_400_naming_the_cursor(project, article, annotator, cursor, path):
    url = path.format(slug=project.slug, article=article.pk)
    response = Api(annotator).get(f"{url}?cursor={quote(cursor)}")
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_a_forged_cursor_on_the_list_of_users_is_400(admin_user):
    response = Api(admin_user).get(f"/users/?cursor={FORGED_CURSOR}")
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_a_cursor_handed_out_still_pages(project, annotator):
    ArticleFactory.create_batch(3, project=project)
    api = Api(annotator)
    first = api.get(f"/projects/{project.slug}/articles/?page_size=2").json()
    second = api.client.get(first["next"], headers=api.headers)
    assert second.status_code == 200
    assert len(second.json()["results"]) == 1


# --- every write, with hostile values (property-based) ----------------------------------------------

HOSTILE_CHARACTERS = "\x00\ud800\udbff\udc00\udfff"
hostile_text = st.lists(st.one_of(st.characters(), st.sampled_from(HOSTILE_CHARACTERS)), max_size=8).map("".join)
# What json.dumps can write (the API's clients send JSON); the services also get numbers no JSON text holds.
wire_numbers = st.one_of(st.integers(), st.floats(), st.sampled_from([1e308, -(2**63), 2**64, 10**300]))
hostile_numbers = st.one_of(wire_numbers, st.sampled_from([10**4100, -(10**4100)]))  # past MAX_JSON_DIGITS


def json_of(numbers):
    scalars = st.one_of(st.none(), st.booleans(), numbers, hostile_text)
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
        max_leaves=6,
    )


OFFSETS = ["Z", "", "+15:59", "-15:59", "+16:00", "+20:00", "-23:59", "+05:30:30", "+00:00:00.5", "+24:00"]
hostile_moments = st.one_of(
    st.builds(lambda moment, offset: moment.isoformat() + offset, st.datetimes(), st.sampled_from(OFFSETS)),
    hostile_text,
)
ATTRIBUTE_NAMES = sorted({a.name for kind in KINDS.values() for a in kind.attributes})


def attributes_of(numbers):
    names = st.one_of(st.sampled_from(ATTRIBUTE_NAMES), hostile_text)
    return st.dictionaries(names, st.one_of(hostile_text, json_of(numbers)), max_size=3)


HOSTILE = hypothesis.settings(
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def refused_or_done(call) -> None:
    """Run the call in a savepoint rolled back after it: it succeeds or raises ValidationError, nothing else
    (a DataError from PostgreSQL, a UnicodeEncodeError from psycopg or a TypeError fails the test)."""
    with transaction.atomic():
        with contextlib.suppress(ValidationError):
            call()
        transaction.set_rollback(True)


@HOSTILE
@hypothesis.given(kind=st.sampled_from(sorted(KINDS)), attributes=attributes_of(hostile_numbers))
def test_the_annotation_services_take_any_attributes_or_refuse_them(article, annotator, kind, attributes):
    start, end = (None, None) if kind == "stance" else (0, 5)
    refused_or_done(
        lambda: create_annotation(
            actor=annotator, article=article, kind=kind, start=start, end=end, attributes=attributes
        )
    )
    refused_or_done(
        lambda: update_annotation(
            actor=annotator,
            annotation=create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5),
            attributes=attributes,
        )
    )


@HOSTILE
@hypothesis.given(
    texts=st.fixed_dictionaries({"name": hostile_text, "description": hostile_text, "guidelines": hostile_text}),
    labels=st.lists(hostile_text, max_size=3),
    config=json_of(hostile_numbers),
)
def test_the_project_services_take_any_settings_or_refuse_them(project, staff_admin, texts, labels, config):
    refused_or_done(lambda: update_project(actor=staff_admin, project=project, **texts))
    refused_or_done(
        lambda: update_project(actor=staff_admin, project=project, label_config={"claim": {"categories": labels}})
    )
    refused_or_done(lambda: update_project(actor=staff_admin, project=project, label_config=config))
    refused_or_done(lambda: create_project(actor=staff_admin, **texts, label_config={"stance": {"targets": labels}}))


@HOSTILE
@hypothesis.given(
    fields=st.fixed_dictionaries(
        {"body": hostile_text},
        optional={
            "title": hostile_text,
            "byline": hostile_text,
            "published_at": hostile_moments,
            "metadata": json_of(hostile_numbers),
            "desk": json_of(hostile_numbers),
        },
    ),
    annotations=st.lists(
        st.fixed_dictionaries({"kind": st.sampled_from(sorted(KINDS)), "start": st.just(0), "end": st.just(1)}).flatmap(
            lambda item: attributes_of(hostile_numbers).map(lambda extra: {**extra, **item})
        ),
        max_size=2,
    ),
)
def test_an_import_stores_the_good_record_beside_any_hostile_one(project, admin, fields, annotations):
    from annotator.articles.ingestion import ArticleRecord, RecordError, Rejection, clean_fields

    def record(raw, brought=None):
        try:
            return ArticleRecord("item", clean_fields(raw), brought)
        except RecordError as exc:
            return Rejection("item", str(exc))

    good = {"body": "A good record, stored whatever comes after it."}
    with transaction.atomic():
        summary = import_articles(
            project=project,
            actor=admin,
            items=[record(good), record({**fields, "body": f"x{fields['body']}"}, annotations)],
            suggest=False,
        )
        assert summary.added + summary.duplicates + len(summary.rejected) == 2
        assert Article.objects.filter(body=good["body"]).exists()
        transaction.set_rollback(True)


def _api_calls(project, article, annotation):
    """Each write endpoint (and the list filters and cursor) with a drawn hostile value."""
    slug = project.slug
    return {
        "annotate": lambda api, v: api.post(
            f"/articles/{article.pk}/annotations/",
            {"kind": "quote", "start": 0, "end": 5, "attributes": v["attributes"]},
        ),
        "annotate many": lambda api, v: api.post(
            f"/articles/{article.pk}/annotations/",
            [{"kind": "claim", "start": 0, "end": 5, "attributes": v["attributes"]}],
        ),
        "edit": lambda api, v: api.patch(f"/annotations/{annotation.pk}/", {"attributes": v["attributes"]}),
        "review": lambda api, v: api.post(
            f"/annotations/{annotation.pk}/review/", {"decision": "reject", "comment": v["text"]}
        ),
        "add article": lambda api, v: api.post(
            f"/projects/{slug}/articles/",
            [
                {"body": "Good."},
                {"body": f"x{v['text']}", "title": v["text"], "published_at": v["moment"], "metadata": v["json"]},
            ],
        ),
        "project": lambda api, v: api.patch(
            f"/projects/{slug}/", {"name": v["text"], "label_config": {"claim": {"categories": [v["text"]]}}}
        ),
        "filter": lambda api, v: api.get(
            f"/projects/{slug}/articles/?published_after={quote(v['moment'], errors='surrogatepass')}"
            f"&cursor={quote(base64.b64encode(('p=' + v['text']).encode('utf-8', 'surrogatepass')).decode())}"
        ),
    }


@HOSTILE
@hypothesis.given(
    call=st.sampled_from(["annotate", "annotate many", "edit", "review", "add article", "project", "filter"]),
    values=st.fixed_dictionaries(
        {
            "text": hostile_text,
            "moment": hostile_moments,
            "json": json_of(wire_numbers),
            "attributes": attributes_of(wire_numbers),
        }
    ),
)
def test_no_write_endpoint_answers_500_to_hostile_values(project, article, staff_admin, annotator, call, values):
    annotation = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    submit_article(actor=annotator, article=article)
    with transaction.atomic():
        response = _api_calls(project, article, annotation)[call](Api(staff_admin), values)
        assert response.status_code < 500, response.content[:300]
        transaction.set_rollback(True)
