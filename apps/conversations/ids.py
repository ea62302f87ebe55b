import secrets

# Lower-case base32 without padding: safe in URLs and email local parts, 5 bits a character.
_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


def new_public_id(length: int = 16) -> str:
    """An opaque, unguessable id (80 bits at the default length), never sequential."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))
