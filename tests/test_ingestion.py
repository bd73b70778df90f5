"""Ingestion: normalisation, code-point offsets, every format, every bad input, duplicates, atomicity."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import stat
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from annotator.articles.ingestion import ReadLimits, Rejection, normalize_body, read_named_file, read_paths
from annotator.articles.models import Article
from annotator.articles.services import ImportSummary, import_articles
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

LEDE = (
    "Prime Minister Ana Kovač said on Tuesday that “inflation will fall below 3% by June” — "
    "a forecast economists called optimistic 📉."
)
SECOND = "“We have turned the corner,” she told reporters in Zürich; critics 😐 disagreed."
THIRD = "The central bank’s governor, Jürgen Weiß, was more cautious – for now."

ARTICLE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Minister’s forecast draws fire — The Daily Ledger</title>
<meta property="og:title" content="Minister’s forecast draws fire">
<meta name="author" content="Jürgen Weiß">
<meta property="article:published_time" content="2024-03-05T09:30:00+00:00">
<meta property="og:site_name" content="The Daily Ledger">
<meta property="og:url" content="https://ledger.example.com/2024/03/05/forecast">
</head><body>
<nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/sport">Sport</a></nav>
<article><h1>Minister’s forecast draws fire</h1>
<p>Prime Minister Ana Kovač said on Tuesday that “inflation will fall below 3% by June,” a forecast that
economists across the region called optimistic at best and reckless at worst.</p>
<p>“We have turned the corner,” she told reporters in the capital — though critics disagreed, pointing to
rising energy prices and a weak currency that has lost ground all year.</p>
<p>The central bank’s governor, Jürgen Weiß, was more cautious in his own remarks, saying the bank would
“watch the data closely” before deciding on rates.</p>
</article>
<footer>© 2024 The Daily Ledger. All rights reserved.</footer>
</body></html>
"""


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def jsonl(*records: dict) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def load(project, *paths: Path, batch_size: int = 500) -> ImportSummary:
    return import_articles(project=project, actor=None, items=read_paths(paths), batch_size=batch_size)


def rejected(summary: ImportSummary) -> dict[str, str]:
    return {r.where: r.reason for r in summary.rejected}


def bodies(project) -> list[str]:
    return list(Article.objects.filter(project=project).order_by("id").values_list("body", flat=True))


def zip_bytes(members: dict[str | zipfile.ZipInfo, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# --- normalisation --------------------------------------------------------------------------------


def test_normalize_body_removes_a_leading_bom():
    assert normalize_body("\ufeffKyiv — talks resume.") == "Kyiv — talks resume."


def test_normalize_body_turns_crlf_and_lone_cr_into_newlines():
    assert normalize_body("Headline\r\n\r\nFirst line.\rSecond line.\r\r\nEnd.") == (
        "Headline\n\nFirst line.\nSecond line.\n\nEnd."
    )


def test_normalize_body_composes_decomposed_accents():
    decomposed = "Ana Kovac\u030c met Jürgen Wei\u00df in Zu\u0308rich, cafe\u0301 in hand."
    assert normalize_body(decomposed) == "Ana Kovač met Jürgen Weiß in Zürich, café in hand."


def test_normalize_body_changes_nothing_else():
    text = (
        "\n\n  Indented lede,\twith a tab and trailing spaces   \n"
        "10\u00a0000 protesters, a\u2009thin space, the ﬁnance ligature, ① and ＡＢＣ,\n"
        "a zero\u200bwidth space, a mid-text \ufeff mark, 👩\u200d⚕️ and 🇺🇦.\n\n\n"
    )
    assert normalize_body(text) == text


@pytest.mark.parametrize("body", ["", "   ", " \n\t\u3000\n "])
def test_normalize_body_refuses_empty_and_whitespace_only_bodies(body):
    with pytest.raises(ValueError, match="empty or only whitespace"):
        normalize_body(body)


def test_stored_txt_body_is_decoded_and_normalised(project, tmp_path):
    raw = "\ufeffKovac\u030c speaks\r\n\r\n10\u00a0000 march in Zu\u0308rich.\rPolice 🚓 watch.\r\n"
    summary = load(project, write(tmp_path / "kovac.txt", raw))
    article = Article.objects.get(pk=summary.ids[0])
    assert article.body == "Kovač speaks\n\n10\u00a0000 march in Zürich.\nPolice 🚓 watch.\n"
    assert article.content_hash == hashlib.sha256(article.body.encode()).hexdigest()


def test_bodies_differing_only_in_line_ends_or_normal_form_are_duplicates(project, tmp_path):
    write(tmp_path / "a.txt", "Zürich votes\n\nTurnout rose.\n")
    write(tmp_path / "b.txt", "Zu\u0308rich votes\r\n\r\nTurnout rose.\r\n")
    write(tmp_path / "c.txt", "\ufeffZürich votes\r\rTurnout rose.\r")
    summary = load(project, tmp_path)
    assert (summary.added, summary.duplicates, len(summary.rejected)) == (1, 2, 0)
    assert len(set(summary.ids)) == 1


# --- offsets --------------------------------------------------------------------------------------

ASTRAL_BODY = "🇺🇦 Kyiv — “We will not give up,” said 👩‍⚕️ Dr. Olena Kovač. 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 headlines 🤦🏽‍♀️ aside, talks resume."
# Code-point offsets, counted by hand: a flag is 2 code points, 👩‍⚕️ is 4, 🤦🏽‍♀️ is 5, each 𝔘 is 1.
ASTRAL_SPANS = [
    (0, 2, "🇺🇦"),
    (3, 7, "Kyiv"),
    (11, 30, "We will not give up"),
    (38, 42, "👩‍⚕️"),
    (47, 58, "Olena Kovač"),
    (60, 67, "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"),
    (78, 83, "🤦🏽‍♀️"),
    (91, 103, "talks resume"),
]


@pytest.fixture
def astral_article(project, tmp_path):
    summary = load(project, write(tmp_path / "astral.jsonl", jsonl({"title": "Flags", "body": ASTRAL_BODY})))
    return Article.objects.get(pk=summary.ids[0])


@pytest.mark.parametrize(("start", "end", "expected"), ASTRAL_SPANS)
def test_code_point_offsets_slice_the_stored_body(astral_article, start, end, expected):
    assert astral_article.body[start:end] == expected


@pytest.mark.parametrize(("start", "end", "expected"), ASTRAL_SPANS)
def test_postgresql_substr_agrees_with_python_slices(astral_article, start, end, expected):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT substr(body, %s, %s) FROM articles_article WHERE id = %s",
            [start + 1, end - start, astral_article.pk],
        )
        (from_database,) = cursor.fetchone()
    assert from_database == astral_article.body[start:end] == expected


def test_stored_body_length_counts_code_points_not_utf16_units_or_bytes(astral_article):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT length(body), octet_length(body) FROM articles_article WHERE id = %s", [astral_article.pk]
        )
        characters, octets = cursor.fetchone()
    assert characters == len(astral_article.body) == 104
    assert len(astral_article.body.encode("utf-16-le")) // 2 == 116
    assert octets == len(astral_article.body.encode()) == 159


