import json
import sys

from django.core.management.base import BaseCommand

from apps.email_gateway.inbound import ingest

# sysexits.h, which MTA pipes understand
EX_DATAERR, EX_NOUSER, EX_TEMPFAIL = 65, 67, 75


class Command(BaseCommand):
    help = "Read one RFC 822 message on stdin (an MTA pipe) and deliver it; prints the outcome as JSON."

    def add_arguments(self, parser):
        parser.add_argument(
            "--recipient",
            action="append",
            default=[],
            help="the envelope recipient (Postfix: ${recipient}); repeat for several. A Bcc to an "
            "alias is in no header, so without this only To, Cc and Delivered-To are read",
        )

    def handle(self, *args, recipient, **options):
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            self.stdout.write(json.dumps({"status": "rejected", "reason": "empty message"}))
            sys.exit(EX_DATAERR)
        try:
            outcome = ingest(raw, recipient)
        except Exception:  # ours, not the sender's: the MTA should try again later
            self.stderr.write("ingest_email failed; the MTA will retry")
            sys.exit(EX_TEMPFAIL)
        self.stdout.write(json.dumps(outcome.as_dict()))
        if outcome.unknown_recipient:
            sys.exit(EX_NOUSER)
