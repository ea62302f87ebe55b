"""Inbound mails per second through `ingest`, and alert emails queued per second (run by hand).

    .venv/bin/python bench/email.py                 # SQLite in a temporary folder
    .venv/bin/python bench/email.py --database postgres://postgres@127.0.0.1:5432/mc_bench_email
    .venv/bin/python bench/email.py --database postgres://postgres@127.0.0.1:5432/mc_bench_email \
        --redis redis://127.0.0.1:6379/9            # as production runs: PostgreSQL and Redis
    .venv/bin/python bench/email.py --profile       # plus a cProfile of the inbound run

Inbound: every mail goes the whole way a real one goes: parse (MIME, charsets, quote and
signature removal), route (reply token or alias), the sending rules, the policy filter, the
message stored with its response clock, the other side's alert written to the outbox and handed
to the broker, the InboundEmail record. The mails are what sellers and buyers really send: Gmail
replies (text + HTML, quoted history), Outlook replies (text + HTML, "From/Sent" block), sellers
writing straight to a buyer's alias (with a signature), and buyers answering the seller's
alert from Apple Mail. Each has a new Message-ID and its own text (no duplicates, nothing
identical enough to be held).

Alerts: a buyer posting a message (the service the web composer calls) with the seller's alert
turned on, i.e. what a seller means by "an alert"; and, apart, the bare outbox write.

Rates are wall-clock (one process, one thread: "one core"; the database server's own time
counts, as it does for a user), with the CPU time of this process beside them; the best of
--rounds rounds is reported, since a shared machine is noisy. For that round, the time inside
each stage (parse, route, post_reply and, within it, the policy filter's `scan` and the alert,
then the broker hand-over) is measured around each call and printed as ms/mail and share.
A reference figure (a fixed pure-Python loop) is printed so runs on different machines compare.
Target: 100 inbound mails/s. The rate limits are lifted (the bench is faster than a person);
the checks still run. Each run builds its own database, a temporary SQLite file or the
PostgreSQL database named in --database (dropped, created, and dropped again unless --keep;
never point it at a database you want to keep). --redis hands the emails to a Redis broker, as
production does (the default is the file broker of `make run`); the Redis database must be
empty and is emptied afterwards.
"""

import argparse
import cProfile
import os
import pstats
import quopri
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file shares its name with the standard library's `email`, and Python puts a script's own
# folder first on the path: take bench/ off it before anything imports `email`.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

SENTENCES = [
    "Thanks for getting back to me so quickly.",
    "The parcel left our warehouse this morning with UPS.",
    "Tracking should update within the next 24 hours.",
    "It usually takes 2-3 business days to arrive in your area.",
    "Yes, the charger fits the X200 and the X250.",
    "The M size fits a 38-40 inch chest; the L size fits 42-44.",
    "We can send a replacement as soon as the return is scanned.",
    "Please use the prepaid label from your order page for the return.",
    "Your refund was issued today and takes 3-5 business days to show.",
    "The battery is 5000 mAh and charges in about 2.5 hours.",
    "I checked with the warehouse and the second box is on its way.",
    "Could you send a photo of the damaged corner so we can file a claim?",
    "The manual is in the box, on the last page there is a sizing table.",
    "Sorry about the delay, the carrier had a backlog last week.",
    "The colour in the photos is a little darker than in real life.",
    "Both parts are covered by the 24-month warranty.",
]
HISTORY = [
    "Hi, I ordered the table last week and wanted to ask about delivery.",
    "Does it come assembled or do I need tools?",
    "The box arrived but one leg seems to be missing.",
    "Thanks, that helps a lot. One more question about the colour.",
    "Can I return it if it does not fit the room?",
]


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="", help="a PostgreSQL URL; default: SQLite in a temp folder")
    parser.add_argument("--mails", type=int, default=1000, help="inbound mails per round")
    parser.add_argument("--rounds", type=int, default=3, help="the best round is reported")
    parser.add_argument("--alerts", type=int, default=1000, help="buyer messages to post (one alert each)")
    parser.add_argument("--sellers", type=int, default=20)
    parser.add_argument("--buyers", type=int, default=400)
    parser.add_argument(
        "--redis", default="", help="a Redis URL for the broker, as in production (its queues are emptied)"
    )
    parser.add_argument(
        "--smtp-clients", type=int, default=8, help="concurrent SMTP connections to smtpd (0: skip)"
    )
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the inbound run")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    return parser.parse_args()


