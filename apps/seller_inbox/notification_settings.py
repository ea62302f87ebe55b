from django import forms
from django.contrib import messages as flash
from django.shortcuts import redirect, render

from apps.notifications.models import SellerAlertSettings
from apps.notifications.services import seller_settings

from .access import seller_staff_required


class SellerAlertForm(forms.ModelForm):
    class Meta:
        model = SellerAlertSettings
        fields = ["buyer_messages", "returns", "reminders", "email"]
        help_texts = {"email": "Leave empty to use the account owner's login email."}


@seller_staff_required
def notification_settings(request):
    form = SellerAlertForm(
        request.POST if request.method == "POST" else None, instance=seller_settings(request.seller)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        flash.success(request, "Notification settings saved.")
        return redirect("seller_inbox:notification_settings")
    return render(
        request, "seller_inbox/notification_settings.html", {"form": form, "seller": request.seller}
    )