# --- the .txt title -------------------------------------------------------------------------------


def test_txt_title_is_the_first_line_when_a_blank_line_follows(project, tmp_path):
    text = f"Kovač: “Inflation will fall” — economists doubt it\n\n{LEDE}\n{SECOND}\n"
    summary = load(project, write(tmp_path / "lede.txt", text))
    article = Article.objects.get(pk=summary.ids[0])
    assert article.title == "Kovač: “Inflation will fall” — economists doubt it"
    assert article.body == text


def test_txt_title_is_the_first_sentence_when_no_blank_line_follows(project, tmp_path):
    text = f"Kovač promises cheaper bread. {SECOND}\n{THIRD}\n"
    summary = load(project, write(tmp_path / "lede.txt", text))
    article = Article.objects.get(pk=summary.ids[0])
    assert article.title == "Kovač promises cheaper bread."
    assert article.body == text


def test_txt_title_of_a_single_line_file_is_its_first_sentence(project, tmp_path):
    text = f"{SECOND} {THIRD}\n"
    summary = load(project, write(tmp_path / "one-line.txt", text))
    article = Article.objects.get(pk=summary.ids[0])
    assert article.title == SECOND
    assert article.body == text


def test_txt_title_first_sentence_may_run_over_a_line_break(project, tmp_path):
    text = "Talks in Zürich resume\nafter a week of strikes! Unions 🤝 hope for a deal.\n"
    summary = load(project, write(tmp_path / "talks.txt", text))
    assert Article.objects.get(pk=summary.ids[0]).title == "Talks in Zürich resume after a week of strikes!"


def test_txt_title_does_not_stop_at_a_decimal_point(project, tmp_path):
    text = "Inflation hit 3.5% in May, the highest since 2008. Prices of bread rose fastest.\n"
    summary = load(project, write(tmp_path / "cpi.txt", text))
    assert Article.objects.get(pk=summary.ids[0]).title == "Inflation hit 3.5% in May, the highest since 2008."


def test_txt_title_is_cut_at_120_characters(project, tmp_path):
    sentence = "Kovač’s coalition — battered by strikes, scandals and a currency slide — " * 4
    summary = load(project, write(tmp_path / "long.txt", sentence + "\n"))
    article = Article.objects.get(pk=summary.ids[0])
    assert article.title == sentence[:120].rstrip()
    assert len(article.title) == 120
    assert article.body == sentence + "\n"


def test_txt_records_the_file_name_in_metadata(project, tmp_path):
    summary = load(project, write(tmp_path / "desk" / "kovac-forecast.txt", LEDE))
    assert Article.objects.get(pk=summary.ids[0]).metadata == {"file": "kovac-forecast.txt"}


# --- formats --------------------------------------------------------------------------------------


