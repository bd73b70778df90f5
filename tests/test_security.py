"""Security headers, production configuration, login throttling, redirects after login, and CSRF."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from annotator.annotations.services import create_annotation
from tests.conftest import SecureClient, secure_client
from tests.factories import PASSWORD, ArticleFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
ORIGIN = "https://testserver"


# --- headers ---------------------------------------------------------------------------------------------


def _policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def pages(project, article, annotator, reviewer, admin):
    create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    return [
        (admin, reverse("project_members", args=[project.slug])),
        (annotator, reverse("api_token")),
        (None, reverse("login")),
        (None, "/no-such-page/"),
        (annotator, reverse("home")),
        (annotator, reverse("project_detail", args=[project.slug])),
        (annotator, reverse("article_detail", args=[article.pk])),
        (annotator, reverse("review_queue", args=[project.slug])),  # a 403 page
        (reviewer, reverse("article_review", args=[article.pk])),
        (reviewer, reverse("project_dashboard", args=[project.slug])),
        (reviewer, reverse("export_page", args=[project.slug])),
        (reviewer, "/api/v1/docs/"),
    ]


def test_every_page_has_an_enforced_csp_with_a_nonce_and_no_unsafe_sources(pages):
    assert any("'nonce-" in secure_client(user).get(url).headers["Content-Security-Policy"] for user, url in pages)
    for user, url in pages:
        response = secure_client(user).get(url)
        assert "Content-Security-Policy-Report-Only" not in response.headers, url
        policy = _policy(response)
        assert "'self'" in policy["script-src"], url
        for directive in ("script-src", "style-src", "default-src"):
            assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(policy[directive]), (url, directive)
        assert policy["frame-ancestors"] == ["'none'"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["base-uri"] == ["'none'"], url
        # A page that uses the nonce has it in its policy (django-csp adds it only then).
        nonces = [value[7:-1] for value in policy["script-src"] if value.startswith("'nonce-")]
        html = response.content.decode()
        for tag in html.split("<script")[1:]:
            attributes = tag.split(">")[0]
            # An inline script runs only with the nonce; a file only from our own origin.
            assert ' src="/' in attributes or (nonces and f'nonce="{nonces[0]}"' in attributes), (url, tag[:80])
        assert " style=" not in html and " on" + "click=" not in html, url


def test_every_answer_carries_the_hardening_headers(pages, reviewer, project):
    api = SecureClient()
    api.force_login(reviewer)
    answers = [secure_client(user).get(url) for user, url in pages]
    answers += [api.get(f"/api/v1/projects/{project.slug}/"), SecureClient().get("/api/v1/projects/")]
    for response in answers:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_redirected_to_https_and_cookies_are_secure(client, annotator):
    from django.test import Client

    plain = Client().get(reverse("login"))
    assert plain.status_code == 301
    assert plain.headers["Location"] == "https://testserver/accounts/login/"
    assert "Strict-Transport-Security" not in plain.headers  # HSTS only over HTTPS, as it should be
    response = client.post(reverse("login"), {"username": "ann_annotator", "password": PASSWORD})
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert client.get(reverse("login")).cookies["csrftoken"]["secure"]


# --- production configuration ----------------------------------------------------------------------------------


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DEBUG": "false", "HTTPS": "true", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_the_deploy_checks_pass_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "key",
    [
        "",  # unset, and no key file
        "too-short-a-key",
        "django-insecure-" + "k3y" * 20,  # what startproject writes
        "debug-only-insecure-key-" + "x" * 40,  # the development key, outside DEBUG
        "x" * 64,  # long but not random
    ],
    ids=["unset", "short", "django-insecure", "debug-only", "repetitive"],
)
def test_the_app_refuses_to_start_in_production_without_a_real_secret_key(tmp_path, key):
    result = _manage("check", SECRET_KEY=key, SECRET_KEY_FILE=str(tmp_path / "no-such-file"))
    assert result.returncode != 0
    assert "SECRET_KEY is missing or too weak" in result.stderr
    assert "50+ random characters" in result.stderr


# --- login throttling (django-axes) -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fast_passwords(request, settings):
    """MD5 for the users of these tests: a PBKDF2 check per login would make them slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for name in ("annotator", "reviewer"):
        if name in request.fixturenames:
            user = request.getfixturevalue(name)
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])


def _login(client, username="ann_annotator", password=None, **extra):
    return client.post(reverse("login"), {"username": username, "password": password or "wrong"}, **extra)


def test_five_failed_logins_lock_that_username_from_that_address_for_fifteen_minutes(client, annotator, reviewer):
    assert [_login(client).status_code for _ in range(5)] == [200] * 4 + [429]  # the form again, then locked
    locked = _login(client, password=PASSWORD)  # even the right password, now
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "try again in 15 minutes" in locked.content.decode()
    assert locked.headers["Retry-After"] == "900"
    assert "Content-Security-Policy" in locked.headers
    assert "_auth_user_id" not in client.session
    assert _login(client, "rita_reviewer", PASSWORD).status_code == 302  # another username from here
    assert _login(SecureClient(REMOTE_ADDR="10.9.8.7"), password=PASSWORD).status_code == 302  # elsewhere
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert _login(client, password=PASSWORD).status_code == 302  # the lockout is over


def test_a_successful_login_clears_the_failures(client, annotator):
    for _ in range(4):
        _login(client)
    assert _login(client, password=PASSWORD).status_code == 302
    assert [_login(SecureClient()).status_code for _ in range(4)] == [200] * 4
    assert _login(SecureClient(), password=PASSWORD).status_code == 302


