from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import MessagingStandingChange, SellerAccount, SellerMembership, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "company_name", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name", "company_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "company_name", "time_zone"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "first_name", "password1", "password2"]}),
    ]


class SellerMembershipInline(admin.TabularInline):
    model = SellerMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(SellerAccount)
class SellerAccountAdmin(admin.ModelAdmin):
    list_display = ["name", "public_id", "messaging_standing", "created_at"]
    search_fields = ["name", "public_id"]
    # Standing changes go through moderation (they need a reason and keep a history).
    readonly_fields = ["messaging_restricted_until", "messaging_suspended_at", "messaging_standing_reason"]
    inlines = [SellerMembershipInline]


@admin.register(MessagingStandingChange)
class MessagingStandingChangeAdmin(admin.ModelAdmin):
    list_display = ["seller", "from_standing", "to_standing", "until", "by", "changed_at"]
    list_filter = ["to_standing"]
    search_fields = ["seller__name", "reason"]
    readonly_fields = ["seller", "from_standing", "to_standing", "until", "reason", "by", "changed_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