def test_jsonl_stores_every_article_field_and_keeps_the_rest_in_metadata(project, tmp_path):
    record = {
        "title": "  Kovač’s   forecast ",
        "body": LEDE,
        "source": "The Daily Ledger",
        "url": "https://ledger.example.com/2024/03/05/kovac-forecast",
        "byline": ["Jürgen Weiß", "Ana Lima"],
        "published_at": "2024-03-05T09:30:00+01:00",
        "language": "en",
        "metadata": {"desk": "economy"},
        "section": "World — Europe",
        "tags": ["inflation", "€"],
    }
    summary = load(project, write(tmp_path / "desk.jsonl", jsonl(record)))
    article = Article.objects.get(pk=summary.ids[0])
    assert article.title == "Kovač’s forecast"
    assert article.body == LEDE
    assert article.source == "The Daily Ledger"
    assert article.url == "https://ledger.example.com/2024/03/05/kovac-forecast"
    assert article.byline == "Jürgen Weiß, Ana Lima"
    assert article.published_at == dt.datetime(2024, 3, 5, 8, 30, tzinfo=dt.UTC)
    assert article.language == "en"
    assert article.metadata == {"desk": "economy", "section": "World — Europe", "tags": ["inflation", "€"]}


def test_jsonl_accepts_text_for_body_and_a_date_without_time(project, tmp_path):
    record = {"text": SECOND, "published_at": "2024-03-05"}
    summary = load(project, write(tmp_path / "desk.jsonl", jsonl(record)))
    article = Article.objects.get(pk=summary.ids[0])
    assert article.body == SECOND
    assert article.title == "“We have turned the corner,” she told reporters in Zürich; critics 😐 disagreed."
    assert article.published_at == dt.datetime(2024, 3, 5, tzinfo=dt.UTC)


def test_jsonl_refuses_two_different_bodies(project, tmp_path):
    path = write(tmp_path / "desk.jsonl", jsonl({"body": LEDE, "text": SECOND}))
    summary = load(project, path)
    assert rejected(summary) == {f"{path} line 1": "two different bodies given (body and text)"}
    assert summary.added == 0


@pytest.mark.parametrize(
    "document",
    [
        [{"title": "One", "body": LEDE}, {"title": "Two", "text": SECOND}],
        {"articles": [{"title": "One", "body": LEDE}, {"title": "Two", "text": SECOND}]},
    ],
    ids=["list", "articles-key"],
)
def test_json_file_with_several_articles_loads_each(project, tmp_path, document):
    summary = load(project, write(tmp_path / "desk.json", json.dumps(document, ensure_ascii=False)))
    assert (summary.added, summary.duplicates, len(summary.rejected)) == (2, 0, 0)
    assert list(Article.objects.filter(project=project).values_list("title", "body")) == [
        ("One", LEDE),
        ("Two", SECOND),
    ]


def test_json_file_with_a_single_object_loads_it(project, tmp_path):
    document = {"title": "Weiß stays cautious", "body": THIRD, "source": "Ledger"}
    summary = load(project, write(tmp_path / "one.json", json.dumps(document, ensure_ascii=False)))
    assert summary.added == 1
    assert Article.objects.filter(pk=summary.ids[0], title="Weiß stays cautious", body=THIRD, source="Ledger").exists()


def test_json_list_names_bad_records_by_number(project, tmp_path):
    path = write(tmp_path / "desk.json", json.dumps([{"body": LEDE}, {"body": "   "}, "not an object"]))
    summary = load(project, path)
    assert rejected(summary) == {
        f"{path} record 2": "body is empty or only whitespace",
        f"{path} record 3": "expected a JSON object, got str",
    }
    assert bodies(project) == [LEDE]


def test_json_that_is_not_an_object_or_list_is_rejected(project, tmp_path):
    path = write(tmp_path / "desk.json", "42")
    summary = load(project, path)
    assert rejected(summary) == {str(path): "expected a JSON object or a list of objects, got int"}


def test_malformed_json_file_is_rejected_with_line_and_column(project, tmp_path):
    path = write(tmp_path / "desk.json", '[\n  {"body": "Kovač said"},\n  {"body": oops}\n]')
    summary = load(project, path)
    assert rejected(summary) == {str(path): "invalid JSON: Expecting value (line 3, column 12)"}
    assert bodies(project) == []


def test_csv_with_header_and_quoted_multiline_bodies_loads(project, tmp_path):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["title", "body", "source", "published_at"])
    writer.writerow(["Kovač’s forecast", f"{LEDE}\n\n{SECOND}", "Ledger", "2024-03-05T09:30:00Z"])
    writer.writerow(["Weiß, cautious", f'{THIRD}\nHe said: "wait and see."', "", ""])
    summary = load(project, write(tmp_path / "desk.csv", buffer.getvalue()))
    assert (summary.added, len(summary.rejected)) == (2, 0)
    first, second = Article.objects.filter(project=project).order_by("id")
    assert (first.title, first.body, first.source) == ("Kovač’s forecast", f"{LEDE}\n\n{SECOND}", "Ledger")
    assert first.published_at == dt.datetime(2024, 3, 5, 9, 30, tzinfo=dt.UTC)
    assert (second.title, second.body, second.source) == ("Weiß, cautious", f'{THIRD}\nHe said: "wait and see."', "")
    assert second.published_at is None


