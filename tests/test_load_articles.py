"""Loading articles: the load_articles command and the upload page share one import, one summary."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from annotator.accounts.models import Role
from annotator.articles.models import Article, Project
from tests.factories import MembershipFactory
from tests.jobs import page_after_job

pytestmark = pytest.mark.django_db

LEDE = "Prime Minister Ana Kovač said on Tuesday that “inflation will fall below 3% by June” — economists 📉 doubt it."
SECOND = "“We have turned the corner,” she told reporters in Zürich; critics 😐 disagreed."
THIRD = "The central bank’s governor, Jürgen Weiß, was more cautious – for now."


def jsonl(*records: dict) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def run(*args: str) -> tuple[str, str]:
    """Run load_articles; its stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    call_command("load_articles", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args: str) -> tuple[CommandError, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("load_articles", *args, stdout=out, stderr=err)
    return excinfo.value, out.getvalue(), err.getvalue()


@pytest.fixture
def feed(tmp_path) -> Path:
    """A folder with three good articles in three formats."""
    folder = tmp_path / "feed"
    write(folder / "a.txt", f"Kovač’s forecast\n\n{LEDE}\n")
    write(folder / "b.jsonl", jsonl({"body": SECOND, "source": "Wire"}))
    write(folder / "c.csv", f'title,body\nWeiß,"{THIRD}"\n')
    return folder


# --- the command ----------------------------------------------------------------------------------


def test_command_prints_only_the_summary_line_on_stdout(project, feed):
    out, err = run(str(feed), "--project", project.slug)
    assert out == "added 3, duplicates 0, rejected 0\n"
    assert "rejected" not in err
    assert sorted(Article.objects.filter(project=project).values_list("title", flat=True)) == [
        "Kovač’s forecast",
        "Weiß",
        "“We have turned the corner,” she told reporters in Zürich; critics 😐 disagreed.",
    ]


def test_command_lists_each_rejected_record_on_stderr_and_exits_with_1(project, tmp_path):
    lines = write(
        tmp_path / "desk.jsonl",
        jsonl({"body": LEDE}) + "{broken\n" + jsonl({"body": SECOND, "url": "javascript:alert(1)"}),
    )
    empty = write(tmp_path / "empty.txt", " \n\t\n")
    error, out, err = run_failing(str(lines), str(empty), "--project", project.slug)
    assert error.returncode == 1
    assert str(error) == "3 record(s) rejected (listed above)"
    assert out == "added 1, duplicates 0, rejected 3\n"
    rejected_lines = [line for line in err.splitlines() if line.startswith("rejected ")]
    assert len(rejected_lines) == 3
    assert rejected_lines[0].startswith(f"rejected {lines} line 2: invalid JSON: ")
    assert rejected_lines[1] == (f"rejected {lines} line 3: url 'javascript:alert(1)' is not an http or https URL")
    assert rejected_lines[2] == f"rejected {empty}: body is empty or only whitespace"
    assert list(Article.objects.filter(project=project).values_list("body", flat=True)) == [LEDE]


def test_command_running_twice_adds_nothing(project, feed):
    first, _ = run(str(feed), "--project", project.slug)
    ids = sorted(Article.objects.filter(project=project).values_list("id", flat=True))
    second, _ = run(str(feed), "--project", project.slug)
    assert first == "added 3, duplicates 0, rejected 0\n"
    assert second == "added 0, duplicates 3, rejected 0\n"
    assert sorted(Article.objects.filter(project=project).values_list("id", flat=True)) == ids


def test_command_create_project_creates_a_missing_project(db, feed):
    out, err = run(str(feed), "--project", "kyiv-desk", "--create-project")
    project = Project.objects.get(slug="kyiv-desk")
    assert out == "added 3, duplicates 0, rejected 0\n"
    assert "created project 'kyiv-desk'" in err
    assert project.articles.count() == 3
    assert not project.memberships.exists()


def test_command_create_project_uses_an_existing_project(project, feed):
    run(str(feed), "--project", project.slug, "--create-project")
    assert Project.objects.count() == 1
    assert project.articles.count() == 3


def test_command_missing_project_is_an_error_without_create_project(db, feed):
    error, out, _ = run_failing(str(feed), "--project", "ghost-desk")
    assert str(error) == "No project with the slug 'ghost-desk'; add --create-project to create it."
    assert out == ""
    assert not Project.objects.filter(slug="ghost-desk").exists()
    assert not Article.objects.exists()


def test_command_missing_path_is_an_error_and_loads_nothing(project, feed, tmp_path):
    missing = tmp_path / "missing.jsonl"
    error, out, _ = run_failing(str(feed), str(missing), "--project", project.slug)
    assert str(error) == f"No such file or folder: {missing}"
    assert out == ""
    assert not Article.objects.exists()


def test_command_missing_path_does_not_create_the_project(db, tmp_path):
    missing = tmp_path / "missing"
    error, _, _ = run_failing(str(missing), "--project", "new-desk", "--create-project")
    assert str(error) == f"No such file or folder: {missing}"
    assert not Project.objects.filter(slug="new-desk").exists()


def test_command_reports_files_passed_over_without_rejecting_them(project, feed):
    write(feed / "photo.jpg", b"\xff\xd8\xff")
    out, err = run(str(feed), "--project", project.slug)
    assert out == "added 3, duplicates 0, rejected 0\n"
    assert f"passed over {feed / 'photo.jpg'}: not a supported format" in err.splitlines()


def test_command_reads_zip_archives_and_several_paths_in_small_batches(project, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", LEDE)
        archive.writestr("b.jsonl", jsonl({"body": SECOND}, {"body": LEDE}))
    archive_path = write(tmp_path / "feed.zip", buffer.getvalue())
    csv_path = write(tmp_path / "more.csv", f'body\n"{THIRD}"\n')
    out, _ = run(str(archive_path), str(csv_path), "--project", project.slug, "--batch-size", "1")
    assert out == "added 3, duplicates 1, rejected 0\n"
    assert project.articles.count() == 3


# --- the upload page ------------------------------------------------------------------------------


def upload(name: str, content: str | bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def test_project_admin_uploads_jsonl_and_sees_the_summary_and_the_rejected_record(client, project, admin):
    client.force_login(admin)
    content = jsonl({"body": LEDE, "title": "Kovač’s forecast"}) + "{broken\n" + jsonl({"body": SECOND})
    response = client.post(
        reverse("article_import", args=[project.slug]), {"file": upload("desk.jsonl", content)}, secure=True
    )
    response = page_after_job(client, response)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<p class="summary">added 2, duplicates 0, rejected 1</p>' in html
    assert "<code>desk.jsonl line 2</code>: invalid JSON: " in html
    assert html.count("<code>") == 1
    stored = Article.objects.filter(project=project).order_by("id")
    assert [a.body for a in stored] == [LEDE, SECOND]
    assert {a.added_by for a in stored} == {admin}


def test_uploading_the_same_file_twice_adds_nothing(client, project, admin):
    client.force_login(admin)
    url = reverse("article_import", args=[project.slug])
    content = jsonl({"body": LEDE}, {"body": SECOND})
    page_after_job(client, client.post(url, {"file": upload("desk.jsonl", content)}, secure=True))
    response = page_after_job(client, client.post(url, {"file": upload("desk.jsonl", content)}, secure=True))
    assert '<p class="summary">added 0, duplicates 2, rejected 0</p>' in response.content.decode()
    assert project.articles.count() == 2


def test_project_admin_uploads_a_zip_and_files_passed_over_are_listed(client, project, admin):
    client.force_login(admin)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("desk/a.txt", LEDE)
        archive.writestr("desk/b.csv", f'text\n"{THIRD}"\n')
        archive.writestr("desk/notes.docx", b"PK")
        archive.writestr("../escape.txt", SECOND)
    response = client.post(
        reverse("article_import", args=[project.slug]), {"file": upload("feed.zip", buffer.getvalue())}, secure=True
    )
    response = page_after_job(client, response)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<p class="summary">added 2, duplicates 0, rejected 1</p>' in html
    assert "<code>feed.zip!../escape.txt</code>: unsafe member name" in html
    assert "<code>feed.zip!desk/notes.docx</code>: not a supported format" in html
    assert sorted(project.articles.values_list("body", flat=True)) == sorted([LEDE, THIRD])


def test_upload_page_shows_the_form_to_a_project_admin(client, project, admin):
    client.force_login(admin)
    response = client.get(reverse("article_import", args=[project.slug]), secure=True)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert 'id="import-summary"' not in response.content.decode()


def test_upload_of_an_unsupported_file_type_is_refused_with_a_message(client, project, admin):
    client.force_login(admin)
    response = client.post(
        reverse("article_import", args=[project.slug]), {"file": upload("report.pdf", b"%PDF-1.7")}, secure=True
    )
    assert response.status_code == 400
    assert "report.pdf: unsupported file type .pdf: use one of .txt, .jsonl" in response.content.decode()
    assert not project.articles.exists()


@pytest.mark.parametrize("role", [Role.ANNOTATOR, Role.REVIEWER])
def test_members_who_are_not_admins_get_403_and_import_nothing(client, project, role):
    member = MembershipFactory(project=project, role=role).user
    client.force_login(member)
    url = reverse("article_import", args=[project.slug])
    assert client.get(url, secure=True).status_code == 403
    response = client.post(url, {"file": upload("desk.jsonl", jsonl({"body": LEDE}))}, secure=True)
    assert response.status_code == 403
    assert not project.articles.exists()


def test_annotator_of_the_project_gets_403(client, project, annotator):
    client.force_login(annotator)
    response = client.get(reverse("article_import", args=[project.slug]), secure=True)
    assert response.status_code == 403
    assert "Only a project admin may import articles" in response.content.decode()


def test_non_member_gets_404_and_imports_nothing(client, project, outsider):
    client.force_login(outsider)
    url = reverse("article_import", args=[project.slug])
    assert client.get(url, secure=True).status_code == 404
    response = client.post(url, {"file": upload("desk.jsonl", jsonl({"body": LEDE}))}, secure=True)
    assert response.status_code == 404
    assert not project.articles.exists()


def test_anonymous_user_is_redirected_to_login(client, project):
    url = reverse("article_import", args=[project.slug])
    response = client.post(url, {"file": upload("desk.jsonl", jsonl({"body": LEDE}))}, secure=True)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{reverse('login')}?next={url}"
    assert not project.articles.exists()
