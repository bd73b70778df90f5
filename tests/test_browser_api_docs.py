"""The interactive API docs work offline under the site's Content-Security-Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_from_local_assets_without_csp_errors(page, live_app):
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(live_app) else None)
    page.goto("/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("annotator API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert page.locator("text=/api/v1/articles/{id}/annotations/").count() >= 1
    assert outside == []
    assert page.console_errors == []
