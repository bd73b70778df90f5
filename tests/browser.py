"""The real server (gunicorn, as `make run` serves) on loopback, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(settings.BASE_DIR)


def database_url() -> str:
    """The URL of the test database pytest-django created, for the server process."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or ""
    if host.startswith("/"):
        return f"postgresql://{user}{password}@/{db['NAME']}?host={quote(host)}"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgresql://{user}{password}@{host}{port}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(**environ: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url(), "HTTPS": "false", "DEBUG": "false", **environ}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "annotator.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{url}/accounts/login/", timeout=2) as response:  # noqa: S310 loopback
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    pytest.fail("the server did not answer within 30 s")


def launch_chromium(playwright):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: apt-get install chromium (CI installs it)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def start_worker(**environ: str) -> subprocess.Popen:
    """A job worker (`manage.py procrastinate worker`) on the test database, as `make run` starts one."""
    env = {**os.environ, "DATABASE_URL": database_url(), **environ}
    return subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )


def select_offsets(page, start: int, end: int, *, scroll: bool = False) -> None:
    """Select [start, end) of the article's body (code points) as a person's drag would leave it."""
    page.evaluate(
        """([start, end, scroll]) => {
            const range = AnnotatorOffsets.rangeFromSpan(document.getElementById("article-body"), start, end);
            if (scroll) range.startContainer.parentElement.scrollIntoView({block: "center"});
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [start, end, scroll],
    )