def test_csv_extra_columns_land_in_metadata(project, tmp_path):
    content = 'body,desk,word_count,title\n"Kovač said “no” — twice.",economy,5,\n'
    summary = load(project, write(tmp_path / "desk.csv", content))
    article = Article.objects.get(pk=summary.ids[0])
    assert article.metadata == {"desk": "economy", "word_count": "5"}
    assert article.title == "Kovač said “no” — twice."


@pytest.mark.parametrize("column", ["text", "articleBody"])
def test_csv_accepts_other_body_column_names(project, tmp_path, column):
    content = f'headline,{column}\nStrike ends,"Unions 🤝 signed at 3 a.m., ending the strike."\n'
    summary = load(project, write(tmp_path / "desk.csv", content))
    article = Article.objects.get(pk=summary.ids[0])
    assert article.body == "Unions 🤝 signed at 3 a.m., ending the strike."
    assert article.metadata == {"headline": "Strike ends"}


def test_csv_row_with_the_wrong_number_of_fields_is_rejected_and_others_load(project, tmp_path):
    path = write(tmp_path / "desk.csv", f'title,body\nOne,"{LEDE}"\nTwo,"{THIRD}",surplus\nThree,"{SECOND}"\n')
    summary = load(project, path)
    assert rejected(summary) == {f"{path} line 3": "has 3 fields, the header has 2"}
    assert bodies(project) == [LEDE, SECOND]


def test_html_title_body_byline_date_and_outlet_are_extracted(project, tmp_path):
    summary = load(project, write(tmp_path / "forecast.html", ARTICLE_HTML))
    assert (summary.added, len(summary.rejected)) == (1, 0)
    article = Article.objects.get(pk=summary.ids[0])
    assert article.title == "Minister’s forecast draws fire"
    assert "“We have turned the corner,” she told reporters in the capital — though critics disagreed" in article.body
    assert "Jürgen Weiß, was more cautious" in article.body
    assert "Politics" not in article.body
    assert "All rights reserved" not in article.body
    assert article.byline == "Jürgen Weiß"
    assert article.published_at.date() == dt.date(2024, 3, 5)
    assert article.source == "The Daily Ledger"
    assert article.url == "https://ledger.example.com/2024/03/05/forecast"
    assert article.metadata == {"file": "forecast.html", "extracted_by": "trafilatura"}


def test_folder_is_read_recursively_skipping_hidden_and_reporting_unsupported_files(project, tmp_path):
    folder = tmp_path / "feed"
    write(folder / "a.txt", LEDE)
    write(folder / "2024" / "03" / "b.jsonl", jsonl({"body": SECOND}))
    write(folder / "2024" / "c.csv", f'body\n"{THIRD}"\n')
    write(folder / ".draft.txt", "A hidden draft — not for publication.")
    write(folder / ".git" / "notes.txt", "Hidden folder text.")
    write(folder / "photo.jpg", b"\xff\xd8\xff\xe0 not text")
    write(folder / "notes.docx", b"PK\x03\x04")
    summary = load(project, folder)
    assert (summary.added, summary.duplicates, len(summary.rejected)) == (3, 0, 0)
    assert sorted(bodies(project)) == sorted([LEDE, SECOND, THIRD])
    assert sorted(s.where for s in summary.skipped) == [str(folder / "notes.docx"), str(folder / "photo.jpg")]
    assert all(s.reason == "not a supported format" for s in summary.skipped)
    assert summary.ids == [Article.objects.get(body=b).pk for b in (SECOND, THIRD, LEDE)]


def test_unsupported_file_named_explicitly_is_rejected(project, tmp_path):
    path = write(tmp_path / "report.pdf", b"%PDF-1.7")
    summary = load(project, path)
    assert list(rejected(summary)) == [str(path)]
    assert rejected(summary)[str(path)].startswith("unsupported file type '.pdf': expected one of .txt, .jsonl")


def test_zip_of_several_formats_loads_each_member(project, tmp_path):
    archive = write(
        tmp_path / "feed.zip",
        zip_bytes(
            {
                "feed/a.txt": LEDE,
                "feed/b.jsonl": jsonl({"body": SECOND, "source": "Wire"}),
                "feed/c.csv": f'title,body\nWeiß,"{THIRD}"\n',
                "feed/d.json": json.dumps({"text": "Talks in Kyiv 🇺🇦 resume on Monday."}, ensure_ascii=False),
                "feed/e.html": ARTICLE_HTML,
                "feed/readme.md": "Not an article.",
                "__MACOSX/feed/._a.txt": b"\x00\x05\x16\x07",
                "feed/.hidden.txt": "Hidden.",
            }
        ),
    )
    summary = load(project, archive)
    assert (summary.added, summary.duplicates, len(summary.rejected)) == (5, 0, 0)
    assert [s.where for s in summary.skipped] == [f"{archive}!feed/readme.md"]
    stored = bodies(project)
    assert stored[:4] == [LEDE, SECOND, THIRD, "Talks in Kyiv 🇺🇦 resume on Monday."]
    assert "Jürgen Weiß, was more cautious" in stored[4]
    assert Article.objects.get(body=THIRD).title == "Weiß"


