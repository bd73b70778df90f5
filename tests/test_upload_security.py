"""Uploads that try to escape, explode, overflow or pass for something else, through the page and the API.

Each is refused with a message that names the file (or the archive member), the good records beside
it are stored, and nothing is written anywhere but Django's upload spool, which is empty again after
the request. Importing HTML never opens a network connection.
"""

from __future__ import annotations

import io
import socket
import stat
import struct
import uuid
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import Client
from django.urls import reverse

from annotator.articles.ingestion import ReadLimits, read_named_file
from annotator.articles.models import Article
from annotator.articles.services import import_articles
from tests.conftest import secure_client
from tests.jobs import job_result, page_after_job
from tests.test_api import Api
from tests.test_ingestion import ARTICLE_HTML, LEDE, SECOND, THIRD, jsonl, zip_bytes

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256))
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00>\x00"


@pytest.fixture
def spool(tmp_path, settings, monkeypatch):
    """Every upload goes to a temporary file in a folder of its own; the test runs in another empty folder."""
    folder = tmp_path / "spool"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    work = tmp_path / "work" / "deeper"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    return folder


def tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


class Upload:
    """The same file sent through the import page and through the API, each answer as (status, text)."""

    def __init__(self, project, admin):
        self.project, self.admin = project, admin

    def page(self, name: str, content: bytes) -> tuple[int, str]:
        client = secure_client(self.admin)
        response = client.post(
            reverse("article_import", args=[self.project.slug]), {"file": SimpleUploadedFile(name, content)}
        )
        if response.status_code == 302:
            response = page_after_job(client, response)
        return response.status_code, response.content.decode()

    def api(self, name: str, content: bytes) -> tuple[int, dict]:
        handle = io.BytesIO(content)
        handle.name = name
        api = Api(self.admin)
        response = api.client.post(
            f"/api/v1/projects/{self.project.slug}/articles/import/", data={"file": handle}, headers=api.headers
        )
        if response.status_code != 202:
            return response.status_code, response.json()
        return response.status_code, job_result(response)


@pytest.fixture
def upload(project, admin):
    return Upload(project, admin)


def reasons(answer: dict) -> dict[str, str]:
    return {e["where"]: e["reason"] for e in answer["errors"]}


# --- zip slip -------------------------------------------------------------------------------------


def test_members_that_climb_out_or_link_elsewhere_are_refused_by_name_and_nothing_is_written(
    upload, project, spool, tmp_path
):
    absolute = f"/tmp/annotator-zip-slip-{uuid.uuid4().hex}.txt"
    link = zipfile.ZipInfo("feed/link.txt")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    unsafe = {
        "../escape.txt": "path traversal",
        "feed/../../escape.txt": "path traversal",
        "..\\windows.txt": "path traversal",
        absolute: "absolute path",
        "C:\\evil.txt": "absolute path",
        "feed/link.txt": "symbolic link",
    }
    archive = zip_bytes(
        {**{name: f"Escaped {name}." for name in unsafe if name != "feed/link.txt"}, link: "/etc/passwd"}
        | {"feed/good.txt": LEDE}
    )
    before = tree(tmp_path)

    status, html = upload.page("feed.zip", archive)
    assert status == 200
    assert "added 1, duplicates 0, rejected 6" in html
    code, answer = upload.api("again.zip", archive)
    assert code == 202 and answer["rejected"] == 6
    for name, reason in unsafe.items():
        assert reason in reasons(answer)[f"again.zip!{name}"]

    assert list(Article.objects.values_list("body", flat=True)) == [LEDE]
    assert tree(tmp_path) == before  # the spool is empty again, nothing landed beside or above the work folder
    assert not Path(absolute).exists()
    assert not any("Escaped" in p.read_text() for p in tmp_path.rglob("*") if p.is_file())


# --- zip bombs ------------------------------------------------------------------------------------


def test_a_zip_bomb_is_stopped_at_the_limit_naming_the_member(upload, spool, settings, tmp_path):
    settings.UPLOAD_MAX_UNZIPPED_BYTES = 100_000
    bomb = zip_bytes({"a.txt": LEDE, "bomb.txt": "0" * 50_000_000, "later.txt": SECOND})
    assert len(bomb) < 100_000
    _, html = upload.page("bomb.zip", bomb)
    assert "<code>bomb.zip!bomb.txt</code>: unpacks past the limit of 100,000 bytes; stopped" in html
    _, answer = upload.api("bomb.zip", bomb)
    assert reasons(answer) == {"bomb.zip!bomb.txt": "unpacks past the limit of 100,000 bytes; stopped"}
    assert list(Article.objects.values_list("body", flat=True)) == [LEDE]  # later.txt is never read
    assert tree(spool) == []


