"""Property-based fuzzing of the whole API from its own OpenAPI schema (schemathesis, in-process WSGI).

One test per operation of /api/v1/schema/ and role (a staff project admin, a reviewer, an annotator):
schemathesis's coverage phase (boundary and ill-typed values, other methods, other media types) and up to
FUZZ_EXAMPLES Hypothesis examples, valid and invalid, all from a fixed seed, so a run sends the same requests
every time (the count per role is printed at the end). Every answer must be no 5xx, a documented status code
with the documented content type and body, and a 4xx for schema-violating input. A failure prints the request
as a curl command; fix it, then add a plain regression test (tests/test_api_errors.py).

More examples: `FUZZ_EXAMPLES=200 .venv/bin/pytest tests/test_api_fuzz.py` (default 12 per operation);
one role: `-k annotator`.
"""

from __future__ import annotations

import logging
import os
import re
import time
import zlib
from collections import Counter

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from annotator.accounts.models import Role
from annotator.annotations.models import Annotation
from annotator.annotations.services import create_annotations, submit_article
from tests.factories import ArticleFactory, MembershipFactory, ProjectFactory, UserFactory

# https: production settings redirect plain HTTP (SECURE_SSL_REDIRECT); localhost is in ALLOWED_HOSTS.
BASE_URL = "https://localhost"
SEED = 20_251_104
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "12"))
ROLES = ("admin", "reviewer", "annotator")

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application(), base_url=BASE_URL)
schema.config.seed = SEED

# Schemathesis sends NUL (allow_x00) but never a lone surrogate, whatever its codec, and its date-times keep
# offsets PostgreSQL reads: the values below are made hostile after generation (tests/test_values.py tries them
# on every write and service more thoroughly).
HOSTILE_TEXT = ("\ud800", "\x00", "\udfff")
ISO_OFFSET = re.compile(r"(?<=\d{2}:\d{2})(Z|[+-]\d{2}:?\d{2})?$")
FORGED_CURSOR = "cD1hYmM="  # base64 of "p=abc"


def _pick(value) -> int:
    """A choice made from the value alone, so that Hypothesis replays a case exactly."""
    return zlib.crc32(repr(value).encode("utf-8", "surrogatepass"))


