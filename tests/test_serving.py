"""How the app is served: the API throttle counts across processes, and SITE_URL follows PORT."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.browser import ROOT, start_server


def token_attempt(url: str, client_ip: str, number: int) -> int:
    request = urllib.request.Request(  # noqa: S310 loopback
        f"{url}/api/v1/auth/token/",
        data=json.dumps({"username": f"nobody{number}", "password": "x"}).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": client_ip},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 loopback
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)  # the servers then use the test database, not the development one
def test_the_token_throttle_counts_requests_to_every_server_process():
    """Two servers (each with its own workers) share one count: the 21st attempt within the hour is refused."""
    # 20 an hour rather than the default 20 a minute: on a loaded machine 21 logins can take over a minute.
    started = [start_server(TOKEN_THROTTLE="20/hour") for _ in range(2)]
    try:
        # A client address of its own (DRF reads X-Forwarded-For), so that earlier runs and tests do not count.
        client_ip = f"2001:db8::{random.getrandbits(16):x}:{random.getrandbits(16):x}"
        servers = [url for _, url in started]
        codes = [token_attempt(servers[n % 2], client_ip, n) for n in range(21)]
    finally:
        for process, _ in started:
            process.terminate()
            process.wait(timeout=10)
    assert codes[:20] == [400] * 20
    assert codes[20] == 429


def site_url(**environ: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PORT", "SITE_URL")} | environ
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    env["DJANGO_SETTINGS_MODULE"] = "annotator.settings"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_site_url_follows_the_port_being_served():
    assert site_url(PORT="8811") == "http://127.0.0.1:8811"
    assert site_url() == "http://127.0.0.1:8000"


def test_an_explicit_site_url_wins_over_the_port():
    assert site_url(PORT="8811", SITE_URL="https://annotator.example.org/") == "https://annotator.example.org"
