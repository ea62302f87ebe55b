"""Seller inbox server time on PostgreSQL with one large seller (run by hand, not in the suite).

    .venv/bin/python bench/inbox.py                 # seeds 100,000 threads / 1,000,000 messages once
    .venv/bin/python bench/inbox.py --reuse         # measure again on the seeded database
    .venv/bin/python bench/inbox.py --threads 10000 --messages 100000   # a quicker run

Measures p50/p95 of the server time (Django's full request handling through the test client,
no network) over N requests each for: the first inbox page, a filtered page, page 50 (keyset
cursor), a search, and thread pages; then prints EXPLAIN ANALYZE of the slowest page's
slowest query. Target: p95 under 100 ms on a 2-core machine.
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


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/mc_bench")
    parser.add_argument("--threads", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    return parser.parse_args()


def prepare(args) -> None:
    env = {**os.environ, "DATABASE_URL": args.database, "DEBUG": "false", "SECURE_SSL_REDIRECT": "false"}
    if not args.reuse:
        name = args.database.rsplit("/", 1)[1]
        admin = args.database.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(
            ["psql", admin, "-q", "-c", f"DROP DATABASE IF EXISTS {name}", "-c", f"CREATE DATABASE {name}"],
            check=True,
        )
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        started = time.monotonic()
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "seed_demo",
                "--allow-production",
                "--sellers",
                "2",
                "--buyers",
                "5000",
                "--orders",
                "0",
                "--threads",
                str(args.threads),
                "--messages",
                str(args.messages),
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        elapsed = time.monotonic() - started
        print(f"seed_demo: {elapsed:.0f} s for {args.threads} threads and {args.messages} messages")
        subprocess.run(["psql", args.database, "-q", "-c", "VACUUM ANALYZE"], check=True)
    os.environ.update(env)


def measure(client, url: str, count: int) -> list[float]:
    timings = []
    client.get(url)  # warm caches and connections
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return timings


def report(name: str, timings: list[float]) -> tuple[str, float]:
    timings = sorted(timings)
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"{name:<28} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   max {timings[-1]:7.1f} ms")
    return name, p95


def main() -> None:
    args = parse_args()
    prepare(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "messaging_center.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.accounts.models import User
    from apps.conversations.models import Thread
    from apps.conversations.selectors import InboxFilters, seller_inbox_page

    seller_user = User.objects.get(email="seller@demo.test")
    seller = seller_user.seller_accounts.get()
    print(f"seller has {Thread.objects.filter(seller=seller).count()} threads")
    client = Client()
    client.force_login(seller_user)

    cursor = None
    for _ in range(49):
        cursor = seller_inbox_page(seller=seller, filters=InboxFilters(), cursor=cursor).next_cursor
    page_50 = f"/seller/messages/?after={cursor}"
    threads = list(
        Thread.objects.filter(seller=seller).order_by("?").values_list("public_id", flat=True)[:20]
    )
    order_number = Thread.objects.filter(seller=seller).values_list("order__number", flat=True).first()

    pages = {
        "first inbox page": "/seller/messages/",
        "filtered (needs response)": "/seller/messages/?status=needs_response",
        "filtered (order number)": f"/seller/messages/?order={order_number}",
        "page 50": page_50,
        "search 'charger'": "/seller/messages/?q=charger",
        "sent": "/seller/messages/sent/",
    }
    results = [report(name, measure(client, url, args.requests)) for name, url in pages.items()]
    thread_timings = []
    for index in range(args.requests):
        thread_timings += measure(client, f"/seller/messages/{threads[index % len(threads)]}/", 1)
    results.append(report("thread page", thread_timings))

    slowest_name, _ = max(results, key=lambda item: item[1])
    slowest_url = pages.get(slowest_name, f"/seller/messages/{threads[0]}/")
    with CaptureQueriesContext(connection) as queries:
        client.get(slowest_url)
    query = max(queries.captured_queries, key=lambda q: float(q["time"]))
    print(f"\nslowest page: {slowest_name}; its slowest query ({query['time']} s):\n{query['sql']}\n")
    with connection.cursor() as db:
        db.execute("EXPLAIN ANALYZE " + query["sql"])
        print("\n".join(row[0] for row in db.fetchall()))


if __name__ == "__main__":
    main()
