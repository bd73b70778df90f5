from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    name = "annotator.idempotency"
    verbose_name = "Idempotency keys"
