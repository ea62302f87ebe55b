import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.demo.catalogue import DEMO_PASSWORD
from apps.demo.seed import DemoSeeder, SeedSize, database_is_empty, demo_logins


class Command(BaseCommand):
    help = "Fill an empty database with deterministic demo data and print the demo logins."

    def add_arguments(self, parser):
        defaults = SeedSize()
        parser.add_argument("--sellers", type=int, default=defaults.sellers)
        parser.add_argument("--buyers", type=int, default=defaults.buyers)
        parser.add_argument("--orders", type=int, default=defaults.orders)
        parser.add_argument("--threads", type=int, default=defaults.threads)
        parser.add_argument("--messages", type=int, default=defaults.messages)
        parser.add_argument("--seed", type=int, default=defaults.seed, help="same seed, same data")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if any user exists")
        parser.add_argument(
            "--allow-production", action="store_true", help="seed even with DEBUG off (benchmarks)"
        )

    def handle(self, *args, **options):
        if not (settings.DEBUG or settings.TESTING or options["allow_production"]):
            raise CommandError(
                "Demo accounts have a published password: run with DEBUG=true, or "
                "pass --allow-production for a throwaway benchmark database."
            )
        if not database_is_empty():
            if options["if_empty"]:
                self.stdout.write("The database already has data; not seeding.")
                self._print_logins()
                return
            raise CommandError("The database already has users; seed_demo fills an empty database only.")
        size = SeedSize(
            **{key: options[key] for key in ("sellers", "buyers", "orders", "threads", "messages", "seed")}
        )
        if min(size.sellers, size.buyers) < 2 or size.orders < 0:
            raise CommandError("Use at least 2 sellers and 2 buyers (the demo logins need them).")
        started = time.monotonic()
        result = DemoSeeder(size).run()
        self.stdout.write(
            f"Seeded {result.users} users, {result.sellers} sellers, {result.products} products, "
            f"{result.orders} orders, {result.threads} threads, {result.messages} messages "
            f"in {time.monotonic() - started:.1f} s."
        )
        for note in result.notes:
            self.stdout.write(note)
        self._print_logins()

    def _print_logins(self):
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for email, role in demo_logins():
            self.stdout.write(f"  {email:<26} {role}")
