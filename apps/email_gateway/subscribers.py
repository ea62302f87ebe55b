"""Email that an ESP received for us (anymail's `inbound` signal) takes the path of all inbound mail."""

import logging

from anymail.signals import inbound
from django.dispatch import receiver
from django.http import HttpRequest

from .inbound import ingest

logger = logging.getLogger(__name__)


@receiver(inbound, dispatch_uid="email_gateway.deliver_esp_inbound")
def deliver_esp_inbound(sender, *, event, esp_name, **kwargs):
    # Exceptions propagate: the webhook answers 500 and the ESP posts the email again later.
    recipient = event.message.envelope_recipient if event.message else None
    outcome = ingest(raw_email(event), [recipient] if recipient else ())
    logger.info("inbound webhook (%s) %s: %s", esp_name, event.event_id, outcome.status)


def raw_email(event) -> bytes:
    """The email as received when the ESP posted it whole (Mailgun's raw MIME), else rebuilt."""
    request = event.esp_event
    if isinstance(request, HttpRequest) and request.POST.get("body-mime"):
        return request.POST["body-mime"].encode("utf-8")
    return event.message.as_bytes()
