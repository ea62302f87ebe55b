"""Saved templates: placeholders filled from a real order, unknown placeholders refused."""

import string
from collections.abc import Mapping

from django.db import transaction

from apps.orders.models import Order

from .models import SavedTemplate

PLACEHOLDERS = {
    "buyer_first_name": "the buyer's first name",
    "order_number": "the order number",
    "product_title": "the first product on the order",
    "carrier": "the carrier",
    "tracking_number": "the tracking number",
    "seller_name": "your shop's name",
}

STARTERS = {
    "Shipping update": (
        "Hello {buyer_first_name},\n\nyour order {order_number} is on its way with {carrier}. "
        "The tracking number is {tracking_number}; the carrier's page updates within a day.\n\n"
        "Thank you,\n{seller_name}"
    ),
    "Answer to a product question": (
        "Hello {buyer_first_name},\n\nthanks for asking about the {product_title}. "
        "[Your answer here.]\n\nIf anything else is unclear, just reply here.\n{seller_name}"
    ),
    "Damage report: please send photos": (
        "Hello {buyer_first_name},\n\nwe're sorry the {product_title} from order {order_number} arrived "
        "damaged. Could you attach two or three photos of the item and of the box to your reply? "
        "We'll sort out a replacement or a refund as soon as we see them.\n\n{seller_name}"
    ),
    "Check-in after delivery": (
        "Hello {buyer_first_name},\n\nyour {product_title} should have arrived by now. "
        "Is everything working as expected? If you need help setting it up, reply here and we'll help.\n\n"
        "{seller_name}"
    ),
}


def unknown_placeholders(body: str) -> list[str]:
    """Placeholder names in `body` that we can't fill (a typo would otherwise reach the buyer)."""
    names = []
    try:
        parsed = list(string.Formatter().parse(body))
    except ValueError as error:
        return [f"a stray brace ({error})"]
    for _, name, format_spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            names.append(name or "{}")
        elif format_spec or conversion:
            # {order_number:>999999999} would build a gigabyte; placeholders are plain words.
            names.append(f"{name} with a format ({{{name}}} is all you need)")
    return names


def values_for(order: Order) -> Mapping[str, str]:
    first_item = order.items.order_by("id").first()
    return {
        "buyer_first_name": order.buyer.first_name,
        "order_number": order.number,
        "product_title": first_item.title if first_item else "",
        "carrier": order.carrier or "the carrier",
        "tracking_number": order.tracking_number or "(not yet assigned)",
        "seller_name": order.seller.name,
    }


def render_template(body: str, order: Order) -> str:
    return body.format_map(values_for(order))


@transaction.atomic
def ensure_starter_templates(seller) -> None:
    """Every seller starts with four templates in our own words; deleting them is fine."""
    if SavedTemplate.objects.filter(seller=seller).exists():
        return
    SavedTemplate.objects.bulk_create(
        SavedTemplate(seller=seller, name=name, body=body) for name, body in STARTERS.items()
    )
