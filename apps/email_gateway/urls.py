from django.urls import re_path

from . import views

app_name = "email_gateway"

urlpatterns = [
    # Mailgun posts the raw email when the route's URL ends in "mime" (recommended), else its
    # parsed fields; both reach the same view.
    re_path(r"^mailgun(?:_mime)?/$", views.mailgun_inbound, name="mailgun_inbound"),
]
