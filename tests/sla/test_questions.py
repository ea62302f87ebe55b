"""Similar questions are grouped by their words, whatever the wording around them."""

from apps.sla.questions import group_similar, similarity, words


def test_words_ignore_case_punctuation_numbers_greetings_and_endings():
    assert words("Hi! Does the CHARGER fit model X200??") == words("does this charger fits the models")
    assert words("Thanks 123 !!!") == frozenset()


def test_similar_questions_are_grouped_and_unrelated_ones_are_not():
    texts = [
        "Does the charger fit model X200?",
        "Where is my parcel? Tracking hasn't changed.",
        "Will this charger fit the X300 model?",
        "Hello, does the charger fit my model X100?",
        "The tracking says delivered but there is nothing at my door",
        "Tracking says delivered, nothing at the door!",
        "Can I pay with a gift card?",
    ]
    groups = group_similar(texts)
    assert groups[0] == [0, 2, 3]
    assert [4, 5] in groups
    assert all(len(group) == 1 for group in groups if group not in ([0, 2, 3], [4, 5]))


def test_similarity_is_the_share_of_words_in_common():
    assert similarity(frozenset({"charger", "fit"}), frozenset({"charger", "fit", "model"})) == 2 / 3
    assert similarity(frozenset(), frozenset({"charger"})) == 0


def test_two_thousand_different_questions_group_quickly():
    import random
    import string
    import time

    rng = random.Random(5)
    vocabulary = ["".join(rng.choices(string.ascii_lowercase, k=7)) for _ in range(600)]
    texts = [" ".join(rng.sample(vocabulary, 6)) for _ in range(2000)]
    started = time.perf_counter()
    groups = group_similar(texts)
    assert time.perf_counter() - started < 2
    assert sum(len(group) for group in groups) == 2000
