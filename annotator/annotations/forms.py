"""The annotation form of the workspace: its shape only; `services` and `labels` decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from annotator.annotations.labels import Kind, clean_label_config
from annotator.idempotency.services import clean_key

BLANK = [("", "—")]


def _choices(values: list[str]) -> list[tuple[str, str]]:
    return [(v, v.replace("_", " ")) for v in values]


class AnnotationForm(forms.Form):
    """Span, version and the attributes of one kind, with the project's vocabularies as choices."""

    kind = forms.ChoiceField(choices=Kind.choices, widget=forms.HiddenInput)
    start = forms.IntegerField(required=False, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Made when a new annotation's form is shown: sending the form twice creates one annotation.
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput)

    SPAN_ATTRIBUTES = ("speaker_span", "cue_span")

    def __init__(self, *args, kind: str, label_config: dict, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.kind_value = kind
        config = clean_label_config(label_config)
        if kind == Kind.QUOTE:
            self.fields["speaker"] = forms.CharField(label="Speaker (canonical name)", required=False, max_length=2000)
            for name in self.SPAN_ATTRIBUTES:
                self.fields[f"{name}_start"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
                self.fields[f"{name}_end"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
            self.fields["quote_type"] = forms.ChoiceField(
                label="Quote type", choices=_choices(config["quote"]["quote_types"])
            )
        elif kind == Kind.CLAIM:
            self.fields["checkworthy"] = forms.BooleanField(label="Check-worthy", required=False, initial=True)
            self.fields["category"] = forms.ChoiceField(
                label="Category", required=False, choices=BLANK + _choices(config["claim"]["categories"])
            )
            self.fields["verdict"] = forms.ChoiceField(
                label="Verdict", required=False, choices=BLANK + _choices(config["claim"]["verdicts"])
            )
            self.fields["verdict_note"] = forms.CharField(
                label="Verdict note", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields["evidence_url"] = forms.CharField(label="Evidence URL", required=False)
        elif kind == Kind.STANCE:
            self.fields["holder"] = forms.CharField(label="Holder (who takes the stance)", required=False)
            self.fields["target"] = forms.CharField(label="Target (what it is about)", required=False)
            self.fields["polarity"] = forms.ChoiceField(
                label="Polarity",
                choices=_choices(config["stance"]["polarities"]),
                widget=forms.RadioSelect,
            )
            self.stance_targets = config["stance"]["targets"]
        for field in self.fields.values():
            field.widget.attrs.setdefault("autocomplete", "off")

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data["idempotency_key"]
        if key:
            try:
                clean_key(key)
            except ValidationError as exc:  # a hidden field's error would not be shown: say it above the form
                self.add_error(None, f"This form's idempotency key {' '.join(exc.messages)}; reload the page.")
                return ""
        return key

    def span(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"start": data.get("start"), "end": data.get("end"), "text": data.get("text") or None}

    def attributes(self) -> dict[str, Any]:
        """The attributes for the services, which check them against the kind and vocabulary."""
        data = self.cleaned_data
        if self.kind_value == Kind.QUOTE:
            attributes = {"speaker": data["speaker"], "quote_type": data["quote_type"]}
            for name in self.SPAN_ATTRIBUTES:
                start, end = data.get(f"{name}_start"), data.get(f"{name}_end")
                attributes[name] = [start, end] if start is not None and end is not None else None
            return attributes
        if self.kind_value == Kind.CLAIM:
            return {
                "checkworthy": data["checkworthy"],
                "category": data["category"] or None,
                "verdict": data["verdict"] or None,
                "verdict_note": data["verdict_note"],
                "evidence_url": data["evidence_url"],
            }
        return {"holder": data["holder"], "target": data["target"], "polarity": data["polarity"]}

    @classmethod
    def initial_from(cls, annotation) -> dict[str, Any]:
        initial = {
            "kind": annotation.kind,
            "start": annotation.start,
            "end": annotation.end,
            "text": annotation.text,
            "version": annotation.version,
        }
        for name, value in annotation.attributes.items():
            if name in cls.SPAN_ATTRIBUTES:
                initial[f"{name}_start"], initial[f"{name}_end"] = value or (None, None)
            else:
                initial[name] = "" if value is None else value
        return initial

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the services' messages ("attributes.speaker_span": ...) on the matching fields."""
        for key, messages in error.message_dict.items():
            name = key.removeprefix("attributes.")
            if name in self.SPAN_ATTRIBUTES:
                name = f"{name}_start"
            field = name if name in self.fields and not self.fields[name].widget.is_hidden else None
            for message in messages:
                self.add_error(field, message if field else f"{name.replace('_', ' ')}: {message}")
