"""The project page: my progress on each article, full-text search, status filters, pagination, htmx."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotator.annotations.models import Annotation
from annotator.annotations.services import create_annotation, review_annotation, submit_article
from annotator.articles.models import Article, Project
from annotator.articles.services import index_for_search
from tests.factories import NEWS_BODY, ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

# One query each for the session, the user, the project with its counts, my role, the paginator's count,
# the page of articles with my progress, and (the whole page only) the project's recent jobs.
PAGE_QUERIES = 7


def page_url(project, **params) -> str:
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return reverse("project_detail", args=[project.slug]) + (f"?{query}" if query else "")


def tag(user, article) -> Annotation:
    start = article.body.index("inflation will fall")
    return create_annotation(actor=user, article=article, kind="claim", start=start, end=start + 19)


def reject(reviewer, annotation: Annotation) -> None:
    review_annotation(actor=reviewer, annotation=annotation, decision="reject", comment="Span too short.")


def rows(response) -> dict[int, tuple[str, int]]:
    """Article id: (my progress, my rejected annotations), in page order."""
    return {article.pk: (article.progress, article.rejected_count) for article in response.context["page"]}


def ids(response) -> list[int]:
    return [article.pk for article in response.context["page"]]


def article_with(project, title: str, body: str):
    return ArticleFactory(project=project, title=title, body=body)


# --- my progress per article ------------------------------------------------------------------------------------


def test_an_article_i_have_not_touched_is_not_started(client, project, annotator, article):
    client.force_login(annotator)
    response = client.get(page_url(project))
    assert rows(response) == {article.pk: ("not_started", 0)}
    assert "not started" in response.content.decode()


def test_tagging_puts_an_article_in_progress_and_submitting_makes_it_submitted(client, project, annotator):
    tagged, submitted = ArticleFactory.create_batch(2, project=project)
    tag(annotator, tagged)
    tag(annotator, submitted)
    submit_article(actor=annotator, article=submitted)
    client.force_login(annotator)
    response = client.get(page_url(project))
    assert rows(response) == {tagged.pk: ("in_progress", 0), submitted.pk: ("submitted", 0)}
    html = response.content.decode()
    assert "in progress" in html
    assert ">submitted<" in html


def test_an_annotation_of_mine_without_an_assignment_still_counts_as_in_progress(client, project, annotator, article):
    Annotation.objects.create(article=article, kind="stance", author=annotator)
    client.force_login(annotator)
    assert rows(client.get(page_url(project))) == {article.pk: ("in_progress", 0)}


def test_my_rejected_annotations_are_counted_on_each_article(client, project, annotator, reviewer, article):
    first, second = tag(annotator, article), tag(annotator, article)
    submit_article(actor=annotator, article=article)
    reject(reviewer, first)
    reject(reviewer, second)
    client.force_login(annotator)
    response = client.get(page_url(project))
    assert rows(response) == {article.pk: ("submitted", 2)}
    assert "2 rejected" in response.content.decode()


def test_another_annotators_work_does_not_change_my_status(
    client, project, annotator, other_annotator, reviewer, article
):
    theirs = tag(other_annotator, article)
    submit_article(actor=other_annotator, article=article)
    reject(reviewer, theirs)
    client.force_login(annotator)
    response = client.get(page_url(project))
    assert rows(response) == {article.pk: ("not_started", 0)}
    assert "rejected</span>" not in response.content.decode()
    client.force_login(other_annotator)
    assert rows(client.get(page_url(project))) == {article.pk: ("submitted", 1)}


def test_the_header_counts_the_project_articles_and_my_submissions(client, project, annotator, other_annotator):
    mine, theirs, _ = ArticleFactory.create_batch(3, project=project)
    ArticleFactory(project=ArticleFactory().project)  # another project's article
    tag(annotator, mine)
    submit_article(actor=annotator, article=mine)
    tag(other_annotator, theirs)
    submit_article(actor=other_annotator, article=theirs)
    client.force_login(annotator)
    html = client.get(page_url(project, status="in_progress")).content.decode()
    assert "3 articles · 1 submitted by you" in html


# --- search -----------------------------------------------------------------------------------------------------


def test_search_finds_words_in_the_body_and_in_the_title(client, project, annotator):
    in_body = article_with(project, "Budget talks resume", "The harbour authority announced new tariffs.")
    in_title = article_with(project, "Harbour strike ends", "Dock workers returned on Monday.")
    article_with(project, "Election night", "Turnout was high across the region.")
    client.force_login(annotator)
    assert set(ids(client.get(page_url(project, q="tariffs")))) == {in_body.pk}
    assert set(ids(client.get(page_url(project, q="harbour")))) == {in_body.pk, in_title.pk}
    assert set(ids(client.get(page_url(project, q="HARBOUR")))) == {in_body.pk, in_title.pk}


def test_search_finds_accented_words_whatever_their_case(client, project, annotator):
    kovac = article_with(project, "Minister Kovač resigns", "The coalition loses its leader.")
    zurich = article_with(project, "Banks report", "Shares fell in Zürich on Friday.")
    article_with(project, "Kovac without the caron", "Zurich without the umlaut.")
    client.force_login(annotator)
    assert ids(client.get(page_url(project, q="Kovač"))) == [kovac.pk]
    assert ids(client.get(page_url(project, q="kovač"))) == [kovac.pk]
    assert ids(client.get(page_url(project, q="Zürich"))) == [zurich.pk]
    assert ids(client.get(page_url(project, q="ZÜRICH"))) == [zurich.pk]


def test_search_understands_websearch_exclusion_and_quoted_phrases(client, project, annotator):
    inflation_only = article_with(project, "Prices", "Inflation slowed in March.")
    both = article_with(project, "Central bank", "Inflation and interest rates rose together.")
    phrase = article_with(project, "Governor speaks", "The central bank held rates.")
    apart = article_with(project, "Central heating", "The bank of the river flooded.")
    client.force_login(annotator)
    assert ids(client.get(page_url(project, q="inflation -rates"))) == [inflation_only.pk]
    assert set(ids(client.get(page_url(project, q="inflation rates")))) == {both.pk}
    assert set(ids(client.get(page_url(project, q='"central bank"')))) == {both.pk, phrase.pk}
    assert apart.pk not in ids(client.get(page_url(project, q='"central bank"')))


def test_search_ranks_better_matches_first(client, project, annotator):
    once = article_with(project, "Weather", "A storm is expected.")
    often = article_with(project, "Storm warning", "The storm, the third storm this week, hit the coast.")
    client.force_login(annotator)
    assert ids(client.get(page_url(project, q="storm"))) == [often.pk, once.pk]


def test_a_search_with_no_words_finds_nothing_without_an_error(client, project, annotator, article):
    client.force_login(annotator)
    response = client.get(page_url(project, q="-"))
    assert response.status_code == 200
    assert ids(response) == []
    assert "No article matches." in response.content.decode()


def test_the_search_is_answered_from_the_gin_index(client, project, annotator):
    ArticleFactory.create_batch(200, project=project)
    article_with(project, "Harbour strike", "Dock workers walked out.")
    assert index_for_search(project=project) == 201
    with connection.cursor() as cursor:
        # Rows inserted by earlier tests and rolled back still sit in the GIN index's pending list and make it look
        # dear to the planner; what this test proves is that the query's shape lets PostgreSQL use the index at all,
        # so the pending list is merged and sequential scans are priced out (for this test's transaction only).
        cursor.execute("SELECT gin_clean_pending_list('article_search'::regclass)")
        cursor.execute("ANALYZE articles_article")  # so the planner knows one word in 201 articles is rare
        cursor.execute("SET LOCAL enable_seqscan = off")
    client.force_login(annotator)
    response = client.get(page_url(project, q="harbour", status="not_started"))
    plan = response.context["page"].paginator.object_list.explain()
    assert "Bitmap Index Scan on article_search" in plan


# --- filters ----------------------------------------------------------------------------------------------------


def test_the_status_filter_selects_articles_by_my_progress(client, project, annotator, reviewer):
    untouched, tagged, submitted, rejected = ArticleFactory.create_batch(4, project=project)
    tag(annotator, tagged)
    tag(annotator, submitted)
    submit_article(actor=annotator, article=submitted)
    annotation = tag(annotator, rejected)
    submit_article(actor=annotator, article=rejected)
    reject(reviewer, annotation)
    client.force_login(annotator)
    assert ids(client.get(page_url(project, status="not_started"))) == [untouched.pk]
    assert ids(client.get(page_url(project, status="in_progress"))) == [tagged.pk]
    assert ids(client.get(page_url(project, status="submitted"))) == [submitted.pk, rejected.pk]
    assert ids(client.get(page_url(project, status="rejected"))) == [rejected.pk]
    assert len(ids(client.get(page_url(project, status="")))) == 4


def test_the_status_filter_combines_with_the_search(client, project, annotator):
    harbour_started = article_with(project, "Harbour strike", "Dock workers walked out. " + NEWS_BODY)
    harbour_untouched = article_with(project, "Harbour reopens", "Ships returned. " + NEWS_BODY)
    article_with(project, "Election", "Turnout was high. " + NEWS_BODY)
    tag(annotator, harbour_started)
    client.force_login(annotator)
    assert ids(client.get(page_url(project, q="harbour", status="not_started"))) == [harbour_untouched.pk]
    assert ids(client.get(page_url(project, q="harbour", status="in_progress"))) == [harbour_started.pk]


def test_an_unknown_status_is_a_400_that_names_the_choices(client, project, annotator, article):
    client.force_login(annotator)
    response = client.get(page_url(project, status="<b>done</b>"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Unknown status “&lt;b&gt;done&lt;/b&gt;”: choose one of not_started, in_progress, submitted" in html
    assert "<b>done</b>" not in html


def test_a_search_holding_a_nul_character_is_a_400(client, project, annotator):
    client.force_login(annotator)
    response = client.get(page_url(project, q="inflation%00"))
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


# --- pagination -------------------------------------------------------------------------------------------------


def test_pages_of_50_walk_120_articles_without_duplicates_or_gaps(client, project, annotator):
    articles = ArticleFactory.create_batch(120, project=project)
    client.force_login(annotator)
    for params in ({}, {"q": "Minister"}):
        seen = [ids(client.get(page_url(project, page=number, **params))) for number in (1, 2, 3)]
        assert [len(page) for page in seen] == [50, 50, 20]
        assert sorted(pk for page in seen for pk in page) == [article.pk for article in articles]


def test_a_page_past_the_end_gives_the_last_page_and_a_bad_number_the_first(client, project, annotator):
    articles = ArticleFactory.create_batch(60, project=project)
    client.force_login(annotator)
    assert ids(client.get(page_url(project, page=99))) == [article.pk for article in articles[50:]]
    assert ids(client.get(page_url(project, page="last"))) == [article.pk for article in articles[:50]]


def test_the_page_links_keep_the_search_and_the_status(client, project, annotator):
    ArticleFactory.create_batch(120, project=project)
    client.force_login(annotator)
    html = client.get(page_url(project, q="Minister", status="not_started", page=2)).content.decode()
    assert 'href="?q=Minister&amp;status=not_started&amp;page=1"' in html
    assert 'href="?q=Minister&amp;status=not_started&amp;page=3"' in html
    assert "Page 2 of 3" in html


# --- the page as HTML -------------------------------------------------------------------------------------------


def test_titles_link_to_their_article_pages_and_are_escaped(client, project, annotator):
    article = ArticleFactory(project=project, title="<script>alert('x')</script> Minister resigns")
    client.force_login(annotator)
    html = client.get(page_url(project)).content.decode()
    link = f'<a href="{reverse("article_detail", args=[article.pk])}">'
    assert f"{link}&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Minister resigns</a>" in html
    assert "<script>alert" not in html


def test_the_search_form_works_without_javascript(client, project, annotator, article):
    client.force_login(annotator)
    response = client.get(page_url(project, q="Kovač", status="not_started"))
    html = response.content.decode()
    action = reverse("project_detail", args=[project.slug])
    assert f'<form method="get" action="{action}"' in html
    assert f'hx-get="{action}" hx-target="#results" hx-push-url="true"' in html
    assert '<label for="article-search">Search articles</label>' in html
    assert '<label for="article-status">Status</label>' in html
    assert 'name="q" value="Kovač"' in html
    assert '<option value="not_started" selected>' in html
    assert "style=" not in html
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    for chunk in html.split("<script")[1:]:
        assert f'nonce="{nonce}"' in chunk.split(">")[0]


def test_an_htmx_request_gets_only_the_results(client, project, annotator, article):
    client.force_login(annotator)
    response = client.get(page_url(project, q="Kovač"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "<form" not in html
    assert reverse("article_detail", args=[article.pk]) in html
    assert "HX-Request" in response.headers["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(client, project, annotator, article):
    client.force_login(annotator)
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in client.get(page_url(project), headers=headers).content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_typing_a_search_swaps_the_results_in_place_and_keeps_the_query_in_the_address(page, project, annotator):
    ArticleFactory.create_batch(60, project=project)
    harbour = article_with(project, "Harbour <b>strike</b> in Zürich", "Dock workers walked out.")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(annotator.username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.goto(page_url(project))
    page.evaluate("window.sameDocument = true")
    page.get_by_label("Search articles").fill("zürich")
    page.wait_for_url("**?q=z%C3%BCrich&status=")
    row = f"{harbour.pk}\tHarbour <b>strike</b> in Zürich\tThe Daily Ledger\t\tnot started"
    assert page.locator("#results tbody tr").all_inner_texts() == [row]
    page.get_by_label("Status").select_option("in_progress")
    page.wait_for_url("**?q=z%C3%BCrich&status=in_progress")
    assert page.locator("#results").inner_text().endswith("No article matches.")
    assert page.evaluate("window.sameDocument")
    assert page.console_errors == []


def test_a_non_member_gets_404(client, project, outsider, article):
    client.force_login(outsider)
    assert client.get(page_url(project)).status_code == 404
    assert client.get(page_url(project), headers={"HX-Request": "true"}).status_code == 404


def test_an_anonymous_visitor_is_sent_to_login(client, project):
    response = client.get(page_url(project, q="inflation"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))


# --- queries ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "headers", "rows_on_page"),
    [
        ({}, {}, 50),
        ({"q": "inflation", "status": "in_progress", "page": 2}, {}, 11),
        ({"status": "rejected"}, {"HX-Request": "true"}, 50),
    ],
)
def test_the_page_makes_as_many_queries_for_120_articles_as_for_3(
    client, django_assert_max_num_queries, project, annotator, other_annotator, reviewer, params, headers, rows_on_page
):
    def add_articles_with_work(count: int) -> None:
        """Both annotators tag every article; every other one is submitted and its annotations rejected."""
        for number, article in enumerate(ArticleFactory.create_batch(count, project=project)):
            for user in (annotator, other_annotator):
                annotation = tag(user, article)
                if number % 2:
                    submit_article(actor=user, article=article)
                    reject(reviewer, annotation)

    client.force_login(annotator)
    add_articles_with_work(3)
    with django_assert_max_num_queries(PAGE_QUERIES):
        assert client.get(page_url(project, **params), headers=headers).status_code == 200
    add_articles_with_work(117)
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(page_url(project, **params), headers=headers)
    assert response.status_code == 200
    assert response.content.decode().count('<span class="progress ') == rows_on_page


def test_articles_not_indexed_yet_are_found_too(client, project, annotator):
    indexed = article_with(project, "Harbour strike", "Dock workers walked out.")
    index_for_search(project=project)
    fresh = article_with(project, "Harbour reopens", "Ships are back.")
    assert Article.objects.get(pk=fresh.pk).search_document is None
    client.force_login(annotator)
    assert sorted(ids(client.get(page_url(project, q="harbour")))) == sorted([indexed.pk, fresh.pk])


def test_a_changed_title_or_body_is_indexed_again(project):
    article = article_with(project, "Harbour strike", "Dock workers walked out.")
    index_for_search(project=project)
    assert Article.objects.filter(pk=article.pk, search_document__isnull=False).exists()
    Article.objects.filter(pk=article.pk).update(title="Airport strike")
    assert Article.objects.get(pk=article.pk).search_document is None
    assert index_for_search(project=project) == 1
    assert Article.objects.search("airport").filter(pk=article.pk).exists()
    assert not Article.objects.search("harbour").filter(pk=article.pk).exists()


def test_the_counts_are_right_and_computed_once_for_the_project_not_once_per_article(
    client, project, annotator, reviewer
):
    """Joined to the articles and assignments and grouped, the counts ran their subqueries once per assignment:
    12 s for 200 articles of 100 annotations (bench/load.py)."""
    articles = ArticleFactory.create_batch(4, project=project)
    for article in articles[:3]:
        tag(annotator, article)
    for article in articles[:2]:
        submit_article(actor=annotator, article=article)
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url(project))
    project_query = next(q["sql"] for q in queries if "article_count" in q["sql"])
    assert 'GROUP BY "articles_project"' not in project_query
    assert 'JOIN "annotations_assignment"' not in project_query.split('AS "submitted_count"')[-1]
    counted = response.context["project"]
    assert (counted.article_count, counted.submitted_count, counted.waiting_review) == (4, 0, 2)
    client.force_login(annotator)
    counted = client.get(page_url(project)).context["project"]
    assert (counted.article_count, counted.submitted_count, counted.waiting_review) == (4, 2, 0)


def test_past_a_thousand_the_waiting_count_says_more_than(client, project, annotator, reviewer, monkeypatch):
    """Counting all waiting annotations on each view took 0.35 s at 300,000 (bench/load.py): it stops past a limit."""
    monkeypatch.setattr("annotator.articles.views.WAITING_SHOWN", 2)
    article = ArticleFactory(project=project)
    for _ in range(2):
        tag(annotator, article)
    submit_article(actor=annotator, article=article)
    client.force_login(reviewer)
    assert "<strong>2</strong> annotations wait for review" in client.get(page_url(project)).content.decode()
    tag(annotator, article)
    submit_article(actor=annotator, article=article)
    assert "<strong>more than 2</strong> annotations wait for review" in client.get(page_url(project)).content.decode()


def test_reviewers_admins_and_superusers_review_a_project_annotators_and_outsiders_do_not(
    project, admin, reviewer, annotator, outsider
):
    boss = UserFactory(is_superuser=True)
    for user in (admin, reviewer, boss):
        assert Project.objects.reviewed_by(user).filter(pk=project.pk).exists()
    for user in (annotator, outsider):
        assert not Project.objects.reviewed_by(user).filter(pk=project.pk).exists()


def test_a_superuser_who_is_no_member_sees_the_waiting_count(client, project, annotator):
    article = ArticleFactory(project=project)
    tag(annotator, article)
    submit_article(actor=annotator, article=article)
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(page_url(project))
    assert response.context["project"].waiting_review == 1
    assert "<strong>1</strong> annotation waits for review" in response.content.decode()
