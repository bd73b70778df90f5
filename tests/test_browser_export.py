"""A reviewer exports a dataset in Chromium, against the real server: counts follow the choices, the
file downloads."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from annotator.accounts.models import Role
from tests.export_data import build_export_data
from tests.factories import MembershipFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def test_reviewer_sees_the_counts_change_with_the_filters_and_downloads_the_file(page, tmp_path):
    project = ProjectFactory(name="Export desk")
    reviewer = MembershipFactory(project=project, role=Role.REVIEWER, user__username="rhea").user
    authors = [MembershipFactory(project=project, role=Role.ANNOTATOR).user for _ in range(2)]
    data = build_export_data(project, *authors, reviewer)

    log_in(page, "rhea")
    page.get_by_role("link", name="Export desk").click()
    page.get_by_role("link", name="Export a dataset").click()
    assert page.locator("#export-total").inner_text() == str(len(data.approved))
    page.get_by_label("Format").select_option("conll")
    quotes_and_claims = [a for a in data.approved if a.kind != "stance"]
    expect(page.locator("#export-total")).to_have_text(str(len(quotes_and_claims)))
    page.get_by_label("Format").select_option("jsonl")
    page.get_by_label("Status").select_option("all")
    page.get_by_label("Stance").check()
    stances = [a for a in data.approved + data.submitted + data.rejected + data.drafts if a.kind == "stance"]
    expect(page.locator("#export-total")).to_have_text(str(len(stances)))
    page.screenshot(path=str(tmp_path / "export.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("#export-download").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert download.value.suggested_filename == f"{project.slug}-all-stance.jsonl"
    exported = [a for line in path.read_text().splitlines() for a in json.loads(line)["annotations"]]
    assert sorted(a["id"] for a in exported) == sorted(a.pk for a in stances)
    assert page.console_errors == []
