"""The project dashboard and the figures API: who sees them, what they show, and what they cost."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotator.annotations.services import create_annotation, review_annotation, submit_article
from annotator.api.stats_views import ProjectAgreementSerializer, ProjectStatsSerializer
from annotator.reports.agreement import project_agreement
from annotator.reports.models import FiguresDirty, ProjectFigures
from annotator.reports.stats import project_stats
from tests.conftest import secure_client
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def dashboard_url(project) -> str:
    return reverse("project_dashboard", args=[project.slug])


def api_urls(project) -> list[str]:
    return [reverse("api-project-agreement", args=[project.slug]), reverse("api-project-stats", args=[project.slug])]


def annotate(project, annotators, reviewer=None, *, articles: int = 1):
    """Every annotator tags a quote, a claim and a stance on each new article and submits; the reviewer
    then approves the first annotator's claim and rejects the second's."""
    for _ in range(articles):
        article = ArticleFactory(project=project)
        for i, user in enumerate(annotators):
            create_annotation(
                actor=user, article=article, kind="quote", start=0, end=20 + i, attributes={"speaker": "Ana Kovač"}
            )
            create_annotation(actor=user, article=article, kind="claim", start=30, end=50, attributes={})
            create_annotation(
                actor=user,
                article=article,
                kind="stance",
                start=None,
                end=None,
                attributes={"target": "x", "polarity": "favor"},
            )
            submit_article(actor=user, article=article)
        if reviewer is not None:
            claims = article.annotations.filter(kind="claim").order_by("id")
            review_annotation(actor=reviewer, annotation=claims[0], decision="approve")
            if len(claims) > 1:
                review_annotation(actor=reviewer, annotation=claims[1], decision="reject", comment="Too long.")


# --- who sees what --------------------------------------------------------------------------------


def test_reviewers_and_admins_see_the_dashboard_annotators_do_not(
    client, project, admin, reviewer, annotator, outsider
):
    url = dashboard_url(project)
    assert secure_client(reviewer).get(url).status_code == 200
    assert secure_client(admin).get(url).status_code == 200
    assert secure_client(annotator).get(url).status_code == 403
    assert secure_client(outsider).get(url).status_code == 404
    assert client.get(url).status_code == 302


def test_the_figures_api_is_for_reviewers_and_admins(client, project, admin, reviewer, annotator, outsider):
    for url in api_urls(project):
        assert secure_client(reviewer).get(url).status_code == 200
        assert secure_client(admin).get(url).status_code == 200
        response = secure_client(annotator).get(url)
        assert response.status_code == 403 and "reviewer" in response.json()["detail"]
        assert secure_client(outsider).get(url).status_code == 404
        assert client.get(url).status_code in (401, 403)


def test_the_dashboard_and_the_api_refuse_an_annotator_in_the_same_words(project, annotator):
    page = secure_client(annotator).get(dashboard_url(project))
    api = [secure_client(annotator).get(url).json()["detail"] for url in api_urls(project)]
    refusal = "Only a project admin or reviewer may see the project's figures; your role here is annotator."
    assert page.status_code == 403
    assert refusal in page.content.decode().replace("&#x27;", "'")
    assert api == [refusal, refusal]


def test_the_project_page_links_reviewers_to_the_dashboard(project, reviewer, annotator):
    url = reverse("project_detail", args=[project.slug])
    assert dashboard_url(project) in secure_client(reviewer).get(url).content.decode()
    assert dashboard_url(project) not in secure_client(annotator).get(url).content.decode()


# --- what it shows --------------------------------------------------------------------------------


def test_the_dashboard_draws_charts_with_their_tables(project, reviewer, annotator, other_annotator):
    annotate(project, [annotator, other_annotator], reviewer, articles=2)
    ArticleFactory(project=project)  # not started
    page = secure_client(reviewer).get(dashboard_url(project)).content.decode()
    assert page.count('<svg class="chart-svg"') == 7
    for table in ("progress", "kinds", "annotators", "agreement", "alpha", "annotator-agreement", "pairs", "days"):
        assert f'id="table-{table}"' in page
    assert 'role="img"' in page and "<title" in page
    # Colour is never the only cue: patterns fill the series, and every bar says its value.
    assert 'fill="url(#chart-fill-1)"' in page and 'class="value"' in page
    # The strict CSP: no inline style, no inline script.
    assert "style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    progress = re.search(r'id="table-progress".*?</table>', page, re.S).group(0)
    assert re.search(r"not started</th><td>1</td>", progress)
    assert re.search(r"submitted</th><td>2</td>", progress)


def test_the_api_gives_the_numbers_the_page_shows(project, reviewer, annotator, other_annotator):
    annotate(project, [annotator, other_annotator], reviewer, articles=3)
    client = secure_client(reviewer)
    page = client.get(dashboard_url(project)).content.decode()
    agreement = client.get(api_urls(project)[0]).json()
    stats = client.get(api_urls(project)[1]).json()
    assert agreement == ProjectAgreementSerializer(project_agreement(project)).data
    assert stats == ProjectStatsSerializer(project_stats(project)).data
    claims = next(k for k in agreement["kinds"] if k["kind"] == "claim")
    assert claims["f1_exact"] == 1.0
    assert f'<th scope="row">claim</th><td>{claims["spans"]}</td><td>1</td><td>1.00</td><td>1.00</td>' in page
    quotes = next(k for k in agreement["kinds"] if k["kind"] == "quote")
    assert quotes["f1_exact"] == 0.0 and quotes["f1_overlap"] == 1.0
    rows = {r["annotator"]: r for r in stats["per_annotator"]}
    assert rows[other_annotator.username]["rejected"] == 3
    assert rows[other_annotator.username]["rejection_rate"] == 1.0
    assert f'<th scope="row">{other_annotator.username}</th><td>9</td><td>6</td><td>0</td><td>3</td>' in page
    assert [(s["state"], s["articles"]) for s in stats["progress"]] == [
        ("not_started", 0),
        ("in_progress", 0),
        ("submitted", 3),
        ("reviewed", 0),
    ]


def test_figures_are_cached_until_the_project_changes(project, reviewer, annotator, other_annotator):
    annotate(project, [annotator, other_annotator], articles=1)
    before = project_agreement(project)
    assert project_agreement(project).computed_at == before.computed_at  # from the cache
    version = ProjectFigures.objects.get(project=project).version
    assert project_stats(project).revision == before.revision == version > 0
    assert not FiguresDirty.objects.filter(project_id=project.pk).exists()
    annotate(project, [annotator, other_annotator], reviewer, articles=1)
    after = project_agreement(project)
    assert after.revision > before.revision
    assert after.articles == 2 and before.articles == 1
    assert project_stats(project).revision == after.revision


def test_changing_k_changes_the_progress_without_a_change_of_annotations(project, reviewer, annotator):
    project.annotators_per_article = 2
    project.save()
    annotate(project, [annotator], articles=2)
    assert {s.state: s.articles for s in project_stats(project).progress}["in_progress"] == 2
    project.annotators_per_article = 1
    project.save()
    assert {s.state: s.articles for s in project_stats(project).progress}["submitted"] == 2


# --- what it costs --------------------------------------------------------------------------------


def queries_of(client, url: str) -> int:
    caches["figures"].clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_dashboard_queries_do_not_grow_with_the_project(project, reviewer, annotator, other_annotator, admin):
    client = secure_client(reviewer)
    urls = [dashboard_url(project), *api_urls(project)]
    annotate(project, [annotator, other_annotator], reviewer, articles=1)
    queries_of(client, urls[0])  # the project's first figures: every article computed once
    annotate(project, [annotator, other_annotator], reviewer, articles=1)
    small = {url: queries_of(client, url) for url in urls}  # the first after a change pays the refresh
    annotate(project, [annotator, other_annotator, admin], reviewer, articles=12)
    for _ in range(5):
        ArticleFactory(project=project)
    large = {url: queries_of(client, url) for url in urls}
    assert large == small
    assert small[dashboard_url(project)] <= 24
    # Then from the cache: the session, user, project and role of the request, and the version (twice).
    client.get(dashboard_url(project))
    with CaptureQueriesContext(connection) as cached:
        client.get(dashboard_url(project))
    assert len(cached) <= 6
