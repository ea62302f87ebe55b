import pytest

from apps.policy.patterns import compile_phrase
from tests.policy.helpers import categories


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("If you're happy, please leave us a 5-star review!", "review_request"),
        ("Would you mind rating your purchase?", "review_request"),
        ("Could you update your feedback now that it works?", "review_request"),
        ("Please remove your negative review.", "review_request"),
        ("Don't forget to rate us!", "review_request"),
        ("Happy with it? Leave a review!", "review_request"),
        ("p1ease l3ave a r3v13w", "review_request"),
        ("Please leave a f33dback", "review_request"),
        ("Por favor, déjanos una reseña de 5 estrellas", "review_request"),
        ("Könnten Sie Ihre Bewertung ändern?", "review_request"),
        ("Pourriez-vous modifier votre avis ?", "review_request"),
        ("We'll send you a $20 gift card for a 5-star review.", "review_incentive"),
        ("Full refund if you change your review.", "review_incentive"),
        ("Update your rating to 5 stars and we'll refund the shipping.", "review_incentive"),
        ("In exchange for a positive review we will send a free sample.", "review_incentive"),
        ("Te reembolsamos el 100% si eliminas tu reseña.", "review_incentive"),
        ("Check out our new collection!", "marketing"),
        ("20% off your next order with code SAVE20", "marketing"),
        ("Subscribe to our newsletter for exclusive discounts.", "marketing"),
        ("Follow us on Instagram for weekly deals.", "marketing"),
        ("You might also like our matching pillow covers.", "marketing"),
        ("I know where you live.", "abuse"),
        ("You're a fucking idiot.", "abuse"),
        ("k1ll yourself", "abuse"),
        ("Te voy a matar.", "abuse"),
    ],
)
def test_requests_offers_promotions_and_abuse(text, category):
    assert category in categories(text, "seller")


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("I'll review the photos and get back to you.", "seller"),
        ("Thanks for the feedback on sizing!", "seller"),
        ("We reviewed your return request and approved it.", "seller"),
        ("Thanks for the 5-star review, it made our day!", "seller"),
        ("Please rate of delivery", "seller"),
        ("Our marketing department returned the item.", "seller"),
        ("Could you review the attached photo and confirm the colour?", "seller"),
        ("We cannot offer refunds in exchange for reviews.", "seller"),
        ("Thanks for the feedback, we will refund you in full.", "seller"),
        ("I left a 5 star review already.", "buyer"),
        ("I will update my review once the replacement arrives.", "buyer"),
        ("Can you give me feedback on whether this fits a 2019 Civic?", "buyer"),
        ("I used code SAVE20 but the discount didn't apply.", "buyer"),
        ("Is this part of the Black Friday sale?", "buyer"),
        ("Would you like us to resend it?", "seller"),
        ("This will kill the battery if you leave it plugged in.", "seller"),
    ],
)
def test_innocent_senses_are_not_flagged(text, role):
    assert categories(text, role) == set()


def test_who_is_asking_matters_for_stars():
    # A seller bringing up star counts is fishing; a buyer saying it is just a buyer.
    assert categories("5 stars would be great!", "seller") == {"review_request"}
    assert categories("5 stars from me, great lamp!", "buyer") == set()


def test_pattern_syntax_optional_words_and_leetspeak():
    compiled = compile_phrase("(please)? leave (us)? ~2 review", {})
    import re

    regex = re.compile(compiled.regex)
    for text in ("leave a review", "please leave us a quick review", "l3ave a r3view"):
        assert regex.search(text), text
    assert not regex.search("leave the package")
    assert compiled.anchors  # the pattern has literal words to look for


def test_a_bar_outside_a_group_is_rejected():
    with pytest.raises(ValueError, match="outside a group"):
        compile_phrase("review us|rate us", {})
