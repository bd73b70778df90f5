"""Corrected articles through the API (contract §9): the revisions endpoints, `revision` on the article, `anchor` on
annotations, and exports that carry the revision and never an orphan."""

from __future__ import annotations

import json

import pytest

from annotator.annotations.models import Anchor, Annotation, Status
from annotator.annotations.services import create_annotation, review_annotation, submit_article
from annotator.articles.models import ArticleRevision
from tests.factories import ArticleFactory
from tests.test_api import Api, fresh_throttles  # noqa: F401 the throttles start afresh in every test
from tests.test_revisions import BODY, at

pytestmark = pytest.mark.django_db

PARAGRAPH = "“We have turned the corner,” she told reporters, though critics disagreed.\n\n"


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, body=BODY)


@pytest.fixture
def approved(article, annotator, reviewer):
    made = []
    for fragment in ("inflation will fall below 3% by June", "We have turned the corner", "the risks remain high"):
        start, end = at(BODY, fragment)
        made.append(create_annotation(actor=annotator, article=article, kind="claim", start=start, end=end))
    submit_article(actor=annotator, article=article)
    for annotation in made:
        review_annotation(actor=reviewer, annotation=annotation, decision="approve")
    return made


def revisions(article) -> str:
    return f"/articles/{article.pk}/revisions/"


def test_a_reviewer_posts_a_correction_and_every_annotation_is_re_anchored(article, approved, reviewer):
    api = Api(reviewer)
    assert api.get(f"/articles/{article.pk}/").json()["revision"] == 1
    body = "Corrected on Wednesday.\n\n" + BODY.replace(PARAGRAPH, "").replace("remain high", "remain very high")
    answer = api.post(revisions(article), {"body": body, "note": "paragraph withdrawn, quote fixed"})
    assert answer.status_code == 201, answer.content
    assert answer.json()["number"] == 2
    assert answer.json()["author"] == "rita_reviewer"
    assert answer.json()["annotations"] == {"exact": 1, "changed": 1, "orphaned": 1, "to_review": 2}
    assert api.get(f"/articles/{article.pk}/").json()["revision"] == 2
    listed = api.get(f"/articles/{article.pk}/annotations/").json()["results"]
    assert {(a["text"], a["anchor"], a["status"]) for a in listed} == {
        ("inflation will fall below 3% by June", "exact", "approved"),
        ("the risks remain very high", "changed", "submitted"),
    }
    for annotation in listed:
        assert body[annotation["start"] : annotation["end"]] == annotation["text"]


def test_the_revisions_are_listed_and_each_one_gives_its_body(article, reviewer, annotator):
    Api(reviewer).post(revisions(article), {"body": BODY + " More.", "note": "added a sentence"})
    api = Api(annotator)
    listed = api.get(revisions(article)).json()
    assert [(r["number"], r["note"], r["author"]) for r in listed] == [
        (1, "", None),
        (2, "added a sentence", "rita_reviewer"),
    ]
    assert set(listed[0]) == {"number", "created_at", "author", "note", "content_hash"}
    assert api.get(revisions(article) + "1/").json()["body"] == BODY
    assert api.get(revisions(article) + "2/").json()["body"] == BODY + " More."
    assert api.get(revisions(article) + "3/").status_code == 404


def test_the_same_body_again_is_a_400_that_says_so(article, reviewer):
    answer = Api(reviewer).post(revisions(article), {"body": BODY})
    assert answer.status_code == 400
    assert "same as the current body" in answer.json()["errors"]["body"][0]
    assert ArticleRevision.objects.filter(article=article).count() == 1


def test_a_body_an_import_refuses_is_a_400_with_the_import_message(article, reviewer):
    answer = Api(reviewer).post(revisions(article), {"body": " \n "})
    assert answer.status_code == 400
    assert answer.json()["errors"]["body"] == ["body is empty or only whitespace"]


def test_an_annotator_may_not_correct_an_article(article, annotator):
    answer = Api(annotator).post(revisions(article), {"body": BODY + " More."})
    assert answer.status_code == 403
    assert ArticleRevision.objects.filter(article=article).count() == 1


