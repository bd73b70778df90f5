"""Each kind is defined once (annotations/kinds.py); the form, the checks, the API schema, the exports and the
imports all follow that definition, so an attribute added there reaches every one of them."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import ValidationError
from drf_spectacular.generators import SchemaGenerator

from annotator.accounts.forms import MemberForm
from annotator.accounts.models import Role
from annotator.annotations import kinds
from annotator.annotations.forms import AnnotationForm
from annotator.annotations.imports import IMPORT_FIELDS, annotation_import
from annotator.annotations.kinds import KINDS, Attribute, Kind, Type
from annotator.annotations.labels import clean_attributes, clean_label_config, default_label_config
from annotator.articles.forms import ProjectSettingsForm
from annotator.exports import table
from annotator.exports.records import annotation_record
from annotator.exports.rows import AnnotationRow
from annotator.exports.services import FORMATS, STATUSES

ALL_ATTRIBUTES = [(kind, attribute) for kind in KINDS.values() for attribute in kind.attributes]
IDS = [f"{kind.name}.{attribute.name}" for kind, attribute in ALL_ATTRIBUTES]


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_kind_choices_are_the_defined_kinds():
    assert Kind.values == list(KINDS)
    assert [label for _, label in Kind.choices] == [k.label for k in KINDS.values()]


@pytest.mark.parametrize(("kind", "attribute"), ALL_ATTRIBUTES, ids=IDS)
def test_workspace_form_has_a_field_for_every_attribute(kind, attribute):
    form = AnnotationForm(kind=kind.name, label_config={})
    if attribute.type == Type.SPAN:
        assert {f"{attribute.name}_start", f"{attribute.name}_end"} <= set(form.fields)
    else:
        assert attribute.name in form.fields
        assert form.fields[attribute.name].label == attribute.label


@pytest.mark.parametrize(("kind", "attribute"), ALL_ATTRIBUTES, ids=IDS)
def test_openapi_schema_describes_every_attribute(schema, kind, attribute):
    variants = {
        v["title"]: v
        for v in schema["components"]["schemas"]["AnnotationInputRequest"]["properties"]["attributes"]["anyOf"]
    }
    properties = variants[f"{kind.label}Attributes"]["properties"]
    assert list(properties) == list(kind.names)
    expected = {Type.BOOL: "boolean", Type.SPAN: "array"}.get(attribute.type, "string")
    assert properties[attribute.name]["type"] == expected


def test_export_parameters_in_openapi_list_every_format_status_and_kind(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/projects/{slug}/export/"]["get"]["parameters"]}
    assert sorted(parameters["format"]["schema"]["enum"]) == sorted(FORMATS)
    assert sorted(parameters["status"]["schema"]["enum"]) == sorted(STATUSES)
    assert "rejected" in parameters["status"]["schema"]["enum"]
    assert sorted(parameters["kind"]["schema"]["items"]["enum"]) == sorted(KINDS)


@pytest.mark.parametrize(("kind", "attribute"), ALL_ATTRIBUTES, ids=IDS)
def test_csv_and_json_exports_carry_every_attribute(kind, attribute):
    if attribute.type == Type.SPAN:
        assert {f"{attribute.name}_start", f"{attribute.name}_end", attribute.span_text} <= set(table.COLUMNS)
    else:
        assert attribute.name in table.COLUMNS
    row = AnnotationRow(
        id=1, article_id=1, kind=kind.name, start=0, end=4, text="Body", status="approved", origin="human",
        annotator="ana", reviewer="rev", attributes={attribute.name: None}, created_at="", updated_at="",
        exported=True,
    )  # fmt: skip
    record = annotation_record(row, "Body text")
    assert attribute.name in record
    if attribute.type == Type.SPAN:
        assert attribute.span_text in record and attribute.span_text in IMPORT_FIELDS


def test_default_label_config_holds_every_vocabulary_with_its_defaults():
    config = default_label_config()
    for kind in KINDS.values():
        for vocabulary, _ in kind.vocabularies:
            assert config[kind.name][vocabulary.key] == list(vocabulary.defaults)
            if vocabulary.open_switch:
                assert config[kind.name][vocabulary.open_switch] is True
    assert clean_label_config({}) == config


def test_project_settings_form_has_a_field_per_vocabulary_and_members_every_role():
    form = ProjectSettingsForm()
    for kind in KINDS.values():
        for vocabulary, _ in kind.vocabularies:
            assert vocabulary.key in form.fields
    assert [value for value, _ in MemberForm().fields["role"].choices] == Role.values


def test_settings_form_round_trips_a_label_config(project):
    form = ProjectSettingsForm(data=ProjectSettingsForm.initial_for(project))
    assert form.is_valid(), form.errors
    assert clean_label_config(form.changes()["label_config"]) == clean_label_config(project.label_config)


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_defaults_fill_in_what_an_annotation_leaves_out(kind):
    config = default_label_config()
    required = [a for a in kind.attributes if a.required and a.default is None]
    given = {a.name: config[kind.name][a.vocabulary.key][0] if a.type == Type.CHOICE else "x" for a in required}
    cleaned = clean_attributes(kind.name, given, label_config=config, body_length=10)
    for attribute in kind.attributes:
        if attribute.name not in given:
            expected = (
                attribute.default
                if attribute.default is not None
                else ("" if attribute.type in (Type.TEXT, Type.URL) else None)
            )
            assert cleaned[attribute.name] == expected


def test_import_reads_attributes_written_flat_and_names_an_unknown_one(project, admin):
    plan = annotation_import(actor=admin, project=project)
    body = "Ana said the plan works."
    quote = {"kind": "quote", "start": 9, "end": 23, "speaker": "Ana", "speaker_span": [0, 3], "speaker_text": "Ana"}
    (cleaned,) = plan.clean(body, [quote])
    assert cleaned["attributes"]["speaker_span"] == [0, 3]
    assert cleaned["attributes"]["quote_type"] == "direct"
    with pytest.raises(ValidationError, match="mood: not a field of a quote"):
        plan.clean(body, [{**quote, "mood": "calm"}])


def test_an_attribute_added_to_a_definition_is_checked_and_offered_in_the_form(monkeypatch):
    """Adding an attribute is one line in its kind's definition: the checks and the form follow it."""
    claim = KINDS["claim"]
    source = Attribute("source_url", Type.URL, "Source URL", purpose="linking")
    extended = dataclasses.replace(claim, attributes=(*claim.attributes, source))
    monkeypatch.setitem(kinds.KINDS, "claim", extended)

    config = default_label_config()
    cleaned = clean_attributes("claim", {"source_url": "https://example.org/a"}, label_config=config, body_length=5)
    assert cleaned["source_url"] == "https://example.org/a"
    with pytest.raises(ValidationError) as refused:
        clean_attributes("claim", {"source_url": "javascript:alert(1)"}, label_config=config, body_length=5)
    assert refused.value.message_dict == {"attributes.source_url": ["must be an http or https URL"]}
    assert AnnotationForm(kind="claim", label_config={}).fields["source_url"].label == "Source URL"
