"""Recall and false positives on the labelled corpus.

A violation counts as caught when every expected category is among the verdict's categories
(extra categories do not count against recall). A clean message is a false positive when
the verdict has any finding or any action but "allow".

corpus.jsonl was used while writing the patterns. heldout.jsonl and heldout2.jsonl were
written separately and first scored blind (heldout: recall 0.88, no false positives;
heldout2, written after the fixes that followed: recall 0.96, no false positives); their
misses were then fixed, so today they are regression tests, not blind estimates.
"""

import json
from pathlib import Path

import pytest

from tests.policy.helpers import run

HERE = Path(__file__).parent
MIN_RECALL = 0.97
MAX_FALSE_POSITIVE_RATE = 0.02


def load(name: str) -> list[dict]:
    with (HERE / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(cases: list[dict]) -> tuple[float, float, list[str]]:
    misses, false_positives, report = 0, 0, []
    violations = [c for c in cases if c["expect"]]
    clean = [c for c in cases if not c["expect"]]
    for case in violations:
        verdict = run(case["text"], case["role"])
        if not set(case["expect"]) <= set(verdict.categories):
            misses += 1
            report.append(f"MISSED {case['expect']} got {list(verdict.categories)}: {case['text']!r}")
    for case in clean:
        verdict = run(case["text"], case["role"])
        if verdict.findings or verdict.action != "allow":
            false_positives += 1
            found = [(f.category, f.excerpt) for f in verdict.findings]
            report.append(f"FALSE POSITIVE {found}: {case['text']!r}")
    return 1 - misses / len(violations), false_positives / len(clean), report


@pytest.mark.parametrize("name", ["corpus.jsonl", "heldout.jsonl", "heldout2.jsonl"])
def test_recall_and_false_positive_rate(name):
    cases = load(name)
    recall, fp_rate, report = evaluate(cases)
    summary = f"{name}: recall {recall:.3f}, false positives {fp_rate:.3f}\n" + "\n".join(report)
    print(summary)
    assert recall >= MIN_RECALL, summary
    assert fp_rate <= MAX_FALSE_POSITIVE_RATE, summary


def test_corpus_is_big_and_balanced():
    cases = load("corpus.jsonl")
    violations = [c for c in cases if c["expect"]]
    clean = [c for c in cases if not c["expect"]]
    assert len(cases) >= 300
    assert len(clean) >= len(violations)
    covered = {category for case in violations for category in case["expect"]}
    assert covered == {
        "phone",
        "email",
        "contact_handle",
        "link",
        "review_request",
        "review_incentive",
        "marketing",
        "abuse",
    }
    assert {case["role"] for case in cases} == {"buyer", "seller"}
