from django.db import migrations

import apps.core.migration_operations


class Migration(migrations.Migration):
    """Search reads a stored tsvector instead of computing one per row (see conversations/search.py)."""

    dependencies = [
        ("conversations", "0003_moderation_fields"),
    ]

    operations = [
        apps.core.migration_operations.RunSQLOnPostgres(
            sql=[
                "DROP INDEX IF EXISTS message_body_search",
                "ALTER TABLE conversations_message ADD COLUMN search_vector tsvector "
                "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(body, ''::text))) STORED",
                "CREATE INDEX message_search_vector ON conversations_message USING gin (search_vector)",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS message_search_vector",
                "ALTER TABLE conversations_message DROP COLUMN search_vector",
                "CREATE INDEX message_body_search ON conversations_message "
                "USING gin (to_tsvector('simple'::regconfig, COALESCE(body, ''::text)))",
            ],
        ),
    ]
