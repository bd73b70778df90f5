"""The annotation form of the workspace, its fields derived from the kind's definition (`kinds.py`): its shape
only; `services` and `labels` decide what is valid."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from annotator.annotations.kinds import KINDS, Attribute, Kind, Type, span_attributes
from annotator.annotations.labels import MAX_TEXT_ATTRIBUTE, clean_label_config
from annotator.annotations.parts import moved_hull
from annotator.idempotency.services import clean_key

BLANK = [("", "—")]


def _choices(values: list[str]) -> list[tuple[str, str]]:
    return [(v, v.replace("_", " ")) for v in values]


def _pairs(parts: Any) -> bool:
    """Whether a form's parts are a list of pairs of whole numbers (what they mean, parts.py checks)."""
    return (
        isinstance(parts, list)
        and bool(parts)
        and all(isinstance(p, list) and len(p) == 2 and all(type(v) is int for v in p) for p in parts)
    )


def parse_int(value: Any) -> int | None:
    """A form value as a whole number, or None when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_ids(values: list[Any]) -> list[int]:
    """The whole numbers among a form's repeated values (`request.POST.getlist(name)`)."""
    return [pk for pk in map(parse_int, values) if pk is not None]


def _field(attribute: Attribute, section: dict) -> forms.Field:
    """The form field of one attribute, from its type; CHOICE fields list the project's labels."""
    if attribute.type == Type.BOOL:
        return forms.BooleanField(label=attribute.label, required=False, initial=attribute.default)
    if attribute.type == Type.CHOICE:
        choices = _choices(section[attribute.vocabulary.key])
        if attribute.nullable:
            return forms.ChoiceField(label=attribute.label, required=False, choices=BLANK + choices)
        widget = forms.RadioSelect if attribute.radio else None
        return forms.ChoiceField(label=attribute.label, choices=choices, widget=widget)
    widget = forms.Textarea(attrs={"rows": 2}) if attribute.multiline else None
    if attribute.names_person:
        # static/js/people.js completes it from the project's names (people.py); workspace.form_context sets the URL.
        widget = forms.TextInput(attrs={"data-people-names": ""})
    return forms.CharField(label=attribute.label, required=False, max_length=MAX_TEXT_ATTRIBUTE, widget=widget)


