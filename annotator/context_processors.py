from django.http import HttpRequest


def csp_nonce(request: HttpRequest) -> dict[str, str]:
    """The request's CSP nonce under the name django-htmx's {% htmx_script %} reads (Django 6's name)."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