def test_zip_inside_a_zip_is_not_read(project, tmp_path):
    inner = zip_bytes({"inner.txt": LEDE})
    archive = write(tmp_path / "outer.zip", zip_bytes({"inner.zip": inner, "top.txt": SECOND}))
    summary = load(project, archive)
    assert rejected(summary) == {f"{archive}!inner.zip": "archives inside archives are not read"}
    assert bodies(project) == [SECOND]


def test_file_that_is_not_a_zip_is_rejected(project, tmp_path):
    path = write(tmp_path / "feed.zip", "not an archive")
    summary = load(project, path)
    assert list(rejected(summary)) == [str(path)]
    assert rejected(summary)[str(path)].startswith("not a readable zip archive")


# --- bad input ------------------------------------------------------------------------------------


def test_empty_txt_file_is_rejected_naming_the_file(project, tmp_path):
    path = write(tmp_path / "empty.txt", b"")
    summary = load(project, path)
    assert rejected(summary) == {str(path): "body is empty or only whitespace"}
    assert summary.ids == [None]
    assert bodies(project) == []


def test_whitespace_only_txt_file_is_rejected(project, tmp_path):
    path = write(tmp_path / "blank.txt", "\ufeff \r\n\t\u00a0\n  ")
    summary = load(project, path)
    assert rejected(summary) == {str(path): "body is empty or only whitespace"}
    assert bodies(project) == []


def test_empty_and_whitespace_only_bodies_in_jsonl_are_rejected_and_others_load(project, tmp_path):
    path = write(tmp_path / "desk.jsonl", jsonl({"body": ""}, {"body": LEDE}, {"text": " \n\t "}))
    summary = load(project, path)
    assert rejected(summary) == {
        f"{path} line 1": "body is empty or only whitespace",
        f"{path} line 3": "body is empty or only whitespace",
    }
    assert bodies(project) == [LEDE]
    assert summary.ids[0] is None and summary.ids[2] is None
    assert summary.ids[1] == Article.objects.get(body=LEDE).pk


def test_nul_character_in_a_body_is_rejected(project, tmp_path):
    txt = write(tmp_path / "nul.txt", "Kovač\x00 said.")
    lines = write(tmp_path / "nul.jsonl", jsonl({"body": "Weiß\u0000 said."}, {"body": THIRD}))
    summary = load(project, txt, lines)
    assert rejected(summary) == {
        str(txt): "body contains a NUL character at position 5",
        f"{lines} line 1": "body contains a NUL character at position 4",
    }
    assert bodies(project) == [THIRD]


def test_invalid_utf8_txt_is_rejected(project, tmp_path):
    path = write(tmp_path / "latin1.txt", "Zürich votes — turnout rose.".encode("latin-1", errors="replace"))
    summary = load(project, path)
    assert rejected(summary) == {str(path): "is not valid UTF-8 (byte 0xfc at position 1)"}
    assert bodies(project) == []


def test_invalid_utf8_line_is_rejected_and_others_load(project, tmp_path):
    good = jsonl({"body": LEDE}).encode()
    bad = b'{"body": "Z\xfcrich votes"}\n'
    path = write(tmp_path / "desk.jsonl", good + bad + jsonl({"body": SECOND}).encode())
    summary = load(project, path)
    assert rejected(summary) == {f"{path} line 2": "is not valid UTF-8 (byte 0xfc at position 11)"}
    assert bodies(project) == [LEDE, SECOND]


def test_invalid_utf8_csv_row_is_rejected_and_other_rows_load(project, tmp_path):
    content = (
        b"title,body\n"
        + f'Kovač,"{LEDE}\n\nMore to come."\n'.encode()
        + b'Zurich,"Z\xfcrich votes."\n'
        + f'Weiß,"{THIRD}"\n'.encode()
    )
    path = write(tmp_path / "desk.csv", content)
    summary = load(project, path)
    assert rejected(summary) == {f"{path} line 5": "is not valid UTF-8"}
    assert bodies(project) == [f"{LEDE}\n\nMore to come.", THIRD]


def test_csv_without_a_body_column_is_rejected_with_the_columns_found(project, tmp_path):
    path = write(tmp_path / "desk.csv", f'title,summary\nKovač,"{LEDE}"\n')
    summary = load(project, path)
    assert list(rejected(summary)) == [str(path)]
    reason = rejected(summary)[str(path)]
    assert reason.startswith("no body column: expected one of body, text, articleBody")
    assert reason.endswith("(columns found: title, summary)")
    assert bodies(project) == []


