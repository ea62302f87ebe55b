from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from apps.accounts.selectors import can_moderate


def moderator_required(view):
    """Moderation pages exist only for moderators: anyone else gets 404, not a hint."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_moderate(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper
