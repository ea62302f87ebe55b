"""/settings/communication/: the buyer's opt-out of unsolicited seller messages."""

from django import forms
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from apps.accounts.models import SellerAccount, SellerOptOut
from apps.accounts.services import set_seller_opt_out, set_unsolicited_opt_out
from apps.conversations.models import Thread


class CommunicationForm(forms.Form):
    unsolicited_opt_out = forms.BooleanField(
        label="Don't send me unsolicited messages from sellers",
        required=False,
        help_text="Sellers can still answer your messages, and the marketplace still passes on "
        "Important messages about product safety, recalls and critical warranty information.",
    )


@login_required
def communication(request):
    form = CommunicationForm(
        request.POST if request.method == "POST" else None,
        initial={"unsolicited_opt_out": request.user.unsolicited_opt_out},
    )
    if request.method == "POST" and form.is_valid():
        set_unsolicited_opt_out(buyer=request.user, opted_out=form.cleaned_data["unsolicited_opt_out"])
        flash.success(request, "Your communication settings are saved.")
        return redirect("buyer_inbox:communication")
    opted_out = (
        SellerOptOut.objects.filter(buyer=request.user).select_related("seller").order_by("seller__name")
    )
    sellers = SellerAccount.objects.filter(threads__buyer=request.user).distinct().order_by("name")
    return render(
        request,
        "buyer_inbox/communication.html",
        {
            "form": form,
            "opted_out": opted_out,
            "sellers": sellers,
            "opted_out_ids": {o.seller_id for o in opted_out},
        },
    )


@require_POST
@login_required
def seller_opt_out(request, seller_id):
    # Only sellers the buyer has a conversation with are listed; anything else is a 404.
    seller = get_object_or_404(
        SellerAccount,
        public_id=seller_id,
        pk__in=Thread.objects.filter(buyer=request.user).values("seller_id"),
    )
    opted_out = request.POST.get("opt_out") == "1"
    set_seller_opt_out(buyer=request.user, seller=seller, opted_out=opted_out)
    flash.success(
        request,
        f"{seller.name} {'can no longer' if opted_out else 'can again'} send you unsolicited messages.",
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("buyer_inbox:communication")  # never send people off-site from a form field
    return HttpResponseRedirect(target)
