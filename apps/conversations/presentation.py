"""How the outcome of posting is told to the sender; shared by the buyer's and seller's pages."""

from django.contrib import messages as flash

from .services import Posted


def tell_sender(request, posted: Posted) -> None:
    if posted.held:
        flash.warning(
            request,
            "Your message is being reviewed by our team before it is delivered. "
            "You'll see it marked “Under review” until then.",
        )
    elif posted.redacted:
        reasons = "; ".join(posted.verdict.reasons())
        flash.info(request, f"Sent. We removed contact details the marketplace doesn't allow: {reasons}.")
    else:
        flash.success(request, "Message sent.")
