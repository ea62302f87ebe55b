from .models import Alias


def resolve(address: str) -> Alias | None:
    """The alias an address names (any case), or None; the domain is checked by the caller."""
    local_part = address.rsplit("@", 1)[0].strip().lower()
    # The local part is unique: a plain LIMIT 1 (first() would order by id). Callers need only
    # the buyer's and seller's ids.
    found = Alias.objects.filter(local_part=local_part)[:1]
    return found[0] if found else None
