"""Hostile input refused where it enters: links that are not http(s), markup in usernames, raw HTML in Markdown.

Whatever is accepted is shown escaped: tests/test_browser_xss.py proves that in Chromium. Here, the
values that must not be stored at all: `url` and `evidence_url` take only http and https, through the
API, the HTML forms, uploads and the admin alike (one check, `ingestion.is_http_url`).
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotator.accounts.models import User
from annotator.annotations.models import Annotation
from annotator.annotations.services import create_annotation, review_annotation, submit_article
from annotator.articles.admin import ArticleAdminForm
from annotator.articles.markdown import render_markdown
from annotator.articles.models import Article
from tests.conftest import secure_client
from tests.factories import ArticleFactory
from tests.jobs import job_result, page_after_job
from tests.test_api import Api
from tests.xss_payloads import HOSTILE_URLS, chunks, corpus, joined, url_corpus

pytestmark = pytest.mark.django_db

BODY = "The minister said prices would fall by June."
CLAIM = {"kind": "claim", "start": 4, "end": 12, "text": "minister"}
EVIDENCE_REFUSED = {"attributes.evidence_url": ["must be an http or https URL"]}


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, body=BODY)


# --- evidence_url ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_api_refuses_an_evidence_url_that_is_not_http_naming_the_field(article, annotator, url):
    api = Api(annotator)
    created = api.post(f"/articles/{article.pk}/annotations/", CLAIM | {"attributes": {"evidence_url": url}})
    assert created.status_code == 400
    assert created.json()["errors"] == EVIDENCE_REFUSED
    assert created.json()["detail"] == "attributes.evidence_url: must be an http or https URL"
    assert not Annotation.objects.exists()

    claim = api.post(f"/articles/{article.pk}/annotations/", CLAIM).json()
    changed = api.patch(f"/annotations/{claim['id']}/", {"attributes": claim["attributes"] | {"evidence_url": url}})
    assert changed.status_code == 400
    assert changed.json()["errors"] == EVIDENCE_REFUSED
    assert Annotation.objects.get().attributes["evidence_url"] == ""


def test_the_annotation_form_refuses_them_next_to_the_evidence_url_field(article, annotator):
    client = secure_client(annotator)
    for url in HOSTILE_URLS:
        form = {"kind": "claim", "start": 4, "end": 12, "text": "minister", "evidence_url": url, "checkworthy": "on"}
        response = client.post(reverse("annotation_create", args=[article.pk]), form, headers={"HX-Request": "true"})
        assert response.status_code == 422, url  # the workspace's answer to a form with errors
        html = response.content.decode()
        field = html[html.index('for="id_evidence_url"') :]
        assert "must be an http or https URL" in field[: field.index("</div>")], url
    assert not Annotation.objects.exists()


def test_an_http_evidence_url_with_quotes_and_angle_brackets_is_kept_as_typed(article, annotator):
    """It is a link like any other: the pages escape it (tests/test_browser_xss.py)."""
    api = Api(annotator)
    for payload in url_corpus("evidence"):
        response = api.post(
            f"/articles/{article.pk}/annotations/", CLAIM | {"attributes": {"evidence_url": payload.text}}
        )
        assert response.status_code == 201
        assert response.json()["attributes"]["evidence_url"] == payload.text


# --- article url ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_one_article_with_a_url_that_is_not_http_is_a_400_naming_the_url(project, admin, url):
    response = Api(admin).post(f"/projects/{project.slug}/articles/", {"body": BODY, "url": url})
    assert response.status_code == 400
    data = response.json()
    assert list(data["errors"]) == ["url"]
    assert data["detail"].startswith("url ") and data["detail"].endswith("is not an http or https URL")
    assert (data["added"], data["rejected"], data["ids"]) == (0, 1, [None])
    assert not Article.objects.exists()


def test_one_article_refused_for_its_shape_names_the_field_too(project, admin):
    api = Api(admin)
    unknown = api.post(f"/projects/{project.slug}/articles/", {"body": BODY, "colour": "red"})
    assert unknown.status_code == 400
    assert list(unknown.json()["errors"]) == ["colour"]
    empty = api.post(f"/projects/{project.slug}/articles/", {"body": "  "})
    assert (empty.status_code, empty.json()["errors"]) == (400, {"body": ["body is empty or only whitespace"]})


def test_a_list_stores_the_good_article_and_names_the_url_of_each_refused_one(project, admin):
    items = [{"body": f"Story {i}.", "url": url} for i, url in enumerate(HOSTILE_URLS)]
    response = Api(admin).post(
        f"/projects/{project.slug}/articles/", [*items, {"body": BODY, "url": "https://a.example/"}]
    )
    assert response.status_code == 201
    data = response.json()
    assert (data["added"], data["rejected"]) == (1, len(HOSTILE_URLS))
    assert all(e["reason"].startswith("url ") and "not an http or https URL" in e["reason"] for e in data["errors"])
    assert list(Article.objects.values_list("url", flat=True)) == ["https://a.example/"]


def jsonl_of_hostile_urls() -> bytes:
    return "".join(
        json.dumps({"body": f"Story {i}.", "url": url}) + "\n" for i, url in enumerate(HOSTILE_URLS)
    ).encode()


def test_uploads_through_the_page_and_the_api_name_the_url_of_each_refused_record(project, admin):
    client = secure_client(admin)
    page = client.post(
        reverse("article_import", args=[project.slug]),
        {"file": SimpleUploadedFile("feed.jsonl", jsonl_of_hostile_urls())},
    )
    html = page_after_job(client, page).content.decode()
    assert f"added 0, duplicates 0, rejected {len(HOSTILE_URLS)}" in html
    assert html.count("is not an http or https URL") == len(HOSTILE_URLS)

    upload = io.BytesIO(jsonl_of_hostile_urls())
    upload.name = "feed.jsonl"
    api = Api(admin)
    response = api.client.post(
        f"/api/v1/projects/{project.slug}/articles/import/", data={"file": upload}, headers=api.headers
    )
    result = job_result(response)
    assert result["rejected"] == len(HOSTILE_URLS)
    assert [e["where"] for e in result["errors"]] == [f"feed.jsonl line {n + 1}" for n in range(len(HOSTILE_URLS))]
    assert not Article.objects.exists()


def test_the_admin_article_form_refuses_them_and_ftp_too(project):
    """Django's URL field alone would take ftp: the form asks the same check as every other path."""
    for url in HOSTILE_URLS:
        form = ArticleAdminForm(data={"project": project.pk, "title": "T", "body": BODY, "url": url, "metadata": "{}"})
        if form.is_valid():  # Django's URL field makes //host/path an http URL, which is fine
            assert form.cleaned_data["url"].startswith("http://"), url
        else:
            assert "url" in form.errors, url
    fine = ArticleAdminForm(data={"project": project.pk, "body": BODY, "url": "https://a.example/x", "metadata": "{}"})
    assert fine.is_valid(), fine.errors