def lying_about_its_size(archive: bytes, name: str, size: int) -> bytes:
    """The archive with the member's uncompressed size rewritten (local header and central directory)."""
    data = bytearray(archive)
    encoded = name.encode()
    local = 0
    while True:
        local = data.index(b"PK\x03\x04", local)
        if data[local + 30 : local + 30 + len(encoded)] == encoded:
            struct.pack_into("<I", data, local + 22, size)
            break
        local += 4
    central = data.index(b"PK\x01\x02")
    while True:
        central = data.index(b"PK\x01\x02", central)
        if data[central + 46 : central + 46 + len(encoded)] == encoded:
            struct.pack_into("<I", data, central + 24, size)
            break
        central += 4
    return bytes(data)


def test_a_member_that_lies_about_its_size_is_refused_not_unpacked(project, settings):
    settings.UPLOAD_MAX_UNZIPPED_BYTES = 100_000
    archive = lying_about_its_size(zip_bytes({"liar.txt": "0" * 5_000_000, "good.txt": THIRD}), "liar.txt", 1000)
    items = list(read_named_file("feed.zip", lambda: io.BytesIO(archive)))
    refused = [item for item in items if item.where == "feed.zip!liar.txt"]
    assert len(refused) == 1 and "cannot be read from the archive" in refused[0].reason
    summary = import_articles(project=project, actor=None, items=items)
    assert list(Article.objects.values_list("body", flat=True)) == [THIRD]
    assert summary.line() == "added 1, duplicates 0, rejected 1"


def many_members(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(count):
            archive.writestr(zipfile.ZipInfo(f"{n}.txt"), b"")
    return buffer.getvalue()


def refusals(archive: bytes, max_zip_members: int) -> list[str]:
    limits = ReadLimits(max_zip_members=max_zip_members)
    return [f"{item.where}: {item.reason}" for item in read_named_file("feed.zip", lambda: io.BytesIO(archive), limits)]


def test_an_archive_of_too_many_members_is_refused_before_they_are_listed(monkeypatch):
    """zipfile makes an object per member before anything is unpacked: 200 MB of empty members is gigabytes."""
    small, large = many_members(60), many_members(70_000)
    monkeypatch.setattr(zipfile.ZipFile, "__init__", lambda *a, **k: pytest.fail("the archive was opened"))
    assert refusals(small, 50) == ["feed.zip: holds 60 members, over the limit of 50; not read"]
    assert refusals(large, 65_536) == [  # past 65,535 members the count is in the zip64 record
        "feed.zip: holds 70,000 members, over the limit of 65,536; not read"
    ]


def test_an_archive_whose_end_record_understates_its_members_is_refused_by_the_size_of_their_list(monkeypatch):
    archive = bytearray(many_members(300))
    end = archive.rindex(b"PK\x05\x06")
    struct.pack_into("<HH", archive, end + 8, 1, 1)  # "one member"
    monkeypatch.setattr(zipfile.ZipFile, "__init__", lambda *a, **k: pytest.fail("the archive was opened"))
    [refusal] = refusals(bytes(archive), 50)
    assert refusal.startswith("feed.zip: its list of members is ") and "more than 50 members take; not read" in refusal


# --- oversize files -------------------------------------------------------------------------------


def test_a_file_over_the_upload_limit_is_refused_naming_it_and_leaves_nothing_behind(upload, spool, settings):
    settings.UPLOAD_MAX_BYTES = 1_000
    content = (jsonl({"body": LEDE}) * 20).encode()
    status, html = upload.page("huge.jsonl", content)
    assert status == 400
    message = f"huge.jsonl is {len(content):,} bytes, over the upload limit of 1,000."
    assert message in html
    code, answer = upload.api("huge.jsonl", content)
    assert (code, answer["errors"]) == (400, {"file": [message]})
    assert not Article.objects.exists()
    assert tree(spool) == []


def test_a_request_larger_than_an_upload_and_its_form_is_refused_before_anything_reads_it(
    upload, project, admin, spool, settings, monkeypatch
):
    """Anyone could otherwise have any number of gigabytes spooled to disk: the CSRF check reads every POST's form."""
    settings.UPLOAD_MAX_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    spooled: list[str] = []
    monkeypatch.setattr(TemporaryUploadedFile, "__init__", lambda self, name, *a, **k: spooled.append(name))
    big = b"x" * 5_000

    anonymous = Client(enforce_csrf_checks=True)
    anonymous.get(reverse("login"), secure=True)  # a CSRF cookie, which anyone can have
    refused = anonymous.post(
        reverse("login"),
        {"file": SimpleUploadedFile("big.bin", big)},
        secure=True,
        headers={"Referer": "https://testserver/"},
    )
    assert refused.status_code == 413
    assert "over the limit of 2,000: a file of at most 1,000 bytes and the form around it" in refused.content.decode()

    status, text = upload.page("big.jsonl", big)
    assert status == 413 and "The request is" in text
    handle = io.BytesIO(big)
    handle.name = "big.jsonl"
    api = Api(admin)
    answer = api.client.post(f"/api/v1/projects/{project.slug}/articles/import/", {"file": handle}, headers=api.headers)
    assert answer.status_code == 413 and answer.json()["detail"].startswith("The request is ")
    assert spooled == [] and tree(spool) == []
    assert not Article.objects.exists()


# --- files that are not what they say -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("photo.txt", PNG, "is not valid UTF-8 (byte 0x89 at position 0)"),
        ("photo.jsonl", PNG, "is not valid UTF-8"),
        ("photo.html", PNG, "is not valid UTF-8 (byte 0x89 at position 0)"),
        ("program.csv", EXE, "is not valid UTF-8 (byte 0x90 at position 2)"),
        ("program.txt", EXE, "is not valid UTF-8 (byte 0x90 at position 2)"),
        ("program.json", ELF, "invalid JSON"),
        ("elf.txt", ELF, "body contains a NUL character at position 7"),
        ("utf16.txt", "Kovač said.".encode("utf-16"), "is not valid UTF-8 (byte 0xff at position 0)"),
        ("archive.zip", b"PK\x03\x04 not really", "not a readable zip archive"),
    ],
)
def test_a_file_that_is_not_text_of_its_type_is_refused_naming_it(upload, spool, name, content, reason):
    status, html = upload.page(name, content)
    assert status == 200
    assert "added 0, duplicates 0, rejected " in html
    code, answer = upload.api(name, content)
    assert code == 202
    assert answer["added"] == 0 and all(where.startswith(name) for where in reasons(answer))
    assert reason in answer["errors"][0]["reason"]
    assert not Article.objects.exists()
    assert tree(spool) == []


