"""Shared users and a project where each role is represented."""

from __future__ import annotations

import os

import pytest
from django.core.cache import caches
from django.test import Client

from annotator.accounts.models import Role
from tests.factories import ArticleFactory, MembershipFactory, ProjectFactory


@pytest.fixture
def project(db):
    return ProjectFactory()


@pytest.fixture
def admin(project):
    return MembershipFactory(project=project, role=Role.ADMIN, user__username="ada_admin").user


@pytest.fixture
def reviewer(project):
    return MembershipFactory(project=project, role=Role.REVIEWER, user__username="rita_reviewer").user


@pytest.fixture
def annotator(project):
    return MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="ann_annotator").user


@pytest.fixture
def other_annotator(project):
    return MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="otto_annotator").user


@pytest.fixture
def outsider(db):
    """A user who belongs to another project only."""
    return MembershipFactory(role=Role.ADMIN, user__username="olga_outsider").user


@pytest.fixture
def article(project):
    return ArticleFactory(project=project)


class SecureClient(Client):
    """A test client that always speaks HTTPS, as production does (settings redirect plain HTTP)."""

    def generic(self, *args, **kwargs):
        kwargs["secure"] = True
        return super().generic(*args, **kwargs)


def secure_client(user=None) -> Client:
    client = SecureClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def client() -> Client:
    return secure_client()


@pytest.fixture
def admin_client(db, admin_user) -> Client:
    return secure_client(admin_user)


@pytest.fixture(scope="session")
def live_app(django_db_setup, django_db_blocker):
    """The production server on loopback over the test database; tests that use it commit their data."""
    from tests.browser import start_server, start_worker

    process, url = start_server()
    # Uploads are jobs: the server needs a worker beside it, as `make run` has. No suggestion jobs after an upload:
    # a job still running when a test ends would hold locks that the flush between tests waits for.
    worker = start_worker(SUGGEST_ON_IMPORT="false")
    yield url
    for child in (process, worker):
        child.terminate()
    for child in (process, worker):
        child.wait(timeout=15)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    from tests.browser import launch_chromium

    # Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_app):
    context = chromium.new_context(base_url=live_app)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def empty_cache():
    """Figures cached by an earlier test (a process keeps them past the test's transaction) are not served."""
    caches["figures"].clear()
    yield
    caches["figures"].clear()
