"""The ESP inbound webhook: Mailgun posts each email it receives for MESSAGING_DOMAIN here.

django-anymail's view checks Mailgun's signature (an HMAC of the post's timestamp and token,
keyed by MAILGUN_WEBHOOK_SIGNING_KEY) and sends anymail's `inbound` signal, which
`subscribers.deliver_esp_inbound` hands to `ingest`: the same path as the SMTP server and
the MTA pipe, so dedup, routing, the policy filter and the notices to senders behave the same.

Mailgun signs the timestamp and token only, not the email, so a signature seen once (in a log,
by a proxy) could carry another email: a token is accepted once, within REPLAY_WINDOW.
Mailgun retries anything but 200 and 406 for 8 hours: every outcome `ingest` decides
(accepted, duplicate, ignored, refused with a notice to the sender) answers 200; only our own
failures answer 500, so that Mailgun tries again later.
"""

import logging
import time

from anymail.exceptions import AnymailWebhookValidationFailure
from anymail.webhooks.mailgun import MailgunInboundWebhookView
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger(__name__)
# Longer than Mailgun's 8 hours of retries, in case a retry carries the first post's signature.
REPLAY_WINDOW = 12 * 3600


class MailgunInboundView(MailgunInboundWebhookView):
    def validate_request(self, request):
        try:
            age = time.time() - int(request.POST.get("timestamp", ""))
        except ValueError:
            raise AnymailWebhookValidationFailure("Mailgun webhook without a valid timestamp") from None
        if not -300 < age < REPLAY_WINDOW:
            raise AnymailWebhookValidationFailure("Mailgun webhook signature is too old")

    def run_validators(self, request):
        super().run_validators(request)  # anymail's signature check and the timestamp above
        # Claimed only once the signature is good; released again if delivery fails (post below).
        if not cache.add(_token_key(request), 1, timeout=REPLAY_WINDOW):
            raise AnymailWebhookValidationFailure("Mailgun webhook token was used before")

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except AnymailWebhookValidationFailure:
            raise
        except Exception:
            cache.delete(_token_key(request))  # let Mailgun's retry of this post through
            raise


def _token_key(request) -> str:
    return f"email_gateway:mailgun-token:{request.POST.get('token', '')}"


_mailgun_inbound = MailgunInboundView.as_view()


@csrf_exempt
def mailgun_inbound(request, *args, **kwargs):
    """Refuses every post while no signing key is set: an empty key would let anyone sign."""
    if not settings.ANYMAIL.get("MAILGUN_WEBHOOK_SIGNING_KEY"):
        logger.warning("inbound webhook: MAILGUN_WEBHOOK_SIGNING_KEY is not set, post refused")
        return HttpResponseForbidden("Inbound webhook not configured.\n", content_type="text/plain")
    return _mailgun_inbound(request, *args, **kwargs)
