"""Login, the project list and a project page: who sees what, headers, and query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotator.accounts.models import Role
from tests.factories import ArticleFactory, MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_login_page_is_served_with_an_enforced_csp(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "Content-Security-Policy-Report-Only" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script_without_the_nonce(client, annotator):
    client.force_login(annotator)
    response = client.get(reverse("home"))
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    for chunk in html.split("<script")[1:]:
        assert f'nonce="{nonce}"' in chunk.split(">")[0]


def test_anonymous_users_are_sent_to_login(client, project):
    response = client.get(reverse("project_detail", args=[project.slug]))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))


def test_a_user_logs_in_and_sees_only_their_projects_with_their_role(client, project, annotator, outsider):
    response = client.post(reverse("login"), {"username": "ann_annotator", "password": "correct horse battery staple"})
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert project.name in page
    assert "annotator" in page
    other = outsider.memberships.get().project
    assert other.name not in page


def test_a_non_member_gets_404_for_a_project(client, project, outsider):
    client.force_login(outsider)
    assert client.get(reverse("project_detail", args=[project.slug])).status_code == 404
    assert client.get(reverse("article_import", args=[project.slug])).status_code == 404


def test_a_member_sees_the_project_articles_escaped(client, project, annotator):
    ArticleFactory(project=project, title="<script>alert('x')</script> Minister resigns")
    client.force_login(annotator)
    html = client.get(reverse("project_detail", args=[project.slug])).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Minister resigns" in html
    assert "<script>alert" not in html


def test_project_list_queries_do_not_grow_with_projects(client, django_assert_max_num_queries, annotator):
    client.force_login(annotator)
    for _ in range(2):
        MembershipFactory(user=annotator, role=Role.REVIEWER, project=ProjectFactory())
    with django_assert_max_num_queries(6):
        client.get(reverse("home"))
    for _ in range(20):
        project = ProjectFactory()
        MembershipFactory(user=annotator, project=project)
        ArticleFactory.create_batch(2, project=project)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("home"))
    assert response.content.decode().count("<tr>") == 1 + 23


def test_project_page_queries_do_not_grow_with_articles(client, django_assert_max_num_queries, project, annotator):
    client.force_login(annotator)
    ArticleFactory.create_batch(3, project=project)
    with django_assert_max_num_queries(7):
        client.get(reverse("project_detail", args=[project.slug]))
    ArticleFactory.create_batch(40, project=project)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("project_detail", args=[project.slug]))
    assert response.status_code == 200


def test_the_admin_lists_every_model(admin_client):
    for model in ("accounts/user", "accounts/membership", "articles/project", "articles/article"):
        assert admin_client.get(f"/admin/{model}/").status_code == 200
    for model in ("annotation", "review", "annotationevent", "assignment"):
        assert admin_client.get(f"/admin/annotations/{model}/").status_code == 200


def test_guidelines_are_rendered_from_markdown_without_raw_html(client, project, annotator, outsider):
    project.guidelines = "# Quotes\n\nTag **direct** quotes. <script>alert(1)</script> [x](javascript:alert(1))"
    project.save()
    client.force_login(annotator)
    page = client.get(reverse("project_guidelines", args=[project.slug])).content.decode()
    assert "<h1>Quotes</h1>" in page
    assert "<strong>direct</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page
    client.force_login(outsider)
    assert client.get(reverse("project_guidelines", args=[project.slug])).status_code == 404
