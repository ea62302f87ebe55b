"""The Celery app. Its configuration lives in Django settings under the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "messaging_center.settings")

app = Celery("messaging_center")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