def test_a_correction_of_an_outdated_revision_is_a_409_naming_the_current_one(article, reviewer, admin):
    Api(admin).post(revisions(article), {"body": BODY + " One.", "revision": 1})
    answer = Api(reviewer).post(revisions(article), {"body": BODY + " Two.", "revision": 1})
    assert answer.status_code == 409
    assert answer.json()["revision"] == 2


def test_exports_carry_the_revision_and_never_an_orphan(article, approved, reviewer, admin):
    Api(reviewer).post(revisions(article), {"body": "Update.\n\n" + BODY.replace(PARAGRAPH, "")})
    assert Annotation.with_orphans.filter(anchor=Anchor.ORPHANED).count() == 1
    api = Api(admin)
    for fmt in ("jsonl", "csv"):
        response = api.get(f"/projects/{article.project.slug}/export/?format={fmt}&status=all")
        content = b"".join(response.streaming_content).decode()
        assert "We have turned the corner" not in content, fmt
        assert "inflation will fall below 3% by June" in content, fmt
    jsonl = api.get(f"/projects/{article.project.slug}/export/?format=jsonl&status=all")
    records = [json.loads(line) for line in b"".join(jsonl.streaming_content).decode().splitlines()]
    assert records and all(r["revision"] == 2 for r in records)


def test_an_orphan_is_listed_for_its_author_and_deleted_through_the_api_by_its_reviewer(
    article, approved, reviewer, annotator, other_annotator
):
    Api(reviewer).post(revisions(article), {"body": BODY.replace(PARAGRAPH, "")})
    orphan = Annotation.with_orphans.get(anchor=Anchor.ORPHANED)
    listed = Api(annotator).get(f"/articles/{article.pk}/orphans/").json()
    assert [(o["id"], o["anchor"], o["start"], o["end"], o["text"]) for o in listed] == [
        (orphan.pk, "orphaned", None, None, "We have turned the corner")
    ]
    assert Api(other_annotator).get(f"/articles/{article.pk}/orphans/").json() == []
    shown = Api(annotator).get(f"/annotations/{orphan.pk}/").json()
    assert (shown["anchor"], shown["start"]) == ("orphaned", None)
    assert orphan.status == Status.SUBMITTED
    assert Api(reviewer).delete(f"/annotations/{orphan.pk}/").status_code == 204
    assert not Annotation.with_orphans.filter(pk=orphan.pk).exists()


# --- imports: the same url with another body is the article's next revision ---------------------------------


URL = "https://news.example.org/2026/kovac-inflation"


@pytest.fixture
def published(project, annotator):
    article = ArticleFactory(project=project, body=BODY, url=URL)
    start, end = at(BODY, "the risks remain high")
    create_annotation(actor=annotator, article=article, kind="claim", start=start, end=end)
    return article


def test_an_imported_record_with_an_articles_url_and_another_body_is_its_next_revision(published, project, admin):
    corrected = "Correction appended.\n\n" + BODY
    records = [{"url": URL, "body": corrected, "title": "Kovač"}, {"body": "A new story."}]
    answer = Api(admin).post(f"/projects/{project.slug}/articles/", records)
    assert answer.status_code == 201, answer.content
    assert (answer.json()["added"], answer.json()["revised"], answer.json()["ids"][0]) == (1, 1, published.pk)
    published.refresh_from_db()
    assert (published.revision, published.body) == (2, corrected)
    assert ArticleRevision.objects.get(article=published, number=2).note.startswith("imported from")
    claim = Annotation.objects.get(article=published)
    assert (claim.anchor, claim.text) == (Anchor.EXACT, corrected[claim.start : claim.end])
    again = Api(admin).post(f"/projects/{project.slug}/articles/", [{"url": URL, "body": corrected}])
    assert (again.json()["duplicates"], again.json()["revised"]) == (1, 0)


def test_the_import_summary_line_ends_with_the_revised_count(published, project, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    source = tmp_path / "corrected.jsonl"
    source.write_text(json.dumps({"url": URL, "body": BODY + " Corrected."}) + "\n", encoding="utf-8")
    out = StringIO()
    call_command("load_articles", str(source), project=project.slug, stdout=out, stderr=StringIO())
    assert out.getvalue().strip().endswith("added 0, duplicates 0, rejected 0, revised 1")
    assert ArticleRevision.objects.filter(article=published).count() == 2
