"""The table of Django's database cache (settings.CACHES), as `createcachetable` makes it, so that `migrate`
is all a new installation needs."""

from django.db import migrations

CREATE = """
CREATE TABLE IF NOT EXISTS "annotator_cache" (
    "cache_key" varchar(255) NOT NULL PRIMARY KEY,
    "value" text NOT NULL,
    "expires" timestamp with time zone NOT NULL
);
CREATE INDEX IF NOT EXISTS "annotator_cache_expires" ON "annotator_cache" ("expires");
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [migrations.RunSQL(CREATE, reverse_sql='DROP TABLE IF EXISTS "annotator_cache";')]
