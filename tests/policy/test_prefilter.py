"""The Hyperscan prefilter only skips work: every verdict is the same with it and without it."""

import importlib
import json
import random
import re
from pathlib import Path

import pytest

from apps.policy import ScanContext
from apps.policy.anchors import TextWords
from apps.policy.lexicon import lexicon
from apps.policy.patterns import fold_leet
from apps.policy.prefilter import prefilter
from apps.policy.superset import encode, superset
from tests.conftest import require
from tests.policy.helpers import PLATFORM

scan_module = importlib.import_module("apps.policy.scan")
HERE = Path(__file__).parent
UNCHANGED = bytes(range(256))


def corpus_texts() -> list[str]:
    texts = []
    for name in ("corpus", "heldout", "heldout2"):
        with (HERE / f"{name}.jsonl").open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return texts


def spliced(texts: list[str], count: int, seed: int = 11) -> list[str]:
    """Messages cut and glued at random points, with the characters that make boundaries
    interesting (sentence ends, symbols folded to letters, accents, emoji, CJK) at the seam."""
    rng = random.Random(seed)
    seams = [
        " ",
        ". ",
        "\n",
        "",
        "@",
        "$",
        "3",
        "é",
        "€",
        "😀",
        "微信",
        "\u200b",
        "\u1680",  # a space past Latin-1 that normalising keeps
        " w h a t s a p p ",
        "r.e.v.i.e.w",
        " five ",
    ]
    out = []
    for _ in range(count):
        a, b = rng.choice(texts), rng.choice(texts)
        out.append(a[: rng.randrange(len(a) + 1)] + rng.choice(seams) + b[rng.randrange(len(b) + 1) :])
    return out


@pytest.fixture
def active_prefilter():
    require(prefilter() is not None, "Hyperscan is not installed (pip install -e .)")
    return prefilter()


@pytest.mark.parametrize("role", ["seller", "buyer"])
def test_prefilter_changes_no_finding(active_prefilter, monkeypatch, role):
    texts = corpus_texts()
    texts += spliced(texts, 1500)
    context = ScanContext(sender_role=role, platform_domains=PLATFORM)
    config = scan_module.get_config()
    with_prefilter = [scan_module.detect(t, context, config) for t in texts]
    monkeypatch.setattr(scan_module, "prefilter", lambda: None)
    without = [scan_module.detect(t, context, config) for t in texts]
    differing = [(t, a, b) for t, a, b in zip(texts, with_prefilter, without, strict=True) if a != b]
    assert differing == []
    assert sum(map(bool, without)) > len(texts) // 4  # the set is full of real findings


def test_order_talk_leaves_no_phrase_to_run(active_prefilter):
    text = (
        "Hi Sarah, your package shipped today with UPS, tracking 1Z999AA10123456784. "
        "I'll review the photos and get back to you. Thanks for the feedback on sizing, "
        "we will update the size chart. We issued a refund of $45.99."
    )
    found = active_prefilter.scan(scan_module.normalize(text).text)
    assert found.phrases == set()


def test_review_request_is_left_to_run(active_prefilter):
    found = active_prefilter.scan(scan_module.normalize("Please leave us a 5-star review!").text)
    assert {p.category for p in found.phrases} == {"review_request"}


def test_co_occurrence_terms_are_placed_in_their_sentence(active_prefilter):
    rule = next(r for r in lexicon().together if r.category == "review_incentive")
    text = "Thanks for the feedback. The refund is on its way."
    found = active_prefilter.scan(scan_module.normalize(text).text)
    (review_end,) = found.ends(rule.anchor)
    assert text[:review_end].endswith("feedback")
    assert all(end > text.index("The refund") for end in found.ends(rule.other))


@pytest.mark.parametrize(
    ("pattern", "matching", "not_matching"),
    [
        # A word boundary in front survives as "start of text, or a non-letter".
        (r"(?<![a-z0-9])(?:pd|ntm)(?![a-z0-9])", ["pd", "a pd!", "(pd)"], ["update", "pdf"]),
        # Leetspeak classes and separators, "up to three words" as any run without ".!?".
        (
            r"l[e3][a4@]v[e3](?:[^\w.!?]{1,4}\w+){0,3}[^\w.!?]{1,4}r[e3]vi[e3]w",
            ["leave us a nice review"],
            [],
        ),
        # A character past Latin-1 in a class, a literal or a negated class.
        (r"[€$]\s?[0-9]+", ["€20", "$ 5"], ["20"]),
        (r"[^a-z]x", ["😀x", " x"], ["ax"]),
    ],
)
def test_superset_matches_at_least_what_re_matches(pattern, matching, not_matching):
    wide = re.compile(superset(pattern, UNCHANGED))  # Hyperscan's syntax is also Python's
    for text in matching:
        assert re.search(pattern, text), text
        assert wide.search(encode(text)), text
    for text in not_matching:
        assert not wide.search(encode(text)), text


def test_superset_reads_the_leetspeak_skeleton():
    pattern = r"r[e3]vi[e3]w"
    skeleton = bytes.maketrans(b"3", b"e")
    wide = re.compile(superset(pattern, skeleton))
    assert wide.search(encode("r3vi3w").translate(skeleton))
    assert wide.search(encode("review").translate(skeleton))


def test_encode_keeps_one_byte_per_character():
    text = "prix 20 € — 微信 😀 café"
    assert len(encode(text)) == len(text)


@pytest.mark.parametrize(
    "text",
    [
        "call five five five",
        "someone",  # "one" inside a word is no number word
        "€five",  # a symbol past Latin-1 ends a word
        "微five",  # a letter past Latin-1 does not
        "5one",
        "_five",
        "\u00d7seven",  # a Latin-1 symbol ends a word
        "zéro",
        "fünf",
        "o",
        "o'clock",
        "no numbers here",
    ],
)
def test_number_words_are_found_as_the_word_index_finds_them(active_prefilter, text):
    norm = scan_module.normalize(text).text
    by_index = not lexicon().number_stems.isdisjoint(TextWords(fold_leet(norm)).stems)
    assert active_prefilter.scan(norm).number_words == by_index


def test_compiled_database_is_cached_and_stale_ones_removed(active_prefilter, tmp_path, monkeypatch):
    from apps.policy import prefilter as module

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "messaging-center"
    folder.mkdir()
    (folder / "policy-prefilter-demo-0123456789abcdef01234567.hsdb").write_bytes(b"from older word lists")
    (folder / "policy-prefilter-other-0123456789abcdef01234567.hsdb").write_bytes(b"another set's")
    module._Database("demo", [(b"review", 0)])
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 2, files
    assert "policy-prefilter-other-0123456789abcdef01234567.hsdb" in files
    # A second process loads the file instead of compiling; it finds what it should.
    found = []
    module._Database("demo", [(b"review", 0)]).scan(b"a review", lambda *a: found.append(a[0]))
    assert found == [0]


def test_unwritable_cache_still_gives_a_database(active_prefilter, tmp_path, monkeypatch):
    from apps.policy import prefilter as module

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    found = []
    module._Database("demo", [(b"review", 0)]).scan(b"review", lambda *a: found.append(a[0]))
    assert found == [0]
