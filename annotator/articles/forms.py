from django import forms

from annotator.articles.ingestion import FORMATS, upload_refusal


class ArticleImportForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        help_text=f"One of {', '.join(FORMATS)} (a .zip or folder may hold any of the others).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if reason := upload_refusal(upload.name, upload.size):
            raise forms.ValidationError(reason)
        return upload


def _labels(text: str) -> list[str]:
    """One label per line (or comma-separated), blanks dropped, order kept."""
    labels = []
    for line in text.replace(",", "\n").splitlines():
        if line.strip() and line.strip() not in labels:
            labels.append(line.strip())
    return labels


class ProjectSettingsForm(forms.Form):
    """A project's settings as admins edit them; the label vocabularies one label per line."""

    name = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    guidelines = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}), help_text="Markdown.")
    annotators_per_article = forms.IntegerField(
        min_value=1,
        max_value=50,
        label="Annotators per article (k)",
        help_text="How many people annotate each article.",
    )
    quote_types = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Quote types")
    categories = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Claim categories")
    verdicts = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Claim verdicts")
    polarities = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Stance polarities")
    targets = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Stance targets", help_text="One per line."
    )
    free_targets = forms.BooleanField(required=False, label="Annotators may type any stance target")

    VOCABULARIES = {
        "quote_types": ("quote", "quote_types"),
        "categories": ("claim", "categories"),
        "verdicts": ("claim", "verdicts"),
        "polarities": ("stance", "polarities"),
        "targets": ("stance", "targets"),
    }

    @classmethod
    def initial_for(cls, project) -> dict:
        config = project.label_config
        initial = {
            "name": project.name,
            "description": project.description,
            "guidelines": project.guidelines,
            "annotators_per_article": project.annotators_per_article,
            "free_targets": config.get("stance", {}).get("free_targets", True),
        }
        for field, (kind, key) in cls.VOCABULARIES.items():
            initial[field] = "\n".join(config.get(kind, {}).get(key, []))
        return initial

    def changes(self) -> dict:
        data = self.cleaned_data
        config: dict = {"quote": {}, "claim": {}, "stance": {"free_targets": data["free_targets"]}}
        for field, (kind, key) in self.VOCABULARIES.items():
            config[kind][key] = _labels(data[field])
        return {
            "name": data["name"],
            "description": data["description"],
            "guidelines": data["guidelines"],
            "annotators_per_article": data["annotators_per_article"],
            "label_config": config,
        }


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150, label="Username")
    role = forms.ChoiceField(choices=[("annotator", "annotator"), ("reviewer", "reviewer"), ("admin", "admin")])
