from django.db import migrations


class Migration(migrations.Migration):
    """An uploaded file is kept only until its job is over: stored out of line without compression (EXTERNAL),
    since compressing megabytes took most of the time the upload's request spent in the database."""

    dependencies = [("jobs", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE jobs_jobinput ALTER COLUMN content SET STORAGE EXTERNAL",
            "ALTER TABLE jobs_jobinput ALTER COLUMN content SET STORAGE EXTENDED",
        )
    ]
