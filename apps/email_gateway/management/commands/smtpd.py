import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

from aiosmtpd.controller import Controller
from django.core.management.base import BaseCommand
from django.db import connection

from apps.email_gateway.smtp import MAX_MESSAGE_BYTES, SENDER_LIMIT_PER_MINUTE, GatewayHandler
from apps.policy.scan import warm_up


class Command(BaseCommand):
    help = "Run the inbound SMTP server (replies to alerts, mail to buyers' aliases)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2525)
        parser.add_argument(
            "--sender-limit",
            type=int,
            default=SENDER_LIMIT_PER_MINUTE,
            help="mails a minute from one sender address before 451 (try later)",
        )

    def handle(self, *args, host, port, sender_limit, **options):
        # The policy filter compiles its patterns on first use (about a second): before the first
        # mail, not while a sender waits for its answer.
        warm_up()
        handler = GatewayHandler(per_minute=sender_limit)
        loop = asyncio.new_event_loop()
        if connection.vendor == "sqlite":
            # One writer at a time: more threads would only wait, and back off, on SQLite's lock.
            loop.set_default_executor(ThreadPoolExecutor(max_workers=1))
        controller = Controller(
            handler, loop=loop, hostname=host, port=port, data_size_limit=MAX_MESSAGE_BYTES
        )
        controller.start()
        self.stdout.write(f"SMTP server listening on {host}:{port}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