def made_hostile(value, appended: tuple[str, ...] = HOSTILE_TEXT):
    """One string in four of a generated body or query with a lone surrogate or a NUL appended, or, for a
    date-time, an offset past ±15:59; one whole number in eight past what a bigint holds."""
    if isinstance(value, dict):
        return {made_hostile(k, appended): made_hostile(v, appended) for k, v in value.items()}
    if isinstance(value, list):
        return [made_hostile(v, appended) for v in value]
    choice = _pick(value)
    if isinstance(value, str) and choice % 4 == 1:
        if "T" in value and ISO_OFFSET.search(value):
            return ISO_OFFSET.sub("+20:00", value, count=1)
        return value + appended[choice // 4 % len(appended)]
    if isinstance(value, int) and not isinstance(value, bool) and choice % 8 == 1:
        return value + 2**64
    return value


@schema.hook
def map_body(context, body):
    content = context.operation.definition.raw.get("requestBody", {}).get("content", {})
    return made_hostile(body, HOSTILE_TEXT if "application/json" in content else ("\x00",))  # multipart: no surrogates


@schema.hook
def map_query(context, query):
    if not isinstance(query, dict):
        return query
    query = {name: made_hostile(value, appended=("\x00",)) for name, value in query.items()}  # a URL: no surrogates
    if "cursor" in query and _pick(query["cursor"]) % 2:
        query["cursor"] = FORGED_CURSOR
    return query


# Imports store the good records and list the bad ones with their reasons (docs/importing.md, docs/api.md), so a
# schema-violating record is answered 200 with `rejected`, not 400.
PARTIAL_IMPORTS = {"/api/v1/projects/{slug}/articles/", "/api/v1/projects/{slug}/articles/import/"}

# The objects of the fuzz world that generated paths are pointed at (filled by the fixture).
existing: dict[str, list] = {}
# Requests sent and seconds spent per role, reported when the module ends.
cases: Counter[str] = Counter()
seconds: Counter[str] = Counter()


def _object_kind(path: str, name: str) -> str:
    if name == "id":
        return "annotation" if path.startswith("/api/v1/annotations/") else "article"
    return name


def point_at_existing_objects(case) -> None:
    """Three in four plausible path parameters are swapped for an object that exists, so that bodies and
    queries are checked by the view, not only by its 404; out-of-range and ill-typed values go as drawn.
    The choice depends on the drawn value alone, so that Hypothesis replays a case exactly."""
    for name, value in (case.path_parameters or {}).items():
        objects = existing.get(_object_kind(case.operation.path, name))
        if not objects:
            continue
        if isinstance(value, str) and name == "id" and value.isascii() and value.isdigit():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31:
            choice = value
        elif isinstance(value, str) and name != "id":
            choice = zlib.crc32(value.encode("utf-8", "surrogatepass"))
        else:
            continue
        if choice % 4 != 3:
            case.path_parameters[name] = objects[choice % len(objects)]


@pytest.fixture(scope="module", autouse=True)
def report_cases(request):
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():
        reporter.ensure_newline()
        for role in ROLES:
            if cases[role]:
                reporter.write_line(f"fuzz as {role}: {cases[role]:,} requests in {seconds[role]:.1f} s")


@pytest.fixture
def connection_kept():
    """The WSGI application runs in this thread, outside the test client, which would close the database
    connection after each request (and with it the test's transaction): kept open, as the test client does,
    so that each world is rolled back rather than flushed."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=ROLES)
def fuzz_world(request, connection_kept, db, caplog, settings):
    """A project with articles, drafts and submitted work, and the token of one of its members: a staff user
    (not a superuser) who administers it, a reviewer, or an annotator."""
    started = time.perf_counter()
    caplog.set_level(logging.ERROR, logger="django.request")  # every 4xx would be logged as a warning
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # a world per operation and role
    cache.clear()
    project = ProjectFactory(slug="fuzz-desk")
    admin = MembershipFactory(project=project, role=Role.ADMIN, user__username="fuzz_admin", user__is_staff=True).user
    annotator = MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="fuzz_annotator").user
    reviewer = MembershipFactory(project=project, role=Role.REVIEWER, user__username="fuzz_reviewer").user
    UserFactory(username="fuzz_loner")
    articles = ArticleFactory.create_batch(3, project=project)
    annotations = []
    for article in articles:
        for author in (annotator, admin):
            spans = [{"kind": "claim", "start": start, "end": start + 5} for start in range(0, 40, 8)]
            annotations += create_annotations(actor=author, article=article, items=spans)
        submit_article(actor=annotator, article=article)
        # Pending suggestions too, so that accept and dismiss are tried on what they are for.
        suggestion = {"kind": "claim", "start": 0, "end": 5, "text": article.body[:5], "suggester": "fuzz"}
        annotations.append(Annotation.objects.create(article=article, origin="suggested", **suggestion))
    existing.update(
        slug=[project.slug],
        article=[a.pk for a in articles],
        annotation=[a.pk for a in annotations],
        username=[admin.username, annotator.username, reviewer.username, "fuzz_loner"],
    )
    user = {"admin": admin, "reviewer": reviewer, "annotator": annotator}[request.param]
    yield request.param, Token.objects.create(user=user).key
    seconds[request.param] += time.perf_counter() - started
    existing.clear()


@schema.parametrize()
@hypothesis.settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_every_generated_request_as_its_schema_says(case, fuzz_world):
    role, token = fuzz_world
    cases[role] += 1
    point_at_existing_objects(case)
    if case.operation.path == "/api/v1/auth/token/":
        cache.clear()  # or the throttle answers 429 to every case after the twentieth
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    if case.operation.path not in PARTIAL_IMPORTS:
        checks.append(negative_data_rejection)
    case.call_and_validate(base_url=BASE_URL, headers={"Authorization": f"Token {token}"}, checks=checks)
