from django import forms

from annotator.annotations.kinds import Kind
from annotator.exports.services import DEFAULT_STATUS, FORMATS, STATUSES

STATUS_LABELS = {
    "approved": "Approved",
    "submitted": "Submitted (waiting for review)",
    "rejected": "Rejected",
    "all": "All (drafts too)",
}


class ExportForm(forms.Form):
    """The choices of the export page; `export_dataset` checks them again, for every interface."""

    format = forms.ChoiceField(choices=[(f.name, f.label) for f in FORMATS.values()], initial="jsonl")
    status = forms.ChoiceField(choices=[(s, STATUS_LABELS[s]) for s in STATUSES], initial=DEFAULT_STATUS)
    kind = forms.MultipleChoiceField(
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every kind the format holds.",
    )
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Changed from")
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Changed until")

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "must not be before the first day")
        return data
