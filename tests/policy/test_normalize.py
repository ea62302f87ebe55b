# ruff: noqa: RUF001, RUF003 - look-alike characters are what these tests are about
"""Normalisation keeps a map back to the original text: findings must highlight exactly
what the sender typed, even where the normalised text is longer or shorter."""

import pytest

from apps.policy.normalize import normalize
from apps.policy.numbers import digits_view
from tests.policy.helpers import run


def original_of(text: str, norm, start: int, end: int) -> str:
    a, b = norm.span(start, end)
    return text[a:b]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Hello World", "hello world"),
        ("ｗｈａｔｓａｐｐ", "whatsapp"),  # full-width
        ("Ꮃhаtsарр", "whatsapp"),  # Cherokee W, Cyrillic а and р
        ("ΗΕΛΛΟ", "he\u03bb\u03bbo"),  # Greek capitals that look Latin; lambda stays
        ("wh\u200bats\u200dapp", "whatsapp"),  # zero-width space and joiner
        ("ﬁle", "file"),  # ligature
        ("café", "cafe"),
        ("cafe\u0301", "cafe"),  # combining accent
        ("Straße", "strasse"),
        ("٥٥٥ ५५५ 𝟓", "555 555 5"),  # Arabic-Indic, Devanagari, mathematical digits
        ("➊➋③", "123"),
        ("🇼🇦", "wa"),  # regional indicators spell letters
        ("w h a t s a p p", "whatsapp"),  # spaced-out letters are joined
        ("r.e.v.i.e.w", "review"),
        ("a\x00b", "a b"),  # control characters become separators
    ],
)
def test_folding(text, folded):
    assert normalize(text).text == folded


def test_plain_ascii_keeps_offsets_one_to_one():
    norm = normalize("Order 112-3456789-0123456 shipped")
    assert norm.starts is None
    assert norm.span(6, 25) == (6, 25)


def test_every_normalised_character_points_into_the_original():
    text = "Ca\u0301ll 5\ufe0f\u20e3 ﬁ Straße w\u200bh a t s"
    norm = normalize(text)
    for i in range(len(norm.text)):
        a, b = norm.span(i, i + 1)
        assert 0 <= a < b <= len(text)


def test_keycap_maps_back_to_the_whole_keycap_sequence():
    text = "call 5️⃣5️⃣5️⃣"
    norm = normalize(text)
    assert norm.text == "call 555"
    assert original_of(text, norm, 5, 8) == "5️⃣5️⃣5️⃣"


def test_ligature_expands_but_maps_to_one_character():
    text = "the ﬁle"
    norm = normalize(text)
    assert norm.text == "the file"
    assert original_of(text, norm, 4, 5) == "ﬁ"
    assert original_of(text, norm, 4, 8) == "ﬁle"


def test_zero_width_characters_are_dropped_but_spans_cover_them():
    text = "5\u200b5\u200b5"
    norm = normalize(text)
    assert norm.text == "555"
    assert original_of(text, norm, 0, 3) == text


def test_spelled_out_digits_map_back_to_their_words():
    text = "call five five five, one two"
    view = digits_view(normalize(text))
    assert view.text == "call 5 5 5, 1 2"
    assert original_of(text, view, 5, 8) == "five five"
    assert original_of(text, view, 5, len(view.text)) == "five five five, one two"


def test_compound_number_words_become_one_number():
    assert digits_view(normalize("treinta y cinco")).text == "35"
    assert digits_view(normalize("soixante-dix-huit")).text == "78"
    assert digits_view(normalize("einundzwanzig")).text == "21"
    assert digits_view(normalize("double five")).text == "55"


def test_o_is_zero_only_between_numbers():
    assert digits_view(normalize("five oh nine")).text == "5 0 9"
    assert digits_view(normalize("oh no, not again")).text == "oh no, not again"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("text me 5️⃣5️⃣5️⃣-8️⃣6️⃣7️⃣-5️⃣3️⃣0️⃣9️⃣ ok", "5️⃣5️⃣5️⃣-8️⃣6️⃣7️⃣-5️⃣3️⃣0️⃣9️⃣"),
        ("call ５５５ ８６７ ５３０９ now", "５５５ ８６７ ５３０９"),
        (
            "ring five five five, eight six seven, five three oh nine!",
            "five five five, eight six seven, five three oh nine",
        ),
        (
            "ph 5\u200b5\u200b5\u200b8\u200b6\u200b7\u200b5\u200b3\u200b0\u200b9.",
            "5\u200b5\u200b5\u200b8\u200b6\u200b7\u200b5\u200b3\u200b0\u200b9",
        ),
    ],
)
def test_phone_findings_point_at_the_original_characters(text, expected):
    (finding,) = [f for f in run(text).findings if f.category == "phone"]
    assert finding.excerpt == expected
    assert text[finding.start : finding.end] == expected


def test_email_finding_covers_the_spelled_out_address():
    text = "Write to JANE (at) GMAIL (dot) COM today"
    (finding,) = run(text).findings
    assert finding.excerpt == "JANE (at) GMAIL (dot) COM"


def test_leetspeak_and_homoglyph_phrase_maps_back():
    text = "Pls l3ave us a r3v13w, thx"
    (finding,) = run(text).findings
    assert finding.category == "review_request"
    assert text[finding.start : finding.end] == finding.excerpt
    assert finding.excerpt.endswith("r3v13w")
