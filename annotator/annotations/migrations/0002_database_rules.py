"""Rules the database itself enforces, beyond what Django's constraints can say."""

from django.db import migrations

APPEND_ONLY_HISTORY = """
CREATE FUNCTION annotations_history_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the annotation history is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER annotationevent_append_only
    BEFORE UPDATE OR DELETE ON annotations_annotationevent
    FOR EACH ROW EXECUTE FUNCTION annotations_history_is_append_only();
"""

ANNOTATED_BODY_IS_LOCKED = """
CREATE FUNCTION articles_annotated_body_is_locked() RETURNS trigger AS $$
BEGIN
    IF NEW.body IS DISTINCT FROM OLD.body
       AND EXISTS (SELECT 1 FROM annotations_annotation WHERE article_id = OLD.id) THEN
        RAISE EXCEPTION 'article % has annotations: its body cannot be edited', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER article_annotated_body_locked
    BEFORE UPDATE OF body ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_annotated_body_is_locked();
"""

CONTENT_HASH_MATCHES_BODY = """
ALTER TABLE articles_article ADD CONSTRAINT article_content_hash_matches_body
    CHECK (content_hash = encode(sha256(convert_to(body, 'UTF8')), 'hex'));
"""


class Migration(migrations.Migration):
    dependencies = [("annotations", "0001_initial"), ("articles", "0001_initial")]

    operations = [
        migrations.RunSQL(
            APPEND_ONLY_HISTORY,
            reverse_sql="DROP TRIGGER annotationevent_append_only ON annotations_annotationevent;"
            "DROP FUNCTION annotations_history_is_append_only();",
        ),
        migrations.RunSQL(
            ANNOTATED_BODY_IS_LOCKED,
            reverse_sql="DROP TRIGGER article_annotated_body_locked ON articles_article;"
            "DROP FUNCTION articles_annotated_body_is_locked();",
        ),
        migrations.RunSQL(
            CONTENT_HASH_MATCHES_BODY,
            reverse_sql="ALTER TABLE articles_article DROP CONSTRAINT article_content_hash_matches_body;",
        ),
    ]
