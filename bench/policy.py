"""Throughput of the policy filter: messages per second on one core.

    python bench/policy.py              # 200-byte and 2 KB messages, 70 % clean / 30 % violating
    python bench/policy.py --profile    # plus a cProfile of the 2 KB run

Rates are messages per CPU-second of this process (time.process_time), best of several
rounds. Messages are built from realistic sentences (order, shipping, return and sizing talk full of
numbers, plus violations of every category) with a fixed seed, so runs are comparable; every
order, tracking and case number is drawn afresh. Each
size is timed several times and the best round is reported, since a shared machine is noisy.
A reference figure (a fixed pure-Python loop) is printed so runs on different machines can
be compared.
Works without Django (the policy's defaults apply); with DJANGO_SETTINGS_MODULE set it uses
the project's settings.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import re
import sys
import time
from pathlib import Path

# The script's folder comes first on the path, and bench/email.py would shadow the standard
# library's `email`: put the project there instead.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

CLEAN = [
    "Hi Sarah, thanks for your order 112-3456789-0123456.",
    "Your package shipped today with UPS, tracking 1Z999AA10123456784.",
    "It should arrive by 12/03/2025 between 9:00 and 17:00.",
    "The table measures 120 x 60 x 75 cm and weighs 24.5 kg.",
    "If anything is damaged please send photos and we will arrange a replacement.",
    "We issued a refund of $1,299.99, it takes 3-5 business days to show on your card.",
    "USPS tracking number 9400 1000 0000 0000 0000 00 shows it at the local facility.",
    "FedEx says 7489 1234 5678 is out for delivery.",
    "The SKU is 4411-2203 and the model is XR-2200, both listed on the invoice.pdf we attached.",
    "Please return it to 1200 Harbor Blvd, Suite 4, Oakland, CA 94607 using the prepaid label.",
    "Your return authorization RMA 20250312-001 is valid for 30 days.",
    "The M size fits a 38-40 inch chest; the L size fits 42-44.",
    "The battery is 5000 mAh and charges in about 2.5 hours with the 20 W adapter.",
    "I ordered 2 packs of 12 on March 3rd, order #114-2233445-6677889, but only 1 arrived.",
    "Can you check whether the second parcel left your warehouse? The label says 2 of 2.",
    "I'll review the photos and get back to you tomorrow morning.",
    "Thanks for the feedback on sizing, we will update the size chart.",
    "The replacement costs €45 and ships from our Berlin warehouse in 2-3 days.",
    "Case ID 12345678901 was opened with the carrier on 2025-03-12 14:30.",
    "Hola, su pedido 402-1234567-7654321 salió hoy, llegará el 14/03/2025.",
    "Bonjour, votre colis a été remis au transporteur, suivi 6A12345678901.",
    "Hallo, die Rücksendung ist angekommen, die Erstattung von 39,90 € ist veranlasst.",
    "The warranty covers 24 months from the delivery date shown in your order details.",
    "You can download the manual from the order page on messages.example.com under Documents.",
]
VIOLATIONS = [
    "If you are happy, please leave us a 5-star review!",
    "Text me at 555 123 4567 if the carrier gives you trouble.",
    "Add me on WhatsApp: +44 7700 900123.",
    "Write to john dot smith at gmail dot com for faster help.",
    "Check out our new collection at mystore.shop, 20% off your next order with code SAVE20.",
    "We'll send you a $20 gift card for a 5-star review.",
    "Could you update your feedback now that the replacement arrived?",
    "my IG is @shop_deals, follow us for deals",
    "five five five, one two three, four five six seven",
    "Full refund if you change your review.",
]


def build_messages(size: int, count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    messages = []
    for index in range(count):
        sentences: list[str] = []
        while sum(len(s) + 1 for s in sentences) < size:
            sentences.append(_fresh_numbers(rng.choice(CLEAN), rng))
        if index % 10 < 3:  # 30 % carry one violation somewhere in the message
            sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(VIOLATIONS))
        messages.append(" ".join(sentences)[: max(size, 120)])
    return messages


_LONG_NUMBER = re.compile(r"[0-9]{3,}")


def _fresh_numbers(sentence: str, rng: random.Random) -> str:
    """The sentence with new order, tracking and case numbers (the digits of every run of
    three or more), so that no cache sees the same number twice as it would in a benchmark
    made of a few fixed sentences."""
    return _LONG_NUMBER.sub(lambda m: "".join(rng.choice("0123456789") for _ in m.group()), sentence)


def measure(size: int, count: int, rounds: int) -> tuple[float, float]:
    """(messages per CPU-second, average length): best of `rounds`, each over its own
    messages, so that no round finds the numbers of an earlier one in a cache."""
    from apps.policy import scan
    from apps.policy.conf import context_for

    context = context_for("seller") if _django_ready() else _plain_context()
    best = float("inf")
    lengths = []
    for round_ in range(rounds):
        messages = build_messages(size, count, seed=7 + round_)
        lengths += map(len, messages)
        # CPU time of this process: on a shared machine, wall time mostly measures the others.
        started = time.process_time()
        for message in messages:
            scan(message, context=context)
        best = min(best, time.process_time() - started)
    return count / best, sum(lengths) / len(lengths)


def _plain_context():
    from apps.policy import ScanContext

    return ScanContext(sender_role="seller", platform_domains=("messages.example.com",))


def _django_ready() -> bool:
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        return False
    import django

    django.setup()
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="messages per size")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    from apps.policy.scan import warm_up

    started = time.process_time()
    total = 0
    for i in range(2_000_000):
        total += i
    print(f"reference: 2M-iteration Python loop in {time.process_time() - started:.3f} CPU s")
    started = time.perf_counter()
    warm_up()
    print(f"warm-up (loads and compiles the word lists): {time.perf_counter() - started:.2f} s")
    for size in (200, 2000):
        rate, average = measure(size, args.count, args.rounds)
        print(
            f"{size:>5} B messages (avg {average:.0f} chars): {rate:8.0f} msg/s  ({1e6 / rate:6.0f} µs/msg)"
        )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(measure, 2000, args.count, 1)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