def prepare(args) -> None:
    var_dir = tempfile.mkdtemp(prefix="mc-bench-email-")
    env = {
        "DJANGO_SETTINGS_MODULE": "messaging_center.settings",
        "VAR_DIR": var_dir,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",  # one log line per mail would be the console's cost, not ours
        "DATABASE_URL": args.database or f"sqlite:///{var_dir}/bench.sqlite3",
        "REDIS_URL": args.redis,
    }
    if args.database:
        if args.database.rsplit("/", 1)[1] in ("messaging_center", "mc_review"):
            sys.exit("refusing to drop a database that belongs to someone else")
        psql_admin(args, "DROP DATABASE IF EXISTS {name}", "CREATE DATABASE {name}")
    if args.redis and redis_database(args).dbsize():
        sys.exit("refusing to use a Redis database that holds keys: name an empty one (e.g. /9)")
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MESSAGING = {**settings.MESSAGING, "SENDING": {"RATE_PER_MINUTE": 10**9, "RATE_PER_DAY": 10**9}}
    call_command("migrate", verbosity=0)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1]
    print(f"database: {engine}, broker: {settings.CELERY_BROKER_URL}")


def psql_admin(args, *statements: str) -> None:
    name = args.database.rsplit("/", 1)[1]
    admin = args.database.rsplit("/", 1)[0] + "/postgres"
    commands = [part for statement in statements for part in ("-c", statement.format(name=name))]
    subprocess.run(["psql", admin, "-q", *commands], check=True)


def redis_database(args):
    import redis

    return redis.Redis.from_url(args.redis)


def clean_up(args) -> None:
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    shutil.rmtree(settings.VAR_DIR, ignore_errors=True)
    if args.database and not args.keep:
        psql_admin(args, "DROP DATABASE {name}")
    if args.redis:
        redis_database(args).flushdb()  # the tasks handed over, which no worker will run


def seed(args, rng: random.Random) -> list:
    """Sellers with alerts on, buyers with a delivered order each, and one open thread per buyer."""
    from apps.accounts.models import User
    from apps.accounts.services import create_seller_account
    from apps.conversations.services import contact_seller
    from apps.notifications.services import seller_settings
    from apps.orders.models import Product
    from apps.orders.services import LineItem, advance_order, create_order

    sellers = []
    for index in range(args.sellers):
        owner = User.objects.create_user(
            email=f"owner{index}@shop{index}.example", password=None, first_name="Sam", last_name="Keller"
        )
        seller = create_seller_account(name=f"Bench Shop {index}", owner=owner)
        alert = seller_settings(seller)
        alert.buyer_messages = True
        alert.save()
        product = Product.objects.create(
            seller=seller, title="Oak side table", sku=f"T-{index}", price="89.00"
        )
        sellers.append((seller, owner, product))
    threads = []
    for index in range(args.buyers):
        seller, owner, product = sellers[index % len(sellers)]
        buyer = User.objects.create_user(
            email=f"buyer{index}@mail.example", password=None, first_name="Alex", last_name="Morgan"
        )
        order = create_order(buyer=buyer, seller=seller, items=[LineItem(product=product)])
        advance_order(order=order, to_status="shipped", carrier="UPS", tracking_number="1Z999AA10123456784")
        advance_order(order=order, to_status="delivered")
        posted = contact_seller(buyer=buyer, order=order, topic="shipping", body=text(rng, index))
        threads.append((posted.message.thread, owner))
    return threads


def text(rng: random.Random, serial: int) -> str:
    return " ".join(rng.sample(SENTENCES, rng.randint(1, 3))) + f" (ref {serial})"


def quoted_history(rng: random.Random) -> str:
    return "\n".join(f"> {line}" for line in rng.sample(HISTORY, rng.randint(2, 5)))


