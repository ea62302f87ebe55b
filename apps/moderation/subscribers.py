"""What moderation does when conversations announce something (connected in ModerationConfig.ready)."""

from django.dispatch import receiver

from apps.conversations import events

from . import services


@receiver(events.message_held, dispatch_uid="moderation.queue_held_message")
def on_message_held(sender, *, message, **kwargs):
    services.queue_held_message(message=message)


@receiver(events.message_blocked, dispatch_uid="moderation.record_blocked_message")
def on_message_blocked(sender, *, author, side, seller, thread, text, verdict, source, **kwargs):
    services.record_blocked_message(
        author=author, side=side, seller=seller, thread=thread, text=text, verdict=verdict, source=source
    )
