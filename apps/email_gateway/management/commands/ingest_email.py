import json
import sys

from django.core.management.base import BaseCommand

from apps.email_gateway.inbound import ingest

# sysexits.h, which MTA pipes understand
EX_DATAERR, EX_NOUSER, EX_TEMPFAIL = 65, 67, 75


class Command(BaseCommand):
    help = "Read one RFC 822 message on stdin (an MTA pipe) and deliver it; prints the outcome as JSON."

    def handle(self, *args, **options):
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            self.stdout.write(json.dumps({"status": "rejected", "reason": "empty message"}))
            sys.exit(EX_DATAERR)
        try:
            outcome = ingest(raw)
        except Exception:  # ours, not the sender's: the MTA should try again later
            self.stderr.write("ingest_email failed; the MTA will retry")
            sys.exit(EX_TEMPFAIL)
        self.stdout.write(json.dumps(outcome.as_dict()))
        if outcome.unknown_recipient:
            sys.exit(EX_NOUSER)
