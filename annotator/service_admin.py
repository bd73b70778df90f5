"""The admin writes through the services, as the pages and the API do: an add or change form is saved by a
service, whose refusal shows on the form, and the other writes are admin actions that call a service per row.

Superusers are admins of every project (`Membership.objects.role_of`), so the services let them do what
a project admin may; other staff may do it in the projects they administer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest

from annotator.accounts.models import User


def show_refusal(form: forms.BaseForm, refusal: ValidationError | PermissionDenied) -> None:
    """A service's refusal as the form's errors: a key that names a field (`label_config.quote.quote_types`
    names `label_config`) goes on that field, the rest above the form."""
    if isinstance(refusal, PermissionDenied) or not hasattr(refusal, "error_dict"):
        form.add_error(None, refusal.messages if isinstance(refusal, ValidationError) else str(refusal))
        return
    for key, found in refusal.message_dict.items():
        field, _, detail = key.partition(".")
        if field in form.fields:
            form.add_error(field, [f"{detail}: {message}" if detail else message for message in found])
        else:
            form.add_error(None, [message if key == NON_FIELD_ERRORS else f"{key}: {message}" for message in found])


class ServiceAdmin(admin.ModelAdmin):
    """An admin whose add and change forms are saved by `save_through_service`, when the form is cleaned, so
    that a refusal goes back onto the form; the admin's own save then writes nothing."""

    def save_through_service(self, actor: User, form: forms.ModelForm, change: bool) -> models.Model:
        raise NotImplementedError

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs: Any) -> type[forms.ModelForm]:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        save = self.save_through_service
        actor = request.user

        class SavedByService(form_class):
            def full_clean(self) -> None:
                super().full_clean()
                if not self.is_bound or self._errors:
                    return
                try:
                    self.instance = save(actor, self, change)
                except (ValidationError, PermissionDenied) as refusal:
                    show_refusal(self, refusal)

        SavedByService.__name__ = form_class.__name__
        return SavedByService

    def save_model(self, request: HttpRequest, obj: models.Model, form: forms.ModelForm, change: bool) -> None:
        """Stored by the service when the form was cleaned."""


def run_action(
    request: HttpRequest, rows: Iterable[models.Model], call: Callable[[models.Model], Any], *, done: str
) -> None:
    """An admin action: the service for each row; what it did and each refusal are shown as messages."""
    count = 0
    for row in rows:
        try:
            call(row)
        except (ValidationError, PermissionDenied) as refusal:
            text = " ".join(refusal.messages) if isinstance(refusal, ValidationError) else str(refusal)
            messages.error(request, f"{row}: {text}")
        else:
            count += 1
    if count:
        messages.success(request, f"{done}: {count}.")
