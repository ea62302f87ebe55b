from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_CACHE_KEY = "core:worker-heartbeat"


@shared_task
def heartbeat() -> str:
    """Beat sends this every minute; /healthz shows when a worker last ran it."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, now, timeout=None)
    return now
