"""Site-wide pages: home, health check, robots.txt and the error pages."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from articles.models import Article
from articles.page_cache import public_page

HOME_LATEST_COUNT = 12
HOME_PER_CHANNEL = 4


@public_page
def home(request):
    """Lead article, the latest list and a block per channel: a fixed number of queries."""
    latest = list(Article.objects.public().with_card_data().latest()[: HOME_LATEST_COUNT + 1])
    blocks: dict = {}
    for article in Article.objects.public().newest_per_channel(HOME_PER_CHANNEL):
        blocks.setdefault(article.channel, []).append(article)
    return render(
        request,
        "home.html",
        {
            "lead": latest[0] if latest else None,
            "latest": latest[1:],
            "channel_blocks": list(blocks.items()),
        },
    )


@never_cache
@require_GET
def healthz(request):
    """For load balancers: 200 with the database reachable, 503 without."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to answer means unhealthy
        return JsonResponse(
            {"status": "error", "database": "unreachable", "detail": type(exc).__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@cache_control(max_age=86400, public=True)
@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", f"Sitemap: {sitemap}", ""]
    return render(request, "robots.txt", {"lines": lines}, content_type="text/plain")


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """Rendered without context processors' database work: the database may be the problem."""
    return render(request, "500.html", status=500)
