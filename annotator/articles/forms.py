import re

from django import forms
from django.conf import settings

from annotator.annotations.colours import COLOURS
from annotator.annotations.kinds import KINDS
from annotator.articles.ingestion import FORMATS, RecordError, upload_refusal
from annotator.articles.ingestion.records import decode_utf8

# Every vocabulary of the label config, as (kind, vocabulary); their keys are unique across kinds.
VOCABULARIES = [(kind.name, vocabulary) for kind in KINDS.values() for vocabulary, _ in kind.vocabularies]


class ArticleImportForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        help_text=f"One of {', '.join(FORMATS)} (a .zip or folder may hold any of the others).",
    )

    annotator = forms.ChoiceField(
        label="Annotations by",
        required=False,
        help_text="For a .zip of brat .txt + .ann pairs (docs/brat.md): the member whose quotes they are.",
    )

    def __init__(self, *args, members: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annotator"].choices = [(m, m) for m in members or []]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if reason := upload_refusal(upload.name, upload.size):
            raise forms.ValidationError(reason)
        return upload


# A label's colour follows it on its line after a space: "direct #ffd27f".
COLOURED_LABEL = re.compile(r"(?P<label>.*\S)\s+(?P<colour>#\S*)")


def _labels(text: str) -> tuple[list[str], dict[str, str]]:
    """One label per line (or comma-separated), blanks dropped, order kept; and the colours some were given."""
    labels, colours = [], {}
    for line in text.replace(",", "\n").splitlines():
        label = line.strip()
        if coloured := COLOURED_LABEL.fullmatch(label):
            label = coloured["label"]
            colours[label] = coloured["colour"]
        if label and label not in labels:
            labels.append(label)
    return labels, colours


class ProjectSettingsForm(forms.Form):
    """A project's settings as admins edit them; each vocabulary of each kind (`kinds.py`) one label per line."""

    name = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    guidelines = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}), help_text="Markdown.")
    annotators_per_article = forms.IntegerField(
        min_value=1,
        max_value=50,
        label="Annotators per article (k)",
        help_text="How many people annotate each article.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for _, vocabulary in VOCABULARIES:
            self.fields[vocabulary.key] = forms.CharField(
                required=vocabulary.open_switch is None,
                widget=forms.Textarea(attrs={"rows": max(3, len(vocabulary.defaults) - 1)}),
                label=vocabulary.title,
                help_text="One per line." if vocabulary.may_be_empty else "",
            )
            if vocabulary.open_switch:
                self.fields[vocabulary.open_switch] = forms.BooleanField(
                    required=False, label=vocabulary.open_switch_title
                )

    def label_fields(self) -> list:
        """The label settings, in the order of the kinds' definitions."""
        names = [name for _, v in VOCABULARIES for name in (v.key, v.open_switch) if name]
        return [self[name] for name in names]

    @classmethod
    def initial_for(cls, project) -> dict:
        config = project.label_config
        initial = {
            "name": project.name,
            "description": project.description,
            "guidelines": project.guidelines,
            "annotators_per_article": project.annotators_per_article,
        }
        for kind, vocabulary in VOCABULARIES:
            section = config.get(kind, {})
            colours = section.get(COLOURS, {}).get(vocabulary.key, {})
            initial[vocabulary.key] = "\n".join(
                f"{label} {colours[label]}" if label in colours else label for label in section.get(vocabulary.key, [])
            )
            if vocabulary.open_switch:
                initial[vocabulary.open_switch] = section.get(vocabulary.open_switch, True)
        return initial

    def changes(self) -> dict:
        data = self.cleaned_data
        config: dict = {kind: {} for kind in KINDS}
        for kind, vocabulary in VOCABULARIES:
            config[kind][vocabulary.key], colours = _labels(data[vocabulary.key])
            if colours:
                config[kind].setdefault(COLOURS, {})[vocabulary.key] = colours
            if vocabulary.open_switch:
                config[kind][vocabulary.open_switch] = data[vocabulary.open_switch]
        return {
            "name": data["name"],
            "description": data["description"],
            "guidelines": data["guidelines"],
            "annotators_per_article": data["annotators_per_article"],
            "label_config": config,
        }


class ArticleRevisionForm(forms.Form):
    """A corrected text, pasted or uploaded (UTF-8 text); the service normalises and checks it as an import does."""

    body = forms.CharField(
        label="Corrected text", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 16})
    )
    file = forms.FileField(label="…or upload it (a UTF-8 text file)", required=False)
    note = forms.CharField(label="Note: what was corrected", required=False, max_length=2000)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > settings.ARTICLE_MAX_BODY_BYTES:
                self.add_error(
                    "file", f"is {upload.size:,} bytes, over the limit of {settings.ARTICLE_MAX_BODY_BYTES:,}"
                )
                return cleaned
            try:
                cleaned["body"] = decode_utf8(upload.read())
            except RecordError as exc:
                self.add_error("file", f"The file {exc}")
        elif not cleaned.get("body"):
            self.add_error("body", "Paste the corrected text or upload it.")
        return cleaned
