import json
from functools import lru_cache
from urllib.parse import urlencode

import segno
from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, format_html_join
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
        "author": [
            {
                "@type": "Person",
                "name": person.name,
                "url": request.build_absolute_uri(person.get_absolute_url()),
            }
            for person in article.byline_authors()
        ]
        or {"@type": "Person", "name": article.byline or settings.SITE_NAME},
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
        else [request.build_absolute_uri(reverse("articles:share_card", args=[article.slug]))],
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


@register.simple_tag(takes_context=True)
def breadcrumbs(context, *trail):
    """首页 › … › the current page: a navigation list and its schema.org BreadcrumbList.
    `trail` alternates names and paths; the last item is the current page (no link)."""
    request = context["request"]
    items = [("首页", "/"), *zip(trail[::2], trail[1::2], strict=True)]
    data = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": str(name),
             "item": request.build_absolute_uri(path)}
            for number, (name, path) in enumerate(items, start=1)
        ],
    }  # fmt: skip
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    links = format_html_join(
        "", '<li><a href="{}">{}</a></li>', ((path, name) for name, path in items[:-1])
    )
    return format_html(
        '<nav class="breadcrumbs" aria-label="当前位置"><ol>{}<li aria-current="page">{}</li>'
        '</ol></nav><script type="application/ld+json">{}</script>',
        links, items[-1][0], mark_safe(payload),
    )  # fmt: skip


@register.simple_tag
def qr_svg(url: str):
    """A QR code of `url` as inline SVG (segno), for WeChat's scanner: dark on white in
    either theme, with a label for screen readers."""
    return mark_safe(_qr_svg(url))


@lru_cache(maxsize=1024)
def _qr_svg(url: str) -> str:
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=3, border=2, dark="#1d1d1f", light="#ffffff")
    return svg.replace("<svg ", '<svg role="img" aria-label="本文链接的二维码" ', 1)


@register.simple_tag
def weibo_share_url(url: str, title: str) -> str:
    """Weibo's own share page: no script of theirs on ours."""
    return "https://service.weibo.com/share/share.php?" + urlencode({"url": url, "title": title})
