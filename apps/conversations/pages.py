"""The page pieces the buyer's and the seller's conversation pages share: posting from a
composer, the thread page, live updates, downloads and the draft check. The floor-4 apps decide
who may see what (their access rules) and call these with the thread and the viewer's side."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render

from . import rules, selectors, services
from .exceptions import ConversationError, MessageBlocked, ThreadNotFound
from .forms import DraftCheckForm, MessageForm
from .models import Side, Thread
from .presentation import tell_sender


@dataclass
class Composed:
    form: MessageForm
    blocked: MessageBlocked | None = None
    posted: services.Posted | None = None


def compose(request, *, form: MessageForm, send: Callable[[dict], services.Posted]) -> Composed:
    """Validate the composer and send; a refusal keeps the form (and so the typed text)."""
    if request.method != "POST" or not form.is_valid():
        return Composed(form)
    try:
        posted = send(form.cleaned_data)
    except MessageBlocked as error:
        return Composed(form, blocked=error)
    except ConversationError as error:
        form.add_error(None, str(error))
        return Composed(form)
    tell_sender(request, posted)
    return Composed(form, posted=posted)


def thread_page(request, *, thread: Thread, side: str, template: str, urls: dict) -> HttpResponse:
    """The history, the order panel and the reply box; posting redirects back (POST/redirect/GET)."""
    form = MessageForm(request.POST or None, request.FILES or None, upload_refused=request.upload_refused)
    result = compose(
        request,
        form=form,
        send=lambda data: services.post_reply(
            thread=thread, author=request.user, side=side, body=data["body"], attachments=data["attachments"]
        ),
    )
    if result.posted:
        return redirect(urls["thread_url"], thread.public_id)
    services.mark_read(thread=thread, side=side)
    checks = [rules.check_reply(thread=thread, side=side)]
    if side == Side.SELLER:
        checks.insert(0, rules.check_standing(thread.seller))
    refusal = next((check.reason for check in checks if not check.allowed), "")
    context = {
        "cannot_send": refusal,
        "thread": thread,
        "history": selectors.thread_messages(thread=thread, side=side),
        "items": selectors.order_panel_items(thread),
        "form": result.form,
        "blocked": result.blocked,
        **urls,
    }
    return render(request, template, context, status=422 if request.method == "POST" else 200)


def updates(request, *, thread: Thread, side: str, urls: dict) -> HttpResponse:
    """The live-update poll: messages newer than `after`, appended to the page by htmx."""
    after = request.GET.get("after", "")
    new = selectors.messages_after(thread=thread, side=side, after=after)
    if new:
        services.mark_read(thread=thread, side=side)
    checks = [rules.check_reply(thread=thread, side=side)]
    if side == Side.SELLER:
        checks.insert(0, rules.check_standing(thread.seller))
    refusal = next((check.reason for check in checks if not check.allowed), "")
    context = {
        "cannot_send": refusal,
        "thread": thread,
        "new_messages": new,
        "after": new[-1].public_id if new else after,
        **urls,
    }
    return render(request, "conversations/includes/_updates.html", context)


def download(*, thread: Thread, attachment_id: str, side: str) -> FileResponse:
    try:
        found = selectors.attachment_for(thread=thread, attachment_id=attachment_id, side=side)
    except ThreadNotFound:
        raise Http404("No such file.") from None
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.display_name,
        content_type=found.content_type,
    )


def draft_check(request, *, side: str) -> HttpResponse:
    text = DraftCheckForm(request.POST).data.get("body", "")
    verdict = services.check_draft(text=text, side=side)
    return render(request, "conversations/includes/_policy_check.html", {"verdict": verdict, "text": text})
