from django.core.cache import cache
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import check_broker, check_database
from .tasks import HEARTBEAT_CACHE_KEY


@never_cache
@require_GET
def healthz(request):
    problems = {"database": check_database(), "broker": check_broker()}
    body = {name: ("ok" if problem is None else f"error: {problem}") for name, problem in problems.items()}
    healthy = not any(problems.values())
    body["status"] = "ok" if healthy else "error"
    try:
        body["worker_last_seen"] = cache.get(HEARTBEAT_CACHE_KEY)
    except Exception:
        body["worker_last_seen"] = None
    return JsonResponse(body, status=200 if healthy else 503)
