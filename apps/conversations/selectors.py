"""Every read of conversations that a page or task needs, shaped for its page.

List pages use keyset pagination on indexed columns, so page 1 and page 500 cost the same,
and a fixed number of queries whatever the data size.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from apps.accounts.models import SellerAccount, User
from apps.accounts.selectors import seller_accounts_for
from apps.core.pagination import KeysetPage, paginate_keyset
from apps.orders.models import OrderItem

from .exceptions import ThreadNotFound
from .models import Attachment, DeliveryState, Message, Side, Thread, ThreadStatus
from .search import matching_threads

THREADS_PER_PAGE = 25
LIST_ORDERING = ("-last_message_at", "-id")
SENT_ORDERING = ("-last_seller_message_at", "-id")
WAITING_ORDERING = ("awaiting_response_since", "id")
# Columns a list row shows; the rest of a thread (and the order's other fields) stay in the table.
LIST_COLUMNS = (
    "id",
    "public_id",
    "topic",
    "subject",
    "status",
    "started_by",
    "last_message_at",
    "last_message_side",
    "last_message_excerpt",
    "last_seller_message_at",
    "awaiting_response_since",
    "buyer_unread",
    "seller_unread",
    "buyer__first_name",
    "buyer_alias__local_part",
    "seller__name",
    "order__number",
)


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    topic: str = ""
    order: str = ""
    q: str = ""
    unread: bool = False
    date_from: date | None = None
    date_to: date | None = None

    @property
    def active(self) -> bool:
        return any((self.status, self.topic, self.order, self.q, self.unread, self.date_from, self.date_to))


def access_thread(user: User, public_id: str, *, side: str, for_update: bool = False) -> Thread:
    """The thread if `user` may see it from `side`; ThreadNotFound for missing and forbidden alike."""
    queryset = Thread.objects.select_related("seller", "buyer", "buyer_alias", "order")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    if side == Side.BUYER:
        queryset = queryset.filter(buyer=user)
    elif side == Side.SELLER:
        queryset = queryset.filter(seller__in=seller_accounts_for(user).values("pk"))
    else:
        raise ThreadNotFound
    try:
        thread = queryset.get(public_id=public_id)
    except Thread.DoesNotExist:
        raise ThreadNotFound from None
    if not _visible_to(thread, side):
        raise ThreadNotFound
    return thread


def _visible_to(thread: Thread, side: str) -> bool:
    """The side that started a thread always sees it; the other side once something was delivered."""
    return thread.started_by == side or bool(thread.last_message_side)


def _visible_to_side(side: str) -> Q:
    return Q(started_by=side) | ~Q(last_message_side="")


def seller_inbox_page(*, seller: SellerAccount, filters: InboxFilters, cursor: str | None) -> KeysetPage:
    queryset = Thread.objects.filter(seller=seller).filter(_visible_to_side(Side.SELLER))
    queryset = _apply_filters(queryset, filters, seller=seller)
    queryset = queryset.select_related("buyer", "buyer_alias", "order", "seller").only(*LIST_COLUMNS)
    # "Needs response" is a to-do list: the longest-waiting buyer (least time left) first.
    ordering = WAITING_ORDERING if filters.status == ThreadStatus.NEEDS_RESPONSE else LIST_ORDERING
    return paginate_keyset(queryset, ordering=ordering, cursor=cursor, per_page=THREADS_PER_PAGE)


def seller_sent_page(*, seller: SellerAccount, cursor: str | None) -> KeysetPage:
    queryset = (
        Thread.objects.filter(seller=seller, last_seller_message_at__isnull=False)
        .select_related("buyer", "buyer_alias", "order", "seller")
        .only(*LIST_COLUMNS)
    )
    return paginate_keyset(queryset, ordering=SENT_ORDERING, cursor=cursor, per_page=THREADS_PER_PAGE)


def buyer_threads_page(*, buyer: User, cursor: str | None) -> KeysetPage:
    queryset = (
        Thread.objects.filter(buyer=buyer)
        .filter(_visible_to_side(Side.BUYER))
        .select_related("buyer", "buyer_alias", "order", "seller")
        .only(*LIST_COLUMNS)
    )
    return paginate_keyset(queryset, ordering=LIST_ORDERING, cursor=cursor, per_page=THREADS_PER_PAGE)


def _apply_filters(queryset: QuerySet, filters: InboxFilters, *, seller: SellerAccount) -> QuerySet:
    if filters.status in ThreadStatus.values:
        queryset = queryset.filter(status=filters.status)
    if filters.topic:
        queryset = queryset.filter(topic=filters.topic)
    if filters.order:
        queryset = queryset.filter(order__number=filters.order.strip())
    if filters.unread:
        queryset = queryset.filter(seller_unread__gt=0)
    zone = timezone.get_current_timezone()
    if filters.date_from:
        queryset = queryset.filter(last_message_at__gte=datetime.combine(filters.date_from, time.min, zone))
    if filters.date_to and filters.date_to < date.max:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, zone)
        queryset = queryset.filter(last_message_at__lt=end)
    if filters.q.strip():
        queryset = matching_threads(queryset, filters.q.strip())
    return queryset


def _history(thread: Thread, side: str) -> QuerySet[Message]:
    """The history as `side` sees it: what was delivered (less what a moderator hid from the
    recipients), plus the side's own held and rejected messages."""
    delivered_to_them = Q(state=DeliveryState.DELIVERED) & (Q(hidden_at__isnull=True) | Q(side=side))
    own_undelivered = Q(side=side, state__in=[DeliveryState.HELD, DeliveryState.REJECTED])
    visible = delivered_to_them | own_undelivered
    return (
        thread.messages.filter(visible)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )


def thread_messages(*, thread: Thread, side: str) -> list[Message]:
    return list(_history(thread, side))


def messages_after(*, thread: Thread, side: str, after: str) -> list[Message]:
    """Messages newer than the one with public id `after` (the live-update poll)."""
    anchor = thread.messages.filter(public_id=after).values_list("created_at", "id").first()
    if anchor is None:
        return []
    created_at, pk = anchor
    newer = Q(created_at__gt=created_at) | Q(created_at=created_at, id__gt=pk)
    return list(_history(thread, side).filter(newer))


def order_panel_items(thread: Thread) -> list[OrderItem]:
    if thread.order_id is None:
        return []
    return list(thread.order.items.order_by("id"))


def attachment_for(*, thread: Thread, attachment_id: str, side: str) -> Attachment:
    visible = Q(message__state=DeliveryState.DELIVERED, message__hidden_at__isnull=True) | Q(
        message__side=side
    )
    try:
        return Attachment.objects.filter(visible).get(message__thread=thread, public_id=attachment_id)
    except Attachment.DoesNotExist:
        raise ThreadNotFound from None
