from django.contrib import admin

from .models import DeadlineNotice, ResponseClock


class ReadOnlyAdmin(admin.ModelAdmin):
    """Clocks and notices are a record of what happened: only the services write them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResponseClock)
class ResponseClockAdmin(ReadOnlyAdmin):
    list_display = ["id", "thread", "received_at", "due_at", "answered_at", "resolution", "late_at"]
    list_filter = ["resolution", "answered_in_time"]
    list_select_related = ["thread"]
    raw_id_fields = ["message", "thread", "seller", "answered_by"]
    date_hierarchy = "due_at"
    show_full_result_count = False  # a million rows: no COUNT(*) on every page


@admin.register(DeadlineNotice)
class DeadlineNoticeAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "thread", "due_at", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["thread"]
    raw_id_fields = ["clock", "thread"]
    show_full_result_count = False
