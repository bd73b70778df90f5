"""A client that goes away mid-request, against the production server on loopback: a POST whose body stops
short stores nothing, and an export download closed after its first bytes frees its cursors and transaction."""

from __future__ import annotations

import datetime as dt
import json
import socket
import time
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token

from annotator.accounts.models import Role
from annotator.annotations.models import Annotation, AnnotationEvent
from annotator.articles.ingestion import content_hash
from annotator.articles.models import Article, Project
from tests.factories import NEWS_BODY, ArticleFactory, MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def open_socket(live_app: str, *, receive_buffer: int | None = None) -> socket.socket:
    parts = urlsplit(live_app)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if receive_buffer is not None:  # before connecting, so that the window the server sees stays small
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.settimeout(30)
    sock.connect((parts.hostname, parts.port))
    return sock


def request_head(method: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def send_part_then_hang_up(live_app: str, path: str, headers: dict[str, str], body: bytes, sent: int) -> bytes:
    """Announce the whole body (Content-Length), send only `sent` bytes of it and end the sending side, as a
    client does whose connection breaks (the server reads end-of-file either way); return what it answers."""
    sock = open_socket(live_app)
    sock.sendall(request_head("POST", path, {**headers, "Content-Length": str(len(body))}) + body[:sent])
    sock.shutdown(socket.SHUT_WR)
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
    sock.close()
    return answer


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


@pytest.fixture
def api_writer(db):
    project = ProjectFactory()
    user = MembershipFactory(project=project, role=Role.ADMIN).user
    article = ArticleFactory(project=project)
    token = Token.objects.create(user=user).key
    return project, user, article, {"Authorization": f"Token {token}", "Content-Type": "application/json"}


def quote_of(article: Article, fragment: str) -> dict:
    start = article.body.index(fragment)
    return {
        "kind": "quote",
        "start": start,
        "end": start + len(fragment),
        "text": fragment,
        "attributes": {"speaker": "Ana Kovač", "speaker_span": None, "cue_span": None, "quote_type": "direct"},
    }


def test_an_annotation_whose_body_stops_short_is_not_stored(live_app, api_writer):
    _, _, article, headers = api_writer
    body = json.dumps(quote_of(article, "inflation will fall below 3% by June,")).encode()
    for sent in (0, 1, len(body) // 2, len(body) - 1):
        answer = send_part_then_hang_up(live_app, f"/api/v1/articles/{article.pk}/annotations/", headers, body, sent)
        assert status_of(answer) == 400, answer
    assert not Annotation.objects.filter(article=article).exists()
    assert not AnnotationEvent.objects.filter(article=article).exists()


def test_a_bulk_create_whose_body_stops_short_stores_none_of_its_items(live_app, api_writer):
    _, _, article, headers = api_writer
    items = [quote_of(article, "inflation will fall below 3% by June,"), quote_of(article, "We have turned the corner")]
    body = json.dumps(items * 100).encode()
    # Cut just after the 150th item's closing brace: what arrived is 150 whole items.
    sent = len(json.dumps(items * 75)) - 1
    answer = send_part_then_hang_up(live_app, f"/api/v1/articles/{article.pk}/annotations/", headers, body, sent)
    assert status_of(answer) == 400, answer
    assert not Annotation.objects.filter(article=article).exists()


def test_a_form_whose_body_stops_short_changes_nothing(live_app, api_writer):
    """A urlencoded form cut short is still a well-formed form (the last field just ends early): the server
    must notice that the body is shorter than announced, or it would save the guidelines cut in half."""
    project, user, _, _ = api_writer
    browser = Client()
    browser.force_login(user)
    secret = "a" * 32
    fields = {
        "csrfmiddlewaretoken": secret,
        "name": project.name,
        "annotators_per_article": "2",
        "quote_types": "direct\nindirect\nmixed",
        "categories": "statistic\nevent\nfact\nprediction\ncausal\nother",
        "verdicts": "true\nmostly_true\nmisleading\nfalse\nunverifiable",
        "polarities": "favor\nagainst\nneutral",
        "free_targets": "on",
        "guidelines": "Tag every quote with its speaker. " * 40,
    }
    body = urlencode(fields).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"sessionid={browser.cookies['sessionid'].value}; csrftoken={secret}",
    }
    path = f"/projects/{project.slug}/settings/"
    answer = send_part_then_hang_up(live_app, path, headers, body, len(body) - 200)
    assert status_of(answer) in (400, 403), answer
    project.refresh_from_db()
    assert project.guidelines == ""
    assert project.annotators_per_article == 1
    # The same form sent whole is saved: the refusal above was for the missing bytes only.
    answer = send_part_then_hang_up(live_app, path, headers, body, len(body))
    assert status_of(answer) == 302, answer
    project.refresh_from_db()
    assert project.guidelines == fields["guidelines"].strip()


def build_approved_annotations(project: Project, author, articles: int, per_article: int) -> None:
    """Articles with approved annotations, written with COPY (the ORM would take most of the test's time)."""
    now = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        bodies = [
            f"{NEWS_BODY}\n\nReport {n}. " + "Prices rose again in Kraków and São Paulo. " * 40 for n in range(articles)
        ]
        with cursor.copy(
            "COPY articles_article (project_id, title, body, source, url, byline, language, metadata, "
            "content_hash, created_at) FROM STDIN"
        ) as copy:
            for n, body in enumerate(bodies):
                copy.write_row(
                    (project.pk, f"Story {n}", body, "The Ledger", "", "", "en", "{}", content_hash(body), now)
                )
        cursor.execute("SELECT id, body FROM articles_article WHERE project_id = %s ORDER BY id", [project.pk])
        rows = cursor.fetchall()
        with cursor.copy(
            'COPY annotations_annotation (article_id, kind, start, "end", text, attributes, status, origin, '
            "author_id, suggester, version, created_at, updated_at, submitted_at) FROM STDIN"
        ) as copy:
            attributes = json.dumps({"holder": "critics", "target": "prices", "polarity": "against"})
            for article_id, body in rows:
                for n in range(per_article):
                    start = len(NEWS_BODY) + 20 + n * 7
                    end = start + 40
                    row = (article_id, "stance", start, end, body[start:end], attributes, "approved", "human")
                    copy.write_row((*row, author.pk, "", 2, now, now, now))


def export_backends(project: Project) -> list[tuple[str, str]]:
    """(state, query) of the server's database sessions that are in a transaction or run an export query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT state, query FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND (state <> 'idle' OR query ILIKE '%%export_a%%') "
            "AND (xact_start IS NOT NULL OR query ILIKE '%%export_a%%')"
        )
        rows = cursor.fetchall()
    # A session that is idle now and last ran the export's CLOSE or ROLLBACK holds nothing.
    return [(state, query) for state, query in rows if state != "idle"]


def test_an_export_download_closed_after_its_first_bytes_frees_its_cursors(live_app):
    project = ProjectFactory()
    reviewer = MembershipFactory(project=project, role=Role.REVIEWER).user
    build_approved_annotations(project, reviewer, articles=1_000, per_article=20)  # about 12 MB of JSON Lines
    token = Token.objects.create(user=reviewer).key

    sock = open_socket(live_app, receive_buffer=4096)
    sock.sendall(
        request_head(
            "GET", f"/api/v1/projects/{project.slug}/export/?format=jsonl", {"Authorization": f"Token {token}"}
        )
    )
    first = sock.recv(4096)
    assert first.startswith(b"HTTP/1.1 200"), first
    # The server is blocked writing the rest: its session holds the export's transaction and cursors.
    deadline = time.monotonic() + 10
    while not export_backends(project) and time.monotonic() < deadline:
        time.sleep(0.05)
    busy = export_backends(project)
    assert busy, "the export finished before the client hung up: make it larger"
    assert any("export_a" in query for _, query in busy), busy

    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # reset, at once
    sock.close()
    deadline = time.monotonic() + 5
    while export_backends(project) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert export_backends(project) == []
    # The worker serves the next request normally, outside any transaction left over from the export.
    sock = open_socket(live_app)
    sock.sendall(request_head("GET", f"/api/v1/projects/{project.slug}/", {"Authorization": f"Token {token}"}))
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
    assert status_of(answer) == 200
