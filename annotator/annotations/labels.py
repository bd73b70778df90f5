"""Annotation kinds, their attributes and a project's label vocabulary (the news defaults)."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from annotator.articles.ingestion import is_http_url


class Kind(models.TextChoices):
    QUOTE = "quote", "Quote"
    CLAIM = "claim", "Claim"
    STANCE = "stance", "Stance"


DEFAULT_LABEL_CONFIG: dict[str, dict[str, Any]] = {
    "quote": {"quote_types": ["direct", "indirect", "mixed"]},
    "claim": {
        "categories": ["statistic", "event", "fact", "prediction", "causal", "other"],
        "verdicts": ["true", "mostly_true", "misleading", "false", "unverifiable"],
    },
    "stance": {"polarities": ["favor", "against", "neutral"], "targets": [], "free_targets": True},
}

VOCABULARIES = {
    ("quote", "quote_types"),
    ("claim", "categories"),
    ("claim", "verdicts"),
    ("stance", "polarities"),
    ("stance", "targets"),
}
MAX_TEXT_ATTRIBUTE = 2000


def default_label_config() -> dict[str, dict[str, Any]]:
    return copy.deepcopy(DEFAULT_LABEL_CONFIG)


def clean_label_config(config: Any) -> dict[str, dict[str, Any]]:
    """A label config is the defaults overridden by lists of unique non-empty labels per vocabulary."""
    if not isinstance(config, dict):
        raise ValidationError({"label_config": "must be a JSON object with the keys quote, claim and stance"})
    errors: dict[str, str] = {}
    cleaned = default_label_config()
    for kind, section in config.items():
        if kind not in cleaned:
            errors[f"label_config.{kind}"] = f"unknown kind {kind!r}; the kinds are quote, claim and stance"
            continue
        if not isinstance(section, dict):
            errors[f"label_config.{kind}"] = "must be a JSON object"
            continue
        for key, value in section.items():
            path = f"label_config.{kind}.{key}"
            if (kind, key) in VOCABULARIES:
                if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                    errors[path] = "must be a list of non-empty strings"
                elif any("\x00" in v for v in value):
                    errors[path] = "a label may not contain NUL characters"
                elif len(set(value)) != len(value):
                    errors[path] = "has a label twice"
                elif not value and key != "targets":
                    errors[path] = "needs at least one label"
                else:
                    cleaned[kind][key] = [v.strip() for v in value]
            elif (kind, key) == ("stance", "free_targets"):
                if not isinstance(value, bool):
                    errors[path] = "must be true or false"
                else:
                    cleaned[kind][key] = value
            else:
                errors[path] = "is not a setting of the label config"
    if not cleaned["stance"]["free_targets"] and not cleaned["stance"]["targets"]:
        errors["label_config.stance.targets"] = "needs at least one target when free_targets is false"
    if errors:
        raise ValidationError(errors)
    return cleaned


def _text(value: Any, name: str, errors: dict[str, str], *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = "must be a string"
        return ""
    if "\x00" in value:
        errors[name] = "may not contain NUL characters"
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


def clean_attributes(
    kind: str, attributes: Any, *, label_config: dict, body_length: int, config_cleaned: bool = False
) -> dict[str, Any]:
    """Attributes of an annotation, checked against its kind and the project's vocabulary.

    `config_cleaned`: label_config is what clean_label_config returned (checking many annotations at once).
    """
    if not isinstance(attributes, dict):
        raise ValidationError({"attributes": "must be a JSON object"})
    config = label_config if config_cleaned else clean_label_config(label_config)
    errors: dict[str, str] = {}
    a = attributes
    if kind == Kind.QUOTE:
        cleaned = {
            "speaker": _text(a.get("speaker"), "speaker", errors),
            "speaker_span": _span(a.get("speaker_span"), "speaker_span", body_length, errors),
            "cue_span": _span(a.get("cue_span"), "cue_span", body_length, errors),
            "quote_type": _choice(
                a.get("quote_type", "direct"), "quote_type", config["quote"]["quote_types"], errors, nullable=False
            ),
        }
    elif kind == Kind.CLAIM:
        checkworthy = a.get("checkworthy", True)
        if not isinstance(checkworthy, bool):
            errors["checkworthy"] = "must be true or false"
        url = _text(a.get("evidence_url"), "evidence_url", errors)
        if url and not is_http_url(url):
            errors["evidence_url"] = "must be an http or https URL"
        cleaned = {
            "checkworthy": checkworthy,
            "category": _choice(a.get("category"), "category", config["claim"]["categories"], errors, nullable=True),
            "verdict": _choice(a.get("verdict"), "verdict", config["claim"]["verdicts"], errors, nullable=True),
            "verdict_note": _text(a.get("verdict_note"), "verdict_note", errors),
            "evidence_url": url,
        }
    elif kind == Kind.STANCE:
        target = _text(a.get("target"), "target", errors, required=True)
        targets = config["stance"]["targets"]
        if target and not config["stance"]["free_targets"] and target not in targets:
            errors["target"] = f"{target!r} is not one of this project's targets: {', '.join(targets)}"
        cleaned = {
            "holder": _text(a.get("holder"), "holder", errors),
            "target": target,
            "polarity": _choice(a.get("polarity"), "polarity", config["stance"]["polarities"], errors, nullable=False),
        }
    else:
        raise ValidationError({"kind": f"{kind!r} is not a kind; the kinds are {', '.join(Kind.values)}"})
    for key in attributes.keys() - cleaned.keys():
        errors[key] = f"is not an attribute of a {kind}; those are {', '.join(cleaned)}"
    if errors:
        raise ValidationError({f"attributes.{name}": message for name, message in sorted(errors.items())})
    return cleaned
