import json
import sys

from django.core.management.base import BaseCommand

from apps.email_gateway.parsing import parse


class Command(BaseCommand):
    help = "Read one RFC 822 message on stdin and print what the gateway makes of it, as JSON."

    def handle(self, *args, **options):
        stream = getattr(self.stdin, "buffer", None) if hasattr(self, "stdin") else None
        raw = (stream or sys.stdin.buffer).read()
        self.stdout.write(json.dumps(parse(raw).as_dict(), ensure_ascii=False, indent=2))
