"""Login throttling with django-axes: whose address counts, and what a locked-out person or script is told."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the connection's, or behind TRUSTED_PROXIES proxies the address the outermost of them
    saw (each appends its peer to X-Forwarded-For, so a client's own entries are further left and ignored). DRF's
    throttles count the same address (its NUM_PROXIES is TRUSTED_PROXIES)."""
    proxies = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded.strip():
        addresses = forwarded.split(",")
        return addresses[-min(proxies, len(addresses))].strip()
    return request.META.get("REMOTE_ADDR")


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """429 with Retry-After: a JSON error under /api/ (the API's shape), a page elsewhere."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = (
        f"Too many failed logins for this username from your address: try again in {minutes} minutes, "
        "or ask an administrator to unlock the account."
    )
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "registration/lockout.html", {"message": message}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
