from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from articles import edge

from ..ranking import sidebar_entries

register = template.Library()


@register.simple_tag(takes_context=True)
def trending_sidebar(context):
    """The 热传 box. Behind an edge cache that processes includes, an `<esi:include>` of
    /trending/sidebar/, which the edge keeps for a minute while the page around it is kept
    for long; otherwise drawn in place — from the cache (no query) or the stored snapshot
    (one query) — and the page is then shared for a minute only."""
    request = context.get("request")
    if request is not None and edge.edge_includes(request):
        edge.include(request)
        return format_html('<esi:include src="{}"/>', reverse("trending:sidebar"))
    return render_sidebar(request)


def render_sidebar(request) -> str:
    entries = sidebar_entries()
    if request is not None:
        article_ids = [entry["article_id"] for entry in entries]
        keys = edge.article_keys(article_ids)
        edge.share(request, "trending", *keys, seconds=edge.TRENDING_SECONDS)
    return render_to_string("trending/_sidebar.html", {"entries": entries})


@register.simple_tag
def read_beacon(article):
    """How a reader's view is counted, whoever served the page: an image request that no
    cache keeps (see trending.views.read_beacon). Most bots do not load images."""
    return format_html(
        '<img class="read-beacon" src="{}" alt="" width="1" height="1">',
        reverse("trending:read", args=[article.pk]),
    )
