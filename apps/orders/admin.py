from django.contrib import admin

from .models import Order, OrderItem, OrderStatusChange, Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["title", "sku", "seller", "price"]
    list_filter = ["seller"]
    search_fields = ["title", "sku"]
    autocomplete_fields = ["seller"]


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    raw_id_fields = ["product"]


class OrderStatusChangeInline(admin.TabularInline):
    model = OrderStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "changed_at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "seller", "buyer", "status", "placed_at", "carrier", "tracking_number"]
    list_filter = ["status", "seller"]
    search_fields = ["number", "tracking_number", "buyer__email"]
    date_hierarchy = "placed_at"
    raw_id_fields = ["buyer"]
    autocomplete_fields = ["seller"]
    # Status moves only through orders.services.advance_order, which keeps the history.
    readonly_fields = [
        "status",
        "placed_at",
        "shipped_at",
        "delivered_at",
        "completed_at",
        "returned_at",
        "refunded_at",
        "cancelled_at",
    ]
    inlines = [OrderItemInline, OrderStatusChangeInline]


def _advance_action(to_status: str, label: str):
    from django.contrib import messages

    from .exceptions import InvalidTransition
    from .services import advance_order

    @admin.action(description=label)
    def action(modeladmin, request, queryset):
        moved = 0
        for order in queryset:
            try:
                advance_order(order=order, to_status=to_status, note=f"by {request.user} in admin")
                moved += 1
            except InvalidTransition as error:
                modeladmin.message_user(request, str(error), level=messages.WARNING)
        modeladmin.message_user(request, f"{moved} order(s) marked {to_status}.")

    action.__name__ = f"mark_{to_status}"
    return action


OrderAdmin.actions = [
    _advance_action("delivered", "Mark selected orders delivered"),
    _advance_action("completed", "Mark selected orders completed"),
    _advance_action("returned", "Mark selected orders returned"),
    _advance_action("refunded", "Mark selected orders refunded"),
    _advance_action("cancelled", "Cancel selected orders"),
]
