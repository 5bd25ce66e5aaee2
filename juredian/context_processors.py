"""What the site-wide frame needs on every page."""

from .traditional import PREFIX, simplified_path


def languages(request) -> dict:
    """The page's two script forms, for the 简/繁 switch and the hreflang alternates."""
    simplified = simplified_path(request.path)
    query = request.GET.urlencode()  # percent-encoded, whatever the client sent
    suffix = f"?{query}" if query else ""
    return {
        "is_traditional": getattr(request, "traditional", False),
        "simplified_url": simplified + suffix,
        "traditional_url": PREFIX + simplified + suffix,
    }
