import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models

# The runs of the scripts written without spaces (annotator/articles/search.py UNSPACED_RANGES, checked by
# tests/test_search_scripts.py), their characters and their pairs of adjacent characters, once each. The
# characters are numbered with unnest and paired with lead(): substr() on a long multibyte run would be quadratic.
SCRIPT_GRAMS = r"""
CREATE FUNCTION article_script_grams(title text, body text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT gram), '{}')
    FROM (
        SELECT chars.c, lead(chars.c) OVER (PARTITION BY runs.n ORDER BY chars.i) AS next_c
        FROM regexp_matches(
            title || E'\n' || body,
            '[\u0E00-\u0EFF\u0F00-\u0FFF\u1000-\u109F\u1100-\u11FF\u1780-\u17FF\u3005-\u3007\u3040-\u30FF\u3130-\u318F\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F\U00020000-\U0003FFFF]+',
            'g'
        ) WITH ORDINALITY AS runs(m, n),
        unnest(regexp_split_to_array(runs.m[1], '')) WITH ORDINALITY AS chars(c, i)
    ) AS pairs,
    LATERAL (VALUES (pairs.c), (pairs.c || pairs.next_c)) AS grams(gram)
    WHERE gram IS NOT NULL
$$;
"""

# A changed title or body is indexed again: the database forgets both search documents.
RESET = """
CREATE OR REPLACE FUNCTION articles_search_document_reset() RETURNS trigger AS $$
BEGIN
    IF NEW.title IS DISTINCT FROM OLD.title OR NEW.body IS DISTINCT FROM OLD.body THEN
        NEW.search_document := NULL;
        NEW.search_grams := NULL;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

RESET_BEFORE = RESET.replace("        NEW.search_grams := NULL;\n", "")  # as 0002 made it


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_search_document"),
    ]

    operations = [
        migrations.RunSQL(SCRIPT_GRAMS, reverse_sql="DROP FUNCTION article_script_grams(text, text);"),
        migrations.AddField(
            model_name="article",
            name="search_grams",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.TextField(),
                editable=False,
                help_text="Characters and adjacent pairs of the title and body in scripts without spaces; null until "
                "indexed.",
                null=True,
                size=None,
            ),
        ),
        migrations.RunSQL(RESET, reverse_sql=RESET_BEFORE),
        # Articles indexed already get their grams now (bounded as SEARCH_TITLE_CHARS and SEARCH_BODY_CHARS).
        migrations.RunSQL(
            "UPDATE articles_article SET search_grams = article_script_grams(left(title, 1000), left(body, 100000)) "
            "WHERE search_document IS NOT NULL",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_grams"], name="article_search_grams"),
        ),
    ]
