from django.db.migrations.operations import RunSQL


class RunSQLOnPostgres(RunSQL):
    """SQL only PostgreSQL understands (a GIN full-text index). Other databases skip it, and the
    index stays out of the model state so SQLite's table rebuilds never try to recreate it."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
