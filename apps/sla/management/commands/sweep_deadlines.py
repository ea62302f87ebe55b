from django.core.management.base import BaseCommand

from apps.sla.services import sweep_deadlines


class Command(BaseCommand):
    help = "Mark overdue response clocks late and record reminders once (what beat runs every minute)."

    def handle(self, *args, **options):
        result = sweep_deadlines()
        self.stdout.write(
            f"Marked {result.late} late ({result.late_notices} late notices), "
            f"reminded {result.reminded} ({result.reminders} reminders)."
        )
