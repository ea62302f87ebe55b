import secrets

# Lower-case base32 without padding: safe in URLs and email local parts, 5 bits a character.
BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


def random_base32(length: int) -> str:
    """Opaque and unguessable (5 random bits a character), never derived from anything."""
    return "".join(secrets.choice(BASE32_ALPHABET) for _ in range(length))
