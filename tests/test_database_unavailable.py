"""While the database is out of reach the app answers 503 with Retry-After (JSON under /api/, a plain page
elsewhere), never a server error or a stack trace, and it serves again by itself when the database is back."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import quote as url_quote

import pytest
from django.db import OperationalError, connection
from rest_framework.authtoken.models import Token

from annotator.accounts.models import Role
from annotator.annotations.models import Annotation
from annotator.api.exceptions import server_error
from tests.browser import ROOT, free_port
from tests.conftest import secure_client
from tests.factories import ArticleFactory, MembershipFactory, ProjectFactory
from tests.test_api import Api

REFUSED = 'connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused'


def quote(article) -> dict:
    fragment = "inflation will fall below 3% by June,"
    start = article.body.index(fragment)
    attributes = {"speaker": "Ana Kovač", "speaker_span": None, "cue_span": None, "quote_type": "direct"}
    return {"kind": "quote", "start": start, "end": start + len(fragment), "text": fragment, "attributes": attributes}


def refuse_every_query(execute, sql, params, many, context):
    raise OperationalError(REFUSED)


def assert_unavailable_json(response) -> None:
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "5"
    assert response.json() == {"detail": "The database is not available at the moment; try again in 5 seconds."}


@pytest.mark.django_db
def test_the_api_answers_503_json_with_retry_after_when_the_database_refuses(annotator, article):
    api = Api(annotator)
    with connection.execute_wrapper(refuse_every_query):
        assert_unavailable_json(api.get(f"/articles/{article.pk}/annotations/"))
        assert_unavailable_json(api.post(f"/articles/{article.pk}/annotations/", quote(article)))
        assert_unavailable_json(api.get("/projects/"))
    assert not Annotation.objects.exists()
    assert api.get(f"/articles/{article.pk}/annotations/").status_code == 200


@pytest.mark.django_db
def test_a_page_answers_a_plain_503_page_when_the_database_refuses(annotator, article):
    browser = secure_client(annotator)
    with connection.execute_wrapper(refuse_every_query):
        response = browser.get(f"/articles/{article.pk}/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Unavailable for a moment" in page
    assert "Wait a few seconds and reload the page" in page
    assert "Traceback" not in page and "OperationalError" not in page and "5432" not in page
    assert browser.get(f"/articles/{article.pk}/").status_code == 200


@pytest.mark.django_db
def test_an_htmx_save_gets_the_503_too(annotator, article):
    browser = secure_client(annotator)
    with connection.execute_wrapper(refuse_every_query):
        response = browser.post(
            f"/articles/{article.pk}/annotations/", {"kind": "quote"}, headers={"HX-Request": "true"}
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


def test_a_database_error_outside_any_view_is_a_503_too(rf):
    """Raised in a middleware (a session saved after the view), no view's handler sees it: the 500 handler
    Django calls then answers 503 all the same."""
    for path, content_type in (("/api/v1/projects/", "application/json"), ("/projects/x/", "text/html")):
        try:
            raise OperationalError(REFUSED)
        except OperationalError:
            response = server_error(rf.get(path))
        assert (response.status_code, response["Retry-After"]) == (503, "5")
        assert response["Content-Type"].startswith(content_type)
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(rf.get("/api/v1/projects/")).status_code == 500


@pytest.mark.django_db(transaction=True)
def test_a_connection_that_cannot_be_opened_is_a_503_and_the_next_request_after_reconnects():
    """Not simulated: the connection's port points at nothing, so psycopg really fails to connect."""
    project = ProjectFactory()
    user = MembershipFactory(project=project, role=Role.ANNOTATOR).user
    api = Api(user)
    saved = connection.settings_dict["HOST"], connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", str(free_port())
    try:
        assert_unavailable_json(api.get("/projects/"))
        assert_unavailable_json(api.get("/projects/"))
    finally:
        connection.close()
        connection.settings_dict["HOST"], connection.settings_dict["PORT"] = saved
    assert api.get("/projects/").status_code == 200


# --- the production server while its database connections break -----------------------------------


