"""Full-text search over message text.

On PostgreSQL every message row carries `search_vector`, a stored generated column
(to_tsvector('simple', body), migration 0004) with a GIN index: matching reads the stored
vector instead of re-parsing every body. The column is not a model field, so SQLite (which has
neither the column nor tsvector) never selects it and searches with LIKE instead.
"""

from django.db import connection
from django.db.models import BooleanField, Expression, QuerySet


class StoredVectorMatches(Expression):
    """`<messages>.search_vector @@ websearch_to_tsquery('simple', q)`, usable inside .filter()."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, query: str):
        super().__init__()
        self.query = query

    def as_sql(self, compiler, connection):
        table = compiler.quote_name(compiler.query.get_initial_alias())
        return f"{table}.search_vector @@ websearch_to_tsquery('simple'::regconfig, %s)", [self.query]


def matching_messages(messages: QuerySet, q: str) -> QuerySet:
    if connection.vendor == "postgresql":
        return messages.filter(StoredVectorMatches(q))
    return messages.filter(body__icontains=q)
