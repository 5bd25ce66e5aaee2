"""/trending/, the 热传 sidebar include and the read beacon."""

import logging

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles import edge
from articles.page_cache import public_page

from .buffer import push_pending
from .counting import count_read
from .models import ArticleReadHour
from .ranking import current_entries
from .templatetags.trending_tags import render_sidebar

logger = logging.getLogger(__name__)


@public_page()
def trending_list(request):
    """The whole list, with each article's reads over the last 24 hours and 7 days."""
    entries = [dict(entry) for entry in current_entries()]
    keys = edge.article_keys([entry["article_id"] for entry in entries])
    edge.share(request, "trending", *keys, seconds=edge.TRENDING_SECONDS)
    totals = ArticleReadHour.objects.day_and_week_totals(
        [entry["article_id"] for entry in entries if entry["article_id"]], timezone.now()
    )
    for entry in entries:
        entry["reads_day"], entry["reads_week"] = totals.get(entry["article_id"], (0, 0))
    half_life = f"{settings.TRENDING_HALF_LIFE_HOURS:g}"
    return render(request, "trending/list.html", {"entries": entries, "half_life": half_life})


@require_safe
def sidebar(request):
    """The 热传 box alone, for an edge cache's include (see templatetags). Not kept in the
    page cache: the list is read from the cache anyway, and the edge keeps it a minute."""
    response = HttpResponse(render_sidebar(request))
    response["X-Robots-Tag"] = "noindex"
    return response


# A transparent 1×1 GIF.
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)
LARGEST_ID = 2**63 - 1


def _push_now() -> None:
    """The read goes to the shared cache before the pixel is answered: a read the site has
    answered for survives the loss of this process a moment later (an app node killed).
    With the cache down the read waits in the process, as every read does, and the
    background runner sends it when the cache is back."""
    try:
        push_pending()
    except Exception:  # the cache's failure, whichever client raised it: the runner retries
        logger.debug("read beacon: the cache did not take the read now", exc_info=True)


@require_safe
def read_beacon(request, article_id: int):
    """One reader's view of an article, counted by the rules of `trending.counting` (bots,
    prefetch, editors, one read per reader in 30 minutes) — never kept by any cache, so it
    reaches us whoever served the page. The only place a read is counted."""
    if article_id > LARGEST_ID:
        raise Http404("没有这篇文章")
    if request.method == "GET" and settings.TRENDING_COUNT_READS:
        count_read(request, article_id)
        _push_now()
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
