"""An account made with a one-time password changes it before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from annotator.api.exceptions import API_PREFIX, service_unavailable
from annotator.database import is_outage

# What such an account may open meanwhile: the password change itself, and logging out.
ALLOWED = ("password_change", "password_change_done", "logout")
ONE_TIME = "Your password was made up for you when your account was created: choose your own to go on."


class PasswordChangeRequiredMiddleware:
    """Until it has chosen its own password, such an account is led to the password change from every page,
    and refused by the API."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            flagged = request.user.is_authenticated and request.user.must_change_password
        except Exception as exc:  # loading the session's user is the first query of many a request
            if not is_outage(exc):
                raise
            return service_unavailable(request, exc)
        if not flagged:
            return self.get_response(request)
        if request.path in {reverse(name) for name in ALLOWED}:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": ONE_TIME}, status=403)
        messages.info(request, ONE_TIME)
        return redirect("password_change")
