"""Reachability checks for /healthz, each bounded in time so a dead dependency can't hang it."""

from celery import current_app
from django.db import connection


def check_database() -> str | None:
    """None when the database answers, else a short reason."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return type(error).__name__
    return None


def check_broker() -> str | None:
    """None when the Celery broker accepts a connection, else a short reason."""
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        return type(error).__name__
    return None