def test_malformed_json_line_names_its_line_number_and_good_lines_load(project, tmp_path):
    content = jsonl({"body": LEDE}) + "\n" + '{"body": "Kovač said “no”",}\n' + jsonl({"body": SECOND}) + "[1, 2\n"
    path = write(tmp_path / "desk.jsonl", content)
    summary = load(project, path)
    reasons = rejected(summary)
    assert list(reasons) == [f"{path} line 3", f"{path} line 5"]
    assert re.fullmatch(r"invalid JSON: .+ \(column 28\)", reasons[f"{path} line 3"])
    assert reasons[f"{path} line 5"] == "invalid JSON: Expecting ',' delimiter (column 6)"
    assert bodies(project) == [LEDE, SECOND]
    assert summary.ids == [Article.objects.get(body=LEDE).pk, None, Article.objects.get(body=SECOND).pk, None]


def test_json_nested_too_deeply_is_rejected_and_others_load(project, tmp_path):
    lines = write(tmp_path / "desk.jsonl", jsonl({"body": LEDE}) + "[" * 100_000 + "\n" + jsonl({"body": SECOND}))
    whole = write(tmp_path / "deep.json", '{"body": "Kovač said.", "x": ' + "[" * 100_000)
    summary = load(project, lines, whole)
    assert rejected(summary) == {
        f"{lines} line 2": "invalid JSON: nested too deeply",
        str(whole): "invalid JSON: nested too deeply",
    }
    assert bodies(project) == [LEDE, SECOND]


def test_oversize_body_is_rejected_counting_utf8_bytes(project, tmp_path, settings):
    settings.ARTICLE_MAX_BODY_BYTES = 100
    at_limit = "é" * 50
    over_limit = "é" * 51
    path = write(tmp_path / "desk.jsonl", jsonl({"body": at_limit}, {"body": over_limit}))
    summary = load(project, path)
    assert rejected(summary) == {f"{path} line 2": "body is 102 bytes, over the limit of 100"}
    assert bodies(project) == [at_limit]


def test_oversize_txt_file_is_rejected(project, tmp_path, settings):
    settings.ARTICLE_MAX_BODY_BYTES = 1_000
    path = write(tmp_path / "long.txt", LEDE * 10)
    summary = load(project, path)
    size = len((LEDE * 10).encode())
    assert rejected(summary) == {str(path): f"body is {size:,} bytes, over the limit of 1,000"}
    assert bodies(project) == []


def test_zip_refuses_unsafe_members_loads_the_rest_and_writes_nothing(project, tmp_path, monkeypatch):
    absolute = str(tmp_path / "absolute.txt")
    link = zipfile.ZipInfo("feed/link.txt")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive_bytes = zip_bytes(
        {
            "../x.txt": "Escaped — should never be stored.",
            absolute: "Absolute — should never be stored.",
            "C:/windows.txt": "Drive — should never be stored.",
            link: "/etc/passwd",
            "feed/good.txt": LEDE,
            "feed/good.jsonl": jsonl({"body": SECOND}),
        }
    )
    workdir = tmp_path / "uploads" / "work"
    archive = write(workdir / "feed.zip", archive_bytes)
    monkeypatch.chdir(workdir)
    before = sorted(tmp_path.rglob("*"))
    summary = load(project, archive)
    assert rejected(summary) == {
        f"{archive}!../x.txt": "unsafe member name '../x.txt': path traversal",
        f"{archive}!{absolute}": f"unsafe member name {absolute!r}: absolute path",
        f"{archive}!C:/windows.txt": "unsafe member name 'C:/windows.txt': absolute path",
        f"{archive}!feed/link.txt": "unsafe member 'feed/link.txt': symbolic link",
    }
    assert bodies(project) == [SECOND, LEDE]
    assert sorted(tmp_path.rglob("*")) == before
    assert not (tmp_path / "uploads" / "x.txt").exists()


def test_zip_stops_when_members_unpack_past_the_limit(project, tmp_path, settings):
    settings.UPLOAD_MAX_UNZIPPED_BYTES = 600
    archive = write(
        tmp_path / "feed.zip",
        zip_bytes({"a.txt": LEDE, "b.txt": SECOND * 10, "c.txt": THIRD}),
    )
    summary = load(project, archive)
    assert rejected(summary) == {f"{archive}!b.txt": "unpacks past the limit of 600 bytes; stopped"}
    assert bodies(project) == [LEDE]


def test_highly_compressed_zip_member_is_stopped_before_it_is_unpacked(project, tmp_path, settings):
    settings.UPLOAD_MAX_UNZIPPED_BYTES = 100_000
    bomb = "Kovač! " * 1_000_000
    archive = write(tmp_path / "bomb.zip", zip_bytes({"bomb.txt": bomb, "later.txt": LEDE}))
    assert archive.stat().st_size < 100_000
    summary = load(project, archive)
    assert rejected(summary) == {f"{archive}!bomb.txt": "unpacks past the limit of 100,000 bytes; stopped"}
    assert bodies(project) == []


def test_html_without_extractable_text_is_rejected(project, tmp_path):
    path = write(
        tmp_path / "empty.html",
        "<html><head><title>Live blog</title><script>var x = 1;</script></head><body><div> </div></body></html>",
    )
    summary = load(project, path)
    assert rejected(summary) == {str(path): "no article text could be extracted from the HTML"}
    assert bodies(project) == []


