"""What happened in conversations, announced for the apps above (sla, moderation, notifications,
email_gateway) without conversations importing them.

Signals are sent inside the service's transaction: a subscriber that must not lose work writes
its row there and hands Celery the task with `transaction.on_commit`.
"""

from django.dispatch import Signal

# message: a delivered Message (the recipients can read it now)
message_posted = Signal()
# message: a Message held for a moderator; nobody but the sender and moderators sees it
message_held = Signal()
# message: a held Message a moderator released; it counts as posted from now on
message_released = Signal()
# author, side, seller, thread (None for a first contact), text, verdict, source: refused, not stored
message_blocked = Signal()
# thread, message (None for "No response needed"), by: the seller answered a waiting buyer
thread_answered = Signal()