class DatabaseSwitch:
    """A TCP relay to PostgreSQL that can be cut, as a restart cuts the server: `cut()` ends every relayed
    connection and refuses new ones; `restore()` accepts again."""

    def __init__(self, target: tuple[str, int] | str):  # (host, port), or a Unix socket's path
        self.target = target
        self.port = free_port()
        self.relayed: list[socket.socket] = []
        self.lock = threading.Lock()
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
                if isinstance(self.target, str):
                    server = socket.socket(socket.AF_UNIX)
                    server.connect(self.target)
                else:
                    server = socket.create_connection(self.target)
            except OSError:
                return
            with self.lock:
                self.relayed += [client, server]
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread; new connections are refused
        self.listener.close()
        with self.lock:
            relayed, self.relayed = self.relayed, []
        for sock in relayed:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def call(url: str, *, token: str | None = None, cookie: str | None = None, body: dict | None = None):
    """(status, headers, body) of one request; error statuses are answers too."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    if cookie:
        headers["Cookie"] = cookie
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 loopback
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def switched_server(transactional_db):
    """gunicorn as `make run` serves it (gunicorn.conf.py, 2 workers), its database behind a DatabaseSwitch."""
    settings = connection.settings_dict
    host, port = settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)
    # The embedded server listens on a Unix socket: the relay takes TCP and passes it on there.
    switch = DatabaseSwitch(f"{host}/.s.PGSQL.{port}" if host.startswith("/") else (host, port))
    user = url_quote(settings["USER"] or "", safe="")
    password = f":{url_quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    url = f"postgresql://{user}{password}@127.0.0.1:{switch.port}/{settings['NAME']}"
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "HTTPS": "false", "PORT": str(port), "WORKERS": "2"}
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--access-logfile", "/dev/null"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if call(f"{base}/accounts/login/")[0] == 200:
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("the server did not start")
        time.sleep(0.2)
    yield base, switch
    process.terminate()
    process.wait(timeout=10)
    switch.cut()


def test_the_server_answers_503_while_the_database_is_cut_off_and_recovers_by_itself(switched_server):
    base, switch = switched_server
    project = ProjectFactory()
    user = MembershipFactory(project=project, role=Role.ANNOTATOR).user
    article = ArticleFactory(project=project)
    token = Token.objects.create(user=user).key
    browser = secure_client(user)
    cookie = f"sessionid={browser.cookies['sessionid'].value}"
    annotations = f"{base}/api/v1/articles/{article.pk}/annotations/"
    for _ in range(6):  # each worker opens its connection and keeps it (CONN_MAX_AGE)
        assert call(annotations, token=token)[0] == 200

    switch.cut()
    for _ in range(4):
        status, headers, body = call(annotations, token=token)
        assert (status, headers["Retry-After"], headers["Content-Type"]) == (503, "5", "application/json")
        assert json.loads(body)["detail"].startswith("The database is not available")
        status, headers, body = call(annotations, token=token, body=quote(article))
        assert status == 503
        status, headers, body = call(f"{base}/projects/{project.slug}/", cookie=cookie)
        assert (status, headers["Retry-After"]) == (503, "5")
        assert headers["Content-Type"].startswith("text/html")
        assert b"Unavailable for a moment" in body and b"Traceback" not in body

    switch.restore()
    for _ in range(4):  # no worker restart: each connects again at its next request
        assert call(annotations, token=token)[0] == 200
        assert call(f"{base}/projects/{project.slug}/", cookie=cookie)[0] == 200
    status, _, body = call(annotations, token=token, body=quote(article))
    assert status == 201
    assert list(Annotation.objects.values_list("id", flat=True)) == [json.loads(body)["id"]]


def refuse_as_too_long(execute, sql, params, many, context):
    """PostgreSQL refuses the query itself (an OperationalError too, SQLSTATE 54000): not an outage."""
    return execute("SELECT to_tsvector('simple', %s)", [" ".join(map(str, range(200_000)))], False, context)


@pytest.mark.django_db(transaction=True)
def test_a_query_the_database_refuses_is_a_logged_500_not_an_outage(annotator, article, caplog):
    api = Api(annotator)
    api.client.raise_request_exception = False
    browser = secure_client(annotator)
    browser.raise_request_exception = False
    with connection.execute_wrapper(refuse_as_too_long):
        response = api.get(f"/articles/{article.pk}/annotations/")
        page = browser.get(f"/articles/{article.pk}/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert response.json() == {"detail": "Server error: the failure is logged; please report it."}
    assert page.status_code == 500
    assert "Retry-After" not in page
    assert "string is too long for tsvector" in caplog.text
