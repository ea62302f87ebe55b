"""Who may use the seller pages: staff of at least one seller account. Everyone else gets 404."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from apps.accounts.selectors import seller_accounts_for


def seller_staff_required(view):
    """Pass the seller account the user works for as `request.seller`; 404 for non-sellers."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seller = seller_accounts_for(request.user).order_by("pk").first()
        if seller is None:
            raise Http404("No such page.")
        request.seller = seller
        return view(request, *args, **kwargs)

    return wrapper
