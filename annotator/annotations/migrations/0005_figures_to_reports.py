from django.db import migrations


class Migration(migrations.Migration):
    """The figures cache's models now belong to the reports app: their tables, rows and triggers stay."""

    dependencies = [
        ("annotations", "0004_article_figures"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ArticleFigures"),
                migrations.DeleteModel(name="FiguresDirty"),
                migrations.DeleteModel(name="ProjectFigures"),
            ],
        ),
    ]
