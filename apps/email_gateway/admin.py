from django.contrib import admin

from .models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    """Failures are visible to staff here: filter by state, read the last error."""

    list_display = ["created_at", "to", "subject", "state", "attempts", "last_error"]
    list_filter = ["state"]
    search_fields = ["idempotency_key", "to", "subject"]
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
