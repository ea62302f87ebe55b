import pytest

from apps.policy import REDACTION_MARKER, Finding, Verdict
from apps.policy.conf import get_config
from tests.policy.helpers import run


def test_clean_message_is_allowed():
    verdict = run("Your order shipped today, tracking 1Z999AA10123456784.")
    assert verdict.action == "allow"
    assert verdict.categories == ()
    assert verdict.findings == ()
    assert verdict.reasons() == []


def test_sellers_sharing_contact_details_are_blocked():
    assert run("call me at 555 867 5309", "seller").action == "block"


def test_buyer_contact_details_are_redacted_and_the_rest_delivered():
    text = "Hi! Call me at 555 867 5309 or write jane@gmail.com. Thanks!"
    verdict = run(text, "buyer")
    assert verdict.action == "redact"
    assert verdict.categories == ("email", "phone")
    assert verdict.redact(text) == "Hi! Call me at [removed] or write [removed]. Thanks!"


def test_buyer_review_request_is_blocked_and_abuse_held():
    assert run("Please leave me positive feedback", "buyer").action == "block"
    assert run("I know where you live.", "buyer").action == "hold"
    assert run("I know where you live.", "seller").action == "hold"


def test_most_severe_action_wins():
    text = "Call 555 867 5309. I know where you live. Please leave us a review."
    assert run(text, "buyer").action == "block"  # redact + hold + block


def test_low_confidence_findings_go_to_a_moderator():
    verdict = run("see 5551234567 thanks", "buyer")
    assert [f.category for f in verdict.findings] == ["phone"]
    assert verdict.findings[0].confidence < get_config()["LOW_CONFIDENCE_THRESHOLD"]
    assert verdict.action == "hold"


def test_findings_are_sorted_with_original_offsets():
    text = "Mail jane@gmail.com or call 555-867-5309"
    verdict = run(text)
    assert [f.category for f in verdict.findings] == ["email", "phone"]
    for finding in verdict.findings:
        assert text[finding.start : finding.end] == finding.excerpt
        assert 0 < finding.confidence <= 1


def test_as_dict_and_reasons():
    verdict = run("call 555 123 4567", "buyer")
    assert verdict.as_dict(id=42) == {
        "id": 42,
        "action": "redact",
        "categories": ["phone"],
        "findings": [
            {"category": "phone", "start": 5, "end": 17, "excerpt": "555 123 4567", "confidence": 0.9}
        ],
    }
    assert verdict.reasons() == ["a phone number (“555 123 4567”)"]


def test_redact_merges_overlapping_findings():
    verdict = Verdict(
        action="redact",
        categories=("contact_handle", "phone"),
        findings=(
            Finding("contact_handle", 0, 12, "wa.me/155586", 0.95),
            Finding("phone", 6, 17, "15558675309", 0.9),
        ),
    )
    assert verdict.redact("wa.me/15558675309 ok") == f"{REDACTION_MARKER} ok"


def test_action_table_can_be_overridden_in_settings(settings):
    settings.MESSAGING = {
        "POLICY": {"ACTIONS": {"buyer": {"link": "allow"}, "seller": {"marketing": "hold"}}}
    }
    assert run("see mystore.shop", "buyer").action == "allow"
    assert run("Check out our new collection!", "seller").action == "hold"
    # Cells that were not overridden keep their defaults.
    assert run("call 555 867 5309", "buyer").action == "redact"


def test_threshold_can_be_overridden_in_settings(settings):
    settings.MESSAGING = {"POLICY": {"LOW_CONFIDENCE_THRESHOLD": 0.95}}
    assert run("call me at 555 867 5309", "seller").action == "hold"


def test_bad_settings_are_reported():
    from apps.policy.conf import _build

    with pytest.raises(ValueError, match="Bad action"):
        _build({"ACTIONS": {"buyer": {"phone": "explode"}}})
    with pytest.raises(ValueError, match="Unknown"):
        _build({"TRESHOLD": 0.5})