def test_the_token_endpoint_locks_out_too_with_a_json_error(annotator):
    api = SecureClient()

    def token(password):
        body = {"username": "ann_annotator", "password": password}
        return api.post("/api/v1/auth/token/", body, content_type="application/json")

    assert [token("wrong").status_code for _ in range(5)] == [400] * 4 + [429]
    locked = token(PASSWORD)
    assert locked.status_code == 429
    assert locked.headers["Content-Type"] == "application/json"
    assert "Too many failed logins" in locked.json()["detail"]
    assert locked.headers["Retry-After"] == "900"
    # The browser's login page shares the count: the same username and address are locked there too.
    assert _login(SecureClient(), password=PASSWORD).status_code == 429


def test_the_admin_login_is_throttled_too(admin_user):
    admin_user.set_password("password")
    admin_user.save(update_fields=["password"])
    client = SecureClient()
    for _ in range(5):
        client.post("/admin/login/", {"username": admin_user.username, "password": "wrong"})
    response = client.post("/admin/login/", {"username": admin_user.username, "password": "password"})
    assert response.status_code == 429


def test_behind_the_tls_proxy_the_address_it_saw_counts(settings, annotator):
    from django.test import RequestFactory

    from annotator.accounts.lockout import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "127.0.0.1"  # not behind a proxy: the header is the client's word only
    settings.TRUSTED_PROXIES = 1  # BEHIND_TLS_PROXY's default
    assert client_ip(request) == "203.0.113.9"  # the proxy appends the peer it saw; a client's own entry is ignored


# --- redirects after login ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https:evil.example",
        "/\t/evil.example",
        "/%09/evil.example",
        "http://testserver/",  # our host, but plain HTTP: a downgrade
        "javascript:alert(1)",
        " //evil.example",
    ],
)
def test_login_never_redirects_to_another_origin(client, annotator, target):
    response = client.post(
        f"{reverse('login')}?next={target}", {"username": "ann_annotator", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert lands_on_our_origin(response.headers["Location"])


def lands_on_our_origin(location: str) -> bool:
    """Where a browser goes: it drops tabs and newlines and reads a backslash as a slash."""
    seen = re.sub(r"[\t\n\r]", "", location).strip().replace("\\", "/")
    parts = urlsplit(seen)
    return not parts.scheme and not parts.netloc and seen.startswith("/") and not seen.startswith("//")


def test_login_follows_a_next_on_our_own_site(client, annotator, project):
    target = reverse("project_detail", args=[project.slug])
    response = client.post(reverse("login"), {"username": "ann_annotator", "password": PASSWORD, "next": target})
    assert response.headers["Location"] == target


def test_logout_never_redirects_to_another_origin(client, annotator):
    client.force_login(annotator)
    response = client.post(reverse("logout"), {"next": "//evil.example"})
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).netloc in ("", "testserver")


# --- CSRF ------------------------------------------------------------------------------------------------------------


def _csrf_client(user=None) -> tuple[SecureClient, str]:
    client = SecureClient(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.get(reverse("login"))
    return client, client.cookies["csrftoken"].value


def test_a_form_post_without_a_valid_token_or_from_another_origin_is_refused(annotator):
    client, token = _csrf_client()
    credentials = {"username": "ann_annotator", "password": PASSWORD}
    assert client.post(reverse("login"), credentials, headers={"Origin": ORIGIN}).status_code == 403
    wrong = {**credentials, "csrfmiddlewaretoken": "x" * 32}
    assert client.post(reverse("login"), wrong, headers={"Origin": ORIGIN}).status_code == 403
    signed = {**credentials, "csrfmiddlewaretoken": token}
    assert client.post(reverse("login"), signed, headers={"Origin": "https://evil.example"}).status_code == 403
    assert client.post(reverse("login"), signed).status_code == 403  # over HTTPS, no Origin and no Referer
    assert client.post(reverse("login"), signed, headers={"Origin": ORIGIN}).status_code == 302


def test_a_logged_in_workspace_post_needs_the_token(project, annotator):
    article = ArticleFactory(project=project)
    client, token = _csrf_client(annotator)
    url = reverse("annotation_create", args=[article.pk])
    form = {"kind": "claim", "start": 0, "end": 5, "text": article.body[:5]}
    assert client.post(url, form, headers={"Origin": ORIGIN}).status_code == 403
    assert client.post(url, form, headers={"Origin": ORIGIN, "X-CSRFToken": "y" * 32}).status_code == 403
    assert client.post(url, form, headers={"Origin": "https://evil.example", "X-CSRFToken": token}).status_code == 403
    assert client.post(url, form, headers={"Origin": ORIGIN, "X-CSRFToken": token}).status_code == 302


def test_the_api_with_a_session_needs_the_token_and_with_a_token_does_not(project, annotator):
    article = ArticleFactory(project=project)
    client, token = _csrf_client(annotator)
    url = f"/api/v1/articles/{article.pk}/annotations/"
    body = {"kind": "claim", "start": 0, "end": 5}

    def post(**headers):
        return client.post(url, body, content_type="application/json", headers=headers)

    refused = post(Origin=ORIGIN)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert post(Origin="https://evil.example", **{"X-CSRFToken": token}).status_code == 403
    assert post(Origin=ORIGIN, **{"X-CSRFToken": token}).status_code == 201
    from rest_framework.authtoken.models import Token

    scripted = SecureClient(enforce_csrf_checks=True)  # no cookie, no session: a script's token is not ambient
    key = Token.objects.create(user=annotator).key
    created = scripted.post(url, body, content_type="application/json", headers={"Authorization": f"Token {key}"})
    assert created.status_code == 201
