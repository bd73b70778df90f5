from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator

from annotator.accounts.models import Role


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150, label="Username")
    role = forms.ChoiceField(choices=Role.choices)


class NewMemberForm(forms.Form):
    """A new account for the project: the password typed twice, or left empty for one made up and shown once."""

    username = forms.CharField(
        max_length=150,
        label="Username",
        validators=[UnicodeUsernameValidator()],
        help_text="Letters, digits and @ . + - _ only.",
    )
    email = forms.EmailField(required=False, label="Email (optional)")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.ANNOTATOR)
    password1 = forms.CharField(
        required=False,
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Leave both password fields empty to have one made up for you, shown once.",
    )
    password2 = forms.CharField(
        required=False,
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1", "") != data.get("password2", ""):
            self.add_error("password2", "The two passwords differ.")
        return data

    @property
    def password_given(self) -> bool:
        return bool(self.cleaned_data.get("password1"))
