"""The API's default paths as clients meet them (issue 16, bench/peers.py): an article's annotations come whole
in one request, a create or a read asks the database a fixed number of times whatever the article holds, and a web
worker serving them never loads the suggesters' spaCy."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.annotations.models import Annotation, Origin
from annotator.api import article_views, views
from tests.browser import database_url, free_port
from tests.test_api import API, Api

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def suggestions(article, count: int) -> None:
    """Pending suggestions on the article, as the suggesters store them (no author)."""
    Annotation.objects.bulk_create(
        Annotation(
            article=article,
            kind="claim",
            start=i % 40,
            end=i % 40 + 5,
            text=article.body[i % 40 : i % 40 + 5],
            origin=Origin.SUGGESTED,
            suggester="test",
        )
        for i in range(count)
    )


def mine(article, count: int) -> list[dict]:
    return [
        {"kind": "quote", "start": i % 50, "end": i % 50 + 4, "attributes": {"speaker": "Someone"}}
        for i in range(count)
    ]


def test_an_articles_annotations_come_whole_in_one_request_by_default(article, annotator):
    api = Api(annotator)
    suggestions(article, 60)
    assert api.post(f"/articles/{article.pk}/annotations/", mine(article, 250)).status_code == 201
    page = api.get(f"/articles/{article.pk}/annotations/").json()
    assert len(page["results"]) == 310 and page["next"] is None
    ids = [a["id"] for a in page["results"]]
    assert ids == sorted(ids)


def test_an_article_past_the_cap_links_the_rest_and_page_size_still_pages(article, annotator, monkeypatch):
    api = Api(annotator)
    api.post(f"/articles/{article.pk}/annotations/", mine(article, 30))
    monkeypatch.setattr(views.WholeArticleCursor, "page_size", 20)
    first = api.get(f"/articles/{article.pk}/annotations/").json()
    assert len(first["results"]) == 20 and first["next"]
    rest = api.get(first["next"].split(API, 1)[1]).json()
    assert len(rest["results"]) == 10 and rest["next"] is None
    paged = api.get(f"/articles/{article.pk}/annotations/?page_size=7").json()
    assert len(paged["results"]) == 7 and "page_size=7" in paged["next"]


def test_page_size_over_the_cap_is_refused_as_bad_input_or_capped(article, annotator):
    api = Api(annotator)
    api.post(f"/articles/{article.pk}/annotations/", mine(article, 3))
    answer = api.get(f"/articles/{article.pk}/annotations/?page_size={views.ARTICLE_ANNOTATIONS_CAP + 1}")
    assert answer.status_code == 200 and len(answer.json()["results"]) == 3


def test_an_article_comes_with_the_annotations_its_reader_may_see_in_one_request(
    article, annotator, other_annotator, django_assert_max_num_queries
):
    api = Api(annotator)
    suggestions(article, 30)
    api.post(f"/articles/{article.pk}/annotations/", mine(article, 40))
    Api(other_annotator).post(f"/articles/{article.pk}/annotations/", mine(article, 5))  # drafts: not mine to see
    with django_assert_max_num_queries(3):  # the token, the article, its annotations
        whole = api.get(f"/articles/{article.pk}/").json()
    listed = api.get(f"/articles/{article.pk}/annotations/").json()["results"]
    assert len(whole["annotations"]) == 70 and whole["annotations"] == listed
    assert whole["annotations_next"] is None and whole["body"] == article.body
    api.post(f"/articles/{article.pk}/annotations/", mine(article, 200))
    with django_assert_max_num_queries(3):
        assert len(api.get(f"/articles/{article.pk}/").json()["annotations"]) == 270


def test_an_article_without_its_annotations_on_request_and_a_wrong_choice_named(
    article, annotator, django_assert_max_num_queries
):
    api = Api(annotator)
    api.post(f"/articles/{article.pk}/annotations/", mine(article, 3))
    with django_assert_max_num_queries(2):  # the token, the article
        alone = api.get(f"/articles/{article.pk}/?annotations=false").json()
    assert "annotations" not in alone and "annotations_next" not in alone and alone["id"] == article.pk
    wrong = api.get(f"/articles/{article.pk}/?annotations=no")
    assert wrong.status_code == 400 and "annotations" in wrong.json()["errors"]


def test_an_article_past_the_cap_links_the_rest_of_its_annotations(article, annotator, monkeypatch):
    api = Api(annotator)
    api.post(f"/articles/{article.pk}/annotations/", mine(article, 30))
    monkeypatch.setattr(article_views, "ARTICLE_ANNOTATIONS_CAP", 20)
    whole = api.get(f"/articles/{article.pk}/").json()
    assert len(whole["annotations"]) == 20
    rest = api.get(whole["annotations_next"].split(API, 1)[1]).json()
    assert len(rest["results"]) == 10 and rest["next"] is None
    assert [a["id"] for a in whole["annotations"] + rest["results"]] == sorted(
        Annotation.objects.filter(article=article).values_list("id", flat=True)
    )


def test_reading_an_article_and_its_annotations_asks_the_database_the_same_whatever_it_holds(
    article, annotator, other_annotator, django_assert_max_num_queries
):
    api = Api(annotator)
    api.post(f"/articles/{article.pk}/annotations/", mine(article, 1))
    with django_assert_max_num_queries(3):  # the token, the article, the annotations
        api.get(f"/articles/{article.pk}/annotations/")
    suggestions(article, 80)
    Api(other_annotator).post(f"/articles/{article.pk}/annotations/", mine(article, 40))
    api.post(f"/articles/{article.pk}/annotations/", mine(article, 200))
    with django_assert_max_num_queries(3):
        assert len(api.get(f"/articles/{article.pk}/annotations/").json()["results"]) == 281
    with django_assert_max_num_queries(3):  # the token, the article, its annotations
        assert len(api.get(f"/articles/{article.pk}/").json()["annotations"]) == 281


def test_a_single_create_asks_the_database_the_same_whatever_the_article_holds(
    article, annotator, django_assert_max_num_queries
):
    """The token; the article with the role; BEGIN; the row; the article's revision, read after the row (a
    correction that replaced the body meanwhile refuses the create: articles.revisions); the assignment; the
    suggestions it may resolve; the history; COMMIT. Suggestions that only cross its span are not even read."""
    api = Api(annotator)
    create = {"kind": "claim", "start": 60, "end": 64}
    with django_assert_max_num_queries(7):
        assert api.post(f"/articles/{article.pk}/annotations/", create).status_code == 201
    suggestions(article, 200)
    Annotation.objects.bulk_create(
        Annotation(
            article=article,
            kind="claim",
            start=start,
            end=start + 4,
            text=article.body[start : start + 4],
            origin=Origin.SUGGESTED,
            suggester="test",
        )
        for start in (58, 59, 61, 62)
    )
    api.post(f"/articles/{article.pk}/annotations/", mine(article, 200))
    with django_assert_max_num_queries(7):
        answer = api.post(f"/articles/{article.pk}/annotations/", create)
    assert answer.status_code == 201
    assert Annotation.objects.pending_suggestions().filter(article=article).count() == 204


def _request(port: int, method: str, path: str, body=None, headers=None) -> tuple[int, object]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, json.dumps(body) if body is not None else None, headers or {})
        answer = connection.getresponse()
        data = answer.read()
    except OSError:
        return 0, None
    finally:
        connection.close()
    is_json = answer.getheader("Content-Type", "").startswith("application/json")
    return answer.status, json.loads(data) if is_json else data


def _workers(server: subprocess.Popen) -> list[str]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    assert children, "gunicorn started no worker"
    return children


def _private_mib(pid: str) -> float:
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    return sum(int(line.split()[1]) for line in rollup if line.startswith("Private_")) / 1024


@pytest.mark.django_db(transaction=True)
def test_a_web_worker_shares_the_imports_and_never_loads_spacy_serving_creates_and_reads(article, annotator):
    """spaCy (the suggesters' sentence splitter) costs a web worker about 100 MB; it is loaded on first use, by
    the process that suggests, not by one that serves the API's default paths. The rest of the imports are the
    master's, shared by its workers."""
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=annotator).key
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url(), "HTTPS": "false", "DEBUG": "false", "PORT": str(port),
           "WORKERS": "1"}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--access-logfile", "/dev/null"],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while _request(port, "GET", "/accounts/login/")[0] != 200:
            assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
            time.sleep(0.2)
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        path = f"{API}/articles/{article.pk}/annotations/"
        assert _request(port, "POST", path, {"kind": "claim", "start": 0, "end": 5}, headers)[0] == 201
        status, page = _request(port, "GET", path, None, headers)
        assert status == 200 and len(page["results"]) == 1
        maps = "".join(Path(f"/proc/{pid}/maps").read_text() for pid in _workers(server))
        assert "psycopg" in maps  # the maps are the worker's, which loaded the database driver
        assert "/spacy/" not in maps and "/thinc/" not in maps
        # The master imported the app before forking (gunicorn.conf.py): a worker's own pages are what serving
        # wrote, about 10-15 MB, not a whole Django of its own (about 62 MB when each worker imported it).
        assert max(_private_mib(pid) for pid in _workers(server)) < 35
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris"])
def test_the_listing_read_as_rows_equals_each_annotations_own_representation(article, annotator, settings, zone):
    settings.TIME_ZONE = zone
    api = Api(annotator)
    suggestions(article, 2)
    api.post(f"/articles/{article.pk}/annotations/", mine(article, 2))
    stance = {"kind": "stance", "attributes": {"holder": "critics", "target": "the plan", "polarity": "against"}}
    api.post(f"/articles/{article.pk}/annotations/", stance)
    listed = api.get(f"/articles/{article.pk}/annotations/").json()["results"]
    one_by_one = [api.get(f"/annotations/{a['id']}/").json() for a in listed]
    assert len(listed) == 5 and listed == one_by_one
    assert {a["author"] for a in listed} == {None, annotator.username}
    assert all(a["created_at"].endswith("Z" if zone == "UTC" else "+01:00") for a in listed)