# --- usernames ------------------------------------------------------------------------------------


def test_hostile_usernames_are_refused_by_the_api_and_the_admin_form(admin_client):
    api = Api(User.objects.get(username="admin"))
    admin_client.defaults["wsgi.url_scheme"] = "https"
    for username in chunks(corpus("user"), 150):
        response = api.post("/users/", {"username": username, "password": "correct horse battery staple"})
        assert response.status_code == 400, username
        assert list(response.json()["errors"]) == ["username"]
        page = admin_client.post(
            reverse("admin:accounts_user_add"),
            {"username": username, "usable_password": "true", "password1": "x7!Kq2#vLm9", "password2": "x7!Kq2#vLm9"},
            secure=True,
        )
        assert page.status_code == 200  # the form again, with the error
        assert "Enter a valid username" in page.content.decode()
    assert not User.objects.exclude(username="admin").exists()


# --- Markdown -------------------------------------------------------------------------------------


def test_guidelines_markdown_keeps_no_raw_html_and_no_script_links():
    html = render_markdown("\n\n".join(p.text for p in corpus("guide")))
    assert "<script" not in html and "<img" not in html and "<iframe" not in html and "<svg" not in html
    for scheme in ("javascript:", "vbscript:", "data:text"):
        assert f'href="{scheme}' not in html.lower().replace("&#58;", ":")
        assert f'src="{scheme}' not in html.lower()


# --- exports --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "w3c", "conll", "claimreview"])
def test_exports_of_hostile_text_are_downloads_never_pages(project, article, annotator, reviewer, fmt):
    text = joined(corpus("export"))
    claim = create_annotation(
        actor=annotator,
        article=article,
        kind="claim",
        **{k: CLAIM[k] for k in ("start", "end", "text")},
        attributes={"verdict": "false", "verdict_note": text, "evidence_url": url_corpus("export")[0].text},
    )
    submit_article(actor=annotator, article=article)
    review_annotation(actor=reviewer, annotation=claim, decision="approve", comment=text)
    response = secure_client(reviewer).get(
        reverse("export_download", args=[project.slug]), {"format": fmt, "status": "approved"}
    )
    assert response.status_code == 200
    assert not response["Content-Type"].startswith(("text/html", "application/xhtml", "image/svg"))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    content = b"".join(response.streaming_content).decode()
    assert "__xss" in content or fmt == "conll"  # CoNLL carries tokens and tags only
