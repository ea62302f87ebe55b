"""How sla learns what happened in conversations: it subscribes to `conversations.events`.

The signals are sent inside the posting service's transaction, so a clock is written (or
stopped) atomically with the message that caused it.
"""

from apps.conversations import events as conversation_events

from . import services


def on_message_posted(sender, *, message, **kwargs) -> None:
    services.start_clock(message=message)


def on_thread_answered(sender, *, thread, message, by, **kwargs) -> None:
    services.stop_clocks(thread=thread, message=message, by=by)


def connect() -> None:
    conversation_events.message_posted.connect(
        on_message_posted, weak=False, dispatch_uid="apps.sla.start_clock"
    )
    conversation_events.thread_answered.connect(
        on_thread_answered, weak=False, dispatch_uid="apps.sla.stop_clocks"
    )