def build_mails(threads, count: int, rng: random.Random) -> tuple[list[bytes], Counter]:
    from django.conf import settings

    from apps.email_gateway.addresses import reply_address

    domain = settings.MESSAGING_DOMAIN
    mails, kinds = [], Counter()
    for serial in range(count):
        thread, owner = threads[serial % len(threads)]
        new_text = text(rng, serial)
        kind = rng.choices(["gmail", "outlook", "alias", "buyer"], weights=[40, 25, 20, 15])[0]
        kinds[kind] += 1
        message_id = f"<{uuid.uuid4().hex}@mail.example>"
        references = (
            f"In-Reply-To: <{thread.public_id}@{domain}>\nReferences: <{thread.public_id}@{domain}>\n"
        )
        if kind == "buyer":
            sender = thread.buyer.email
            to = reply_address(thread_id=thread.pk, recipient_id=thread.buyer_id, side="buyer")
            body = f"{new_text}\n\nSent from my iPhone\n\n"
            body += f"> On 3 Nov 2026, at 10:00, {thread.seller.name} wrote:\n{quoted_history(rng)}"
            mails.append(plain(sender, to, thread.subject, message_id, references, body))
            continue
        sender = owner.email
        if kind == "alias":
            body = f"Hello Alex,\n\n{new_text}\n\n-- \nSam Keller\n{thread.seller.name}\n"
            mails.append(plain(sender, thread.buyer_alias.address, "About your order", message_id, "", body))
            continue
        to = reply_address(thread_id=thread.pk, recipient_id=thread.seller_id, side="seller")
        history = quoted_history(rng)
        if kind == "gmail":
            quote = f"On Mon, 2 Nov 2026 at 18:03, Alex <{thread.buyer_alias.address}> wrote:\n{history}"
            html_quote = (
                '<div class="gmail_quote"><div>On Mon, Alex wrote:</div>'
                f"<blockquote>{history}</blockquote></div>"
            )
        else:
            quote = (
                f"________________________________\nFrom: Alex <{thread.buyer_alias.address}>\n"
                f"Sent: Monday, November 2, 2026 18:03\nTo: {thread.seller.name}\n"
                f"Subject: {thread.subject}\n\n" + history.replace("> ", "")
            )
            html_quote = f'<hr><div id="divRplyFwdMsg"><b>From:</b> Alex<br>{history}</div>'
        mails.append(
            alternative(
                sender, to, f"Re: {thread.subject}", message_id, references,
                f"{new_text}\n\n{quote}\n",
                f'<html><body><div dir="ltr">{new_text}</div>{html_quote}</body></html>',
            )
        )  # fmt: skip
    return mails, kinds


def plain(sender, to, subject, message_id, references, body) -> bytes:
    return (
        f"From: {sender}\nTo: {to}\nSubject: {subject}\nMessage-ID: {message_id}\n{references}"
        "Date: Tue, 3 Nov 2026 10:00:00 +0000\nMIME-Version: 1.0\n"
        f"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}"
    ).encode()


def alternative(sender, to, subject, message_id, references, text_body, html_body) -> bytes:
    boundary = uuid.uuid4().hex
    # Encoded as mail clients do: quoted-printable keeps every line under SMTP's 1,000 characters.
    text_part, html_part = (quopri.encodestring(part.encode()).decode() for part in (text_body, html_body))
    return (
        f"From: Sam Keller <{sender}>\nTo: {to}\nSubject: {subject}\nMessage-ID: {message_id}\n{references}"
        "Date: Tue, 3 Nov 2026 10:00:00 +0000\nMIME-Version: 1.0\n"
        f'Content-Type: multipart/alternative; boundary="{boundary}"\n\n'
        f"--{boundary}\nContent-Type: text/plain; charset=utf-8\n"
        f"Content-Transfer-Encoding: quoted-printable\n\n{text_part}\n"
        f"--{boundary}\nContent-Type: text/html; charset=utf-8\n"
        f"Content-Transfer-Encoding: quoted-printable\n\n{html_part}\n"
        f"--{boundary}--\n"
    ).encode()


