"""The seller's order view: message the buyer about the order, request a review, use templates."""

from django.contrib import messages as flash
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from apps.conversations import outreach, pages, rules
from apps.conversations.exceptions import SendingNotAllowed
from apps.conversations.forms import ProactiveMessageForm, SavedTemplateForm
from apps.conversations.models import ImportantReason, ProactiveReason, SavedTemplate, Thread
from apps.conversations.templates_rendering import PLACEHOLDERS, ensure_starter_templates, render_template
from apps.conversations.uploads import limit_message_uploads
from apps.orders import selectors as order_selectors
from apps.orders.models import Order

from .access import seller_staff_required
from .views import PAGE_URLS


def _order_or_404(request, number: str) -> Order:
    try:
        return order_selectors.seller_order(seller=request.seller, number=number)
    except Order.DoesNotExist:
        raise Http404("No such order.") from None


@limit_message_uploads
@seller_staff_required
def order_message(request, number: str):
    order = _order_or_404(request, number)
    ensure_starter_templates(request.seller)
    templates = list(SavedTemplate.objects.filter(seller=request.seller))
    chosen = next((t for t in templates if str(t.pk) == request.GET.get("template")), None)
    initial = {"body": render_template(chosen.body, order)} if chosen else {}
    form = ProactiveMessageForm(
        request.POST or None, request.FILES or None, upload_refused=request.upload_refused, initial=initial
    )
    result = pages.compose(
        request,
        form=form,
        send=lambda data: outreach.send_proactive(
            author=request.user,
            order=order,
            reason=data["reason"],
            important=data["important"],
            body=data["body"],
            attachments=data["attachments"],
        ),
    )
    if result.posted:
        return redirect("seller_inbox:thread", result.posted.message.thread.public_id)
    context = {
        "order": order,
        "form": result.form,
        "blocked": result.blocked,
        "templates": templates,
        "thread": Thread.objects.filter(seller=request.seller, order=order).only("public_id").first(),
        # What the composer would say for an ordinary message, and for an Important one.
        "ordinary": rules.check_proactive(
            seller=request.seller, order=order, reason=ProactiveReason.SHIPPING
        ),
        "important": rules.check_proactive(
            seller=request.seller, order=order, reason="", important=ImportantReason.SAFETY
        ),
        "standing": rules.check_standing(request.seller),
        "review": rules.check_review_request(seller=request.seller, order=order),
        **PAGE_URLS,
    }
    return render(
        request, "seller_inbox/order_message.html", context, status=422 if request.method == "POST" else 200
    )


@require_POST
@seller_staff_required
def request_review(request, number: str):
    order = _order_or_404(request, number)
    try:
        outreach.request_review(requested_by=request.user, order=order)
    except SendingNotAllowed as error:
        flash.error(request, str(error))
    else:
        flash.success(request, "The marketplace sent the buyer its review request.")
    return redirect("seller_inbox:order_message", order.number)


@seller_staff_required
def template_list(request):
    ensure_starter_templates(request.seller)
    form = SavedTemplateForm(request.POST or None, instance=SavedTemplate(seller=request.seller))
    if request.method == "POST" and form.is_valid():
        form.save()
        flash.success(request, "Template saved.")
        return redirect("seller_inbox:templates")
    templates = SavedTemplate.objects.filter(seller=request.seller)
    return render(
        request,
        "seller_inbox/templates.html",
        {"templates": templates, "form": form, "placeholders": PLACEHOLDERS},
    )


@seller_staff_required
def template_detail(request, template_id: int):
    template = get_object_or_404(SavedTemplate, pk=template_id, seller=request.seller)
    if request.method == "POST" and "delete" in request.POST:
        template.delete()
        flash.success(request, "Template deleted.")
        return redirect("seller_inbox:templates")
    form = SavedTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        form.save()
        flash.success(request, "Template saved.")
        return redirect("seller_inbox:template", template.pk)
    preview, preview_order = None, None
    number = request.GET.get("order", "").strip()
    if number:
        try:
            preview_order = order_selectors.seller_order(seller=request.seller, number=number)
            preview = render_template(template.body, preview_order)
        except Order.DoesNotExist:
            flash.error(request, f"You have no order {number}.")
    recent_orders = (
        Order.objects.filter(seller=request.seller)
        .order_by("-placed_at")
        .values_list("number", flat=True)[:10]
    )
    return render(
        request,
        "seller_inbox/template_detail.html",
        {
            "template": template,
            "form": form,
            "preview": preview,
            "preview_order": preview_order,
            "recent_orders": recent_orders,
            "placeholders": PLACEHOLDERS,
        },
    )
