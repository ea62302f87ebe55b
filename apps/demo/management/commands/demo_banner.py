from django.conf import settings
from django.core.management.base import BaseCommand

from apps.demo.catalogue import DEMO_PASSWORD
from apps.demo.seed import demo_logins


class Command(BaseCommand):
    help = "Print where the running demo is and how to log in."

    def handle(self, *args, **options):
        self.stdout.write("")
        self.stdout.write(f"  Messaging Center is starting at {settings.SITE_URL}/")
        mail = "the configured SMTP server" if settings.EMAIL_URL else settings.MAIL_DIR
        self.stdout.write(f"  Outgoing mail goes to {mail}; inbound SMTP listens on 127.0.0.1:2525")
        self.stdout.write(f"  Demo logins, password {DEMO_PASSWORD}:")
        for email, role in demo_logins():
            self.stdout.write(f"    {email:<26} {role}")
        self.stdout.write("  Ctrl-C stops everything.")
        self.stdout.write("")
