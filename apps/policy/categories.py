"""The category names the filter reports, and how they are described to a sender."""

from __future__ import annotations

PHONE = "phone"
EMAIL = "email"
CONTACT_HANDLE = "contact_handle"
LINK = "link"
REVIEW_REQUEST = "review_request"
REVIEW_INCENTIVE = "review_incentive"
MARKETING = "marketing"
ABUSE = "abuse"

CATEGORIES: tuple[str, ...] = (
    PHONE,
    EMAIL,
    CONTACT_HANDLE,
    LINK,
    REVIEW_REQUEST,
    REVIEW_INCENTIVE,
    MARKETING,
    ABUSE,
)

# Contact details are the categories a buyer's message can lose while the rest is delivered.
CONTACT_CATEGORIES: frozenset[str] = frozenset({PHONE, EMAIL, CONTACT_HANDLE, LINK})

# Worded for the sender: the web UI shows these next to the flagged excerpt.
DESCRIPTIONS: dict[str, str] = {
    PHONE: "a phone number",
    EMAIL: "an email address",
    CONTACT_HANDLE: "a messaging app or social media contact",
    LINK: "a link to an outside website",
    REVIEW_REQUEST: "a request to leave or change a review",
    REVIEW_INCENTIVE: "an offer in exchange for a review",
    MARKETING: "promotional content",
    ABUSE: "threatening or abusive language",
}

ACTIONS: tuple[str, ...] = ("allow", "redact", "hold", "block")
SEVERITY: dict[str, int] = {name: rank for rank, name in enumerate(ACTIONS)}
