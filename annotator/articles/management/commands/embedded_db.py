from __future__ import annotations

import os
import subprocess

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections

from annotator.database import stop_embedded_server


class Command(BaseCommand):
    help = "Show the URL of, or stop, the embedded PostgreSQL server under .data/ (unused with DATABASE_URL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["url", "stop"])

    def handle(self, *args, action: str, **options) -> None:
        if os.environ.get("DATABASE_URL"):
            raise CommandError("DATABASE_URL is set: the embedded server is not in use.")
        if action == "url":
            params = connection.get_connection_params()
            self.stdout.write(f"postgresql://{params['user']}@/{params['dbname']}?host={params['host']}")
            return
        connections.close_all()
        try:
            pgdata = stop_embedded_server(settings.BASE_DIR)
        except subprocess.CalledProcessError as exc:
            raise CommandError(f"could not stop the embedded server: {exc}") from None
        self.stdout.write(f"stopped the embedded server in {pgdata}")