class Stopwatch:
    """Wall time spent inside one function, measured around each call (replaces the module's name)."""

    def __init__(self, module, name: str):
        self.module, self.name, self.function, self.seconds = module, name, getattr(module, name), 0.0
        setattr(module, name, self)

    def __call__(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started


def stopwatches() -> dict[str, Stopwatch]:
    """The stages of one inbound mail; nested ones say what they are part of."""
    from apps.conversations import services
    from apps.email_gateway import inbound, outbox
    from apps.notifications import services as notification_services
    from apps.notifications import subscribers

    return {
        "parse (email_gateway)": Stopwatch(inbound, "parse"),
        "route (email_gateway)": Stopwatch(inbound, "route"),
        "post_reply (conversations, all below)": Stopwatch(services, "post_reply"),
        "  policy.scan": Stopwatch(services, "scan"),
        "  alerts (notifications, incl. outbox)": Stopwatch(subscribers, "alert_for"),
        "    outbox.enqueue (email_gateway)": Stopwatch(notification_services, "enqueue"),
        "broker hand-over after commit (email_gateway)": Stopwatch(outbox, "_hand_over"),
    }


def run_inbound(mails: list[bytes]) -> tuple[float, float, Counter]:
    from apps.email_gateway.inbound import ingest

    statuses = Counter()
    wall, cpu = time.perf_counter(), time.process_time()
    for raw in mails:
        statuses[ingest(raw).status] += 1
    return time.perf_counter() - wall, time.process_time() - cpu, statuses


def run_smtp(args, mails: list[bytes]) -> None:
    """`manage.py smtpd` pinned to one core, fed over --smtp-clients connections at once, as MTAs
    do; its own CPU time is read from /proc. This process uses the other cores; PostgreSQL and
    Redis may run on any, smtpd's too (on a small machine the wall rate is then understated)."""
    from email.parser import BytesHeaderParser
    from email.utils import parseaddr

    from apps.email_gateway.models import InboundEmail

    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        print("smtpd: skipped (needs two cores: one for smtpd, one for this client)")
        return
    os.sched_setaffinity(0, cores[1:])
    settings_dir = Path(tempfile.mkdtemp(prefix="mc-bench-smtpd-"))
    # The sending rules' limits are lifted as in this process (settings, so a module of them).
    (settings_dir / "bench_settings.py").write_text(
        "from messaging_center.settings import *  # noqa\n"
        "MESSAGING = {**MESSAGING, 'SENDING': {'RATE_PER_MINUTE': 10**9, 'RATE_PER_DAY': 10**9}}\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench_settings", "PYTHONPATH": f"{settings_dir}:{ROOT}"}
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "manage.py", "smtpd", "--port", str(port), "--sender-limit", str(10**9)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    os.sched_setaffinity(server.pid, cores[:1])  # before it has loaded Django, let alone mail
    try:
        wait_for_port(port)
        envelopes = []
        for raw in mails:
            headers = BytesHeaderParser().parsebytes(raw)
            # SMTP ends lines with CRLF; smtplib sends the bytes as they are.
            envelopes.append((parseaddr(headers["From"])[1], headers["To"], raw.replace(b"\n", b"\r\n")))
        shares = [envelopes[index :: args.smtp_clients] for index in range(args.smtp_clients)]
        before, cpu = InboundEmail.objects.filter(status="accepted").count(), process_cpu(server.pid)
        started = time.perf_counter()
        with ThreadPoolExecutor(args.smtp_clients) as pool:
            list(pool.map(lambda share: send_over_smtp(port, share), shares))
        wall, cpu = time.perf_counter() - started, process_cpu(server.pid) - cpu
        accepted = InboundEmail.objects.filter(status="accepted").count() - before
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(settings_dir, ignore_errors=True)
        os.sched_setaffinity(0, cores)
    print(
        f"smtpd on one core, {args.smtp_clients} connections: {len(mails) / wall:7.1f} mails/s wall, "
        f"{len(mails) / cpu:7.1f} /CPU-s of smtpd; {accepted} of {len(mails)} accepted"
    )


def wait_for_port(port: int) -> None:
    for _ in range(300):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    sys.exit("smtpd did not start")


def send_over_smtp(port: int, envelopes) -> None:
    import smtplib  # after the path is fixed: smtplib imports `email`

    with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
        for sender, recipient, raw in envelopes:
            client.sendmail(sender, [recipient], raw)


def process_cpu(pid: int) -> float:
    """User + system seconds of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_alerts(threads, count: int, rng: random.Random) -> tuple[float, float, int]:
    from apps.conversations.services import post_reply
    from apps.email_gateway.models import OutboxEmail

    before = OutboxEmail.objects.filter(idempotency_key__startswith="alert:").count()
    wall, cpu = time.perf_counter(), time.process_time()
    for serial in range(count):
        thread, _ = threads[serial % len(threads)]
        post_reply(thread=thread, author=thread.buyer, side="buyer", body=text(rng, 10**6 + serial))
    elapsed = time.perf_counter() - wall, time.process_time() - cpu
    queued = OutboxEmail.objects.filter(idempotency_key__startswith="alert:").count() - before
    return *elapsed, queued


def run_enqueue(count: int) -> tuple[float, float]:
    from django.db import transaction

    from apps.email_gateway.outbox import enqueue

    wall, cpu = time.perf_counter(), time.process_time()
    for serial in range(count):
        with transaction.atomic():
            enqueue(
                key=f"bench:{serial}",
                to="owner0@shop0.example",
                subject="Bench",
                text="x" * 800,
                html="y" * 2000,
            )
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    args = parse_args()
    started = time.process_time()
    total = 0
    for i in range(2_000_000):
        total += i
    print(f"reference: 2M-iteration Python loop in {time.process_time() - started:.3f} CPU s")
    prepare(args)
    profiler = cProfile.Profile() if args.profile else None
    try:
        measure(args, profiler)
    finally:
        clean_up(args)
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)


def measure(args, profiler) -> None:
    rng = random.Random(5)
    started = time.perf_counter()
    threads = seed(args, rng)
    elapsed = time.perf_counter() - started
    print(f"seeded {args.sellers} sellers, {args.buyers} buyers and their threads in {elapsed:.1f} s")

    watches = stopwatches()
    best = None
    for round_number in range(args.rounds):
        mails, kinds = build_mails(threads, args.mails, rng)
        for watch in watches.values():
            watch.seconds = 0.0
        if profiler:
            profiler.enable()
        wall, cpu, statuses = run_inbound(mails)
        if profiler:
            profiler.disable()
        print(
            f"round {round_number + 1}: {len(mails) / wall:6.1f} mails/s wall, "
            f"{len(mails) / cpu:6.1f} /CPU-s; {dict(statuses)}"
        )
        if best is None or wall < best[0]:
            best = (wall, cpu, {name: watch.seconds for name, watch in watches.items()})
    wall, cpu, stages = best
    average = sum(map(len, mails)) / len(mails)
    mix = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    print(
        f"inbound, best of {args.rounds} rounds of {len(mails)} mails ({mix}; avg {average:.0f} bytes):\n"
        f"  {len(mails) / wall:7.1f} mails/s wall ({1000 * wall / len(mails):.2f} ms/mail), "
        f"{len(mails) / cpu:7.1f} mails/CPU-s"
    )
    for name, seconds in stages.items():
        print(f"  {name:<46} {1000 * seconds / len(mails):6.2f} ms/mail {100 * seconds / wall:5.1f} %")

    if args.smtp_clients:
        run_smtp(args, build_mails(threads, args.mails, rng)[0])

    for watch in watches.values():
        watch.seconds = 0.0
    wall, cpu, queued = run_alerts(threads, args.alerts, rng)
    scan_share = 100 * watches["  policy.scan"].seconds / wall
    print(
        f"alerts (a buyer posts, the seller's alert is queued): {queued / wall:7.1f} alerts/s wall, "
        f"{queued / cpu:7.1f} /CPU-s; {queued} queued for {args.alerts} messages; "
        f"policy.scan {scan_share:.1f} %"
    )
    wall, cpu = run_enqueue(args.alerts)
    print(f"outbox.enqueue alone: {args.alerts / wall:7.1f} emails/s wall, {args.alerts / cpu:7.1f} /CPU-s")


if __name__ == "__main__":
    main()
