"""Full-text search over message text.

On PostgreSQL every thread row carries `search_vector` (migration 0006): the words of all its
delivered, not hidden messages, kept up to date as messages are delivered (`message_words`, one
more column of the delivery's thread UPDATE) and rebuilt when a moderator hides one
(`reindex_thread`), with a GIN index for rare words. The inbox walks the seller's threads newest
first and checks one stored vector per thread, so a common word costs a few thousand cheap checks
at most and a rare one a GIN lookup. The column is not a model field, so SQLite (which has
neither the column nor tsvector) never selects it and uses LIKE.
"""

from django.db import connection
from django.db.models import BooleanField, Expression, Field, QuerySet
from django.db.models.expressions import RawSQL

from .models import DeliveryState, Message

# A thread's words from scratch: its delivered, not hidden messages (none gives an empty vector).
REBUILD_THREADS = """
UPDATE conversations_thread t SET search_vector = (
    SELECT to_tsvector('simple'::regconfig, COALESCE(string_agg(m.body, ' '), ''))
    FROM conversations_message m WHERE m.thread_id = t.id AND m.state = 'delivered' AND m.hidden_at IS NULL
) WHERE t.id = ANY(%s)
"""


class StoredVectorMatches(Expression):
    """`<threads>.search_vector @@ websearch_to_tsquery('simple', q)`, usable inside .filter()."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, query: str):
        super().__init__()
        self.query = query

    def as_sql(self, compiler, connection):
        table = compiler.quote_name(compiler.query.get_initial_alias())
        return f"{table}.search_vector @@ websearch_to_tsquery('simple'::regconfig, %s)", [self.query]


def matching_threads(threads: QuerySet, q: str) -> QuerySet:
    if connection.vendor == "postgresql":
        return threads.filter(StoredVectorMatches(q))
    matching = Message.objects.filter(
        state=DeliveryState.DELIVERED, hidden_at__isnull=True, body__icontains=q
    )
    return threads.filter(id__in=matching.values("thread_id"))


# The vector is not a model field; this stands for its column in the thread's UPDATE.
_VECTOR_COLUMN = Field()
_VECTOR_COLUMN.set_attributes_from_name("search_vector")


def message_words(message: Message) -> list[tuple]:
    """A newly delivered message's words added to its thread, as one more column of the UPDATE
    the delivery makes to the thread anyway (QuerySet._update's (field, model, value) form);
    nothing on SQLite or for a message without text."""
    if connection.vendor != "postgresql" or not message.body:
        return []
    words = RawSQL(
        "COALESCE(search_vector, ''::tsvector) || to_tsvector('simple'::regconfig, %s)",
        [message.body],
        output_field=Field(),
    )
    return [(_VECTOR_COLUMN, None, words)]


def reindex_thread(thread_id: int) -> None:
    """Rebuild a thread's words (after a message was hidden)."""
    reindex_threads([thread_id])


def reindex_threads(thread_ids: list[int]) -> None:
    """Rebuild threads' words in one statement (also for bulk-inserted demo data)."""
    if connection.vendor != "postgresql" or not thread_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(REBUILD_THREADS, [list(thread_ids)])
