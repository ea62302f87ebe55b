"""What the seller inbox shows about deadlines: time left per thread, and what is about to go late."""

from datetime import timedelta

import pytest
from django.urls import reverse

from apps.sla.templatetags.sla_tags import describe_remaining
from tests.sla.conftest import HOUR, T0, buyer_writes, frozen, new_order, seller_replies

pytestmark = pytest.mark.django_db


def inbox_at(client, user, moment, **params):
    client.force_login(user)
    with frozen(moment):
        return client.get(reverse("seller_inbox:inbox"), params)


def test_each_waiting_thread_shows_the_time_left_or_how_late_it_is(client, seller, seller_user):
    buyer_writes(order=new_order(seller), at=T0 - timedelta(hours=20, minutes=48), text="Fresh-ish")
    buyer_writes(order=new_order(seller), at=T0 - 26 * HOUR, text="Old one")
    answered = buyer_writes(order=new_order(seller), at=T0 - 2 * HOUR, text="Answered one")
    seller_replies(thread=answered.thread, author=seller_user, at=T0 - HOUR)
    page = inbox_at(client, seller_user, T0).content.decode()
    assert '<span class="deadline deadline-soon">3 h 12 min left</span>' in page
    assert '<span class="deadline deadline-late">late by 2 h</span>' in page
    assert page.count('class="deadline ') == 2  # nothing is due on the answered thread


def test_the_header_counts_threads_about_to_go_late_and_late_ones(client, seller, seller_user):
    buyer_writes(order=new_order(seller), at=T0 - 21 * HOUR)  # 3 h left: about to go late
    buyer_writes(order=new_order(seller), at=T0 - 20 * HOUR)  # exactly 4 h left: about to go late
    buyer_writes(order=new_order(seller), at=T0 - 19 * HOUR)  # 5 h left: not yet
    buyer_writes(order=new_order(seller), at=T0 - 25 * HOUR)  # late
    response = inbox_at(client, seller_user, T0)
    counts = response.context["deadlines"]
    assert (counts.due_soon, counts.late) == (2, 1)
    page = response.content.decode()
    assert "<strong>2</strong> due within 4 h" in page
    assert "<strong>1</strong> late" in page


def test_another_sellers_deadlines_are_not_counted(client, seller_user, other_seller):
    buyer_writes(order=new_order(other_seller), at=T0 - 21 * HOUR)
    assert inbox_at(client, seller_user, T0).context["deadlines"].due_soon == 0


@pytest.mark.parametrize(
    ("remaining", "text"),
    [
        (timedelta(hours=3, minutes=12, seconds=40), "3 h 12 min left"),
        (timedelta(hours=23, minutes=59, seconds=59), "23 h 59 min left"),
        (timedelta(minutes=7), "7 min left"),
        (timedelta(seconds=20), "under 1 min left"),
        (timedelta(0), "under 1 min left"),
        (-timedelta(seconds=1), "late by under 1 min"),
        (-timedelta(hours=2, minutes=40), "late by 2 h"),
        (-timedelta(days=3, hours=5), "late by 3 d 5 h"),
    ],
)
def test_time_left_reads_like_a_person_would_say_it(remaining, text):
    assert describe_remaining(remaining) == text
