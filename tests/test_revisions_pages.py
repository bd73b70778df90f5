"""Corrected articles on the site: the "Correct the text" form calls the same service as the API, the workspace says
the article was corrected and lists the annotations that lost their text, the diff page shows what changed, and
the history shows each re-anchoring."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotator.annotations.anchoring import compact_diff, diff_ops, expand_diff
from annotator.annotations.models import Anchor, Annotation, Status
from annotator.annotations.services import create_annotation, submit_article
from annotator.articles import revisions
from annotator.articles.models import Article, ArticleRevision
from annotator.articles.revisions import diff_html, revise_article
from tests.conftest import secure_client
from tests.factories import ArticleFactory
from tests.test_revisions import BODY, at
from tests.test_revisions_api import PARAGRAPH

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, body=BODY)


@pytest.fixture
def claims(article, annotator):
    made = []
    for fragment in ("inflation will fall below 3% by June", "We have turned the corner", "the risks remain high"):
        start, end = at(BODY, fragment)
        made.append(create_annotation(actor=annotator, article=article, kind="claim", start=start, end=end))
    submit_article(actor=annotator, article=article)
    return made


def page(user, article) -> str:
    return html.unescape(secure_client(user).get(reverse("article_detail", args=[article.pk])).content.decode())


def test_a_reviewer_corrects_the_text_with_the_form_and_sees_what_changed(article, claims, reviewer):
    url = reverse("article_revisions", args=[article.pk])
    form = secure_client(reviewer).get(url).content.decode()
    assert "Correct the text" in form and 'name="revision" value="1"' in form
    body = BODY.replace(PARAGRAPH, "").replace("remain high", "remain very high")
    answer = secure_client(reviewer).post(url, {"body": body, "note": "withdrawn quote", "revision": 1})
    assert answer.status_code == 302
    assert answer["Location"] == reverse("article_revision_diff", args=[article.pk, 2])
    article.refresh_from_db()
    assert (article.revision, article.body) == (2, body)
    diff = secure_client(reviewer).get(answer["Location"]).content.decode()
    assert "<ins>very </ins>" in diff
    assert "<del>" in diff and "withdrawn quote" in diff


def test_the_corrected_text_may_be_uploaded_as_a_file(article, reviewer):
    upload = SimpleUploadedFile("fixed.txt", ("\ufeff" + BODY + "\r\nUpdate.").encode())
    url = reverse("article_revisions", args=[article.pk])
    answer = secure_client(reviewer).post(url, {"file": upload, "note": "", "revision": 1})
    assert answer.status_code == 302
    assert Article.objects.get(pk=article.pk).body == BODY + "\nUpdate."  # normalised as an import is


def test_the_form_refuses_the_same_text_and_an_outdated_revision_and_says_why(article, reviewer):
    url = reverse("article_revisions", args=[article.pk])
    same = secure_client(reviewer).post(url, {"body": BODY, "revision": 1})
    assert same.status_code == 400
    assert "same as the current body" in html.unescape(same.content.decode())
    revise_article(actor=reviewer, article=article, body=BODY + " One.")
    stale = secure_client(reviewer).post(url, {"body": BODY + " Two.", "revision": 1})
    assert stale.status_code == 400
    assert "at revision 2 now" in html.unescape(stale.content.decode())
    assert ArticleRevision.objects.filter(article=article).count() == 2


def test_an_annotator_sees_no_form_and_may_not_post_one(article, annotator):
    url = reverse("article_revisions", args=[article.pk])
    assert "Correct the text" not in secure_client(annotator).get(url).content.decode()
    assert secure_client(annotator).post(url, {"body": BODY + " x", "revision": 1}).status_code == 403
    assert Article.objects.get(pk=article.pk).revision == 1


def test_the_workspace_says_the_article_was_corrected_and_lists_the_orphans_for_author_and_reviewer(
    article, claims, annotator, other_annotator, reviewer
):
    assert "Corrected (revision" not in page(annotator, article)
    revise_article(actor=reviewer, article=article, body=BODY.replace(PARAGRAPH, "").replace("high", "very high"))
    for user in (annotator, reviewer):
        shown = page(user, article)
        assert "Corrected (revision 2)" in shown
        assert "2 annotations need a look: 1 whose text changed, 1 whose text is gone." in shown
        assert "“We have turned the corner”" in shown
    assert "We have turned the corner" not in page(other_annotator, article)


def test_an_orphan_is_deleted_from_the_workspace_list(article, claims, annotator, reviewer):
    revise_article(actor=reviewer, article=article, body=BODY.replace(PARAGRAPH, ""))
    orphan = Annotation.with_orphans.get(anchor=Anchor.ORPHANED)
    answer = secure_client(annotator).post(reverse("orphan_delete", args=[orphan.pk]))
    assert answer.status_code == 302
    assert not Annotation.with_orphans.filter(pk=orphan.pk).exists()
    assert "need a look" not in page(annotator, article).replace("No annotation needs a look", "")


def test_an_orphan_placed_again_through_an_edit_is_exact_and_highlighted(article, claims, annotator, reviewer):
    from annotator.annotations.services import update_annotation

    body = BODY.replace(PARAGRAPH, "") + "\n\nShe said: We have turned the corner."
    revise_article(actor=reviewer, article=article, body=body)
    orphan = Annotation.with_orphans.get(anchor=Anchor.ORPHANED)
    start, end = at(body, "We have turned the corner")
    placed = update_annotation(actor=annotator, annotation=orphan.pk, start=start, end=end)
    assert (placed.anchor, placed.text, placed.old_start) == (Anchor.EXACT, "We have turned the corner", None)
    assert placed.status == Status.DRAFT  # the author's own edit, as any edit of a submitted annotation
    assert Annotation.objects.filter(pk=orphan.pk).exists()


def test_placing_an_orphan_on_a_selection_names_what_is_wrong_and_keeps_it_orphaned(
    article, claims, annotator, reviewer
):
    revise_article(actor=reviewer, article=article, body=BODY.replace(PARAGRAPH, ""))
    orphan = Annotation.with_orphans.get(anchor=Anchor.ORPHANED)
    client = secure_client(annotator)
    place = reverse("orphan_place", args=[orphan.pk])
    nothing = client.post(place, {"start": "", "end": ""}, follow=True).content.decode()
    assert "Select the text to place it on in the article first" in nothing
    beyond = client.post(place, {"start": "5", "end": str(len(BODY) + 50)}, follow=True).content.decode()
    assert "end" in beyond and "Annotation placed again" not in beyond
    assert Annotation.with_orphans.get(pk=orphan.pk).anchor == Anchor.ORPHANED
    start, end = at(BODY.replace(PARAGRAPH, ""), "the risks remain high")
    placed = client.post(place, {"start": str(start), "end": str(end)}, follow=True).content.decode()
    assert "Annotation placed again." in placed
    again = Annotation.objects.get(pk=orphan.pk)
    assert (again.start, again.end, again.anchor, again.text) == (start, end, Anchor.EXACT, "the risks remain high")


def test_the_history_shows_each_re_anchoring(article, claims, annotator, reviewer):
    revise_article(actor=reviewer, article=article, body="Update.\n\n" + BODY.replace(PARAGRAPH, ""))
    moved = secure_client(annotator).get(reverse("annotation_history", args=[claims[0].pk])).content.decode()
    shifted = claims[0].start + len("Update.\n\n")
    assert "Re-anchored" in moved and f"[{shifted}, {shifted + len(claims[0].text)})" in moved
    orphan = secure_client(annotator).get(reverse("annotation_history", args=[claims[1].pk])).content.decode()
    assert "its text is gone" in html.unescape(orphan)


def test_the_diff_is_escaped_markup_of_insertions_and_deletions():
    assert diff_html("a <b> c", "a <i> c") == "a &lt;<del>b</del><ins>i</ins>&gt; c"


def test_a_correction_stores_its_diff_and_the_diff_page_shows_it_without_diffing_again(
    article, claims, reviewer, monkeypatch, django_assert_max_num_queries
):
    body = "速報 🎉 " + BODY.replace(PARAGRAPH, "").replace("remain high", "remain very high")
    revision = revise_article(actor=reviewer, article=article, body=body).revision
    assert ArticleRevision.objects.get(pk=revision.pk).diff == compact_diff(diff_ops(BODY, body))
    monkeypatch.setattr(revisions, "diff_ops", lambda old, new: pytest.fail("the diff was computed again"))
    url = reverse("article_revision_diff", args=[article.pk, 2])
    client = secure_client(reviewer)
    client.get(url)  # the session and the membership, read once
    with django_assert_max_num_queries(6):
        shown = client.get(url).content.decode()
    assert "<ins>速報 🎉 </ins>" in shown and "<ins>very </ins>" in shown
    assert "<del>" + html.escape(PARAGRAPH.strip())[:20] in shown


def test_a_revision_stored_without_a_diff_gets_it_on_its_first_view(article, reviewer):
    revise_article(actor=reviewer, article=article, body=BODY.replace("remain high", "remain very high"))
    ArticleRevision.objects.filter(article=article, number=2).update(diff=None)  # as stored before diffs were
    shown = secure_client(reviewer).get(reverse("article_revision_diff", args=[article.pk, 2])).content.decode()
    assert "<ins>very </ins>" in shown
    assert ArticleRevision.objects.get(article=article, number=2).diff is not None


def test_a_stored_diff_gives_back_the_same_pieces_of_text():
    old, new = "東京 🇺🇦 “会議は明日 🙂” said", "速報 東京 🇺🇦 “会議は明後日 🙂” she said"
    ops = diff_ops(old, new)
    assert expand_diff(old, new, compact_diff(ops)) == ops
    with pytest.raises(ValueError, match="does not join"):
        expand_diff(old, new + "!", compact_diff(ops))


def test_an_orphan_is_placed_again_on_a_text_that_occurs_once_and_never_on_one_of_several(
    article, claims, annotator, reviewer
):
    body = BODY.replace(PARAGRAPH, "") + "\n\nShe said: We have turned the corner. Twice: we have turned the corner."
    revise_article(actor=reviewer, article=article, body=body)
    orphan = Annotation.with_orphans.get(anchor=Anchor.ORPHANED)
    url = reverse("orphan_place", args=[orphan.pk])
    assert "Place again" in page(annotator, article)
    refused = secure_client(annotator).post(url, {"text": "turned the corner"}, follow=True)
    assert "occurs 2 times" in html.unescape(refused.content.decode())
    assert Annotation.with_orphans.get(pk=orphan.pk).anchor == Anchor.ORPHANED
    assert secure_client(annotator).post(url, {"text": "We have turned the corner"}).status_code == 302
    placed = Annotation.objects.get(pk=orphan.pk)
    assert (placed.anchor, placed.start, placed.text) == (
        Anchor.EXACT,
        body.index("We have"),
        "We have turned the corner",
    )


def test_the_review_page_marks_the_annotations_whose_text_a_correction_changed(article, claims, reviewer):
    revise_article(actor=reviewer, article=article, body=BODY.replace("remain high", "remain very high"))
    review = secure_client(reviewer).get(reverse("article_review", args=[article.pk])).content.decode()
    assert review.count("Text changed by a correction") == 1
