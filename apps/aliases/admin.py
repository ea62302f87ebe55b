from django.contrib import admin

from .models import Alias


@admin.register(Alias)
class AliasAdmin(admin.ModelAdmin):
    list_display = ["local_part", "seller", "created_at"]
    search_fields = ["local_part", "seller__name"]
    list_filter = ["seller"]
    readonly_fields = ["buyer", "seller", "local_part", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
