"""A project admin logs in and uploads articles in Chromium, against the real server."""

from __future__ import annotations

import pytest

from annotator.accounts.models import Role
from annotator.articles.models import Article
from tests.factories import MembershipFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JSONL = (
    '{"title": "Mayor defends budget", "body": "“We balanced it,” the mayor said — twice 🙂.", "source": "Ledger"}\n'
    '{"title": "Broken line", "body": "unterminated\n'
    '{"text": "Второй текст: “цены выросли на 4%,” сказал министр.", "url": "https://example.org/a"}\n'
)


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def test_project_admin_uploads_a_file_and_sees_the_summary_and_rejected_line(page, tmp_path):
    project = ProjectFactory(name="City hall <desk>")
    MembershipFactory(project=project, role=Role.ADMIN, user__username="maria")
    upload = tmp_path / "batch.jsonl"
    upload.write_text(JSONL, encoding="utf-8")

    log_in(page, "maria")
    page.get_by_role("link", name="City hall <desk>").click()
    page.get_by_role("link", name="Import articles").click()
    page.get_by_label("File to import").set_input_files(str(upload))
    page.get_by_role("button", name="Import", exact=True).click()

    summary = page.locator("#import-summary")
    assert summary.locator(".summary").inner_text() == "added 2, duplicates 0, rejected 1"
    assert "batch.jsonl line 2" in summary.inner_text()
    assert "invalid JSON" in summary.inner_text()
    assert Article.objects.filter(project=project).count() == 2
    page.screenshot(path=str(tmp_path / "import.png"), full_page=True)
    assert page.console_errors == []


def test_an_annotator_cannot_open_the_import_page(page):
    project = ProjectFactory()
    MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="annie")
    log_in(page, "annie")
    response = page.goto(f"/projects/{project.slug}/import/")
    assert response.status == 403
    assert "Only a project admin may import articles" in page.inner_text("main")
