"""Fields that name a person complete from the names already used in the project, in one bounded query."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotator.annotations.forms import AnnotationForm
from annotator.annotations.people import PERSON_ATTRIBUTES, names_in_use
from annotator.annotations.services import create_annotation, review_annotation, submit_article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
BODY = "Prime Minister Ana Kovač said inflation will fall below 3% by June. Critics disagreed."


@pytest.fixture
def names(project, annotator, other_annotator, reviewer):
    article = ArticleFactory(project=project, body=BODY)
    mine = create_annotation(
        actor=annotator,
        article=article,
        kind="stance",
        attributes={"holder": "Ana Kovač", "target": "the budget", "polarity": "favor"},
    )
    theirs = create_annotation(
        actor=other_annotator, article=article, kind="quote", start=0, end=14, attributes={"speaker": "Denys Shmyhal"}
    )
    create_annotation(
        actor=other_annotator, article=article, kind="quote", start=15, end=24, attributes={"speaker": "Unapproved"}
    )
    submit_article(actor=other_annotator, article=article)
    review_annotation(actor=reviewer, annotation=theirs, decision="approve")
    return mine


def test_the_person_fields_are_the_speaker_holder_and_target():
    assert PERSON_ATTRIBUTES == (("quote", "speaker"), ("stance", "holder"), ("stance", "target"))


def test_an_annotator_gets_their_own_names_and_the_approved_ones_once_each(project, annotator, names):
    assert names_in_use(project, annotator) == ["Ana Kovač", "Denys Shmyhal", "the budget"]


def test_a_reviewer_gets_every_name_and_the_list_is_bounded(project, reviewer, names):
    assert names_in_use(project, reviewer) == ["Ana Kovač", "Denys Shmyhal", "Unapproved", "the budget"]
    assert names_in_use(project, reviewer, limit=2) == ["Ana Kovač", "Denys Shmyhal"]


def test_the_names_endpoint_answers_in_one_query_after_the_session(
    client, project, annotator, names, django_assert_num_queries
):
    client.force_login(annotator)
    url = reverse("project_names", args=[project.slug])
    # The session, the user, the project, the names.
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.json() == {"names": ["Ana Kovač", "Denys Shmyhal", "the budget"]}
    assert "private" in response["Cache-Control"]


def test_an_outsider_gets_no_names(client, project, outsider, names):
    client.force_login(outsider)
    assert client.get(reverse("project_names", args=[project.slug])).status_code == 404


def test_the_person_fields_of_the_form_carry_the_names_url(client, project, annotator, article):
    client.force_login(annotator)
    html = client.get(reverse("annotation_new", args=[article.pk]), {"kind": "stance"}).content.decode()
    url = reverse("project_names", args=[project.slug])
    assert f'name="holder" data-people-names="{url}"' in html
    form = AnnotationForm(kind="claim", label_config=project.label_config)
    assert not any("data-people-names" in field.widget.attrs for field in form.fields.values())
