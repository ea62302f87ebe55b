from django.contrib import admin
from django.urls import include, path

from apps.accounts import views as account_views
from apps.core import views as core_views

admin.site.site_header = "Messaging Center administration"
admin.site.site_title = "Messaging Center"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("apps.accounts.urls")),
    path("", include("apps.buyer_inbox.urls")),
    path("seller/", include("apps.seller_inbox.urls")),
    path("moderation/", include("apps.moderation.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("email/inbound/", include("apps.email_gateway.urls")),
    path("admin/", admin.site.urls),
]
