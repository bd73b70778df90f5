"""The checks derived from the kinds' definitions (`kinds.py`): a project's label config and an annotation's
attributes, as every interface (services, imports, suggesters) has them checked."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from annotator.annotations.colours import COLOURS, clean_colours
from annotator.annotations.kinds import KINDS, Attribute, Type, Vocabulary
from annotator.articles.ingestion import is_http_url
from annotator.values import clean_json


def default_label_config() -> dict[str, dict[str, Any]]:
    """The news defaults: every vocabulary of every kind with its default labels, every switch on."""
    config: dict[str, dict[str, Any]] = {}
    for kind in KINDS.values():
        section = config[kind.name] = {}
        for vocabulary, _ in kind.vocabularies:
            section[vocabulary.key] = list(vocabulary.defaults)
            if vocabulary.open_switch:
                section[vocabulary.open_switch] = True
    return config


def _clean_labels(value: Any, vocabulary: Vocabulary) -> tuple[list[str] | None, str | None]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return None, "must be a list of non-empty strings"
    if len(set(value)) != len(value):
        return None, "has a label twice"
    if not value and not vocabulary.may_be_empty:
        return None, "needs at least one label"
    return [v.strip() for v in value], None


MAX_TEXT_ATTRIBUTE = 2000


def _listed(names) -> str:
    """'quote, claim and stance'"""
    *rest, last = names
    return f"{', '.join(rest)} and {last}" if rest else last


def clean_label_config(config: Any) -> dict[str, dict[str, Any]]:
    """A label config is the defaults overridden by lists of unique non-empty labels per vocabulary, and the
    colours of some of those labels (`colours.py`)."""
    kinds = _listed(KINDS)
    if not isinstance(config, dict):
        raise ValidationError({"label_config": f"must be a JSON object with the keys {kinds}"})
    clean_json(config, "label_config")
    errors: dict[str, str] = {}
    cleaned = default_label_config()
    for kind, section in config.items():
        if kind not in KINDS:
            errors[f"label_config.{kind}"] = f"unknown kind {kind!r}; the kinds are {kinds}"
            continue
        if not isinstance(section, dict):
            errors[f"label_config.{kind}"] = "must be a JSON object"
            continue
        vocabularies = {v.key: v for v, _ in KINDS[kind].vocabularies}
        switches = {v.open_switch for v in vocabularies.values() if v.open_switch}
        for key, value in section.items():
            path = f"label_config.{kind}.{key}"
            if key == COLOURS:
                continue  # checked below, against the labels as they are cleaned
            if key in vocabularies:
                labels, error = _clean_labels(value, vocabularies[key])
                if error:
                    errors[path] = error
                else:
                    cleaned[kind][key] = labels
            elif key in switches:
                if not isinstance(value, bool):
                    errors[path] = "must be true or false"
                else:
                    cleaned[kind][key] = value
            else:
                errors[path] = "is not a setting of the label config"
    for kind, section in config.items():
        if kind in KINDS and isinstance(section, dict) and COLOURS in section:
            labels = {v.key: cleaned[kind][v.key] for v, _ in KINDS[kind].vocabularies}
            if colours := clean_colours(kind, section[COLOURS], labels, errors):
                cleaned[kind][COLOURS] = colours
    for kind in KINDS.values():
        for vocabulary, _ in kind.vocabularies:
            section = cleaned[kind.name]
            if vocabulary.open_switch and not section[vocabulary.open_switch] and not section[vocabulary.key]:
                errors[f"label_config.{kind.name}.{vocabulary.key}"] = (
                    f"needs at least one label when {vocabulary.open_switch} is false"
                )
    if errors:
        raise ValidationError(errors)
    return cleaned


def _text(value: Any, name: str, errors: dict[str, str], *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = "must be a string"
        return ""
    value = value.strip()
    if required and not value:
        errors[name] = "is required"
    if len(value) > MAX_TEXT_ATTRIBUTE:
        errors[name] = f"is longer than {MAX_TEXT_ATTRIBUTE} characters"
    return value


def _choice(value: Any, name: str, choices: list[str], errors: dict[str, str], *, nullable: bool) -> str | None:
    if value is None or value == "":
        if not nullable:
            errors[name] = f"is required; one of {', '.join(choices)}"
        return None
    if value not in choices:
        errors[name] = f"{value!r} is not one of {', '.join(choices)}"
        return None
    return value


def _span(value: Any, name: str, body_length: int, errors: dict[str, str]) -> list[int] | None:
    if value is None:
        return None
    if (
        not isinstance(value, list | tuple)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        errors[name] = "must be null or a pair of code-point offsets [start, end]"
        return None
    start, end = value
    if not 0 <= start < end <= body_length:
        errors[name] = f"[{start}, {end}] is not a non-empty span inside the body (0 to {body_length})"
        return None
    return [start, end]


def _clean_value(attribute: Attribute, given: dict, section: dict, body_length: int, errors: dict[str, str]) -> Any:
    """One attribute's value as its type, vocabulary and default have it."""
    name = attribute.name
    value = given.get(name, attribute.default)
    vocabulary = attribute.vocabulary
    if attribute.type == Type.BOOL:
        if not isinstance(value, bool):
            errors[name] = "must be true or false"
        return value
    if attribute.type == Type.SPAN:
        return _span(value, name, body_length, errors)
    if attribute.type == Type.CHOICE:
        return _choice(value, name, section[vocabulary.key], errors, nullable=attribute.nullable)
    text = _text(value, name, errors, required=attribute.required)
    if attribute.type == Type.URL and text and not is_http_url(text):
        errors[name] = "must be an http or https URL"
    if vocabulary is not None and text and vocabulary.open_switch and not section[vocabulary.open_switch]:
        labels = section[vocabulary.key]
        if text not in labels:
            errors[name] = f"{text!r} is not one of this project's {vocabulary.key}: {', '.join(labels)}"
    return text


