"""The database itself refuses rows that break the model's rules."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.db.utils import DatabaseError

from annotator.accounts.models import Membership, Role
from annotator.annotations.models import Annotation, AnnotationEvent, Review, Status
from annotator.annotations.services import create_annotation, delete_annotation
from annotator.articles.ingestion import content_hash
from annotator.articles.models import Article
from tests.factories import ArticleFactory, MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def refused(**fields) -> bool:
    try:
        with transaction.atomic():
            Annotation.objects.create(**fields)
    except IntegrityError:
        return True
    return False


def test_negative_start_is_refused_by_the_database(article, annotator):
    assert refused(article=article, kind="quote", start=-1, end=3, text="abcd", author=annotator)


def test_start_not_before_end_is_refused_by_the_database(article, annotator):
    assert refused(article=article, kind="quote", start=5, end=5, text="", author=annotator)
    assert refused(article=article, kind="quote", start=6, end=5, text="", author=annotator)


def test_only_a_stance_may_have_no_span(article, annotator):
    assert refused(article=article, kind="quote", start=None, end=None, text=None, author=annotator)
    assert not refused(article=article, kind="stance", start=None, end=None, text=None, author=annotator, attributes={})


def test_half_a_span_is_refused_by_the_database(article, annotator):
    assert refused(article=article, kind="stance", start=3, end=None, text=None, author=annotator)


def test_text_length_must_equal_the_span_length(article, annotator):
    assert refused(article=article, kind="claim", start=0, end=5, text="Prime", author=None, origin="human")
    assert refused(article=article, kind="claim", start=0, end=5, text="Prim", author=annotator)


def test_text_length_counts_code_points_not_bytes_or_utf16_units(project, annotator):
    body = "Flags 🇺🇦 and 👩‍👩‍👧 then “quoted” text."
    article = ArticleFactory(project=project, body=body)
    start = body.index("“")
    end = body.index("”") + 1
    assert not refused(article=article, kind="quote", start=start, end=end, text=body[start:end], author=annotator)


def test_unknown_kind_status_and_origin_are_refused(article, annotator):
    base = {"article": article, "start": 0, "end": 5, "text": "Prime", "author": annotator}
    assert refused(**base, kind="rumour")
    assert refused(**base, kind="claim", status="maybe")
    assert refused(**base, kind="claim", origin="robot")


def test_a_human_annotation_needs_an_author(article):
    assert refused(article=article, kind="claim", start=0, end=5, text="Prime", author=None)
    assert not refused(article=article, kind="claim", start=0, end=5, text="Prime", author=None, origin="suggested")


def test_a_suggestion_nobody_accepted_cannot_be_submitted(article):
    assert refused(
        article=article,
        kind="claim",
        start=0,
        end=5,
        text="Prime",
        author=None,
        origin="suggested",
        status=Status.SUBMITTED,
    )


def test_one_membership_per_user_and_project(project, annotator):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=annotator, project=project, role=Role.REVIEWER)


def test_unknown_role_is_refused_by_the_database(project, outsider):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=outsider, project=project, role="owner")


def test_one_body_per_project_but_the_same_body_in_two_projects(project):
    article = ArticleFactory(project=project)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(project=project, body=article.body)
    assert ArticleFactory(project=ProjectFactory(), body=article.body).pk


def test_blank_body_is_refused_by_the_database(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(project=project, body=" \n\t ", content_hash=content_hash(" \n\t "))


def test_content_hash_must_match_the_body(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(project=project, body="Real text.", content_hash=content_hash("Other text."))


def test_annotators_per_article_must_be_positive(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(annotators_per_article=0)


def test_a_rejection_without_a_comment_is_refused_by_the_database(article, annotator, reviewer):
    annotation = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            annotation=annotation, reviewer=reviewer, decision="reject", comment="  ", annotation_version=1
        )


def test_one_decision_per_annotation_version(article, annotator, reviewer):
    annotation = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    Review.objects.create(annotation=annotation, reviewer=reviewer, decision="approve", annotation_version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(annotation=annotation, reviewer=reviewer, decision="approve", annotation_version=1)


def test_history_rows_cannot_be_updated_or_deleted(article, annotator):
    create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    event = AnnotationEvent.objects.get()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AnnotationEvent.objects.filter(pk=event.pk).update(comment="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AnnotationEvent.objects.filter(pk=event.pk).delete()
    assert AnnotationEvent.objects.get(pk=event.pk).comment == ""


def test_history_outlives_a_deleted_annotation(article, annotator):
    annotation = create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    delete_annotation(actor=annotator, annotation=annotation)
    assert not Annotation.objects.exists()
    actions = list(AnnotationEvent.objects.filter(annotation_id=annotation.pk).values_list("action", flat=True))
    assert actions == ["created", "deleted"]


def test_the_body_of_an_annotated_article_cannot_be_edited(article, annotator):
    create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    new_body = article.body + " More."
    with (
        pytest.raises((IntegrityError, InternalError, DatabaseError), match="has annotations"),
        transaction.atomic(),
    ):
        Article.objects.filter(pk=article.pk).update(body=new_body, content_hash=content_hash(new_body))
    article.refresh_from_db()
    assert not article.body.endswith("More.")


def test_the_body_of_an_article_without_annotations_can_be_corrected(article):
    new_body = article.body + " More."
    Article.objects.filter(pk=article.pk).update(body=new_body, content_hash=content_hash(new_body))
    article.refresh_from_db()
    assert article.body.endswith("More.")


def test_an_annotated_article_cannot_be_deleted(article, annotator):
    from django.db.models import ProtectedError

    create_annotation(actor=annotator, article=article, kind="claim", start=0, end=5)
    with pytest.raises(ProtectedError):
        article.delete()


def test_the_database_counts_code_points_like_python(project):
    body = "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🇫🇷 👨‍👩‍👧 “Ça va,” dit-il."
    article = ArticleFactory(project=project, body=body)
    start = body.index("“")
    with connection.cursor() as cursor:
        cursor.execute("SELECT substr(body, %s, %s) FROM articles_article WHERE id = %s", [start + 1, 8, article.pk])
        assert cursor.fetchone()[0] == body[start : start + 8]


def test_membership_factory_roles_are_real_roles(project):
    membership = MembershipFactory(project=project, role=Role.REVIEWER)
    assert Membership.objects.role_of(membership.user, project) == Role.REVIEWER