def test_an_executable_is_refused_naming_it_and_one_inside_a_zip_is_listed_as_passed_over(upload, spool):
    status, html = upload.page("setup.exe", EXE)
    assert status == 400
    message = "setup.exe: unsupported file type .exe: use one of .txt, .jsonl, .json, .csv, .html, .htm, .zip."
    assert message in html
    code, answer = upload.api("setup.exe", EXE)
    assert (code, answer["errors"]) == (400, {"file": [message]})

    archive = zip_bytes({"desk/setup.exe": EXE, "desk/photo.html": PNG, "desk/story.txt": LEDE})
    code, answer = upload.api("desk.zip", archive)
    assert code == 202
    assert reasons(answer) == {"desk.zip!desk/photo.html": "is not valid UTF-8 (byte 0x89 at position 0)"}
    assert answer["skipped"] == [{"where": "desk.zip!desk/setup.exe", "reason": SKIPPED}]
    assert list(Article.objects.values_list("body", flat=True)) == [LEDE]
    assert tree(spool) == []


SKIPPED = "not a supported format (.txt, .jsonl, .json, .csv, .html, .htm, .zip)"


# --- no fetching ----------------------------------------------------------------------------------

HOSTILE_HTML = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://dtd.example.net/xhtml1-strict.dtd"
[<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY remote SYSTEM "http://entity.example.net/x">]>
<html><head>
<base href="http://base.example.net/">
<meta http-equiv="refresh" content="0; url=http://refresh.example.net/">
<link rel="stylesheet" href="http://css.example.net/site.css">
<link rel="canonical" href="http://127.0.0.1:1/canonical">
<meta property="og:image" content="http://169.254.169.254/latest/meta-data/">
<script src="http://js.example.net/app.js"></script>
<title>Harbour strike ends</title></head><body>
<article><h1>Harbour strike ends &xxe; &remote;</h1>
<img src="http://img.example.net/photo.jpg" srcset="http://img.example.net/2x.jpg 2x">
<iframe src="http://frame.example.net/"></iframe>
<p>Dock workers returned on Monday after a three-week strike that closed the port, the union said in a
statement, adding that the agreement raises wages by four percent over two years and limits night shifts.</p>
<p>The port authority said ships would be cleared within ten days. <a href="http://link.example.net/">More</a></p>
</article></body></html>
"""


def test_importing_html_never_opens_a_connection_nor_reads_local_files(upload, monkeypatch):
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise OSError("the import tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)

    code, answer = upload.api("strike.html", HOSTILE_HTML.encode())
    _, html = upload.page("strike.zip", zip_bytes({"strike.htm": HOSTILE_HTML, "lede.html": ARTICLE_HTML}))
    assert attempts == []
    assert (code, answer["added"]) == (202, 1)
    assert "added 1, duplicates 1, rejected 0" in html
    for article in Article.objects.all():
        assert "root:" not in article.body and "root:" not in article.title
