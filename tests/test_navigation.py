"""The site navigation links the API docs for every signed-in user."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_navigation_links_the_api_docs(client, annotator):
    client.force_login(annotator)
    html = client.get(reverse("home")).content.decode()
    assert f'<a href="{reverse("api-docs")}">API docs</a>' in html
    assert client.get(reverse("api-docs")).status_code == 200
