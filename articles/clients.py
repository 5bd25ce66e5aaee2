"""Who is asking: the visitor's address, wherever the proxy in front puts it."""

from django.conf import settings


def client_address(request) -> str:
    """The address from `CLIENT_IP_HEADER` (e.g. X-Real-IP set by nginx), else REMOTE_ADDR;
    of a forwarded list, the first (the visitor's own)."""
    address = request.META.get(settings.CLIENT_IP_HEADER, "") or request.META.get("REMOTE_ADDR", "")
    return address.split(",")[0].strip()
