"""Idempotency keys: a request sent again with the same key by the same user is answered as the first one
was and changes nothing, also when the copies arrive at the same moment.

The API's create endpoints (annotator/api/idempotency.py, the `Idempotency-Key` header) and the workspace's
annotation forms (a hidden key made when the form is shown) both go through `answer_once`.

How copies that arrive together are kept apart: the first request inserts its key row in the same
transaction as its write, and the unique constraint on (user, key) makes every copy's INSERT wait until
that transaction ends. If it committed, the copy reads the stored answer and replays it; if it rolled back
(an error, which is not kept), the copy goes ahead as if it were the first.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from annotator.accounts.models import User
from annotator.database import atomic_retried
from annotator.idempotency.models import KEY_MAX_LENGTH, IdempotencyKey

HEADER = "Idempotency-Key"
# Visible ASCII, no spaces: a UUID, a random token, "order-42/attempt-1" all fit.
KEY_PATTERN = rf"^[!-~]{{1,{KEY_MAX_LENGTH}}}$"
PURGE_CHANCE = 0.01  # one stored key in a hundred also deletes up to PURGE_BATCH expired ones
PURGE_BATCH = 1000

# One statement claims the key: a new row, or an expired one taken over. When another transaction has
# inserted the same (user, key) and not yet ended, PostgreSQL makes this one wait for it. RETURNING gives
# no row when an unexpired key exists (that row is then locked until this transaction ends).
CLAIM = """
INSERT INTO {table} AS stored (user_id, key, request, fingerprint, status, headers, body, created_at)
VALUES (%s, %s, %s, %s, 0, '{{}}', ''::bytea, now())
ON CONFLICT (user_id, key) DO UPDATE
    SET request = EXCLUDED.request, fingerprint = EXCLUDED.fingerprint, created_at = EXCLUDED.created_at
    WHERE stored.created_at < now() - make_interval(hours => %s)
RETURNING stored.id
"""
PURGE = """
DELETE FROM {table} WHERE id IN (
    SELECT id FROM {table} WHERE created_at < now() - make_interval(hours => %s) ORDER BY created_at LIMIT %s
)
"""


class KeyReused(Exception):
    """The key was sent before with another request (another path or body)."""

    def __init__(self, key: str, first_request: str):
        self.key = key
        super().__init__(
            f"{HEADER} {key!r} was sent before with another request ({first_request}); a key names one "
            f"request: send that request again unchanged to get its answer, or a new key for a new request."
        )


@dataclass(frozen=True)
class Answer:
    """An HTTP answer as stored: status, body and the headers a copy gets back (ETag, Location)."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    replayed: bool = False


def key_hours() -> int:
    return settings.IDEMPOTENCY_KEY_HOURS


def clean_key(value: str) -> str:
    """A key is 1 to 255 visible ASCII characters."""
    if not value:
        raise ValidationError({HEADER: "is empty: send 1 to 255 visible ASCII characters (e.g. a UUID), or no header"})
    if len(value) > KEY_MAX_LENGTH:
        raise ValidationError({HEADER: f"is {len(value)} characters long; the limit is {KEY_MAX_LENGTH}"})
    if not all("!" <= c <= "~" for c in value):
        raise ValidationError({HEADER: "may hold only visible ASCII characters (no spaces), such as a UUID"})
    return value


def new_key() -> str:
    """A fresh key, for a form as it is shown."""
    return uuid.uuid4().hex


def fingerprint(request_line: str, parts: Iterable[bytes]) -> str:
    """What makes two requests the same: the request line and the body (as the caller cuts it in parts)."""
    digest = hashlib.sha256(request_line.encode("utf-8", "surrogatepass") + b"\n")
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def answer_once(*, user: User, key: str, request_line: str, fingerprint: str, run: Callable[[], Answer]) -> Answer:
    """`run()` (which does the write and makes the answer) at most once per user and key: a copy of the
    request gets the stored answer (`replayed`), a different request with the key raises KeyReused.

    Only a 2xx answer is kept; after an error (raised, or a non-2xx answer) nothing is stored, so the same
    key may be sent again. Keys are kept IDEMPOTENCY_KEY_HOURS; after that the key is free again.
    """
    answer = _claim_and_run(user, key, request_line, fingerprint, run)
    if not answer.replayed and random.random() < PURGE_CHANCE:
        purge_expired_keys()
    return answer


@atomic_retried  # a deadlock in the write rolls back the claim too, and both are tried again
def _claim_and_run(user: User, key: str, request_line: str, fingerprint: str, run: Callable[[], Answer]) -> Answer:
    with connection.cursor() as cursor:
        cursor.execute(
            CLAIM.format(table=IdempotencyKey._meta.db_table), [user.pk, key, request_line, fingerprint, key_hours()]
        )
        claimed = cursor.fetchone()
    if claimed is None:
        stored = IdempotencyKey.objects.get(user=user, key=key)
        if stored.fingerprint != fingerprint:
            raise KeyReused(key, stored.request)
        return Answer(stored.status, bytes(stored.body), stored.headers, replayed=True)
    answer = run()
    if not 200 <= answer.status < 300:
        transaction.set_rollback(True)
        return answer
    IdempotencyKey.objects.filter(pk=claimed[0]).update(status=answer.status, headers=answer.headers, body=answer.body)
    return answer


def purge_expired_keys(limit: int = PURGE_BATCH) -> int:
    """Delete up to `limit` keys older than IDEMPOTENCY_KEY_HOURS, oldest first; returns how many."""
    table = IdempotencyKey._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(PURGE.format(table=table), [key_hours(), limit])
        return cursor.rowcount