class AnnotationForm(forms.Form):
    """Span, version and the attributes of one kind, with the project's vocabularies as choices."""

    # The labels of hidden fields name them in the errors shown above the form ("Span end: …").
    kind = forms.ChoiceField(choices=Kind.choices, widget=forms.HiddenInput, label="Kind")
    start = forms.IntegerField(required=False, widget=forms.HiddenInput, label="Span start")
    end = forms.IntegerField(required=False, widget=forms.HiddenInput, label="Span end")
    text = forms.CharField(required=False, strip=False, widget=forms.HiddenInput, label="Span text")
    # A quote in parts: its parts as JSON, [[start, end], ...], or empty for an ordinary span (static/js/parts.js).
    parts = forms.JSONField(required=False, widget=forms.HiddenInput, label="Quote parts")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput, label="Version")
    # Made when a new annotation's form is shown: sending the form twice creates one annotation.
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput)

    SPAN_ATTRIBUTES = tuple(a.name for a in span_attributes())

    def __init__(self, *args, kind: str, label_config: dict, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.kind_value = kind
        self.definition = KINDS[kind]
        section = clean_label_config(label_config)[kind]
        for attribute in self.definition.attributes:
            if attribute.type == Type.SPAN:
                for edge in ("start", "end"):
                    self.fields[f"{attribute.name}_{edge}"] = forms.IntegerField(
                        required=False, widget=forms.HiddenInput, label=f"{attribute.label} {edge}"
                    )
            else:
                self.fields[attribute.name] = _field(attribute, section)
        for field in self.fields.values():
            field.widget.attrs.setdefault("autocomplete", "off")

    def layout(self, body: str) -> list[dict[str, Any]]:
        """The kind's attributes in their order: a field to fill in, or a span picked from a selection in the
        text (with the text it covers now)."""
        data = self.data if self.is_bound else self.initial
        rows = []
        for attribute in self.definition.attributes:
            if attribute.type != Type.SPAN:
                rows.append({"attribute": attribute, "field": self[attribute.name]})
                continue
            s, e = parse_int(data.get(f"{attribute.name}_start")), parse_int(data.get(f"{attribute.name}_end"))
            picked = body[s:e] if s is not None and e is not None and 0 <= s < e <= len(body) else ""
            rows.append({"attribute": attribute, "field": None, "picked": picked})
        return rows

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data["idempotency_key"]
        if key:
            try:
                clean_key(key)
            except ValidationError as exc:  # a hidden field's error would not be shown: say it above the form
                self.add_error(None, f"This form's idempotency key {' '.join(exc.messages)}; reload the page.")
                return ""
        return key

    def clean(self) -> dict[str, Any]:
        """A hidden field's error (a span's offsets that are not numbers) is said above the form, naming it."""
        for name, field in self.fields.items():
            if field.widget.is_hidden and name in self._errors:
                for message in self._errors.pop(name):
                    self.add_error(None, f"{field.label}: {message}")
        return super().clean()

    def span(self) -> dict[str, Any]:
        """The span and parts as the services take them. A quote's parts come with the span's ends, which the
        span tools may have moved: those move the outer parts (parts.moved_hull), and the services check it all."""
        data = self.cleaned_data
        start, end, parts = data.get("start"), data.get("end"), data.get("parts") or None
        if _pairs(parts):
            parts = moved_hull(sorted(parts), start, end)
        return {"start": start, "end": end, "text": data.get("text") or None, "parts": parts}

    def parts_shown(self, body: str) -> list[dict[str, Any]]:
        """A quote's parts as the form lists them (each with its text), none for an ordinary span."""
        data = self.data if self.is_bound else self.initial
        value = data.get("parts")
        try:
            parts = json.loads(value) if isinstance(value, str) and value else value
        except ValueError:
            return []
        if not _pairs(parts) or len(parts) < 2:
            return []
        return [{"start": s, "end": e, "text": body[s:e]} for s, e in sorted(parts)]

    def attributes(self) -> dict[str, Any]:
        """The attributes for the services, which check them against the kind and vocabulary."""
        data = self.cleaned_data
        attributes: dict[str, Any] = {}
        for attribute in self.definition.attributes:
            name = attribute.name
            if attribute.type == Type.SPAN:
                start, end = data.get(f"{name}_start"), data.get(f"{name}_end")
                attributes[name] = [start, end] if start is not None and end is not None else None
            elif attribute.nullable:
                attributes[name] = data[name] or None
            else:
                attributes[name] = data[name]
        return attributes

    @classmethod
    def initial_from(cls, annotation) -> dict[str, Any]:
        initial = {
            "kind": annotation.kind,
            "start": annotation.start,
            "end": annotation.end,
            "text": annotation.text,
            "parts": annotation.parts,
            "version": annotation.version,
        }
        for name, value in annotation.attributes.items():
            if name in cls.SPAN_ATTRIBUTES:
                initial[f"{name}_start"], initial[f"{name}_end"] = value or (None, None)
            else:
                initial[name] = "" if value is None else value
        return initial

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the services' messages ("attributes.quote_type": ...) on the matching fields; those about a span
        or another hidden field above the form, named ("Span end: …", "Speaker mention: …")."""
        for key, messages in error.message_dict.items():
            name = key.removeprefix("attributes.")
            attribute = self.definition.attribute.get(name)
            if name in self.fields and not self.fields[name].widget.is_hidden:
                field, label = name, ""
            elif attribute is not None:
                field, label = None, attribute.label
            else:
                field, label = None, self.fields[name].label if name in self.fields else name.replace("_", " ")
            for message in messages:
                self.add_error(field, message if field else f"{label}: {message}")
