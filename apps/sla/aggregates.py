"""A median the database computes: PostgreSQL's percentile_cont, or a small aggregate
registered on each SQLite connection (the embedded default has no median of its own)."""

import statistics

from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import Aggregate, FloatField

SQLITE_MEDIAN = "sla_median"


class Median(Aggregate):
    name = "Median"
    function = SQLITE_MEDIAN
    output_field = FloatField()
    arity = 1

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s",
            **extra_context,
        )


class _SqliteMedian:
    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value) -> None:
        if value is not None:
            self.values.append(value)

    def finalize(self) -> float | None:
        return statistics.median(self.values) if self.values else None


def _register(connection) -> None:
    if connection.vendor == "sqlite" and connection.connection is not None:
        connection.connection.create_aggregate(SQLITE_MEDIAN, 1, _SqliteMedian)


def _on_connection_created(sender, connection, **kwargs) -> None:
    _register(connection)


def register_sqlite_functions() -> None:
    connection_created.connect(_on_connection_created, dispatch_uid="apps.sla.sqlite_median")
    for connection in connections.all(initialized_only=True):
        _register(connection)
