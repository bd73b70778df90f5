"""brat export (contract §10, docs/brat.md): a zip of `<article id>.txt` and `.ann` per article in PolNeAR's
attribution scheme, approved quotes by default; export → import → export gives the same spans and events up to
identifiers; the export endpoint's queries do not grow with the annotations."""

from __future__ import annotations

import io
import zipfile

import psycopg
import pytest
from django.core.management import call_command
from django.urls import reverse

from annotator.annotations.models import Annotation
from annotator.annotations.services import create_annotation, review_annotation, submit_article
from annotator.articles.models import Article
from annotator.exports.services import FORMATS, export_dataset
from tests import brat_files
from tests.conftest import secure_client
from tests.factories import ArticleFactory, ProjectFactory
from tests.jobs import job_result
from tests.test_api import Api
from tests.test_brat_import import load

pytestmark = pytest.mark.django_db
BODY = "🇫🇷 “We will act,” she said, “and soon.”\nOfficials said it is fine. She added: no.\n"


def at(words: str, nth: int = 0) -> list[int]:
    return list(brat_files.span(BODY, words, nth))


def export_members(project, user, status: str | None = None) -> dict[str, str]:
    export = export_dataset(project=project, actor=user, format="brat", status=status)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(export.chunks)))
    return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def approve_all(article, author, reviewer) -> None:
    submit_article(actor=author, article=article)
    for annotation in Annotation.objects.filter(article=article):
        review_annotation(actor=reviewer, annotation=annotation, decision="approve")


@pytest.fixture
def quoted(project, annotator, reviewer):
    """An article with an interrupted quote in two parts, a Source shared by two quotes, and one without a source."""
    article = ArticleFactory(project=project, body=BODY)
    interrupted = create_annotation(
        actor=annotator, article=article, kind="quote", start=at("We")[0], end=at("soon.")[1],
        attributes={"speaker_span": at("she"), "cue_span": at("said")},
    )  # fmt: skip
    Annotation.objects.filter(pk=interrupted.pk).update(parts=[at("We will act,"), at("and soon.")])
    create_annotation(
        actor=annotator, article=article, kind="quote", start=at("it is fine")[0], end=at("it is fine")[1],
        attributes={"speaker_span": at("Officials"), "cue_span": at("said", 1)},
    )  # fmt: skip
    create_annotation(
        actor=annotator, article=article, kind="quote", start=at("no.")[0], end=at("no.")[1] - 1,
        attributes={"speaker_span": at("Officials"), "cue_span": at("added")},
    )  # fmt: skip
    create_annotation(actor=annotator, article=article, kind="quote", start=at("We")[0], end=at("We")[1])
    create_annotation(actor=annotator, article=article, kind="claim", start=0, end=2)
    approve_all(article, annotator, reviewer)
    return article


def test_brat_export_writes_each_articles_text_and_its_attributions(quoted, reviewer):
    members = export_members(quoted.project, reviewer)
    assert sorted(members) == sorted(["annotation.conf", f"{quoted.pk}.txt", f"{quoted.pk}.ann"])
    assert members[f"{quoted.pk}.txt"] == BODY
    s = {words: " ".join(map(str, at(words))) for words in ("We will act,", "and soon.", "she", "said", "Officials")}
    we, fine, added, no = at("We"), at("it is fine"), at("added"), at("no")
    said2 = " ".join(map(str, at("said", 1)))
    assert members[f"{quoted.pk}.ann"].split("\n") == [
        f"T1\tContent {we[0]} {we[1]}\tWe",
        f"T2\tAttribution-no-source {we[0]} {we[1]}\tWe",  # no cue: the trigger is on the content
        "E1\tAttribution-no-source:T2 Content:T1",
        f"T3\tContent {s['We will act,']};{s['and soon.']}\tWe will act, and soon.",
        f"T4\tCue {s['said']}\tsaid",
        f"T5\tAttribution {s['said']}\tsaid",
        f"T6\tSource {s['she']}\tshe",
        "E2\tAttribution:T5 Content:T3 Cue:T4 Source:T6",
        f"T7\tContent {fine[0]} {fine[1]}\tit is fine",
        f"T8\tCue {said2}\tsaid",
        f"T9\tAttribution {said2}\tsaid",
        f"T10\tSource {s['Officials']}\tOfficials",
        "E3\tAttribution:T9 Content:T7 Cue:T8 Source:T10",
        f"T11\tContent {no[0]} {no[1]}\tno",
        f"T12\tCue {added[0]} {added[1]}\tadded",
        f"T13\tAttribution {added[0]} {added[1]}\tadded",
        "E4\tAttribution:T13 Content:T11 Cue:T12 Source:T10",  # the Source written once, shared
        "",
    ]
    assert "[events]\nAttribution\tContent:Content, Cue?:Cue, Source:Source" in members["annotation.conf"]


