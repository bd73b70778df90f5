"""Hardening of ingestion and search: an article whose full search document PostgreSQL refuses is stored and found
all the same without breaking search anywhere, and archive members are read no further than their limit."""

from __future__ import annotations

import io
import json
import string
import tracemalloc
import zipfile

import pytest

from annotator.accounts.models import Role
from annotator.articles.ingestion import ReadLimits, Rejection, read_named_file
from annotator.articles.models import Article
from annotator.articles.services import import_articles, index_for_search
from tests.factories import ArticleFactory, MembershipFactory, ProjectFactory
from tests.test_api import Api
from tests.test_ingestion import LEDE, SECOND, jsonl

pytestmark = pytest.mark.django_db


def distinct_words(count: int, *, letters: str = string.ascii_lowercase, width: int = 8) -> list[str]:
    """`count` different words of `width` letters each."""
    words = []
    for number in range(count):
        digits = []
        for _ in range(width):
            number, digit = divmod(number, len(letters))
            digits.append(letters[digit])
        words.append("".join(digits))
    return words


def body_of_distinct_words(size: int, **kwargs) -> str:
    """A body of about `size` UTF-8 bytes in which no word repeats."""
    words = distinct_words(size // 9 + 1, **kwargs)
    body = " ".join(words)
    return body.encode()[:size].decode(errors="ignore").rsplit(" ", 1)[0]


@pytest.fixture
def huge_body() -> str:
    body = " ".join(distinct_words(150_000))
    assert len(body.encode()) > 1_300_000
    return body


def found(api: Api, project, text: str) -> list[int]:
    response = api.get(f"/projects/{project.slug}/articles/?q={text}")
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_an_article_too_large_for_a_whole_search_document_is_stored_and_found_by_a_word_near_its_start(
    project, admin, huge_body
):
    api = Api(admin)
    response = api.post(f"/projects/{project.slug}/articles/", {"title": "Huge", "body": huge_body})
    assert response.status_code == 201, response.content
    article = Article.objects.get(pk=response.json()["ids"][0])
    assert article.body == huge_body
    assert article.search_document is not None
    assert found(api, project, huge_body.split()[100]) == [article.pk]
    assert found(api, project, "Huge") == [article.pk]


def test_an_unindexed_huge_article_breaks_no_search_in_its_project_or_another(project, admin, huge_body):
    """Documents not computed yet are computed during the search, for the project's articles only."""
    huge = ArticleFactory(project=project, body=huge_body)
    Article.objects.filter(pk=huge.pk).update(search_document=None)
    other = ProjectFactory()
    other_admin = MembershipFactory(project=other, role=Role.ADMIN).user
    ordinary = ArticleFactory(project=other, body="The harbour reopened on Monday after the storm.")
    Article.objects.filter(pk=ordinary.pk).update(search_document=None)
    assert found(Api(other_admin), other, "harbour") == [ordinary.pk]
    assert found(Api(admin), project, huge_body.split()[7]) == [huge.pk]
    assert found(Api(admin), project, "harbour") == []


def test_the_project_page_finds_an_unindexed_huge_article(project, admin, huge_body):
    from tests.conftest import secure_client

    huge = ArticleFactory(project=project, body=huge_body, title="Huge")
    Article.objects.filter(pk=huge.pk).update(search_document=None)
    response = secure_client(admin).get(f"/projects/{project.slug}/?q={huge_body.split()[3]}")
    assert response.status_code == 200
    assert f"/articles/{huge.pk}/" in response.content.decode()


@pytest.mark.parametrize(
    "letters",
    [
        string.ascii_lowercase,
        # Four UTF-8 bytes a letter, and hyphenated: PostgreSQL's parser keeps the compound and each part.
        "𝐚𝐛𝐜𝐝𝐞𝐟𝐠𝐡𝐢𝐣𝐤𝐥𝐦𝐧𝐨𝐩𝐪𝐫𝐬𝐭𝐮𝐯𝐰𝐱𝐲𝐳",
    ],
    ids=["ascii", "four-byte-letters"],
)
def test_a_body_of_the_largest_size_and_no_repeated_word_is_indexed(project, settings, letters):
    body = body_of_distinct_words(settings.ARTICLE_MAX_BODY_BYTES, letters=letters, width=4)
    if letters != string.ascii_lowercase:
        words = body.split()
        body = " ".join(f"{a}-{b}" for a, b in zip(words[::2], words[1::2], strict=False))
    article = ArticleFactory(project=project, body=body)
    Article.objects.filter(pk=article.pk).update(search_document=None)
    assert index_for_search(project=project) == 1
    assert list(Article.objects.filter(project=project).search(body.split()[0]).values_list("pk", flat=True)) == [
        article.pk
    ]


def test_an_ordinary_article_is_found_by_its_last_word(project, admin):
    api = Api(admin)
    body = "Talks resumed in Geneva. " * 40 + "The mediator called the outcome encouraging."
    response = api.post(f"/projects/{project.slug}/articles/", {"title": "Talks", "body": body})
    assert response.status_code == 201
    assert found(api, project, "encouraging") == response.json()["ids"]


def test_a_search_computes_documents_for_the_projects_articles_only(project, admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        found(Api(admin), project, "harbour")
    (search,) = [query["sql"] for query in queries if "to_tsvector" in query["sql"]]
    assert search.count('FROM "articles_article"') == 1
    assert f'"articles_article"."project_id" = {project.pk}' in search


# --- archive members read no further than their limit ---------------------------------------------


def zip_with_zeros(members: dict[str, str], zeros: dict[str, int]) -> bytes:
    """An archive of the members and, under each name of `zeros`, that many zero bytes (compressed small)."""
    buffer = io.BytesIO()
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
        for name, size in zeros.items():
            with archive.open(name, "w", force_zip64=True) as member:
                for _ in range(size // len(chunk)):
                    member.write(chunk)
    return buffer.getvalue()


def test_a_member_of_200_mib_is_refused_at_its_limit_without_being_unpacked_whole(project, admin):
    mib = 1024 * 1024
    # The other formats' limits are lower: past them, what is left of a member is never unpacked whatever its size.
    zeros = {"zeros.txt": 200 * mib, "zeros.html": 24 * mib, "zeros.jsonl": 24 * mib, "zeros.csv": 24 * mib}
    archive = zip_with_zeros({"a.txt": LEDE, "b.jsonl": jsonl({"body": SECOND})}, zeros | {"zeros.json": 24 * mib})
    assert len(archive) < 2_000_000
    tracemalloc.start()
    try:
        items = list(read_named_file("feed.zip", lambda: io.BytesIO(archive)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000
    summary = import_articles(project=project, actor=admin, items=items)
    assert sorted(Article.objects.filter(project=project).values_list("body", flat=True)) == sorted([LEDE, SECOND])
    one_article = "is over the limit of 8,000,000 bytes for one article; not read further"
    assert {rejection.where: rejection.reason for rejection in summary.rejected} == {
        "feed.zip!zeros.txt": one_article,
        "feed.zip!zeros.html": one_article,
        "feed.zip!zeros.jsonl line 1": "is over the limit of 8,000,000 bytes a line; not read further",
        "feed.zip!zeros.csv": "its header is over the limit of 8,000,000 bytes a row; not read further",
        "feed.zip!zeros.json": "is over the limit of 20,000,000 bytes for a .json file (JSON Lines has no such limit); "
        "not read further",
    }


def test_the_lines_and_rows_after_a_record_over_its_limit_are_not_read(project):
    limits = ReadLimits(max_body_bytes=1_000)
    long_line = json.dumps({"body": "x" * 5_000})
    lines = jsonl({"body": LEDE}) + long_line + "\n" + jsonl({"body": SECOND})
    items = list(read_named_file("desk.jsonl", lambda: io.BytesIO(lines.encode()), limits))
    assert [type(item).__name__ for item in items] == ["ArticleRecord", "Rejection"]
    assert items[1] == Rejection("desk.jsonl line 2", "is over the limit of 4,000 bytes a line; not read further")
    rows = f'body\n"{LEDE}"\n"{"y" * 5_000}"\n"{SECOND}"\n'
    items = list(read_named_file("desk.csv", lambda: io.BytesIO(rows.encode()), limits))
    assert [type(item).__name__ for item in items] == ["ArticleRecord", "Rejection"]
    assert items[1] == Rejection("desk.csv line 3", "is over the limit of 4,000 bytes a row; not read further")


def test_a_csv_file_with_lone_carriage_returns_still_reads_row_by_row(project):
    rows = "title,body\rFirst,The harbour reopened.\rSecond,The storm passed.\r"
    items = list(read_named_file("mac.csv", lambda: io.BytesIO(rows.encode())))
    assert [item.fields["title"] for item in items] == ["First", "Second"]
