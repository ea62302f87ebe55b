class OrderError(Exception):
    """Base for order errors whose message may be shown to the person who caused them."""


class InvalidTransition(OrderError):
    pass
