"""A project admin logs in and uploads articles in Chromium, against the real server."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from annotator.accounts.models import Role
from annotator.articles.models import Article
from annotator.jobs.models import Job, JobKind, JobState
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


def test_project_admin_uploads_a_file_and_sees_the_job_end_with_the_summary_and_rejected_line(page, tmp_path):
    project = ProjectFactory(name="City hall <desk>")
    MembershipFactory(project=project, role=Role.ADMIN, user__username="maria")
    upload = tmp_path / "batch.jsonl"
    upload.write_text(JSONL, encoding="utf-8")

    log_in(page, "maria")
    page.get_by_role("link", name="City hall <desk>").click()
    page.get_by_role("link", name="Import articles").click()
    page.get_by_label("File to import").set_input_files(str(upload))
    page.get_by_role("button", name="Import", exact=True).click()

    summary = page.locator("section.job")  # the job's progress, replaced by its summary when it is done
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


def test_the_upload_page_shows_a_running_jobs_progress_live_and_its_cancel_then_the_summary(page):
    project = ProjectFactory(name="Harbour desk")
    admin = MembershipFactory(project=project, role=Role.ADMIN, user__username="maria").user
    # A job no worker takes (it is not in procrastinate's queue): the test moves it along itself.
    job = Job.objects.create(
        kind=JobKind.IMPORT, project=project, created_by=admin, state=JobState.RUNNING, done=30, total=120
    )
    log_in(page, "maria")
    page.goto(f"/projects/{project.slug}/import/?job={job.pk}")
    bar = page.locator("progress.job-progress")
    assert (bar.get_attribute("value"), bar.get_attribute("max")) == ("30", "120")
    assert page.locator(".job-count").inner_text() == "30 of 120 (25 %)"

    Job.objects.filter(pk=job.pk).update(done=90)
    expect(page.locator(".job-count")).to_have_text("90 of 120 (75 %)", timeout=5000)  # polled every second
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator("section.job")).to_contain_text("Stopping at the end of the current batch")
    assert Job.objects.get(pk=job.pk).cancel_requested

    result = {"added": 90, "duplicates": 0, "rejected": 0, "errors": [], "skipped": [], "suggestion_jobs": 0}
    result |= {"note": "Cancelled after 90 of 120: what was done before the cancel is kept."}
    Job.objects.filter(pk=job.pk).update(state=JobState.CANCELLED, finished_at=timezone.now(), result=result)
    expect(page.locator("section.job .summary")).to_have_text("added 90, duplicates 0, rejected 0", timeout=5000)
    assert page.locator("progress.job-progress").count() == 0
    assert page.locator("section.job[hx-trigger]").count() == 0  # the polling stopped with the job
    assert "Cancelled after 90 of 120" in page.locator("section.job").inner_text()
    assert page.console_errors == []
