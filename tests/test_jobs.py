"""Jobs through the API and the pages: long lists and files imported by a job (202 + Location), progress, result,
cancel at a batch boundary, who sees a job, exports to a file and who downloads them, suggest again over a project,
and an import's answer that comes before its suggestions. The queue is run in this thread (tests/jobs.py); a real
worker process runs in tests/test_job_worker.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from annotator.annotations.models import Annotation, Origin
from annotator.annotations.services import create_annotation, review_annotation, submit_article
from annotator.articles import import_jobs
from annotator.articles.models import Article
from annotator.exports.jobs import delete_expired_exports, export_dir
from annotator.exports.services import FORMATS
from annotator.jobs.models import Job, JobKind, JobState
from annotator.jobs.services import start_job
from annotator.jobs.tasks import run_job
from tests.conftest import secure_client
from tests.factories import NEWS_BODY, ArticleFactory, MembershipFactory
from tests.jobs import finished_job, job_result, run_queued_indexing, run_queued_jobs
from tests.test_api import Api

pytestmark = pytest.mark.django_db


def articles(n: int, start: int = 0) -> list[dict]:
    return [{"title": f"Story {i}", "body": f"Story number {i} about the harbour."} for i in range(start, start + n)]


def test_a_list_over_the_threshold_is_a_job_whose_result_is_the_summary_with_ids(project, admin):
    items = [*articles(150), articles(1)[0], {"title": "No body"}]
    response = Api(admin).post(f"/projects/{project.slug}/articles/", items)
    assert response.status_code == 202
    assert response["Location"] == f"/api/v1/jobs/{response.json()['id']}/"
    assert response.json()["state"] == "queued"
    assert response.json()["progress"] == {"done": 0, "total": 152}
    assert not Article.objects.exists()

    run_queued_jobs()
    job = Api(admin).get(f"/jobs/{response.json()['id']}/").json()
    assert job["state"] == "succeeded" and job["progress"] == {"done": 152, "total": 152}
    result = job["result"]
    assert (result["added"], result["duplicates"], result["rejected"]) == (150, 1, 1)
    stored = dict(Article.objects.values_list("title", "pk"))
    assert result["ids"][:3] == [stored["Story 0"], stored["Story 1"], stored["Story 2"]]
    assert result["ids"][150:] == [stored["Story 0"], None]
    assert "body" in result["errors"][0]["reason"] and job["finished_at"] and job["error"] == ""


def test_an_import_job_ends_at_storing_and_queues_one_search_indexing_found_meanwhile_on_the_fly(
    project, admin, settings
):
    settings.JOB_IMPORT_BATCH_SIZE = 50
    response = Api(admin).post(f"/projects/{project.slug}/articles/", articles(150))
    job = Job.objects.get(pk=response.json()["id"])
    run_job(job_id=job.pk)  # the import alone, as the worker's first task
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and Article.objects.count() == 150
    assert Article.objects.unindexed().count() == 150  # stored without computing the search documents
    found = Api(admin).get(f"/projects/{project.slug}/articles/?q=harbour&page_size=500").json()
    assert len(found["results"]) == 150  # searched on the fly until indexed
    assert run_queued_indexing() == [project.pk]  # three batches, one indexing job waiting for the project
    assert not Article.objects.unindexed().exists()
    assert run_queued_indexing() == []


def test_a_list_up_to_the_threshold_is_still_stored_in_the_request(project, admin):
    response = Api(admin).post(f"/projects/{project.slug}/articles/", articles(import_jobs.LIST_JOB_THRESHOLD))
    assert response.status_code == 201 and response.json()["added"] == import_jobs.LIST_JOB_THRESHOLD
    assert not Job.objects.exclude(kind=JobKind.SUGGEST).exists()


def test_the_answer_of_an_import_comes_before_its_suggestions_which_follow_as_jobs(project, admin, settings):
    settings.SUGGEST_ON_IMPORT = True
    items = [{"title": f"Speech {i}", "body": f"{NEWS_BODY} Day {i}."} for i in range(120)]
    response = Api(admin).post(f"/projects/{project.slug}/articles/", items)
    assert response.status_code == 202
    import_job = Job.objects.get(kind=JobKind.ARTICLE_LIST)
    from annotator.jobs.tasks import run_job

    run_job(job_id=import_job.pk)  # the import only: its suggestion jobs stay queued
    assert Article.objects.count() == 120
    assert not Annotation.objects.filter(origin=Origin.SUGGESTED).exists()
    queued = Job.objects.filter(kind=JobKind.SUGGEST, state=JobState.QUEUED)
    assert [len(j.params["article_ids"]) for j in queued.order_by("pk")] == [100, 20]
    article = Article.objects.order_by("pk").first()
    page = secure_client(admin).get(reverse("article_detail", args=[article.pk]))
    assert "Suggestions are being prepared" in page.content.decode()

    run_queued_jobs()
    assert Annotation.objects.filter(origin=Origin.SUGGESTED, article=article).count() == 3
    assert (
        "Suggestions are being prepared"
        not in secure_client(admin).get(reverse("article_detail", args=[article.pk])).content.decode()
    )


def test_only_members_see_a_job_and_only_its_starter_or_an_admin_cancel_it(project, admin, annotator, outsider):
    job = start_job(kind=JobKind.IMPORT, project=project, actor=admin, upload=("a.jsonl", b"{}"))
    assert Api(annotator).get(f"/jobs/{job.pk}/").status_code == 200
    assert Api(outsider).get(f"/jobs/{job.pk}/").status_code == 404
    assert secure_client(outsider).get(reverse("job_detail", args=[job.pk])).status_code == 404
    assert Api(outsider).post(f"/jobs/{job.pk}/cancel/").status_code == 404
    assert Api(annotator).post(f"/jobs/{job.pk}/cancel/").status_code == 403
    listed = Api(annotator).get(f"/projects/{project.slug}/jobs/").json()["results"]
    assert [j["id"] for j in listed] == [job.pk]
    assert Api(outsider).get(f"/projects/{project.slug}/jobs/").status_code == 404


def test_a_queued_job_cancelled_never_runs(project, admin):
    job = start_job(kind=JobKind.IMPORT, project=project, actor=admin, upload=("a.jsonl", b'{"body": "Never."}\n'))
    answer = Api(admin).post(f"/jobs/{job.pk}/cancel/")
    assert answer.status_code == 200 and answer.json()["state"] == "cancelled"
    run_queued_jobs()
    assert not Article.objects.exists()
    again = Api(admin).post(f"/jobs/{job.pk}/cancel/")
    assert again.status_code == 400 and "cancelled already" in again.json()["detail"]


def test_a_running_import_cancelled_stops_at_the_next_batch_keeping_what_it_stored(
    project, admin, settings, monkeypatch
):
    settings.JOB_IMPORT_BATCH_SIZE = 50
    response = Api(admin).post(f"/projects/{project.slug}/articles/", articles(150))
    job_id = response.json()["id"]
    queue_indexing = import_jobs.jobs.queue_indexing

    def cancel_after_the_first_batch(project_id):
        queue_indexing(project_id)
        Api(admin).post(f"/jobs/{job_id}/cancel/")  # a person presses Cancel while the job runs

    monkeypatch.setattr(import_jobs.jobs, "queue_indexing", cancel_after_the_first_batch)
    job = finished_job(response)
    assert job["state"] == JobState.CANCELLED
    assert Article.objects.count() == 50 == job["result"]["added"] == job["done"]
    assert job["result"]["note"] == "Cancelled after 50 of 150: what was done before the cancel is kept."


def test_an_import_whose_starter_lost_the_admin_role_fails_with_a_reason(project, admin, annotator):
    response = Api(admin).post(f"/projects/{project.slug}/articles/", articles(101))
    MembershipFactory._meta.model.objects.filter(user=admin, project=project).update(role="annotator")
    job = finished_job(response)
    assert job["state"] == JobState.FAILED
    assert "Only a project admin may import articles" in job["error"]
    assert "start the job again" in job["error"]


def test_a_file_import_job_counts_the_corrections_it_brought_as_revised(project, admin):
    ArticleFactory(project=project, url="https://news.example/a", body="The mayor said the bridge opens in May.")
    lines = [
        {"url": "https://news.example/a", "body": "The mayor said the bridge opens in June."},
        {"url": "https://news.example/b", "body": "Another story."},
    ]
    upload = io.BytesIO("\n".join(json.dumps(line) for line in lines).encode())
    upload.name = "corrections.jsonl"
    api = Api(admin)
    response = api.client.post(
        f"/api/v1/projects/{project.slug}/articles/import/", data={"file": upload}, headers=api.headers
    )
    assert response.status_code == 202, response.content
    run_queued_jobs()
    result = Job.objects.get(pk=response.json()["id"]).result
    assert (result["added"], result["revised"]) == (1, 1)
    assert result["line"].endswith(", revised 1")
    corrected = Article.objects.get(url="https://news.example/a")
    assert corrected.revision == 2 and corrected.body.endswith("June.")


def test_a_file_upload_on_the_page_shows_the_job_then_its_summary(project, admin):
    client = secure_client(admin)
    upload = io.BytesIO(b'{"body": "One."}\n{"body": "Two."}\n{"nobody": 1}\n')
    upload.name = "feed.jsonl"
    posted = client.post(reverse("article_import", args=[project.slug]), {"file": upload})
    assert posted.status_code == 302
    job = Job.objects.get(kind=JobKind.IMPORT)
    waiting = client.get(posted["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in waiting and "Cancel" in waiting
    run_queued_jobs()
    fragment = client.get(reverse("job_detail", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "every 1s" not in fragment  # the polling stops with the job
    assert "added 2, duplicates 0, rejected 1" in fragment and "feed.jsonl line 3" in fragment
    assert f"Import a file #{job.pk}" in client.get(reverse("project_detail", args=[project.slug])).content.decode()


@pytest.fixture
def approved(project, article, annotator, reviewer):
    annotation = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    submit_article(actor=annotator, article=article)
    review_annotation(actor=reviewer, annotation=annotation, decision="approve")
    return annotation


def test_an_export_job_writes_the_streamed_bytes_to_a_file_for_reviewers_only(
    project, approved, reviewer, annotator, outsider, settings, tmp_path
):
    settings.EXPORT_DIR = tmp_path / "exports"
    response = Api(reviewer).post(f"/projects/{project.slug}/exports/", {"format": "jsonl", "status": "approved"})
    result = job_result(response)
    job_id = response.json()["id"]
    assert result["url"] == f"/api/v1/jobs/{job_id}/download/"
    download = Api(reviewer).get(f"/jobs/{job_id}/download/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    streamed = Api(reviewer).get(f"/projects/{project.slug}/export/?format=jsonl&status=approved")
    assert b"".join(download.streaming_content) == b"".join(streamed.streaming_content)
    assert [p.name for p in (tmp_path / "exports" / str(job_id)).iterdir()] == [result["filename"]]  # no .part
    assert Api(annotator).get(f"/jobs/{job_id}/download/").status_code == 403
    assert Api(outsider).get(f"/jobs/{job_id}/download/").status_code == 404
    assert Api(annotator).post(f"/projects/{project.slug}/exports/", {"format": "jsonl"}).status_code == 403
    bad = Api(reviewer).post(f"/projects/{project.slug}/exports/", {"format": "xml"})
    assert bad.status_code == 400 and "format" in json.dumps(bad.json())


def test_an_export_file_is_deleted_after_its_retention_period(project, approved, reviewer, settings, tmp_path):
    settings.EXPORT_DIR = tmp_path / "exports"
    settings.EXPORT_RETENTION_HOURS = 24
    response = Api(reviewer).post(f"/projects/{project.slug}/exports/", {"format": "csv", "status": "approved"})
    job_result(response)
    job = Job.objects.get(kind=JobKind.EXPORT)
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(hours=25))
    assert delete_expired_exports() == 1
    assert not export_dir(job).exists()
    gone = Api(reviewer).get(f"/jobs/{job.pk}/download/")
    assert gone.status_code == 410 and "retention period (24 h)" in gone.json()["detail"]


def test_suggest_again_over_the_project_is_a_job_for_reviewers(project, reviewer, annotator, settings):
    settings.SUGGEST_ON_IMPORT = False
    for n in range(3):
        ArticleFactory(project=project, body=f"{NEWS_BODY} Day {n}.")
    assert Api(annotator).post(f"/projects/{project.slug}/suggest/").status_code == 403
    response = Api(reviewer).post(f"/projects/{project.slug}/suggest/")
    result = job_result(response)
    assert result["articles"] == 3 and result["created"] == Annotation.objects.filter(origin=Origin.SUGGESTED).count()
    assert result["created"] > 0


def test_an_export_that_stops_midway_leaves_no_file_and_fails_with_a_reason(
    project, approved, reviewer, settings, tmp_path, monkeypatch
):
    settings.EXPORT_DIR = tmp_path / "exports"

    def disk_full(groups, context):
        yield b'{"partial": true}\n'
        raise OSError("No space left on device")

    monkeypatch.setitem(FORMATS, "jsonl", dataclasses.replace(FORMATS["jsonl"], writer=disk_full))
    response = Api(reviewer).post(f"/projects/{project.slug}/exports/", {"format": "jsonl", "status": "approved"})
    job = finished_job(response)
    assert job["state"] == JobState.FAILED and "No space left on device" in job["error"]
    assert list((tmp_path / "exports" / str(job["id"])).iterdir()) == []  # not even the partial file
    assert Api(reviewer).get(f"/jobs/{job['id']}/download/").status_code == 410


def test_an_export_run_again_after_its_worker_died_replaces_the_partial_file_it_left(
    project, approved, reviewer, settings, tmp_path
):
    settings.EXPORT_DIR = tmp_path / "exports"
    response = Api(reviewer).post(f"/projects/{project.slug}/exports/", {"format": "csv", "status": "approved"})
    job = Job.objects.get(pk=response.json()["id"])
    folder = export_dir(job)
    folder.mkdir(parents=True)
    (folder / f".{project.slug}-approved.csv.part").write_bytes(b"half a row from the killed worker")
    result = job_result(response)
    assert [p.name for p in folder.iterdir()] == [result["filename"]]
    streamed = Api(reviewer).get(f"/projects/{project.slug}/export/?format=csv&status=approved")
    assert (folder / result["filename"]).read_bytes() == b"".join(streamed.streaming_content)


def test_the_export_page_prepares_the_file_as_a_job_whose_page_links_the_download(
    project, approved, reviewer, settings, tmp_path
):
    settings.EXPORT_DIR = tmp_path / "exports"
    client = secure_client(reviewer)
    page = client.get(reverse("export_page", args=[project.slug]), {"format": "csv", "status": "approved"})
    assert "Prepare the file in the background" in page.content.decode()
    started = client.post(f"{reverse('export_job', args=[project.slug])}?format=csv&status=approved")
    job = Job.objects.get(kind=JobKind.EXPORT)
    assert started["Location"] == reverse("job_detail", args=[job.pk])
    assert job.params["format"] == "csv"
    run_queued_jobs()
    html = client.get(started["Location"]).content.decode()
    assert f'href="/api/v1/jobs/{job.pk}/download/"' in html and f"{project.slug}-approved.csv" in html
    refused = client.post(f"{reverse('export_job', args=[project.slug])}?format=xml")
    assert refused.status_code == 400 and Job.objects.count() == 1


def test_a_long_list_is_checked_by_one_serializer_whose_fields_are_built_once(monkeypatch):
    from annotator.api import article_lists
    from annotator.api.serializers import ArticleInputSerializer

    built = []
    get_fields = ArticleInputSerializer.get_fields

    def counted(self):
        built.append(self)
        return get_fields(self)

    monkeypatch.setattr(ArticleInputSerializer, "get_fields", counted)
    records, errors = article_lists.checked_records([*articles(150), {"title": "No body"}, {"body": 3}])
    assert len(built) == 1  # DRF deep-copies every declared field per instance: 0.4 ms an item when one each
    assert len(records) == 152 and errors == {"body": ["must be a string, not a number"]}
    assert [type(r).__name__ for r in records[150:]] == ["Rejection", "Rejection"]
    assert "body" in records[150].reason
