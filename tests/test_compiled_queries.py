"""Queries compiled once per process (annotator.compiled) give what the ORM gives for every kind of reader: the
article read's annotations and a create's candidate suggestions (issue 16)."""

from __future__ import annotations

import pytest
from django.db import transaction

from annotator.accounts.models import User
from annotator.annotations.models import Annotation, Origin
from annotator.annotations.services import create_annotation
from annotator.api.article_views import FIRST_PAGE, ONE_ARTICLE, visible_articles, visible_rows
from annotator.compiled import Compiled
from annotator.suggestions.models import Outcome, SuggestionOutcome
from annotator.suggestions.resolution import _ONE_SPAN, _candidates
from tests.test_api import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def annotated(article, annotator, other_annotator):
    """Drafts of two annotators and pending suggestions, one of them dismissed by the annotator."""
    for who in (annotator, other_annotator):
        create_annotation(actor=who, article=article, kind="claim", start=0, end=5)
    suggestions = Annotation.objects.bulk_create(
        Annotation(article=article, kind="claim", start=i, end=i + 8, text=article.body[i : i + 8],
                   origin=Origin.SUGGESTED, suggester="test")
        for i in range(3)
    )  # fmt: skip
    SuggestionOutcome.objects.create(suggestion=suggestions[0], user=annotator, outcome=Outcome.DISMISSED)
    return article


def test_the_compiled_first_page_is_the_orms_for_every_reader(annotated, annotator, reviewer, admin, outsider):
    superuser = User.objects.create_superuser("root", "root@example.org", "a-long-password-1")
    for user in (annotator, reviewer, admin, outsider, superuser):
        expected = list(visible_rows(user, annotated)[:101])
        assert FIRST_PAGE.rows((user.is_superuser, user.is_active, 100), user.pk, annotated.pk) == expected
    assert len(FIRST_PAGE.rows((False, True, 100), annotator.pk, annotated.pk)) == 3  # own draft, 2 suggestions
    assert len(FIRST_PAGE.rows((False, True, 1), annotator.pk, annotated.pk)) == 2  # the cap, and one more


def test_an_inactive_reader_sees_nothing_compiled_or_not(annotated, annotator):
    annotator.is_active = False
    assert FIRST_PAGE.rows((False, False, 100), annotator.pk, annotated.pk) == []
    assert list(visible_rows(annotator, annotated)) == []


def test_the_compiled_candidates_are_the_orms(annotated, annotator, other_annotator):
    with transaction.atomic():
        for user in (annotator, other_annotator):
            span = Annotation(kind="claim", start=1, end=9)
            expected = list(_candidates(user, annotated, [span]))
            assert _ONE_SPAN.instances("claim", user.pk, annotated.pk, 1, 9) == expected
            assert [s.start for s in expected] == [1] and expected[0].text == annotated.body[1:9]


def test_a_query_that_leaves_an_id_out_is_refused():
    unused = Compiled(lambda shape, user_id: User.objects.filter(pk=1))
    with pytest.raises(ValueError, match="every id"):
        unused.rows(None, 5)


def test_the_compiled_article_is_the_orms_with_its_project_and_the_readers_role(
    article, annotator, reviewer, admin, outsider
):
    superuser = User.objects.create_superuser("root", "root@example.org", "a-long-password-1")
    for user in (annotator, reviewer, admin, superuser, outsider):
        expected = list(visible_articles(user).filter(pk=article.pk))
        found = ONE_ARTICLE.instances((user.is_superuser, user.is_active), user.pk, article.pk)
        assert found == expected
        for mine, theirs in zip(found, expected, strict=True):
            assert (mine.project.slug, mine.viewer_role, mine.body) == (
                theirs.project.slug,
                theirs.viewer_role,
                mine.body,
            )
            assert mine.get_deferred_fields() == theirs.get_deferred_fields() == {"search_document"}
    assert ONE_ARTICLE.instances((False, True), outsider.pk, article.pk) == []


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999999", "0", "-1"])
def test_an_article_id_that_is_no_article_is_not_found(article, annotator, pk):
    assert Api(annotator).get(f"/articles/{pk}/").status_code == 404
