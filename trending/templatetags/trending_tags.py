from django import template

from ..ranking import sidebar_entries

register = template.Library()


@register.inclusion_tag("trending/_sidebar.html")
def trending_sidebar():
    """The 热传 box: from the cache (no query), or the stored snapshot (one query)."""
    return {"entries": sidebar_entries()}
