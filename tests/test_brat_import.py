"""brat import (contract §10, docs/brat.md): `load_articles PATH --annotations brat --as USERNAME` for a folder or a
zip of .txt + .ann pairs, and the import page and API with a zip: articles with their quotes, bad lines rejected
with file, line and reason while the good ones are kept, .ann files without a .txt named and skipped, other
text-bound types passed over and counted, brat offsets moved onto the normalised body (CRLF, BOM, NFC)."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from annotator.annotations.models import Annotation
from annotator.articles.ingestion.brat import BratImport, read_brat_zip
from annotator.articles.ingestion.records import UTF8_BOM, ArticleRecord, Rejection, body_offsets
from annotator.articles.models import Article
from tests import brat_files
from tests.brat_files import CRLF_TEXT, LF_TEXT
from tests.conftest import secure_client
from tests.jobs import job_result, page_after_job
from tests.test_api import Api

pytestmark = pytest.mark.django_db


def load(path, project, username, **options):
    out, err = io.StringIO(), io.StringIO()
    options = {"project": project.slug, "annotations": "brat", "annotator": username} | options
    try:
        call_command("load_articles", str(path), stdout=out, stderr=err, **options)
    except CommandError as exc:
        return out.getvalue(), err.getvalue() + str(exc), exc.returncode
    return out.getvalue(), err.getvalue(), 0


def quotes_by_text(article: Article) -> dict[str, Annotation]:
    found = {}
    for quote in Annotation.objects.filter(article=article):
        parts = quote.parts or [[quote.start, quote.end]]
        found[" | ".join(article.body[s:e] for s, e in parts)] = quote
    return found


def text_at(body: str, span) -> str | None:
    return body[span[0] : span[1]] if span else None


def test_load_articles_reads_a_brat_folder_into_articles_and_quotes(tmp_path, project, annotator):
    out, _, code = load(brat_files.write_folder(tmp_path / "brat"), project, annotator.username)
    assert "added 3, duplicates 0, rejected 2" in out and code == 1
    speech = Article.objects.get(project=project, metadata__file="speech.txt")
    assert "\r" not in speech.body and speech.body == CRLF_TEXT.replace("\r\n", "\n")
    quotes = quotes_by_text(speech)
    assert set(quotes) == {"We will act, | and soon.", "the plan works"}
    interrupted = quotes["We will act, | and soon."]
    assert interrupted.text == speech.body[interrupted.start : interrupted.end] == "We will act,” she said, “and soon."
    assert text_at(speech.body, interrupted.attributes["speaker_span"]) == "she"
    assert text_at(speech.body, interrupted.attributes["cue_span"]) == "said"
    assert interrupted.attributes["speaker"] == "she"
    assert {(q.status, q.author, q.origin) for q in quotes.values()} == {("submitted", annotator, "human")}
    mayor = Article.objects.get(project=project, metadata__file="mayor.txt")
    quotes = quotes_by_text(mayor)
    assert set(quotes) == {"the bridge opens in May", "tolls stay", "that costs rose"}
    shared = quotes["the bridge opens in May"].attributes["speaker_span"]
    assert quotes["tolls stay"].attributes["speaker_span"] == shared and text_at(mayor.body, shared) == "The mayor"
    assert quotes["that costs rose"].attributes["speaker_span"] is None
    assert text_at(mayor.body, quotes["that costs rose"].attributes["cue_span"]) == "reported"
    assert not Annotation.objects.filter(article__metadata__file="plain.txt").exists()


def test_a_malformed_line_is_rejected_with_file_line_and_reason_and_the_good_lines_are_kept(
    tmp_path, project, annotator
):
    folder = brat_files.write_folder(tmp_path / "brat")
    _, err, _ = load(folder, project, annotator.username)
    assert f"rejected {folder / 'mayor.ann'} line 15: not a text-bound line" in err
    assert f"rejected {folder / 'mayor.ann'} line 16: T99 is not defined in this file" in err
    assert Annotation.objects.filter(article__metadata__file="mayor.txt").count() == 3


def test_an_ann_without_its_txt_is_named_and_skipped_and_other_types_are_counted(tmp_path, project, annotator):
    folder = brat_files.write_folder(tmp_path / "brat")
    _, err, _ = load(folder, project, annotator.username)
    assert f"passed over {folder / 'orphan.ann'}: has no orphan.txt beside it" in err
    assert f"passed over {folder / 'speech.ann'}: 1 Discuss: outside PolNeAR's attribution scheme" in err
    assert "brat: 5 quotes; passed over 1 Discard, 1 Discuss" in err


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("T1\tContent 0 4\tNope", "the text column reads 'Nope', the .txt at these offsets 'Budg'"),
        ("T1\tContent 0 9999\tBudget", "ends past the text's end"),
        ("T1\tSource 0 3;4 6\tBud et", "a Source is one continuous span here, not 2 fragments"),
        ("T1\tContent 0 6;3 8\tBudget get d", "the fragments 0 6 and 3 8 overlap"),
        ("E1\tAttribution:T7 Content:T8", "T7 is not defined in this file"),
        ("X1\twhat", "not a brat line"),
    ],
)
def test_each_bad_line_says_why(line, reason):
    members = {"a.txt": "Budget day.\n", "a.ann": f"{line}\nT2\tContent 0 6\tBudget\n"}
    items = list(read_brat_zip("up.zip", lambda: io.BytesIO(brat_files.zip_bytes(members)), tally=BratImport("x")))
    rejections = [i for i in items if isinstance(i, Rejection)]
    assert len(rejections) == 1 and rejections[0].where == "up.zip!a.ann line 1"
    assert reason in rejections[0].reason


def test_an_event_needs_a_content_and_its_roles_must_be_of_their_type():
    members = {
        "a.txt": "She said so.\n",
        "a.ann": "T1\tSource 0 3\tShe\nT2\tCue 4 8\tsaid\nT3\tAttribution 4 8\tsaid\n"
        "E1\tAttribution:T3 Cue:T2 Source:T1\nE2\tAttribution:T3 Content:T1\nT4\tDiscuss 9 11\tso\n"
        "E3\tAttribution:T3 Content:T4\n",
    }
    items = list(read_brat_zip("up.zip", lambda: io.BytesIO(brat_files.zip_bytes(members)), tally=BratImport("x")))
    reasons = [i.reason for i in items if isinstance(i, Rejection)]
    assert reasons == [
        "E1 has no Content: an attribution's quote is its content",
        "T1 is a Source, not a Content",
        "T4 (line 6) is a Discuss, outside the attribution scheme",
    ]


def test_brat_offsets_are_moved_onto_the_body_past_a_bom_crlf_and_nfc():
    raw = UTF8_BOM + "Pen\u0303a said:\r\nyes\r\n"  # decomposed ñ: NFC makes one code point of two
    moved = body_offsets(raw)
    body = unicodedata.normalize("NFC", raw[1:].replace("\r\n", "\n"))
    start = raw.index("said")
    assert body[moved(start) : moved(start + 4)] == "said"
    assert body[moved(raw.index("yes")) : moved(raw.index("yes") + 3)] == "yes"
    members = {"a.txt": raw, "a.ann": f"T1\tContent {raw.index('yes')} {raw.index('yes') + 3}\tyes\n"}
    data = brat_files.zip_bytes(members)
    items = list(read_brat_zip("up.zip", lambda: io.BytesIO(data), tally=BratImport("x")))
    assert items[0].reason == "1 Content in no attribution: outside PolNeAR's attribution scheme"
    assert isinstance(items[1], ArticleRecord) and items[1].annotations == []
    members["a.ann"] += f"T2\tAttribution {start} {start + 4}\tsaid\nE1\tAttribution:T2 Content:T1\n"
    data = brat_files.zip_bytes(members)
    (record,) = [i for i in read_brat_zip("up.zip", lambda: io.BytesIO(data), tally=BratImport("x"))]
    (quote,) = record.annotations
    assert record.fields["body"][quote["start"] : quote["end"]] == "yes" and quote["cue_span"] is None


def test_the_command_wants_a_member_and_both_options(tmp_path, project, annotator, outsider):
    folder = brat_files.write_folder(tmp_path / "brat")
    with pytest.raises(CommandError, match="go together"):
        call_command("load_articles", str(folder), project=project.slug, annotations="brat")
    with pytest.raises(CommandError, match="'olga_outsider' is not a member of this project"):
        call_command("load_articles", str(folder), project=project.slug, annotations="brat", annotator="olga_outsider")
    assert not Article.objects.filter(project=project).exists()


def test_load_articles_reads_a_brat_zip_and_twice_adds_nothing(tmp_path, project, annotator):
    archive = tmp_path / "brat.zip"
    archive.write_bytes(brat_files.zip_bytes())
    out, _, _ = load(archive, project, annotator.username)
    assert "added 3, duplicates 0, rejected 2, with 5 annotations" in out
    out, _, _ = load(archive, project, annotator.username)
    assert "added 0, duplicates 3, rejected 2\n" in out  # a duplicate brings its quotes once only
    assert Annotation.objects.filter(article__project=project, origin="human").count() == 5


def test_the_import_page_reads_a_zip_of_brat_pairs_as_the_member_chosen(project, admin, annotator):
    client = secure_client(admin)
    url = reverse("article_import", args=[project.slug])
    assert f'<option value="{annotator.username}">' in client.get(url).content.decode()
    upload = io.BytesIO(brat_files.zip_bytes())
    upload.name = "brat.zip"
    page = page_after_job(client, client.post(url, {"file": upload, "annotator": annotator.username}))
    text = page.content.decode()
    assert "added 3, duplicates 0, rejected 2, with 5 annotations" in text and "brat.zip!mayor.ann line 15" in text
    quotes = Annotation.objects.filter(article__project=project, origin="human")
    assert set(quotes.values_list("author__username", flat=True)) == {annotator.username}


def upload_to_api(user, project, data: bytes, name: str, **fields):
    api, upload = Api(user), io.BytesIO(data)
    upload.name = name
    url = f"/api/v1/projects/{project.slug}/articles/import/"
    return api.client.post(url, {"file": upload, **fields}, headers=api.headers)


def test_the_api_import_reads_brat_by_default_as_the_admin_and_refuses_a_non_member(project, admin, outsider):
    refused = upload_to_api(admin, project, brat_files.zip_bytes(), "brat.zip", annotator=outsider.username)
    assert refused.status_code == 400 and "not a member of this project" in refused.content.decode()
    result = job_result(upload_to_api(admin, project, brat_files.zip_bytes(), "brat.zip"))
    assert (result["added"], result["rejected"], result["annotations"]) == (3, 2, 5)
    assert any(s["where"] == "brat.zip!orphan.ann" for s in result["skipped"])
    assert Annotation.objects.filter(article__project=project, author=admin).count() == 5


def test_a_zip_without_ann_files_is_read_as_before(project, admin):
    result = job_result(upload_to_api(admin, project, brat_files.zip_bytes({"a.txt": LF_TEXT}), "plain.zip"))
    assert result["added"] == 1 and not Annotation.objects.filter(origin="human").exists()
