"""The Django admin for conversations and moderation. Message content is read-only for everyone,
nothing can be deleted, and every staff read of a thread is logged."""

from django.contrib import admin

from apps.conversations.models import Attachment, Message, Thread, ThreadStatusChange

from .models import ModerationAction, ReviewItem, StaffRead, Violation
from .services import log_staff_read


class ReadOnlyAdmin(admin.ModelAdmin):
    """The record is never edited or deleted from the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ["created_at", "side", "author", "kind", "source", "state", "body", "hidden_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "seller", "buyer_first_name", "order", "topic", "status", "last_message_at"]
    list_filter = ["status", "topic", "seller"]
    search_fields = ["public_id", "order__number", "seller__name", "buyer__email"]
    list_select_related = ["seller", "buyer", "order"]
    readonly_fields = [f.name for f in Thread._meta.fields]
    inlines = [MessageInline]
    show_full_result_count = False

    @admin.display(description="Buyer")
    def buyer_first_name(self, thread):
        return thread.buyer.first_name

    def change_view(self, request, object_id, form_url="", extra_context=None):
        thread = self.get_object(request, object_id)
        if thread is not None:
            log_staff_read(user=request.user, thread=thread, where="admin")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "thread", "side", "kind", "source", "state", "created_at"]
    list_filter = ["state", "side", "source", "kind"]
    search_fields = ["public_id", "thread__public_id", "thread__order__number"]
    readonly_fields = [f.name for f in Message._meta.fields]
    list_select_related = ["thread"]
    show_full_result_count = False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        message = self.get_object(request, object_id)
        if message is not None:
            log_staff_read(user=request.user, thread=message.thread, where="admin")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["display_name", "content_type", "size", "message", "created_at"]
    search_fields = ["display_name", "sha256", "message__thread__public_id"]
    readonly_fields = [f.name for f in Attachment._meta.fields]


@admin.register(ThreadStatusChange)
class ThreadStatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["thread", "from_status", "to_status", "by", "changed_at"]
    readonly_fields = [f.name for f in ThreadStatusChange._meta.fields]


@admin.register(ReviewItem)
class ReviewItemAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "kind",
        "status",
        "seller",
        "sender_side",
        "source",
        "categories",
        "created_at",
        "decision",
    ]
    list_filter = ["status", "kind", "source", "decision", "seller"]
    search_fields = ["message__public_id", "message__thread__public_id", "message__thread__order__number"]
    readonly_fields = [f.name for f in ReviewItem._meta.fields]


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = ["item", "action", "reason", "by", "at"]
    list_filter = ["action"]
    readonly_fields = [f.name for f in ModerationAction._meta.fields]


@admin.register(Violation)
class ViolationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "seller", "side", "kind", "categories", "is_strike"]
    list_filter = ["kind", "side", "is_strike", "seller"]
    search_fields = ["seller__name", "thread__public_id", "categories"]
    readonly_fields = [f.name for f in Violation._meta.fields]


@admin.register(StaffRead)
class StaffReadAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "thread", "where"]
    list_filter = ["where"]
    search_fields = ["user__email", "thread__public_id"]
    readonly_fields = [f.name for f in StaffRead._meta.fields]