def clean_attributes(
    kind: str, attributes: Any, *, label_config: dict, body_length: int, config_cleaned: bool = False
) -> dict[str, Any]:
    """Attributes of an annotation, checked against its kind and the project's vocabulary.

    `config_cleaned`: label_config is what clean_label_config returned (checking many annotations at once).
    """
    if not isinstance(attributes, dict):
        raise ValidationError({"attributes": "must be a JSON object"})
    clean_json(attributes, "attributes")
    config = label_config if config_cleaned else clean_label_config(label_config)
    if kind not in KINDS:
        raise ValidationError({"kind": f"{kind!r} is not a kind; the kinds are {', '.join(KINDS)}"})
    errors: dict[str, str] = {}
    section = config[kind]
    cleaned = {
        attribute.name: _clean_value(attribute, attributes, section, body_length, errors)
        for attribute in KINDS[kind].attributes
    }
    for key in attributes.keys() - cleaned.keys():
        errors[key] = f"is not an attribute of a {kind}; those are {', '.join(cleaned)}"
    if errors:
        raise ValidationError({f"attributes.{name}": message for name, message in sorted(errors.items())})
    return cleaned


def clean_span(body: str, kind: str, start: Any, end: Any, text: Any) -> tuple[int | None, int | None, str | None]:
    """Offsets are code points of the body, half-open; `text` must equal body[start:end] when given.

    Only a kind whose definition allows it may have no span (a document-level stance).
    """
    if start is None and end is None:
        if kind in KINDS and KINDS[kind].needs_span:
            raise ValidationError({"start": f"a {kind} needs a span: give start and end"})
        if text not in (None, ""):
            raise ValidationError({"text": "a document-level stance has no text; give start and end for a span"})
        return None, None, None
    errors = {}
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool):
            errors[name] = "must be a whole number of code points (or null with the other for a document stance)"
    if errors:
        raise ValidationError(errors)
    if start < 0:
        raise ValidationError({"start": f"{start} is negative"})
    if end <= start:
        raise ValidationError({"end": f"end {end} must be greater than start {start}"})
    if end > len(body):
        raise ValidationError({"end": f"end {end} is past the end of the body ({len(body)} code points)"})
    actual = body[start:end]
    if text is not None and text != actual:
        raise ValidationError(
            {"text": f"does not match the body at [{start}, {end}): the body there reads {actual[:80]!r}"}
        )
    return start, end, actual
