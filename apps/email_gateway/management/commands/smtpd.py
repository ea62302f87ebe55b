import time

from aiosmtpd.controller import Controller
from django.core.management.base import BaseCommand

from apps.email_gateway.smtp import MAX_MESSAGE_BYTES, GatewayHandler


class Command(BaseCommand):
    help = "Run the inbound SMTP server (replies to alerts, mail to buyers' aliases)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2525)

    def handle(self, *args, host, port, **options):
        controller = Controller(GatewayHandler(), hostname=host, port=port, data_size_limit=MAX_MESSAGE_BYTES)
        controller.start()
        self.stdout.write(f"SMTP server listening on {host}:{port}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
