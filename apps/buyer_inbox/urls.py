from django.urls import path

from . import settings_views, views

app_name = "buyer_inbox"

urlpatterns = [
    path("settings/communication/", settings_views.communication, name="communication"),
    path(
        "settings/communication/sellers/<uuid:seller_id>/",
        settings_views.seller_opt_out,
        name="seller_opt_out",
    ),
    path("orders/", views.order_list, name="orders"),
    path("orders/<str:number>/", views.order_detail, name="order"),
    path("orders/<str:number>/contact/", views.contact_seller, name="contact_seller"),
    path("messages/", views.thread_list, name="threads"),
    path("messages/check/", views.check_draft, name="check_draft"),
    path("messages/<str:public_id>/", views.thread_detail, name="thread"),
    path("messages/<str:public_id>/updates/", views.thread_updates, name="thread_updates"),
    path("messages/<str:public_id>/files/<str:attachment_id>/", views.attachment, name="attachment"),
    path("messages/<str:public_id>/report/<str:message_id>/", views.report_message, name="report"),
]
