"""Moderator pages. Anyone without the moderation permission gets 404 on every one of them."""

import json

from django.contrib import messages as flash
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from apps.accounts.models import SellerAccount
from apps.conversations.exceptions import ConversationError
from apps.conversations.models import Attachment, Thread

from . import selectors, services
from .access import moderator_required
from .exceptions import ModerationError
from .forms import BulkForm, EscalateForm, NoteForm, QueueFilterForm, RejectForm, StandingForm
from .models import ReviewItem


def _item_or_404(item_id: int) -> ReviewItem:
    try:
        return selectors.review_item(item_id)
    except ReviewItem.DoesNotExist:
        raise Http404("No such item.") from None


def _thread_or_404(public_id: str) -> Thread:
    try:
        return selectors.thread_for_staff(public_id)
    except Thread.DoesNotExist:
        raise Http404("No such conversation.") from None


@moderator_required
def queue(request):
    form = QueueFilterForm(request.GET)
    filters = form.filters()
    page = selectors.queue_page(filters=filters, cursor=request.GET.get("after"))
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "moderation/queue.html",
        {"form": form, "filters": filters, "page": page, "query": query.urlencode(), "bulk_form": BulkForm()},
    )


@require_POST
@moderator_required
def bulk(request):
    form = BulkForm(request.POST)
    if not form.is_valid():
        flash.error(request, "Choose the messages and an action; rejections need a reason.")
        return redirect("moderation:queue")
    ids, action = form.cleaned_data["items"], form.cleaned_data["action"]
    if not form.cleaned_data["confirm"]:
        items = (
            ReviewItem.objects.filter(pk__in=ids).select_related("message", "seller").order_by("created_at")
        )
        return render(
            request, "moderation/bulk_confirm.html", {"form": form, "items": items, "action": action}
        )
    outcome = services.decide_many(
        item_ids=ids,
        action=action,
        by=request.user,
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
    )
    flash.success(request, f"{outcome.done} message(s) {'released' if action == 'release' else 'rejected'}.")
    for skipped in outcome.skipped:
        flash.warning(request, f"Skipped {skipped}")
    return redirect("moderation:queue")


@moderator_required
def item_detail(request, item_id: int):
    item = _item_or_404(item_id)
    services.log_staff_read(user=request.user, thread=item.message.thread, where="moderation item")
    context = {
        "item": item,
        "message": item.message,
        "thread": item.message.thread,
        "context_messages": selectors.thread_context(item.message),
        "history": selectors.sender_history(item),
        "reject_form": RejectForm(),
        "note_form": NoteForm(),
        "escalate_form": EscalateForm(),
        "actions": item.actions.select_related("by"),
    }
    return render(request, "moderation/item_detail.html", context)


@require_POST
@moderator_required
def decide(request, item_id: int, action: str):
    item = _item_or_404(item_id)
    try:
        if action == "release":
            services.release(item=item, by=request.user, note=request.POST.get("note", ""))
        elif action == "reject":
            form = RejectForm(request.POST)
            if not form.is_valid():
                flash.error(request, "Choose a reason for the rejection.")
                return redirect("moderation:item", item.pk)
            services.reject(item=item, by=request.user, **form.cleaned_data)
        elif action == "dismiss":
            services.dismiss(item=item, by=request.user, note=request.POST.get("note", ""))
        elif action == "escalate":
            form = EscalateForm(request.POST)
            if not form.is_valid():
                flash.error(request, "Say why you escalate it.")
                return redirect("moderation:item", item.pk)
            services.escalate(item=item, by=request.user, note=form.cleaned_data["note"])
        else:
            raise Http404("No such action.")
    except (ModerationError, ConversationError) as error:
        flash.error(request, str(error))
        return redirect("moderation:item", item.pk)
    flash.success(request, f"Item #{item.pk}: {action} done.")
    return redirect("moderation:queue")


@moderator_required
def seller_standing(request, public_id: str):
    seller = get_object_or_404(SellerAccount, public_id=public_id)
    form = StandingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_standing(seller=seller, by=request.user, **form.cleaned_data)
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            flash.success(request, f"{seller.name}: messaging standing changed.")
            return redirect("moderation:seller", seller.public_id)
    return render(request, "moderation/seller.html", {**selectors.seller_health(seller=seller), "form": form})


@moderator_required
def dispute_record(request, public_id: str):
    thread = _thread_or_404(public_id)
    services.log_staff_read(user=request.user, thread=thread, where="dispute record")
    record = selectors.dispute_record(thread=thread)
    return render(
        request,
        "moderation/dispute_record.html",
        {"thread": thread, "record": record, "digest": selectors.record_digest(record)},
    )


@moderator_required
def dispute_record_json(request, public_id: str):
    thread = _thread_or_404(public_id)
    services.log_staff_read(user=request.user, thread=thread, where="dispute export")
    record = selectors.dispute_record(thread=thread)
    response = HttpResponse(json.dumps(record, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="thread-{thread.public_id}.json"'
    return response


@moderator_required
def attachment(request, item_id: int, attachment_id: str):
    item = _item_or_404(item_id)
    found = Attachment.objects.filter(message__thread=item.message.thread, public_id=attachment_id).first()
    if found is None:
        raise Http404("No such file.")
    services.log_staff_read(user=request.user, thread=item.message.thread, where="moderation attachment")
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.display_name,
        content_type=found.content_type,
    )
