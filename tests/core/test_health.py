import time

import pytest
from django.urls import reverse

from tests.conftest import celery_config

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"


def test_healthz_is_503_quickly_when_the_broker_is_unreachable(client):
    # Nothing listens on port 9 here: a broker that is down.
    started = time.monotonic()
    with celery_config(broker_url="redis://127.0.0.1:9/0"):
        response = client.get(reverse("healthz"))
    assert time.monotonic() - started < 10
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["broker"].startswith("error")
    assert body["database"] == "ok"


def test_healthz_needs_no_login_and_is_not_cached(client):
    response = client.get(reverse("healthz"))
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
