"""The deadline sweep on PostgreSQL with 1,000,000 open response clocks (run by hand).

    .venv/bin/python bench/sla.py              # builds mc_bench_sla, measures, drops it
    .venv/bin/python bench/sla.py --keep       # leave the database for a look with psql
    .venv/bin/python bench/sla.py --reuse      # measure again on a kept database

Data: 100,000 threads of one seller, 10 buyer messages each, one open clock per message
(1,000,000). Of these, 1,000 are overdue, 1,000 newly inside the 4-hour reminder window,
40,000 inside it and already reminded, the rest due later: what a large seller's table holds
at any minute. Rows are made with INSERT ... SELECT generate_series, copying one template row
made through the ORM, so columns other engineers add later need no change here.

Measures the wall time of `sweep_deadlines()` (marking 1,000 late and 1,000 reminded, with
their notices) over several rounds, resetting the marked rows between rounds, then an idle
sweep (nothing due: the cost paid every minute), and prints EXPLAIN ANALYZE of both batch
queries. Target: a sweep under 1 second on a 2-core machine, with index scans on the partial
due_at indexes.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The script's folder comes first on the path, and bench/email.py would shadow the standard
# library's `email`: put the project there instead.
sys.path[0] = str(ROOT)

THREADS = 100_000
MESSAGES_PER_THREAD = 10


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/mc_bench_sla")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="don't drop the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a database kept by --keep")
    return parser.parse_args()


def psql_admin(args, *statements: str) -> None:
    name = args.database.rsplit("/", 1)[1]
    admin = args.database.rsplit("/", 1)[0] + "/postgres"
    commands = [part for statement in statements for part in ("-c", statement.format(name=name))]
    subprocess.run(["psql", admin, "-q", *commands], check=True)


def prepare(args) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "messaging_center.settings",
        "DATABASE_URL": args.database,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
    }
    os.environ.update(env)
    if args.reuse:
        return
    psql_admin(args, "DROP DATABASE IF EXISTS {name}", "CREATE DATABASE {name}")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)


def clone_sql(model, *, template_id: int, source: str, where: str = "TRUE", overrides: dict[str, str]) -> str:
    """INSERT copies of the model's row `template_id`, one per row of `source` (FROM items)
    matching `where`, with some columns computed."""
    table = model._meta.db_table
    columns = [field.column for field in model._meta.concrete_fields if not field.primary_key]
    values = [overrides.get(column, f"t.{column}") for column in columns]
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "
        f"FROM {table} t, {source} WHERE t.id = {template_id} AND ({where})"
    )


def seed() -> None:
    from django.db import connection
    from django.utils import timezone

    from apps.accounts.models import SellerAccount, User
    from apps.conversations.models import DeliveryState, Message, Side, Thread
    from apps.sla.models import ResponseClock

    now = timezone.now()
    buyer = User.objects.create_user(email="bench-buyer@example.test", password=None)
    seller = SellerAccount.objects.create(name="Bench seller")
    thread = Thread.objects.create(
        seller=seller, buyer=buyer, topic="shipping", subject="Bench", started_by=Side.BUYER
    )
    message = Message.objects.create(
        thread=thread,
        author=buyer,
        side=Side.BUYER,
        state=DeliveryState.DELIVERED,
        body="x",
        original_body="x",
    )
    clock = ResponseClock.objects.create(
        message=message, thread=thread, seller=seller, received_at=now, due_at=now, answered_at=now
    )
    started = time.monotonic()
    # Upper-case prefixes: public ids are lower-case base32, so the copies never meet the template.
    with connection.cursor() as cursor:
        cursor.execute(
            clone_sql(
                Thread,
                template_id=thread.pk,
                source=f"generate_series(1, {THREADS}) AS n",
                overrides={"public_id": "'BENCH' || lpad(n::text, 12, '0')"},
            )
        )
        cursor.execute(
            clone_sql(
                Message,
                template_id=message.pk,
                source=f"{Thread._meta.db_table} th, generate_series(1, {MESSAGES_PER_THREAD}) AS k",
                where="th.public_id LIKE 'BENCH%'",
                overrides={
                    "public_id": "'M' || lpad(th.id::text, 12, '0') || lpad(k::text, 3, '0')",
                    "thread_id": "th.id",
                },
            )
        )
        # rn % 1000 = 0: overdue by up to an hour (1,000); rn % 1000 = 1: just inside the
        # reminder window (1,000); rn % 25 = 2: inside it and reminded (40,000); the rest are
        # due 5 to 23 hours from now.
        due = (
            "CASE WHEN rn % 1000 = 0 THEN now() - (1 + rn % 3600) * interval '1 second' "
            "WHEN rn % 1000 = 1 THEN now() + interval '3 hours 59 minutes' "
            "WHEN rn % 25 = 2 THEN now() + interval '15 minutes' + (rn % 13500) * interval '1 second' "
            "ELSE now() + interval '5 hours' + (rn % 64800) * interval '1 second' END"
        )
        cursor.execute(
            clone_sql(
                ResponseClock,
                template_id=clock.pk,
                source=(
                    "(SELECT id, thread_id, row_number() OVER (ORDER BY id) AS rn "
                    f"FROM {Message._meta.db_table} WHERE public_id LIKE 'M%') m"
                ),
                overrides={
                    "message_id": "m.id",
                    "thread_id": "m.thread_id",
                    "received_at": f"({due}) - interval '24 hours'",
                    "due_at": due,
                    "reminded_at": "CASE WHEN rn % 25 = 2 THEN now() END",
                    "answered_at": "NULL",
                },
            )
        )
    ResponseClock.objects.filter(pk=clock.pk).delete()
    print(
        f"seeded {THREADS:,} threads, {THREADS * MESSAGES_PER_THREAD:,} messages and clocks "
        f"in {time.monotonic() - started:.0f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def reset(marked_since) -> None:
    """Undo one sweep so the next round has the same work to do."""
    from django.db import connection

    from apps.sla.models import DeadlineNotice, ResponseClock

    DeadlineNotice.objects.all().delete()
    ResponseClock.objects.filter(late_at__gte=marked_since).update(late_at=None)
    ResponseClock.objects.filter(reminded_at__gte=marked_since).update(reminded_at=None)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE sla_responseclock")


def explain(queryset) -> list[str]:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        lines = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)  # EXPLAIN ANALYZE took the row locks; give them back
    return lines


def measure(args) -> None:
    import logging
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from apps.sla import services
    from apps.sla.conf import get_config
    from apps.sla.models import ResponseClock

    open_clocks = ResponseClock.objects.filter(answered_at__isnull=True).count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, pg_size_pretty(pg_relation_size(oid)) FROM pg_class "
            "WHERE relname IN ('sla_responseclock', 'sla_clock_open_due', 'sla_clock_reminder_due') "
            "ORDER BY 1"
        )
        sizes = cursor.fetchall()
    print(f"open clocks: {open_clocks:,}; sizes: " + ", ".join(f"{name} {size}" for name, size in sizes))

    logging.getLogger("apps.sla").setLevel(logging.WARNING)  # the counts are printed below
    batch = get_config()["SWEEP_BATCH_SIZE"]
    window = timedelta(hours=get_config()["REMINDER_BEFORE_HOURS"])
    timings, results = [], []
    for _ in range(args.rounds):
        started_at = timezone.now()
        started = time.perf_counter()
        results.append(services.sweep_deadlines())
        timings.append(time.perf_counter() - started)
        reset(started_at)
    print(f"sweep with work ({results[0].as_dict()}): " + ", ".join(f"{t * 1000:.0f} ms" for t in timings))
    print(f"  median {statistics.median(timings) * 1000:.0f} ms, best {min(timings) * 1000:.0f} ms")

    idle = []
    services.sweep_deadlines()  # now nothing is due
    for _ in range(args.rounds):
        started = time.perf_counter()
        assert services.sweep_deadlines().as_dict() == {
            "late": 0,
            "late_notices": 0,
            "reminded": 0,
            "reminders": 0,
        }
        idle.append(time.perf_counter() - started)
    print(f"idle sweep (nothing due): median {statistics.median(idle) * 1000:.1f} ms")
    reset(timezone.now() - timedelta(hours=1))

    now = timezone.now()
    print("\nEXPLAIN ANALYZE, overdue batch:")
    print("\n".join("  " + line for line in explain(services.overdue_batch(now=now, batch_size=batch))))
    print("\nEXPLAIN ANALYZE, reminder batch:")
    print(
        "\n".join(
            "  " + line for line in explain(services.reminder_batch(now=now, window=window, batch_size=batch))
        )
    )


def main() -> None:
    args = parse_args()
    prepare(args)
    import django

    django.setup()
    try:
        if not args.reuse:
            seed()
        measure(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            psql_admin(args, "DROP DATABASE IF EXISTS {name}")


if __name__ == "__main__":
    main()
