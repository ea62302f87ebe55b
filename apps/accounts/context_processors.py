from .selectors import can_moderate, is_seller_staff


def navigation(request):
    """Which sections the header links to; two cheap queries, only for signed-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_is_seller": is_seller_staff(user), "nav_can_moderate": can_moderate(user)}