def test_brat_export_holds_approved_quotes_by_default_and_the_same_bytes_each_time(project, annotator, reviewer):
    article = ArticleFactory(project=project, body=BODY)
    create_annotation(actor=annotator, article=article, kind="quote", start=0, end=2)
    submit_article(actor=annotator, article=article)
    assert list(export_members(project, reviewer)) == ["annotation.conf"]
    assert list(export_members(project, reviewer, "submitted")) == [
        "annotation.conf",
        f"{article.pk}.txt",
        f"{article.pk}.ann",
    ]
    first = b"".join(export_dataset(project=project, actor=reviewer, format="brat", status="all").chunks)
    again = b"".join(export_dataset(project=project, actor=reviewer, format="brat", status="all").chunks)
    assert first == again
    assert FORMATS["brat"].left_out() == [
        "Claims and stances: PolNeAR's attribution scheme describes quotes (a Source, a Cue and a Content)."
    ]


def exported_events(project) -> dict[str, set]:
    """Per article (by the file it was imported from), its exported events: their spans as offsets and texts."""
    members = export_members(project, None, "submitted")
    files = dict(Article.objects.filter(project=project).values_list("pk", "metadata__file"))
    return {
        files[int(name.removesuffix(".ann"))]: brat_files.events(ann, members[name.replace(".ann", ".txt")])
        for name, ann in members.items()
        if name.endswith(".ann")
    }


def test_export_import_export_gives_the_same_spans_and_events(tmp_path, project, annotator):
    load(brat_files.write_folder(tmp_path / "in"), project, annotator.username)
    first = exported_events(project)
    files = brat_files.files()
    for name in ("speech", "mayor"):  # the texts of the files' events (offsets moved by the CRLF before them)
        assert brat_files.by_text(first[f"{name}.txt"]) == brat_files.by_text(
            brat_files.events(files[f"{name}.ann"], files[f"{name}.txt"])
        )
    archive = tmp_path / "first.zip"
    archive.write_bytes(b"".join(export_dataset(project=project, actor=None, format="brat", status="submitted").chunks))
    again = ProjectFactory()
    again.memberships.create(user=annotator, role="annotator")
    out, _, code = load(archive, again, annotator.username)
    assert "added 2, duplicates 0, rejected 0" in out and code == 0  # plain.txt has no quote to export
    second = exported_events(again)
    ids = dict(Article.objects.filter(project=project).values_list("metadata__file", "pk"))
    assert second == {f"{ids[name]}.txt": found for name, found in first.items()}
    assert sum(len(found) for found in second.values()) == 5


def test_the_export_endpoint_reads_the_same_number_of_times_whatever_the_number_of_quotes(
    project, annotator, reviewer, monkeypatch, django_assert_max_num_queries
):
    statements = []
    for cursor in (psycopg.Cursor, psycopg.ServerCursor):
        original = cursor.execute
        monkeypatch.setattr(
            cursor, "execute", lambda self, *a, _o=original, **k: statements.append(a[0]) or _o(self, *a, **k)
        )

    api = Api(reviewer)

    def export() -> int:
        statements.clear()
        with django_assert_max_num_queries(10):
            response = api.get(f"/projects/{project.slug}/export/?format=brat&status=submitted")
            assert response.status_code == 200 and response["Content-Type"] == "application/zip"
            b"".join(response.streaming_content)
        return len(statements)

    def add_articles(n: int) -> None:
        for _ in range(n):
            article = ArticleFactory(project=project, body=f"{BODY}{Article.objects.count()}")
            for words in ("We will act,", "and soon.", "it is fine"):
                create_annotation(
                    actor=annotator, article=article, kind="quote", start=at(words)[0], end=at(words)[1],
                    attributes={"speaker_span": at("Officials"), "cue_span": at("said", 1)},
                )  # fmt: skip
            submit_article(actor=annotator, article=article)

    add_articles(1)
    few = export()
    add_articles(5)
    assert export() == few


def test_export_dataset_command_writes_a_brat_zip(quoted, tmp_path):
    output = tmp_path / "out.brat.zip"
    call_command("export_dataset", project=quoted.project.slug, format="brat", output=str(output))
    assert zipfile.ZipFile(output).read(f"{quoted.pk}.txt").decode("utf-8") == BODY


def test_the_export_page_offers_brat_and_says_it_holds_quotes_only(quoted, reviewer):
    page = secure_client(reviewer).get(reverse("export_page", args=[quoted.project.slug]), {"format": "brat"})
    text = page.content.decode()
    assert page.status_code == 200 and '<option value="brat" selected>' in text
    assert "Claims and stances: PolNeAR&#x27;s attribution scheme describes quotes" in text


def test_a_brat_export_job_writes_the_zip_the_stream_gives(quoted, reviewer, settings, tmp_path):
    settings.EXPORT_DIR = tmp_path / "exports"
    result = job_result(Api(reviewer).post(f"/projects/{quoted.project.slug}/exports/", {"format": "brat"}))
    assert result["filename"].endswith("-approved.brat.zip") and result["content_type"] == "application/zip"
    download = Api(reviewer).get(result["url"].removeprefix("/api/v1"))
    streamed = Api(reviewer).get(f"/projects/{quoted.project.slug}/export/?format=brat")
    assert b"".join(download.streaming_content) == b"".join(streamed.streaming_content)
