"""A real Celery worker on Redis runs our tasks (CI runs this; locally it needs REDIS_URL)."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from apps.core.tasks import HEARTBEAT_CACHE_KEY, heartbeat
from tests.conftest import celery_config, require

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def worker_queue():
    require(bool(settings.REDIS_URL), "REDIS_URL is not set (no Redis broker)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": settings.REDIS_URL, "TESTING": "true"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "messaging_center",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "WARNING",
        ],
        env={**env, "CELERY_TASK_ALWAYS_EAGER": "false"},
        cwd=settings.BASE_DIR,
    )
    try:
        yield queue
    finally:
        worker.terminate()
        worker.wait(timeout=20)


def test_a_real_worker_runs_the_heartbeat_and_healthz_shows_it(client, worker_queue):
    cache.delete(HEARTBEAT_CACHE_KEY)
    assert client.get(reverse("healthz")).json()["worker_last_seen"] is None

    with celery_config(task_always_eager=False):
        heartbeat.apply_async(queue=worker_queue)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and cache.get(HEARTBEAT_CACHE_KEY) is None:
        time.sleep(0.25)
    assert client.get(reverse("healthz")).json()["worker_last_seen"] is not None
