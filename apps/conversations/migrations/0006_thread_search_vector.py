from django.db import migrations

import apps.core.migration_operations

# Every delivered, not hidden message's words, per thread (see conversations/search.py).
REBUILD_ALL = """
UPDATE conversations_thread t SET search_vector = sub.document
FROM (
    SELECT thread_id, to_tsvector('simple'::regconfig, string_agg(body, ' ')) AS document
    FROM conversations_message WHERE state = 'delivered' AND hidden_at IS NULL GROUP BY thread_id
) sub
WHERE sub.thread_id = t.id
"""


class Migration(migrations.Migration):
    """Search one stored vector per thread: the inbox walks the seller's threads newest first and
    checks one row each, instead of every message of every thread."""

    dependencies = [("conversations", "0005_sending_rules")]

    operations = [
        apps.core.migration_operations.RunSQLOnPostgres(
            sql=[
                "ALTER TABLE conversations_thread ADD COLUMN search_vector tsvector",
                REBUILD_ALL,
                "CREATE INDEX thread_search_vector ON conversations_thread USING gin (search_vector)",
                "DROP INDEX IF EXISTS message_search_vector",
                "ALTER TABLE conversations_message DROP COLUMN IF EXISTS search_vector",
            ],
            reverse_sql=[
                "ALTER TABLE conversations_message ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
                "(to_tsvector('simple'::regconfig, COALESCE(body, ''::text))) STORED",
                "CREATE INDEX message_search_vector ON conversations_message USING gin (search_vector)",
                "DROP INDEX IF EXISTS thread_search_vector",
                "ALTER TABLE conversations_thread DROP COLUMN search_vector",
            ],
        ),
    ]
