from django.urls import path

from . import views

app_name = "seller_inbox"

urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
]
