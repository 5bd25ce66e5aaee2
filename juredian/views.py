"""Site-wide pages: home, health check, robots.txt and the error pages."""

import logging
import sys

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve as static_serve

from articles import edge
from articles.models import Article
from articles.outage import DATABASE_UNREACHABLE, RETRY_AFTER_SECONDS
from articles.page_cache import public_page, stale_page
from articles.views import moved_to

from . import health

HOME_LATEST_COUNT = 12
HOME_PER_CHANNEL = 4


@public_page()
def home(request):
    """Lead article, the latest list and a block per channel: a fixed number of queries."""
    latest = list(Article.objects.public().with_card_data().latest()[: HOME_LATEST_COUNT + 1])
    blocks: dict = {}
    # Each article once: the channel blocks carry on where 最新 stopped.
    others = Article.objects.public().exclude(pk__in=[article.pk for article in latest])
    for article in others.newest_per_channel(HOME_PER_CHANNEL):
        blocks.setdefault(article.channel, []).append(article)
    shown = [*latest, *(article for block in blocks.values() for article in block)]
    edge.share(request, "home", *edge.article_keys(shown), seconds=edge.LIST_SECONDS)
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
@require_safe
def healthz(request):
    """For load balancers and operators: each part's state as JSON (see `juredian.health`).
    200 while this node can serve readers — the cache may be down, pages are then rendered
    without it — and 503 without its database."""
    report = health.report()
    return JsonResponse(report, status=200 if report["status"] != "error" else 503)


def takedown_desk_moved(request, rest):
    """The takedown desk moved from /admin/articles/… to /admin/takedown/… with its own app:
    editors' bookmarks and links in old emails still arrive."""
    return redirect(reverse("admin:app_list", args=["takedown"]) + rest, permanent=True)


@cache_control(max_age=86400, public=True)
@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", f"Sitemap: {sitemap}", ""]
    return render(request, "robots.txt", {"lines": lines}, content_type="text/plain")


@cache_control(max_age=86400, public=True)
def media(request, path):
    """Uploaded images, when no proxy serves MEDIA_ROOT (make run, make dev)."""
    return static_serve(request, path, document_root=settings.MEDIA_ROOT)


ERRORS = {
    400: ("请求有误", "这个请求的格式不对，服务器无法处理。请检查网址后再试。"),
    403: ("无权访问", "您没有权限查看这个页面。如果您是编辑，请先登录。"),
    404: ("页面不存在", "您要找的页面不存在，可能已被删除或网址有误。"),
    500: ("服务器出错了", "服务器暂时出了点问题，我们已经记录下来。请稍后再试。"),
}
CSRF_FAILURE = (
    "页面已过期，提交没有成功",
    "页面已过期或浏览器禁用了 Cookie，为了安全，这次提交没有被接受。请确认浏览器允许本站使用 "
    "Cookie，然后返回上一页重新提交；您填写的内容通常仍在页面上（已选的附件需要重新选择）。",
)


def error_page(request, code: int, text: tuple[str, str] | None = None):
    heading, message = text or ERRORS[code]
    context = {"code": code, "heading": heading, "message": message}
    return render(request, "error.html", context, status=code)


def bad_request(request, exception):
    return error_page(request, 400)


def permission_denied(request, exception):
    return error_page(request, 403)


@never_cache
def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form posted without a valid token (cookies off, a page left open
    too long). The reader is told what to do; Django's `reason` is for developers only."""
    return error_page(request, 403, CSRF_FAILURE)


def page_not_found(request, exception):
    """A 404 — unless the path is an old address of an article (its slug before a change,
    the old site's page it was imported from): then a 301 to where it is now."""
    try:
        moved = moved_to(request.path)
    except DATABASE_UNREACHABLE:
        moved = None
    return moved or error_page(request, 404)


def server_error(request):
    """An error the page could not recover from. When the database is unreachable: the last
    good copy of the page if there is one, else 503 (try again shortly). Rendered so that it
    cannot fail in turn: the plain frame needs neither the database nor the cache."""
    if isinstance(sys.exc_info()[1], DATABASE_UNREACHABLE):
        return stale_page(request) or outage_page(request)
    try:
        return error_page(request, 500)
    except Exception:
        logger.exception("the error page failed; answering with the plain frame")
        return outage_page(request, 500)


OUTAGE = ("暂时无法访问", "网站的数据库暂时无法连接，我们正在处理。请稍后刷新页面再试。")
logger = logging.getLogger(__name__)


def outage_page(request, code: int = 503):
    heading, message = OUTAGE if code == 503 else ERRORS[code]
    context = {"code": code, "heading": heading, "message": message}
    response = render(request, "outage.html", context, status=code)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def signin_locked(request, original_response=None, credentials=None):
    """django-axes' answer to a sign-in refused after repeated wrong passwords (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "admin/locked_out.html", context, status=429)
