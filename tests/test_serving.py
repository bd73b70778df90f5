"""How the app is served: the API throttle counts across processes, and settings follow the environment."""

from __future__ import annotations

import http.client
import json
import os
import random
import subprocess
import sys
import urllib.parse

import pytest

from tests.browser import ROOT, start_server


def token_attempt(url: str, client_ip: str, number: int) -> int:
    """One failed token request from the loopback address `client_ip`, claiming another in X-Forwarded-For."""
    address = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10, source_address=(client_ip, 0))
    try:
        connection.request(
            "POST",
            "/api/v1/auth/token/",
            body=json.dumps({"username": f"nobody{number}", "password": "x"}),
            headers={"Content-Type": "application/json", "X-Forwarded-For": f"10.0.{number}.1"},
        )
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)  # the servers then use the test database, not the development one
def test_the_token_throttle_counts_requests_to_every_server_process():
    """Two servers (each with its own workers) share one count per connection address, whatever X-Forwarded-For
    says: the 21st attempt within the hour is refused."""
    # 20 an hour rather than the default 20 a minute: on a loaded machine 21 logins can take over a minute.
    started = [start_server(TOKEN_THROTTLE="20/hour") for _ in range(2)]
    try:
        # A loopback address of its own, so that earlier runs and tests do not count.
        client_ip = f"127.{random.randrange(1, 255)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        servers = [url for _, url in started]
        codes = [token_attempt(servers[n % 2], client_ip, n) for n in range(21)]
    finally:
        for process, _ in started:
            process.terminate()
            process.wait(timeout=10)
    assert codes[:20] == [400] * 20
    assert codes[20] == 429


def setting(name: str, **environ: str) -> str:
    """A setting as a server started with `environ` sees it."""
    unset = ("PORT", "SITE_URL", "BEHIND_TLS_PROXY", "TRUSTED_PROXIES")
    env = {k: v for k, v in os.environ.items() if k not in unset} | environ
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    env["DJANGO_SETTINGS_MODULE"] = "annotator.settings"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_site_url_follows_the_port_being_served():
    assert setting("SITE_URL", PORT="8811") == "http://127.0.0.1:8811"
    assert setting("SITE_URL") == "http://127.0.0.1:8000"


def test_an_explicit_site_url_wins_over_the_port():
    assert (
        setting("SITE_URL", PORT="8811", SITE_URL="https://annotator.example.org/") == "https://annotator.example.org"
    )


def test_clients_are_told_apart_by_the_connection_unless_proxies_are_trusted():
    assert setting("TRUSTED_PROXIES") == "0"
    assert setting("TRUSTED_PROXIES", BEHIND_TLS_PROXY="true") == "1"
    assert setting("TRUSTED_PROXIES", BEHIND_TLS_PROXY="true", TRUSTED_PROXIES="2") == "2"
    assert setting("REST_FRAMEWORK['NUM_PROXIES']", TRUSTED_PROXIES="2") == "2"
