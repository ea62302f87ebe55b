"""What the deadline sweep found, announced for the apps above it (notifications).

Signals are sent inside the sweep's transaction, next to the DeadlineNotice row they announce:
a subscriber writes its own row there (an email in the outbox) and hands Celery the task with
`transaction.on_commit`, so a notice is never lost and never sent twice.
"""

from django.dispatch import Signal

# notice: a DeadlineNotice of kind "reminder"; the wait it belongs to ends at notice.due_at
reminder_due = Signal()
# notice: a DeadlineNotice of kind "late"; the buyer has waited past notice.due_at unanswered
deadline_missed = Signal()
