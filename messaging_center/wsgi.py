import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "messaging_center.settings")
application = get_wsgi_application()

# The policy filter compiles its patterns on first use (about a second): at the worker's start,
# not on the first message a user sends or the first draft the composer checks.
from apps.policy.scan import warm_up  # noqa: E402 (needs the apps loaded above)

warm_up()
