"""Nothing crashes scan(), and everything answers in bounded time."""

import random
import time

import pytest

from tests.policy.helpers import run

BOUND_SECONDS = 5.0


def timed(text: str, role: str = "seller"):
    started = time.perf_counter()
    verdict = run(text, role)
    elapsed = time.perf_counter() - started
    assert elapsed < BOUND_SECONDS, f"took {elapsed:.2f}s"
    return verdict


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n\t",
        "a" * 100_000 + "@",
        "1 " * 50_000,
        "." * 100_000,
        "@" * 50_000,
        "a." * 50_000,
        "5" * 100_000,
        "five " * 20_000,
        "w " * 50_000,
        "(at)" * 20_000,
        " dot " * 20_000,
        "review " * 20_000,
        "\x00" * 100_000,
        "😀1️⃣" * 30_000,
        "\u200b" * 100_000,
        "ﬁ" * 50_000,
        "please leave us a " * 5_000,
        "+" + "1-" * 40_000,
        "www." * 25_000,
        "http://" + "a" * 100_000,
    ],
)
def test_pathological_inputs_finish_quickly(text):
    timed(text)


def test_random_binary_garbage():
    rng = random.Random(1234)
    for _ in range(20):
        blob = bytes(rng.randrange(256) for _ in range(5_000)).decode("utf-8", errors="replace")
        verdict = timed(blob)
        for finding in verdict.findings:
            assert blob[finding.start : finding.end] == finding.excerpt


def test_mixed_scripts_and_emoji():
    text = "Привет 你好 مرحبا 🙂 שלום नमस्ते Ωμέγα — order 112-3456789-0123456 🚚📦"
    assert timed(text).action == "allow"


def test_one_megabyte_message_is_held_not_silently_allowed():
    text = "Your order shipped today, thank you! " * 28_000  # ~1 MB
    verdict = timed(text)
    assert len(text) > 1_000_000
    assert verdict.truncated
    assert verdict.action == "hold"


def test_findings_past_the_scan_cap_still_hold_the_message(settings):
    settings.MESSAGING = {"POLICY": {"MAX_SCAN_CHARS": 1_000}}
    text = "Thanks for your order. " * 100 + "Call me at 555 867 5309"
    verdict = run(text, "buyer")
    assert verdict.truncated
    assert verdict.action == "hold"
    assert "phone" not in verdict.categories  # unread, but not allowed either


def test_non_string_input_is_rejected_clearly():
    from apps.policy import ScanContext, scan

    with pytest.raises(TypeError):
        scan(b"bytes", context=ScanContext("buyer"))  # type: ignore[arg-type]
