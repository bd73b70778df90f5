"""Our JSON Lines export imported again: into a new project, then exported, it gives the same annotations."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from annotator.accounts.models import Role
from annotator.accounts.services import set_membership
from annotator.annotations.imports import annotation_import
from annotator.annotations.models import Action, Annotation, AnnotationEvent, Origin, Review, Status
from annotator.articles.ingestion import read_named_file, read_paths
from annotator.articles.models import Article
from annotator.articles.services import import_articles
from annotator.exports.services import export_dataset
from tests.export_data import build_export_data
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
IDENTITY = ("id", "created_at", "updated_at")


@pytest.fixture
def data(project, annotator, other_annotator, reviewer):
    return build_export_data(project, annotator, other_annotator, reviewer)


def export_jsonl(project, status="all") -> bytes:
    return b"".join(export_dataset(project=project, format="jsonl", status=status, actor=None).chunks)


def annotations_of(content: bytes) -> list[list[dict]]:
    """Per article, its annotations without what a new project changes (ids and times)."""
    records = [json.loads(line) for line in content.splitlines()]
    return [[{k: v for k, v in a.items() if k not in IDENTITY} for a in record["annotations"]] for record in records]


def new_project_with_the_same_members(project):
    target = ProjectFactory()
    for membership in project.memberships.select_related("user"):
        set_membership(actor=None, project=target, user=membership.user, role=membership.role)
    return target


def import_file(project, actor, content: bytes, name="export.jsonl"):
    items = read_named_file(name, lambda: __import__("io").BytesIO(content))
    return import_articles(project=project, actor=actor, items=items)


def test_export_import_export_gives_the_same_annotations(project, admin, data):
    first = export_jsonl(project)
    target = new_project_with_the_same_members(project)
    summary = import_file(target, admin, first)
    assert (summary.added, summary.duplicates, summary.rejected) == (len(data.articles), 0, [])
    second = export_jsonl(target)
    assert annotations_of(second) == annotations_of(first)
    assert [json.loads(line)["text"] for line in second.splitlines()] == [
        json.loads(line)["text"] for line in first.splitlines()
    ]
    approved = export_dataset(project=target, format="jsonl", actor=admin).counts
    assert approved["annotations"] == len(data.approved)


def test_the_command_imports_an_export_with_its_annotations(project, data, tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_bytes(export_jsonl(project, status="approved"))
    target = new_project_with_the_same_members(project)
    call_command("load_articles", str(path), project=target.slug)
    assert annotations_of(export_jsonl(target, status="approved")) == annotations_of(path.read_bytes())
    call_command("load_articles", str(path), project=target.slug)  # again: nothing new
    assert Annotation.objects.filter(article__project=target).count() == len(data.approved)


def test_imported_annotations_have_a_created_event_and_their_reviewers_decision_as_imported(project, admin, data):
    target = new_project_with_the_same_members(project)
    import_file(target, admin, export_jsonl(project))
    imported = Annotation.objects.filter(article__project=target)
    decided = imported.filter(status__in=[Status.APPROVED, Status.REJECTED])
    events = AnnotationEvent.objects.filter(annotation_id__in=imported.values("pk"))
    assert events.filter(action=Action.CREATED).count() == imported.count()
    assert events.filter(action__in=[Action.APPROVED, Action.REJECTED]).count() == decided.count()
    assert set(events.values_list("actor", flat=True)) == {admin.pk}  # the importer, not the file's reviewer
    assert events.first().comment.startswith("imported from export.jsonl line ")
    reviews = Review.objects.filter(annotation__in=decided)
    assert reviews.count() == decided.count()
    assert all(r.comment.startswith(f"{r.reviewer.username} ") and "by ada_admin" in r.comment for r in reviews)


def test_authors_who_are_not_members_fall_back_to_the_importing_admin(project, data):
    target = ProjectFactory()
    importer = set_membership(actor=None, project=target, user=data.approved[0].author, role=Role.ADMIN).user
    other = next(a.author for a in data.approved if a.author != importer)
    import_file(target, importer, export_jsonl(project, status="approved"))
    authors = set(Annotation.objects.filter(article__project=target).values_list("author__username", flat=True))
    assert authors == {importer.username} and other.username not in authors
    assert not Review.objects.filter(annotation__article__project=target).exists()  # the reviewer is no member
    statuses = set(Annotation.objects.filter(article__project=target).values_list("status", flat=True))
    assert statuses == {Status.SUBMITTED}  # so their approvals wait for one of this project's reviewers


def test_a_non_admin_imports_annotations_as_suggestions(project, reviewer, data):
    plan = annotation_import(actor=reviewer, project=project)
    body = data.articles["emoji"].body
    [cleaned] = plan.clean(body, [{"kind": "claim", "start": 0, "end": 3, "text": "Ana", "status": "approved"}])
    assert (cleaned["status"], cleaned["origin"], cleaned["author_id"]) == (Status.DRAFT, Origin.SUGGESTED, None)


def test_a_record_with_a_bad_annotation_is_rejected_whole_with_the_reason(project, admin, data):
    target = new_project_with_the_same_members(project)
    lines = export_jsonl(project).splitlines()
    record = json.loads(lines[0])
    record["annotations"][1]["start"] += 1
    lines[0] = json.dumps(record, ensure_ascii=False).encode()
    summary = import_file(target, admin, b"\n".join(lines))
    assert summary.added == len(lines) - 1
    [rejection] = summary.rejected
    assert rejection.where == "export.jsonl line 1"
    assert rejection.reason.startswith("annotation 2: text: does not match the body")
    assert not Article.objects.filter(project=target, title=record["title"]).exists()


def test_annotations_must_be_a_list_of_known_fields(project, admin):
    content = b"\n".join(
        [
            json.dumps({"text": "One body.", "annotations": "none"}).encode(),
            json.dumps(
                {"text": "Two body.", "annotations": [{"kind": "quote", "start": 0, "end": 3, "verdict": "x"}]}
            ).encode(),
            json.dumps({"text": "Three body.", "annotations": [{"kind": "rumour", "start": 0, "end": 3}]}).encode(),
        ]
    )
    summary = import_file(project, admin, content)
    reasons = [r.reason for r in summary.rejected]
    assert reasons[0] == "annotations must be a list of annotation objects"
    assert reasons[1] == "annotation 1: attributes: verdict: not a field of a quote"
    assert reasons[2].startswith("annotation 1: kind: 'rumour' is not a kind")
    assert summary.added == 0


def test_records_without_annotations_import_as_before(project, admin, tmp_path):
    path = tmp_path / "plain.jsonl"
    path.write_text('{"text": "A plain body.", "id": 7}\n')
    summary = import_articles(project=project, actor=admin, items=read_paths([path]))
    assert summary.added == 1
    assert Article.objects.get(project=project).metadata == {"id": 7}


def test_only_project_admins_import(project, reviewer, data):
    with pytest.raises(PermissionDenied):
        import_file(project, reviewer, export_jsonl(project))
