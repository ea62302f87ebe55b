"""Scan messages from stdin with the policy filter and print verdicts as JSON.

echo "call me at 555 123 4567" | python manage.py scan_message --role buyer
python manage.py scan_message --jsonl < messages.jsonl   # {"id", "text", "role"?} per line
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.policy.conf import context_for
from apps.policy.context import ROLES
from apps.policy.scan import scan


class Command(BaseCommand):
    help = "Scan message text from stdin (one message, or one JSON object per line with --jsonl)."
    # call_command(..., stdin=StringIO(...)) in tests and scripts.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--jsonl", action="store_true", help='one {"id", "text", "role"?} object per line'
        )
        parser.add_argument("--role", choices=ROLES, default="seller", help="sender role (default: seller)")
        parser.add_argument("--language", default=None, help="optional language hint (en, es, de, fr)")

    def handle(self, *args: Any, **options: Any) -> None:
        stdin = options.get("stdin") or sys.stdin
        try:
            if options["jsonl"]:
                self._scan_lines(stdin, options["role"], options["language"])
            else:
                text = stdin.read()
                self._emit(self._verdict(None, text, options["role"], options["language"]))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read stdin: {exc}") from exc

    def _scan_lines(self, stdin: Any, default_role: str, language: str | None) -> None:
        for number, line in enumerate(stdin, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                    raise ValueError('expected an object with a string "text"')
                role = item.get("role") or default_role
                if role not in ROLES:
                    raise ValueError(f"role must be one of {', '.join(ROLES)}")
            except ValueError as exc:  # json.JSONDecodeError is a ValueError
                # One bad line must not stop a batch: report it and go on.
                self._emit({"line": number, "error": str(exc)})
                continue
            self._emit(self._verdict(item.get("id"), item["text"], role, item.get("language") or language))

    def _verdict(self, id_: Any, text: str, role: str, language: str | None) -> dict[str, Any]:
        return scan(text, context=context_for(role, language)).as_dict(id=id_)

    def _emit(self, payload: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(payload, ensure_ascii=False))
