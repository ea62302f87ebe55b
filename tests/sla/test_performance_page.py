"""/seller/performance/: the numbers a seller is measured by, checked against a hand count."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from tests.conftest import open_thread
from tests.factories import ProductFactory, make_buyer, make_order, make_seller, seller_owner
from tests.sla.conftest import HOUR, buyer_writes, frozen, new_order, no_response_needed, seller_replies

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)

# Ten buyer messages, each in its own thread: (arrived this long ago, answer after, how).
HAND_COUNTED = [
    ("A", 2 * DAY, 1 * HOUR, "reply"),  # in time
    ("B", 3 * DAY, 2 * HOUR, "reply"),  # in time
    ("C", 4 * DAY, 30 * HOUR, "reply"),  # late
    ("D", 5 * DAY, 5 * HOUR, "nrn"),  # in time, not a response time
    ("E", 6 * DAY, None, None),  # unanswered past 24 h: late
    ("F", 1 * HOUR, None, None),  # still inside its 24 h: not counted yet
    ("G", 10 * DAY, 3 * HOUR, "reply"),  # in time
    ("H", 20 * DAY, 25 * HOUR, "reply"),  # late
    ("I", 40 * DAY, 4 * HOUR, "reply"),  # in time
    ("J", 100 * DAY, 1 * HOUR, "reply"),  # outside every window
]


def build(seller, seller_user, rows=HAND_COUNTED):
    threads = {}
    for name, ago, after, how in rows:
        message = buyer_writes(order=new_order(seller), at=NOW - ago, text=f"Question {name}")
        threads[name] = message.thread
        if how == "reply":
            seller_replies(thread=message.thread, author=seller_user, at=NOW - ago + after)
        elif how == "nrn":
            no_response_needed(thread=message.thread, by=seller_user, at=NOW - ago + after)
    return threads


def cells(page: str, label: str) -> list[str]:
    """The 7, 30 and 90-day cells of one row of the response-time table."""
    row = re.search(rf'<th scope="row">{label}</th>(.*?)</tr>', page, re.S).group(1)
    return re.findall(r"<td[^>]*>(.*?)</td>", row)


def get_page(client, user):
    client.force_login(user)
    with frozen(NOW):
        return client.get(reverse("seller_inbox:performance"))


def test_the_rate_late_count_and_response_times_match_a_hand_count(client, seller, seller_user):
    build(seller, seller_user)
    response = get_page(client, seller_user)
    windows = {window.days: window for window in response.context["report"].windows}
    # 7 days: A B C D E count (F is still inside its 24 h); A B D in time; replies A B C.
    assert (windows[7].counted, windows[7].in_time, windows[7].late) == (5, 3, 2)
    assert windows[7].in_time_percent == 60
    assert windows[7].average_seconds == (3600 + 7200 + 108000) / 3
    assert windows[7].median_seconds == 7200
    # 30 days: + G (in time) and H (late); replies A B C G H.
    assert (windows[30].counted, windows[30].in_time, windows[30].late) == (7, 4, 3)
    assert windows[30].average_seconds == (3600 + 7200 + 108000 + 10800 + 90000) / 5
    assert windows[30].median_seconds == 10800
    # 90 days: + I (in time); J arrived 100 days ago and counts nowhere.
    assert (windows[90].counted, windows[90].in_time, windows[90].late) == (8, 5, 3)
    assert windows[90].average_seconds == 39000
    assert windows[90].median_seconds == (10800 + 14400) / 2

    page = response.content.decode()
    assert cells(page, "Response time under 24 hours") == ["60 %", "57.1 %", "62.5 %"]
    assert cells(page, "Late responses") == ["2", "3", "3"]
    assert cells(page, "Average response time") == ["11 h", "12 h 12 min", "10 h 50 min"]
    assert cells(page, "Median response time") == ["2 h", "3 h", "3 h 30 min"]
    assert "below the 90 % target" in page
    assert "arrived" in page
    assert "No response needed" in page


def test_late_threads_are_listed_with_links_to_the_thread(client, seller, seller_user):
    threads = build(seller, seller_user)
    response = get_page(client, seller_user)
    late = [row.public_id for row in response.context["report"].late_threads]
    # Latest deadline first; the others were answered in time, J arrived too long ago.
    assert late == [threads["C"].public_id, threads["E"].public_id, threads["H"].public_id]
    page = response.content.decode()
    for name in "ECH":
        assert reverse("seller_inbox:thread", args=[threads[name].public_id]) in page
    assert "Still waiting, late by 5 d" in page


def test_no_warning_at_or_above_90_percent(client, seller, seller_user):
    build(seller, seller_user, rows=[(str(n), (n + 2) * DAY, HOUR, "reply") for n in range(10)])
    page = get_page(client, seller_user).content.decode()
    assert "below the 90 % target" not in page
    assert "100 %" in page


def test_the_daily_trend_is_an_svg_with_a_text_alternative_and_a_table(client, seller, seller_user):
    build(seller, seller_user)
    response = get_page(client, seller_user)
    page = response.content.decode()
    svg = re.search(r"<svg[^>]*>(.*?)</svg>", page, re.S)
    assert 'role="img"' in page
    assert 'aria-labelledby="trend-title trend-desc"' in page
    assert '<title id="trend-title">' in svg.group(1)
    desc = re.search(r'<desc id="trend-desc">(.*?)</desc>', svg.group(1), re.S).group(1)
    assert "7 buyer messages counted, 3 of them late" in desc  # A B C D E G H
    assert "<table" in page.split("</svg>", 1)[1]
    trend = response.context["report"].trend
    assert len(trend) == 30
    assert trend[-1].day == NOW.date()
    by_day = {day.day: day for day in trend}
    assert (by_day[(NOW - 4 * DAY).date()].counted, by_day[(NOW - 4 * DAY).date()].late) == (1, 1)


@pytest.mark.parametrize("who", ["buyer", "other_seller", "anonymous"])
def test_the_page_is_404_for_anyone_but_the_sellers_staff(client, seller, seller_user, who):
    build(seller, seller_user, rows=HAND_COUNTED[:1])
    if who == "anonymous":
        assert client.get(reverse("seller_inbox:performance")).status_code == 302  # to log in
        return
    intruder = make_buyer() if who == "buyer" else seller_owner(make_seller())
    response = get_page(client, intruder)
    if who == "buyer":
        assert response.status_code == 404
    else:
        assert response.status_code == 200  # their own page, with none of this seller's numbers
        assert all(window.counted == 0 for window in response.context["report"].windows)


@pytest.mark.parametrize("count", [2, 12])
def test_the_page_costs_the_same_queries_whatever_the_data(
    client, seller, seller_user, count, django_assert_num_queries
):
    build(
        seller,
        seller_user,
        rows=[(str(n), (n % 9 + 1) * DAY, (n % 3) * 20 * HOUR, "reply") for n in range(count)],
    )
    client.force_login(seller_user)
    # Session, user, seller account; six for the report; three for the header's links.
    with frozen(NOW), django_assert_num_queries(12):
        response = client.get(reverse("seller_inbox:performance"))
    assert response.status_code == 200


def test_recurring_questions_group_similar_first_messages_by_product_and_topic(client, seller, seller_user):
    charger = ProductFactory(seller=seller, title="Travel charger 65 W")
    socks = ProductFactory(seller=seller, title="Wool socks")
    questions = [
        (charger, "product", "Does the charger fit model X200?"),
        (charger, "product", "Hi, will this charger fit the X300 model?"),
        (charger, "product", "does the charger fit my model X100??"),
        (socks, "return", "The socks are too small, how do I return them?"),
        (socks, "shipping", "Where is my parcel?"),
    ]
    made = []
    for index, (product, topic, text) in enumerate(questions):
        order = make_order(buyer=make_buyer(), seller=seller, products=[product], status="delivered")
        with frozen(NOW - (index + 1) * HOUR):
            made.append(open_thread(buyer=order.buyer, order=order, text=text, topic=topic).message.thread)
    # A follow-up is not a first question, and old threads are not in the last 30 days.
    buyer_writes(thread=made[0], at=NOW - timedelta(minutes=30), text="Does the charger fit model X9?")
    buyer_writes(
        order=make_order(seller=seller, products=[charger]), at=NOW - 40 * DAY, text="Charger fit X1 model?"
    )

    report = get_page(client, seller_user).context["report"]
    assert [(share.label, share.messages, share.threads) for share in report.products] == [
        ("Travel charger 65 W", 4, 3),
        ("Wool socks", 2, 2),
    ]
    assert [(share.key, share.messages) for share in report.topics] == [
        ("product", 4),
        ("return", 1),
        ("shipping", 1),
    ]
    assert len(report.questions) == 1
    group = report.questions[0]
    assert group.count == 3
    assert {public_id for public_id, _ in group.samples} == {thread.public_id for thread in made[:3]}
    page = get_page(client, seller_user).content.decode()
    assert "<strong>3 buyers</strong> asked something like" in page