@pytest.mark.parametrize(
    "url", ["javascript:alert(document.cookie)", "ftp://ledger.example.com/a.txt", "not a url", "data:text/html,hi"]
)
def test_url_that_is_not_http_or_https_is_rejected(project, tmp_path, url):
    path = write(tmp_path / "desk.jsonl", jsonl({"body": LEDE, "url": url}, {"body": SECOND}))
    summary = load(project, path)
    assert rejected(summary) == {f"{path} line 1": f"url {url!r} is not an http or https URL"}
    assert bodies(project) == [SECOND]


@pytest.mark.parametrize("published_at", ["yesterday", "2024-13-45", "05/03/2024", "2024-03-05T25:00"])
def test_bad_published_at_is_rejected(project, tmp_path, published_at):
    path = write(tmp_path / "desk.jsonl", jsonl({"body": LEDE, "published_at": published_at}, {"body": SECOND}))
    summary = load(project, path)
    assert rejected(summary) == {
        f"{path} line 1": f"published_at {published_at!r} is not an ISO 8601 date or date-time"
    }
    assert bodies(project) == [SECOND]


def test_published_at_that_is_not_a_string_is_rejected(project, tmp_path):
    path = write(tmp_path / "desk.jsonl", jsonl({"body": LEDE, "published_at": 1709630000}))
    summary = load(project, path)
    assert rejected(summary) == {f"{path} line 1": "published_at must be an ISO 8601 date or date-time string, not int"}


def test_lone_surrogate_in_a_title_is_rejected_and_others_load(project, tmp_path):
    content = jsonl({"body": LEDE}) + '{"body": "Weiß said.", "title": "Wei\\ud800"}\n' + jsonl({"body": SECOND})
    path = write(tmp_path / "desk.jsonl", content)
    summary = load(project, path)
    assert rejected(summary) == {
        f"{path} line 2": "title is not valid UTF-8 (a lone surrogate, '\\ud800', at position 3)"
    }
    assert bodies(project) == [LEDE, SECOND]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"body": "Weiß said.", "desk": "eco\\u0000nomy"}', "metadata.desk contains a NUL character at position 3"),
        (
            '{"body": "Weiß said.", "metadata": {"tags": ["\\udc80"]}}',
            "metadata.tags[0] is not valid UTF-8 (a lone surrogate, '\\udc80', at position 0)",
        ),
        ('{"body": "Weiß said.", "score": NaN}', "metadata.score holds nan, which JSON does not allow"),
        ('{"body": "Weiß said.", "score": -Infinity}', "metadata.score holds -inf, which JSON does not allow"),
    ],
)
def test_metadata_the_database_cannot_store_is_rejected_and_others_load(project, tmp_path, line, reason):
    path = write(tmp_path / "desk.jsonl", jsonl({"body": LEDE}) + line + "\n" + jsonl({"body": SECOND}))
    summary = load(project, path)
    assert rejected(summary) == {f"{path} line 2": reason}
    assert bodies(project) == [LEDE, SECOND]


# --- duplicates -----------------------------------------------------------------------------------


def test_duplicates_in_the_same_input_are_stored_once_and_share_an_id(project, tmp_path):
    path = write(
        tmp_path / "desk.jsonl",
        jsonl({"body": LEDE, "title": "First"}, {"body": SECOND}, {"body": LEDE, "title": "Again"}),
    )
    summary = load(project, path)
    assert (summary.added, summary.duplicates, len(summary.rejected)) == (2, 1, 0)
    first = Article.objects.get(body=LEDE)
    assert first.title == "First"
    assert summary.ids == [first.pk, Article.objects.get(body=SECOND).pk, first.pk]


def test_duplicates_across_batches_share_an_id(project, tmp_path):
    path = write(tmp_path / "desk.jsonl", jsonl({"body": LEDE}, {"body": SECOND}, {"body": THIRD}, {"body": LEDE}))
    summary = load(project, path, batch_size=2)
    assert (summary.added, summary.duplicates) == (3, 1)
    assert summary.ids[3] == summary.ids[0] == Article.objects.get(body=LEDE).pk


def test_loading_the_same_input_twice_adds_nothing_and_points_to_the_existing_articles(project, tmp_path):
    folder = tmp_path / "feed"
    write(folder / "a.txt", LEDE)
    write(folder / "b.jsonl", jsonl({"body": SECOND}, {"body": "bad", "url": "javascript:void(0)"}))
    write(folder / "c.csv", f'body\n"{THIRD}"\n')
    first = load(project, folder)
    second = load(project, folder)
    assert (first.added, first.duplicates, len(first.rejected)) == (3, 0, 1)
    assert (second.added, second.duplicates, len(second.rejected)) == (0, 3, 1)
    assert second.ids == first.ids
    assert None not in first.ids[:2]
    assert Article.objects.filter(project=project).count() == 3


