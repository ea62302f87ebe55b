from django.db.migrations.operations import AddIndex


class AddIndexOnPostgres(AddIndex):
    """An index that only PostgreSQL can build (GIN full-text); other databases keep the model
    state but skip the index, and search falls back to a plain scan there."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
