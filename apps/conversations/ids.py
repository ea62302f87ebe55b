from apps.core.ids import random_base32


def new_public_id(length: int = 16) -> str:
    """An opaque, unguessable id (80 bits at the default length), never sequential."""
    return random_base32(length)
