import json

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import edge
from ..navigation import channel_navigation

register = template.Library()

# Characters that could end a <script> element or start HTML inside JSON (as Django's json_script).
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.inclusion_tag("articles/_channel_nav.html", takes_context=True)
def channel_nav(context):
    request = context.get("request")
    if request is not None:
        edge.share(request, "channels", seconds=edge.ARTICLE_SECONDS)
    return {"channels": channel_navigation(), "current_path": request.path if request else ""}


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article):
    """schema.org NewsArticle for search engines, safe to place inside <script>."""
    request = context["request"]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.lede,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat(),
        "author": {"@type": "Person", "name": article.byline or settings.SITE_NAME},
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_BRAND,
            "logo": {
                "@type": "ImageObject",
                "url": request.build_absolute_uri(static("img/logo.png")),
            },
        },
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "image": [request.build_absolute_uri(article.cover.url)]
        if article.cover
        else [request.build_absolute_uri(static("img/share.png"))],
        "keywords": [tag.name for tag in article.tag_list()],
        "inLanguage": "zh-CN",
    }
    if article.source_url:
        data["isBasedOn"] = article.source_url
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """The full URL of a path on this site, as a crawler or a share card needs it."""
    return context["request"].build_absolute_uri(path)
