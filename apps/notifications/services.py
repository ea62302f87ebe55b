"""Who gets which alert at which address, and the alert emails themselves."""

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse

from apps.conversations.models import Message, Side, Thread, Topic
from apps.email_gateway.addresses import reply_address
from apps.email_gateway.outbox import enqueue
from apps.email_gateway.parsing import REPLY_MARKER

from .models import BuyerAlertSettings, SellerAlertSettings

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def seller_settings(seller) -> SellerAlertSettings:
    found, _ = SellerAlertSettings.objects.get_or_create(seller=seller)
    found.seller = seller  # already loaded: the alert address needs no second fetch
    return found


def seller_alert_address(alert: SellerAlertSettings) -> str | None:
    """The chosen notification email, else the account owner's login email."""
    return alert.email or (
        alert.seller.members.order_by("seller_memberships__created_at")
        .values_list("email", flat=True)
        .first()
    )


def buyer_wants_alerts(user) -> bool:
    if _BUYER_SETTINGS.is_cached(user):  # read with the user: select_related("buyer__alert_settings")
        found = _BUYER_SETTINGS.get_cached_value(user)
        return True if found is None else found.message_alerts
    found = BuyerAlertSettings.objects.filter(user=user).values_list("message_alerts", flat=True).first()
    return True if found is None else found


_BUYER_SETTINGS = BuyerAlertSettings._meta.get_field("user").remote_field


def unsubscribe_token(*, kind: str, target_id: int, category: str) -> str:
    return signing.dumps({"k": kind, "t": target_id, "c": category}, salt=UNSUBSCRIBE_SALT)


def unsubscribe(token: str) -> str:
    """Turn one alert category off; returns a description of what was turned off."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if data["k"] == "seller":
        alert = SellerAlertSettings.objects.get(seller_id=data["t"])
        setattr(alert, data["c"], False)
        alert.save(update_fields=[data["c"]])
        return SellerAlertSettings._meta.get_field(data["c"]).verbose_name
    BuyerAlertSettings.objects.update_or_create(user_id=data["t"], defaults={"message_alerts": False})
    return "Emails when a seller writes"


def alert_for(message: Message) -> None:
    """Queue the email alerts for a delivered message (inside the posting transaction)."""
    thread = message.thread
    if message.side == Side.BUYER:
        _alert_seller(message, thread)
    elif buyer_wants_alerts(thread.buyer):
        _alert_buyer(message, thread)


def _alert_seller(message: Message, thread: Thread) -> None:
    alert = seller_settings(thread.seller)
    category = "returns" if thread.topic == Topic.RETURN and alert.returns else "buyer_messages"
    if not getattr(alert, category):
        return
    to = seller_alert_address(alert)
    if not to:
        return
    alias = thread.buyer_alias
    sender_name = thread.buyer.first_name.replace('"', "")
    from_email = f'"{sender_name}" <{alias.address}>' if alias else settings.DEFAULT_FROM_EMAIL
    _queue(
        message,
        thread,
        to=to,
        from_email=from_email,
        recipient_id=thread.seller_id,
        url=reverse("seller_inbox:thread", args=[thread.public_id]),
        side=Side.SELLER,
        unsubscribe=unsubscribe_token(kind="seller", target_id=thread.seller_id, category=category),
        greeting_name=thread.seller.name,
        sender_label=thread.buyer.first_name,
    )


def _alert_buyer(message: Message, thread: Thread) -> None:
    _queue(
        message,
        thread,
        to=thread.buyer.email,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_id=thread.buyer_id,
        url=reverse("buyer_inbox:thread", args=[thread.public_id]),
        side=Side.BUYER,
        unsubscribe=unsubscribe_token(kind="buyer", target_id=thread.buyer_id, category="message_alerts"),
        greeting_name=thread.buyer.first_name,
        sender_label=thread.seller.name if message.side == Side.SELLER else "The marketplace",
    )


def _queue(
    message, thread, *, to, from_email, recipient_id, side, url, unsubscribe, greeting_name, sender_label
):
    domain = settings.MESSAGING_DOMAIN
    unsubscribe_url = settings.SITE_URL + reverse("notifications:unsubscribe", args=[unsubscribe])
    context = {
        "message": message,
        "thread": thread,
        "url": settings.SITE_URL + url,
        "unsubscribe_url": unsubscribe_url,
        "greeting_name": greeting_name,
        "sender_label": sender_label,
        "reply_marker": REPLY_MARKER,
    }
    root = f"<{thread.public_id}@{domain}>"
    enqueue(
        key=f"alert:{message.public_id}:{to}",
        to=to,
        from_email=from_email,
        subject=f"{'[Important] ' if message.kind == 'important' else ''}{thread.subject}",
        text=render_to_string("emails/alert.txt", context),
        html=render_to_string("emails/alert.html", context),
        headers={
            "Message-ID": f"<{message.public_id}.{recipient_id}@{domain}>",
            "In-Reply-To": root,
            "References": root,
            "Reply-To": reply_address(thread_id=thread.pk, recipient_id=recipient_id, side=side),
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def deadline_alert(notice) -> None:
    """A reminder before the 24-hour deadline, or a late notice, to sellers who chose them."""
    thread = notice.thread
    alert = seller_settings(thread.seller)
    if not alert.reminders:
        return
    to = seller_alert_address(alert)
    if not to:
        return
    late = notice.kind == "late"
    context = {
        "thread": thread,
        "late": late,
        "due_at": notice.due_at,
        "url": settings.SITE_URL + reverse("seller_inbox:thread", args=[thread.public_id]),
        "unsubscribe_url": settings.SITE_URL
        + reverse(
            "notifications:unsubscribe",
            args=[unsubscribe_token(kind="seller", target_id=thread.seller_id, category="reminders")],
        ),
    }
    enqueue(
        key=f"deadline:{notice.pk}",
        to=to,
        subject=f"{'Late' if late else 'Answer soon'}: {thread.buyer.first_name}, {thread.subject}",
        text=render_to_string("emails/deadline.txt", context),
        headers={
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