def test_the_same_body_in_another_project_is_stored_again(project, tmp_path):
    other = ProjectFactory()
    path = write(tmp_path / "a.txt", LEDE)
    ours = load(project, path)
    theirs = load(other, path)
    assert (theirs.added, theirs.duplicates) == (1, 0)
    assert theirs.ids != ours.ids
    assert Article.objects.filter(body=LEDE).count() == 2


# --- whole records, and the database's own rules --------------------------------------------------


def test_good_records_are_stored_when_others_in_the_same_file_are_bad(project, tmp_path):
    content = (
        jsonl({"body": LEDE, "title": "Kovač’s forecast"})
        + "{broken\n"
        + jsonl({"body": "   "})
        + jsonl({"body": SECOND, "url": "javascript:alert(1)"})
        + jsonl({"body": THIRD, "published_at": "soon"})
        + jsonl({"body": "Strike ends 🤝 after talks."})
    )
    path = write(tmp_path / "desk.jsonl", content)
    summary = load(project, path)
    assert (summary.added, summary.duplicates, len(summary.rejected)) == (2, 0, 4)
    assert [r.where for r in summary.rejected] == [f"{path} line {n}" for n in (2, 3, 4, 5)]
    assert bodies(project) == [LEDE, "Strike ends 🤝 after talks."]


def test_a_rejected_record_leaves_no_trace(project, tmp_path):
    record = {
        "title": "Half a record",
        "body": SECOND,
        "source": "Wire",
        "url": "https://ledger.example.com/ok",
        "published_at": "2024-03-05",
        "byline": "x" * 501,
    }
    path = write(tmp_path / "desk.jsonl", jsonl(record))
    summary = load(project, path)
    assert rejected(summary) == {f"{path} line 1": "byline is 501 characters, over the limit of 500"}
    assert not Article.objects.filter(body=SECOND).exists()
    assert not Article.objects.filter(title="Half a record").exists()
    assert summary.ids == [None]


def test_database_refuses_a_content_hash_that_does_not_match_the_body(project):
    wrong = hashlib.sha256(SECOND.encode()).hexdigest()
    with pytest.raises(IntegrityError, match="article_content_hash_matches_body"), transaction.atomic():
        Article.objects.create(project=project, body=LEDE, content_hash=wrong)
    assert not Article.objects.filter(project=project).exists()


def test_database_accepts_the_hash_of_the_stored_body(project):
    article = Article.objects.create(project=project, body=LEDE, content_hash=hashlib.sha256(LEDE.encode()).hexdigest())
    assert Article.objects.filter(pk=article.pk).exists()


def test_only_project_admins_may_import(project, annotator, admin):
    items = list(read_named_file("desk.jsonl", lambda: io.BytesIO(jsonl({"body": LEDE}).encode())))
    with pytest.raises(PermissionDenied, match="Only a project admin may import articles"):
        import_articles(project=project, actor=annotator, items=items)
    assert bodies(project) == []
    summary = import_articles(project=project, actor=admin, items=items)
    assert summary.added == 1
    assert Article.objects.get(pk=summary.ids[0]).added_by == admin


def test_readers_yield_rejections_not_exceptions_for_bad_input():
    limits = ReadLimits(max_body_bytes=1_000, max_unzipped_bytes=10_000)
    items = list(read_named_file("desk.jsonl", lambda: io.BytesIO(b"\xff\n{}\n[]\n"), limits))
    assert items == [
        Rejection("desk.jsonl line 1", "is not valid UTF-8 (byte 0xff at position 0)"),
        Rejection("desk.jsonl line 2", "no body: expected a non-empty field body or text"),
        Rejection("desk.jsonl line 3", "expected a JSON object, got list"),
    ]


def test_txt_title_sentence_keeps_its_closing_quote(project, tmp_path):
    path = write(tmp_path / "q.txt", "The minister said “prices rose.” Then she left the room.")
    load(project, path)
    assert Article.objects.get(project=project).title == "The minister said “prices rose.”"


def test_csv_metadata_column_holding_json_is_read_as_an_object(project, tmp_path):
    path = write(tmp_path / "m.csv", 'body,metadata\n"A story.","{""desk"": ""world""}"\n"B story.","[1]"\n')
    summary = load(project, path)
    assert rejected(summary) == {f"{path} line 3": "metadata must be a JSON object"}
    assert Article.objects.get(project=project).metadata == {"desk": "world"}


@pytest.mark.parametrize("metadata", [[], 0, False])
def test_metadata_that_is_not_an_object_is_rejected_even_when_empty(project, tmp_path, metadata):
    path = write(tmp_path / "m.jsonl", jsonl({"body": LEDE, "metadata": metadata}))
    summary = load(project, path)
    assert rejected(summary) == {f"{path} line 1": "metadata must be a JSON object"}


def test_a_reader_failing_midway_keeps_the_batches_read_before_it(project):
    from annotator.articles.ingestion import ArticleRecord, clean_fields

    def items():
        for i in range(7):
            yield ArticleRecord(f"line {i}", clean_fields({"body": f"Dispatch {i}: “calm,” officials said."}))
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        import_articles(project=project, actor=None, items=items(), batch_size=3)
    assert Article.objects.filter(project=project).count() == 6
