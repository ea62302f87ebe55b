from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk/", views.bulk, name="bulk"),
    path("items/<int:item_id>/", views.item_detail, name="item"),
    path("items/<int:item_id>/<str:action>/", views.decide, name="decide"),
    path("items/<int:item_id>/files/<str:attachment_id>/", views.attachment, name="attachment"),
    path("sellers/<uuid:public_id>/", views.seller_standing, name="seller"),
    path("threads/<str:public_id>/record/", views.dispute_record, name="record"),
    path("threads/<str:public_id>/record.json", views.dispute_record_json, name="record_json"),
]
