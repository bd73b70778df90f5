"""The first answer to each request sent with an idempotency key, so that a copy of it gets that answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

KEY_MAX_LENGTH = 255


class IdempotencyKey(models.Model):
    """One user's key and what the request sent with it first answered (kept for IDEMPOTENCY_KEY_HOURS)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=KEY_MAX_LENGTH)
    request = models.TextField(help_text='The request line the key was first sent with, e.g. "POST /api/v1/…".')
    fingerprint = models.CharField(max_length=64, help_text="sha256 of the request line and the body.")
    status = models.PositiveSmallIntegerField()
    headers = models.JSONField(default=dict)
    body = models.BinaryField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user"),
            models.CheckConstraint(condition=~Q(key=""), name="idempotency_key_not_empty"),
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_key_created")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}: {self.request} → {self.status}"
