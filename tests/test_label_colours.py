"""Labels may carry a colour that the highlights show, served as a per-project stylesheet; text stays readable."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from annotator.annotations.colours import MIN_CONTRAST, TEXT_COLOUR, contrast, palette_of, readable_variant
from annotator.annotations.labels import clean_label_config
from annotator.annotations.services import create_annotation
from annotator.articles.services import update_project
from tests.conftest import secure_client
from tests.factories import ArticleFactory
from tests.test_api import Api
from tests.test_project_settings import settings_data

pytestmark = pytest.mark.django_db

BODY = "The minister said “we will win” and critics doubted it."
HX = {"HX-Request": "true"}
DIRECT = "#ffd27f"
INDIRECT = "#b8e0ff"


def coloured(config: dict | None = None, **colours) -> dict:
    """A label config whose quote types have these colours."""
    config = clean_label_config(config or {})
    config["quote"]["colours"] = {"quote_types": colours}
    return config


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, body=BODY)


@pytest.fixture
def coloured_project(project, admin):
    return update_project(
        actor=admin, project=project, label_config=coloured(project.label_config, direct=DIRECT, indirect=INDIRECT)
    )


def quote(annotator, article, quote_type: str, fragment: str = "“we will win”"):
    start = BODY.index(fragment)
    return create_annotation(
        actor=annotator,
        article=article,
        kind="quote",
        start=start,
        end=start + len(fragment),
        attributes={"quote_type": quote_type},
    )


# --- contrast ---------------------------------------------------------------------------------------


def test_contrast_is_wcag_2s_ratio():
    assert contrast("#ffffff", "#000000") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast(DIRECT, TEXT_COLOUR) >= MIN_CONTRAST


@pytest.mark.parametrize("dark", ["#000000", "#2457c5", "#b00020", "#5b6475", "#808080"])
def test_a_colour_that_leaves_the_text_unreadable_is_refused_with_a_lighter_one_offered(dark):
    with pytest.raises(ValidationError) as refused:
        clean_label_config(coloured(direct=dark))
    message = refused.value.message_dict["label_config.quote.colours.quote_types"][0]
    assert "below the 4.5:1 of WCAG AA" in message
    offered = re.search(r"(#[0-9a-f]{6}) is the nearest lighter colour that passes", message)[1]
    assert offered == readable_variant(dark)
    assert contrast(offered, TEXT_COLOUR) >= MIN_CONTRAST
    assert clean_label_config(coloured(direct=offered))["quote"]["colours"] == {"quote_types": {"direct": offered}}


@pytest.mark.parametrize(
    ("colours", "message"),
    [
        ({"direct": "#fff"}, "'#fff' is not a colour written #rrggbb"),
        ({"direct": "yellow"}, "'yellow' is not a colour written #rrggbb"),
        ({"direct": "#ffd27f; background: url(x)"}, "is not a colour written #rrggbb"),
        ({"direct": 16777215}, "16777215 is not a colour written #rrggbb"),
        ({"satire": DIRECT}, "'satire' is not one of the quote_types"),
    ],
)
def test_only_a_label_of_the_vocabulary_takes_a_colour_written_rrggbb(colours, message):
    with pytest.raises(ValidationError) as refused:
        clean_label_config(coloured(**colours))
    assert message in refused.value.message_dict["label_config.quote.colours.quote_types"][0]


def test_colours_name_a_vocabulary_of_their_kind_and_are_stored_in_lower_case():
    with pytest.raises(ValidationError) as refused:
        clean_label_config({"quote": {"colours": {"categories": {"event": DIRECT}}}})
    assert "is not a vocabulary of a quote" in refused.value.message_dict["label_config.quote.colours.categories"][0]
    with pytest.raises(ValidationError):
        clean_label_config({"quote": {"colours": ["#ffd27f"]}})
    cleaned = clean_label_config(coloured(direct="#FFD27F"))
    assert cleaned["quote"]["colours"] == {"quote_types": {"direct": "#ffd27f"}}
    assert "colours" not in clean_label_config({})["quote"], "no colours, no key: stored configs stay as they were"


# --- the settings page and the API ----------------------------------------------------------------------


def test_an_admin_colours_labels_on_the_settings_page_one_per_line(project, admin):
    client = secure_client(admin)
    url = reverse("project_settings", args=[project.slug])
    data = settings_data(project, quote_types="direct #FFD27F\nindirect\nmixed  #b8e0ff")
    response = client.post(url, data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.label_config["quote"]["quote_types"] == ["direct", "indirect", "mixed"]
    assert project.label_config["quote"]["colours"] == {"quote_types": {"direct": DIRECT, "mixed": INDIRECT}}
    page = client.get(url).content.decode()
    assert "direct #ffd27f\nindirect\nmixed #b8e0ff</textarea>" in page
    assert '<mark class="swatch label-0">direct</mark>' in page
    assert f'href="{reverse("label_colours", args=[project.slug])}?v=' in page


def test_a_dark_colour_on_the_settings_page_is_refused_and_nothing_changes(project, admin):
    response = secure_client(admin).post(
        reverse("project_settings", args=[project.slug]), settings_data(project, quote_types="direct #333333")
    )
    assert response.status_code == 400
    assert "#333333 leaves the text (#1d2433) a contrast of" in response.content.decode()
    project.refresh_from_db()
    assert "colours" not in project.label_config["quote"]


def test_the_api_sets_colours_in_the_label_config_with_the_same_checks(project, admin):
    api = Api(admin)
    response = api.patch(f"/projects/{project.slug}/", {"label_config": coloured(direct=DIRECT)})
    assert response.status_code == 200
    assert response.json()["label_config"]["quote"]["colours"] == {"quote_types": {"direct": DIRECT}}
    response = api.patch(f"/projects/{project.slug}/", {"label_config": coloured(direct="#101010")})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["label_config.quote.colours.quote_types"]


# --- the highlights ---------------------------------------------------------------------------------------


def test_a_highlight_carries_the_class_of_its_labels_colour_and_the_page_links_the_stylesheet(
    coloured_project, article, annotator
):
    direct = quote(annotator, article, "direct")
    mixed = quote(annotator, article, "mixed", "critics doubted it")
    page = secure_client(annotator).get(reverse("article_detail", args=[article.pk])).content.decode()
    assert f'<mark class="ann k-quote st-draft label-0" data-ann="{direct.pk}">' in page
    assert f'<mark class="ann k-quote st-draft" data-ann="{mixed.pk}">' in page, "mixed has no colour"
    version = palette_of(coloured_project.label_config).version
    assert f'<link rel="stylesheet" href="/projects/{coloured_project.slug}/labels.css?v={version}">' in page


def test_a_saved_annotation_is_drawn_in_its_labels_colour_at_once(coloured_project, article, annotator):
    start = BODY.index("“we will win”")
    data = {"kind": "quote", "start": start, "end": start + 13, "text": "“we will win”", "quote_type": "indirect"}
    response = secure_client(annotator).post(reverse("annotation_create", args=[article.pk]), data, headers=HX)
    assert response.status_code == 200
    assert 'class="ann k-quote st-draft label-1"' in response.content.decode()


def test_the_review_page_shows_the_colours_too(coloured_project, article, annotator, reviewer):
    from annotator.annotations.services import submit_article

    quote(annotator, article, "indirect")
    submit_article(actor=annotator, article=article)
    page = secure_client(reviewer).get(reverse("article_review", args=[article.pk])).content.decode()
    assert "k-quote st-submitted label-1" in page
    assert f"/projects/{coloured_project.slug}/labels.css?v=" in page


def test_a_claim_takes_the_colour_of_its_category_before_its_verdict(project):
    config = clean_label_config({})
    config["claim"]["colours"] = {"verdicts": {"false": "#ffc9c9"}, "categories": {"event": "#d6f5d6"}}
    palette = palette_of(clean_label_config(config))
    both, verdict_only = {"category": "event", "verdict": "false"}, {"category": "fact", "verdict": "false"}
    assert palette.class_of("claim", both) == palette.classes["claim", "category", "event"]
    assert palette.class_of("claim", verdict_only) == palette.classes["claim", "verdict", "false"]
    assert palette.class_of("claim", {}) == ""


def test_a_project_without_colours_links_no_stylesheet_and_marks_no_label(project, article, annotator):
    quote(annotator, article, "direct")
    page = secure_client(annotator).get(reverse("article_detail", args=[article.pk])).content.decode()
    assert "labels.css" not in page and "label-0" not in page


# --- the stylesheet ------------------------------------------------------------------------------------------


def test_the_stylesheet_colours_each_label_class_and_leaves_suggestions_outlined(
    coloured_project, annotator, django_assert_max_num_queries
):
    client = secure_client(annotator)
    url = reverse("label_colours", args=[coloured_project.slug])
    with django_assert_max_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    css = response.content.decode()
    assert f"mark.ann.label-0:not(.suggested), .swatch.label-0 {{ background: {DIRECT}; }}" in css
    assert f"mark.ann.label-1:not(.suggested), .swatch.label-1 {{ background: {INDIRECT}; }}" in css
    assert response["Cache-Control"] == "private, no-cache"


def test_the_stylesheet_answers_304_to_its_etag_and_is_kept_under_its_versioned_url(coloured_project, annotator):
    client = secure_client(annotator)
    url = reverse("label_colours", args=[coloured_project.slug])
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    version = etag.strip('"')
    assert client.get(f"{url}?v={version}")["Cache-Control"] == "private, max-age=31536000, immutable"
    update_project(actor=None, project=coloured_project, label_config=coloured(direct=INDIRECT))
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_stylesheet_is_for_the_projects_members(coloured_project, outsider, client):
    url = reverse("label_colours", args=[coloured_project.slug])
    assert secure_client(outsider).get(url).status_code == 404
    assert client.get(url).status_code == 302
