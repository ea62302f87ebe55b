from celery import shared_task

from . import outbox


@shared_task(
    bind=True, acks_late=True, max_retries=outbox.MAX_ATTEMPTS, retry_backoff=30, retry_backoff_max=3600
)
def send_outbox_email(self, email_id: int) -> str:
    try:
        return outbox.send(email_id)
    except Exception as error:
        raise self.retry(exc=error) from error


@shared_task
def sweep_outbox() -> int:
    return outbox.requeue_stuck()
