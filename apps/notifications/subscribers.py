from django.dispatch import receiver

from apps.conversations import events
from apps.sla import events as sla_events

from .services import alert_for, deadline_alert


@receiver(events.message_posted, dispatch_uid="notifications.alert_for_message")
def on_message_posted(sender, *, message, **kwargs):
    alert_for(message)


@receiver(sla_events.reminder_due, dispatch_uid="notifications.deadline_reminder")
@receiver(sla_events.deadline_missed, dispatch_uid="notifications.deadline_missed")
def on_deadline_notice(sender, *, notice, **kwargs):
    deadline_alert(notice)
