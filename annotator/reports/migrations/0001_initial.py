import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The figures cache's models, moved here from annotations: the tables annotations' migration 0004 made
    are taken over as they are (names, rows, triggers)."""

    initial = True

    dependencies = [
        ("annotations", "0005_figures_to_reports"),
        ("articles", "0002_search_document"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ArticleFigures",
                    fields=[
                        ("article_id", models.IntegerField(primary_key=True, serialize=False)),
                        ("project_id", models.IntegerField(db_index=True)),
                        ("data", models.BinaryField()),
                    ],
                    options={"db_table": "annotations_articlefigures"},
                ),
                migrations.CreateModel(
                    name="FiguresDirty",
                    fields=[
                        ("article_id", models.IntegerField(primary_key=True, serialize=False)),
                        ("project_id", models.IntegerField(db_index=True)),
                        ("seq", models.BigIntegerField()),
                    ],
                    options={"db_table": "annotations_figuresdirty"},
                ),
                migrations.CreateModel(
                    name="ProjectFigures",
                    fields=[
                        (
                            "project",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="+",
                                serialize=False,
                                to="articles.project",
                            ),
                        ),
                        ("version", models.PositiveBigIntegerField(default=0)),
                        ("time_zone", models.CharField(blank=True, max_length=64)),
                        ("data", models.BinaryField(null=True)),
                    ],
                    options={"db_table": "annotations_projectfigures"},
                ),
            ],
        ),
    ]
