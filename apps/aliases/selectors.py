from .models import Alias


def resolve(address: str) -> Alias | None:
    """The alias an address names (any case), or None; the domain is checked by the caller."""
    local_part = address.rsplit("@", 1)[0].strip().lower()
    return Alias.objects.select_related("buyer", "seller").filter(local_part=local_part).first()
