from django.urls import path

from . import notification_settings, orders, performance, views

app_name = "seller_inbox"

urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/sent/", views.sent, name="sent"),
    path("performance/", performance.performance, name="performance"),
    path("messages/check/", views.check_draft, name="check_draft"),
    path("messages/<str:public_id>/", views.thread_detail, name="thread"),
    path("messages/<str:public_id>/updates/", views.thread_updates, name="thread_updates"),
    path("messages/<str:public_id>/no-response-needed/", views.no_response_needed, name="no_response_needed"),
    path("messages/<str:public_id>/files/<str:attachment_id>/", views.attachment, name="attachment"),
    path("messages/<str:public_id>/report/<str:message_id>/", views.report_message, name="report"),
    path("messaging-health/", views.messaging_health, name="messaging_health"),
    path("orders/<str:number>/message/", orders.order_message, name="order_message"),
    path("orders/<str:number>/request-review/", orders.request_review, name="request_review"),
    path("templates/", orders.template_list, name="templates"),
    path(
        "settings/notifications/",
        notification_settings.notification_settings,
        name="notification_settings",
    ),
    path("templates/<int:template_id>/", orders.template_detail, name="template"),
]
