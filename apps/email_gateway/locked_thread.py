"""The thread an inbound email belongs to, locked in the email's transaction, with everything
posting and the alert read: seller, buyer (and whether they want alerts), order and alias.

One statement of our own instead of select_related over five relations: building that query
took the ORM five times longer than running it, a tenth of every email's time (bench/email.py).
The rows become model instances through the same public steps the ORM takes: each field's
database converters, then Model.from_db, and the relations cached on the thread.
"""

from django.db import connections, router
from django.db.transaction import TransactionManagementError

from apps.accounts.models import SellerAccount, User
from apps.aliases.models import Alias
from apps.conversations.models import Thread
from apps.orders.models import Order

# The buyer's alert settings, without importing notifications (a neighbour on the same floor).
_BUYER_ALERTS = User._meta.get_field("alert_settings")

# (model, table alias, how the row joins, the thread's field that holds it).
_PARTS = [
    (Thread, "t", "", None),
    (SellerAccount, "s", "JOIN {table} s ON s.id = t.seller_id", Thread._meta.get_field("seller")),
    (User, "b", "JOIN {table} b ON b.id = t.buyer_id", Thread._meta.get_field("buyer")),
    (_BUYER_ALERTS.related_model, "n", "LEFT JOIN {table} n ON n.user_id = b.id", None),
    (Order, "o", "LEFT JOIN {table} o ON o.id = t.order_id", Thread._meta.get_field("order")),
    (Alias, "a", "LEFT JOIN {table} a ON a.id = t.buyer_alias_id", Thread._meta.get_field("buyer_alias")),
]
# Each model's fields as columns of its table alias, for their database converters.
_COLS = [[field.get_col(alias) for field in model._meta.concrete_fields] for model, alias, _, _ in _PARTS]
_COLUMNS = ", ".join(
    f"{alias}.{field.column}" for model, alias, _, _ in _PARTS for field in model._meta.concrete_fields
)
_FROM = " ".join(
    [f"FROM {Thread._meta.db_table} t"]
    + [join.format(table=model._meta.db_table) for model, _, join, _ in _PARTS if join]
)


def thread_by_id(thread_id: int) -> Thread | None:
    return _locked("t.id = %s", [thread_id])


def latest_thread(*, buyer_id: int, seller_id: int) -> Thread | None:
    """The buyer's and seller's most recently active thread (an email to the buyer's alias)."""
    return _locked(
        "t.buyer_id = %s AND t.seller_id = %s ORDER BY t.last_message_at DESC, t.id DESC",
        [buyer_id, seller_id],
    )


def _locked(where: str, params: list) -> Thread | None:
    db = router.db_for_write(Thread)
    connection = connections[db]
    if not connection.in_atomic_block:
        raise TransactionManagementError("A thread is locked for the transaction it is read in.")
    # SQLite has no row locks: its IMMEDIATE transactions lock the whole database instead.
    features = connection.features
    lock = " FOR UPDATE OF t" if features.has_select_for_update_of else ""
    if not lock and features.has_select_for_update:
        lock = " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_COLUMNS} {_FROM} WHERE {where} LIMIT 1{lock}", params)
        row = cursor.fetchone()
    if row is None:
        return None
    loaded, start = [], 0
    for (model, _, _, _), columns in zip(_PARTS, _COLS, strict=True):
        values = row[start : start + len(columns)]
        start += len(columns)
        if values[0] is None:  # an outer join that found nothing (no order, no alias, no settings)
            loaded.append(None)
            continue
        values = [_convert(column, value, connection) for column, value in zip(columns, values, strict=True)]
        loaded.append(model.from_db(db, [column.target.attname for column in columns], values))
    thread, _, buyer, buyer_alerts, _, _ = loaded
    for (_, _, _, relation), instance in zip(_PARTS, loaded, strict=True):
        if relation is not None:
            relation.set_cached_value(thread, instance)
    _BUYER_ALERTS.set_cached_value(buyer, buyer_alerts)
    return thread


def _convert(column, value, connection):
    if value is None:
        return None
    for converter in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
        value = converter(value, column, connection)
    return value
