from celery import shared_task

from . import services


@shared_task(acks_late=True)
def sweep_deadlines() -> dict[str, int]:
    """Beat sends this every minute. Idempotent: a rerun after a crash marks nothing twice."""
    return services.sweep_deadlines().as_dict()
