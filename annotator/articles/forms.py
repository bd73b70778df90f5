from django import forms
from django.conf import settings

from annotator.articles.ingestion import FORMATS


class ArticleImportForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        help_text=f"One of {', '.join(FORMATS)} (a .zip or folder may hold any of the others).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes, over the upload limit of {settings.UPLOAD_MAX_BYTES:,}."
            )
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in FORMATS:
            raise forms.ValidationError(f"Unsupported file type {suffix or '(none)'}: use one of {', '.join(FORMATS)}.")
        return upload
