"""Exporting a dataset: filters, permissions, counts, determinism, the command with its manifest, and the
export page (full and htmx) with its streamed download."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import StreamingHttpResponse
from django.urls import reverse

from annotator.annotations.models import Annotation
from annotator.exports.services import FORMATS, export_dataset
from tests.conftest import secure_client
from tests.export_data import build_export_data

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def data(project, annotator, other_annotator, reviewer):
    return build_export_data(project, annotator, other_annotator, reviewer)


def exported_ids(project, actor, **filters) -> set[int]:
    export = export_dataset(project=project, format="jsonl", actor=actor, **filters)
    lines = b"".join(export.chunks).splitlines()
    return {a["id"] for line in lines for a in json.loads(line)["annotations"]}


# --- filters and counts ------------------------------------------------------------------------


def test_approved_is_the_default_and_other_statuses_are_asked_for(project, reviewer, data):
    assert exported_ids(project, reviewer) == {a.pk for a in data.approved}
    assert exported_ids(project, reviewer, status="submitted") == {a.pk for a in data.submitted}
    assert exported_ids(project, reviewer, status="rejected") == {a.pk for a in data.rejected}
    everything = data.approved + data.submitted + data.rejected + data.drafts
    assert exported_ids(project, reviewer, status="all") == {a.pk for a in everything}


def test_kinds_and_dates_filter_what_is_exported(project, reviewer, data):
    claims = {a.pk for a in data.approved if a.kind == "claim"}
    assert exported_ids(project, reviewer, kinds=["claim"]) == claims
    some = sorted(claims)[:2]
    Annotation.objects.filter(pk__in=some).update(updated_at=dt.datetime(2020, 5, 1, 12, tzinfo=dt.UTC))
    assert exported_ids(project, reviewer, kinds=["claim"], until="2020-05-01") == set(some)
    assert exported_ids(project, reviewer, kinds=["claim"], since="2020-05-02") == claims - set(some)
    assert exported_ids(project, reviewer, since="2020-05-01", until="2020-05-01") == set(some)


def test_counts_per_kind_and_status_come_before_streaming(project, reviewer, data):
    export = export_dataset(project=project, format="csv", status="all", actor=reviewer)
    counts = export.counts
    assert counts["annotations"] == len(data.approved + data.submitted + data.rejected + data.drafts)
    assert counts["articles"] == len(data.articles)
    assert counts["by_status"] == {"approved": 19, "draft": 1, "rejected": 1, "submitted": 1}
    assert sum(counts["by_kind"].values()) == counts["annotations"]
    assert counts["by_kind_and_status"]["quote"]["rejected"] == 1


def test_conll_and_claimreview_count_only_what_they_hold(project, reviewer, data):
    conll = export_dataset(project=project, format="conll", actor=reviewer).counts
    assert set(conll["by_kind"]) == {"quote", "claim"}
    claimreview = export_dataset(project=project, format="claimreview", actor=reviewer).counts
    verdicts = [a for a in data.approved if a.kind == "claim" and a.attributes["verdict"]]
    assert claimreview["by_kind"] == {"claim": len(verdicts)}


@pytest.mark.parametrize(
    ("filters", "field", "named"),
    [
        ({"format": "xlsx"}, "format", "'xlsx'"),
        ({"status": "draft"}, "status", "'draft'"),
        ({"kinds": ["rumour"]}, "kind", "'rumour'"),
        ({"format": "conll", "kinds": ["stance"]}, "kind", "quote and claim"),
        ({"since": "last week"}, "since", "'last week'"),
        ({"since": "2026-02-01", "until": "2026-01-01"}, "until", "before"),
    ],
)
def test_bad_filters_are_refused_with_a_message_that_names_them(project, reviewer, filters, field, named):
    filters = {"format": "jsonl", **filters}
    with pytest.raises(ValidationError) as refused:
        export_dataset(project=project, actor=reviewer, **filters)
    assert named in " ".join(refused.value.message_dict[field])


def test_annotators_and_non_members_cannot_export(project, annotator, outsider, admin):
    with pytest.raises(PermissionDenied, match="admin or reviewer may export"):
        export_dataset(project=project, format="jsonl", actor=annotator)
    with pytest.raises(PermissionDenied, match="not a member"):
        export_dataset(project=project, format="jsonl", actor=outsider)
    assert export_dataset(project=project, format="jsonl", actor=admin).counts["annotations"] == 0


# --- determinism --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_two_exports_of_the_same_data_are_byte_identical(project, reviewer, data, fmt):
    first = b"".join(export_dataset(project=project, format=fmt, status="all", actor=reviewer).chunks)
    second = b"".join(export_dataset(project=project, format=fmt, status="all", actor=reviewer).chunks)
    assert first == second and len(first) > 200


def test_an_export_reads_one_snapshot_even_when_the_data_changes_while_it_streams(project, reviewer, data):
    chunks = iter(export_dataset(project=project, format="jsonl", actor=reviewer).chunks)
    content = next(chunks)
    Annotation.objects.filter(pk__in=[a.pk for a in data.approved]).update(status="rejected")
    content += b"".join(chunks)
    assert {a["id"] for line in content.splitlines() for a in json.loads(line)["annotations"]} == {
        a.pk for a in data.approved
    }


# --- the command --------------------------------------------------------------------------------


def test_command_writes_the_file_and_a_manifest_beside_it(project, data, tmp_path):
    output = tmp_path / "quotes.csv"
    call_command("export_dataset", project=project.slug, format="csv", kind=["quote"], output=str(output))
    manifest = json.loads((tmp_path / "quotes.csv.manifest.json").read_text())
    content = output.read_bytes()
    assert manifest["file"]["sha256"] == hashlib.sha256(content).hexdigest()
    assert manifest["file"]["bytes"] == len(content)
    assert manifest["project"] == {"slug": project.slug, "name": project.name}
    assert manifest["format"] == "csv" and manifest["version"] == "0.1.0" and manifest["product"] == "annotator"
    assert manifest["filters"] == {"status": "approved", "kinds": ["quote"], "since": None, "until": None}
    quotes = [a for a in data.approved if a.kind == "quote"]
    assert manifest["counts"]["by_kind_and_status"] == {"quote": {"approved": len(quotes)}}
    assert content.count(b"\r\n") == len(quotes) + 1
    assert manifest["created_at"].endswith("Z")


def test_command_writes_to_stdout_without_output(project, data, capsysbinary):
    call_command("export_dataset", project=project.slug, format="jsonl")
    assert capsysbinary.readouterr().out.count(b"\n") == len(data.articles)


def test_command_manifests_of_two_runs_differ_only_in_time(project, data, tmp_path):
    manifests = []
    for name in ("a.jsonl", "b.jsonl"):
        call_command("export_dataset", project=project.slug, format="jsonl", status="all", output=str(tmp_path / name))
        manifest = json.loads((tmp_path / f"{name}.manifest.json").read_text())
        manifest.pop("created_at")
        manifest["file"].pop("name")
        manifests.append(manifest)
    assert manifests[0] == manifests[1]
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_command_refuses_an_unknown_project_or_status(project, data):
    with pytest.raises(CommandError, match="No project"):
        call_command("export_dataset", project="nope", format="jsonl")
    with pytest.raises(CommandError, match="kind: 'rumour' is not a kind"):
        call_command("export_dataset", project=project.slug, format="jsonl", kind=["rumour"], stdout=io.StringIO())


# --- the export page ----------------------------------------------------------------------------


def test_export_page_shows_counts_for_the_chosen_filters(project, reviewer, data):
    client = secure_client(reviewer)
    url = reverse("export_page", args=[project.slug])
    page = client.get(url).content.decode()
    assert f'<span id="export-total">{len(data.approved)}</span>' in page
    assert 'href="/projects/' in page and "/export/download/?format=jsonl&amp;status=approved" in page
    fragment = client.get(url, {"format": "csv", "status": "all", "kind": "quote"}, headers=HX)
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    quotes = [a for a in data.approved + data.rejected if a.kind == "quote"]
    assert f'<span id="export-total">{len(quotes)}</span>' in fragment.content.decode()
    assert "kind=quote" in fragment.content.decode()


def test_export_page_explains_bad_choices_with_400(project, reviewer):
    client = secure_client(reviewer)
    response = client.get(reverse("export_page", args=[project.slug]), {"format": "conll", "kind": "stance"})
    assert response.status_code == 400 and "holds only quote and claim" in response.content.decode()
    response = client.get(reverse("export_page", args=[project.slug]), {"status": "maybe"})
    assert response.status_code == 400 and "maybe" in response.content.decode()


def test_download_streams_the_file_with_its_name_type_and_counts(project, admin, data):
    response = secure_client(admin).get(
        reverse("export_download", args=[project.slug]), {"format": "w3c", "status": "approved"}
    )
    assert isinstance(response, StreamingHttpResponse) and response.status_code == 200
    assert response["Content-Type"] == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    assert response["Content-Disposition"] == f'attachment; filename="{project.slug}-approved.w3c.jsonld"'
    assert response["X-Export-Annotations"] == str(len(data.approved))
    assert response["X-Export-Articles"] == str(len(data.articles))
    assert response["X-Export-Statuses"] == f"approved={len(data.approved)}"
    collection = json.loads(b"".join(response.streaming_content))
    assert collection["total"] == len(data.approved)


def test_annotators_get_403_non_members_404_and_anonymous_users_the_login(client, project, annotator, outsider, data):
    for name in ("export_page", "export_download"):
        url = reverse(name, args=[project.slug])
        assert secure_client(annotator).get(url, {"format": "jsonl"}).status_code == 403
        assert secure_client(outsider).get(url, {"format": "jsonl"}).status_code == 404
        assert client.get(url).status_code == 302


def test_project_page_links_the_export_page_for_reviewers_only(project, reviewer, annotator):
    url = reverse("project_detail", args=[project.slug])
    assert reverse("export_page", args=[project.slug]) in secure_client(reviewer).get(url).content.decode()
    assert reverse("export_page", args=[project.slug]) not in secure_client(annotator).get(url).content.decode()
