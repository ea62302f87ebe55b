"""The "Report this message" flow, shared by the buyer's and the seller's pages."""

from django.contrib import messages as flash
from django.http import Http404
from django.shortcuts import redirect, render

from apps.conversations.models import DeliveryState, Thread

from . import services
from .exceptions import ModerationError
from .forms import ReportForm


def report_view(request, *, thread: Thread, message_id: str, side: str, back_url_name: str):
    """Show the report form for a message `side` received in `thread`; file the report on POST."""
    message = (
        thread.messages.filter(public_id=message_id, state=DeliveryState.DELIVERED, hidden_at__isnull=True)
        .exclude(side=side)
        .first()
    )
    if message is None:
        raise Http404("No such message.")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_message(message=message, reporter=request.user, **form.cleaned_data)
        except ModerationError as error:
            form.add_error(None, str(error))
        else:
            flash.success(request, "Thank you. Our team will review this message.")
            return redirect(back_url_name, thread.public_id)
    return render(
        request,
        "moderation/report.html",
        {"form": form, "message": message, "thread": thread, "back_url_name": back_url_name},
    )
