"""Running a search: the public articles matching a query, ranked, filtered, paginated.

Ranking cost grows with the number of matches (ts_rank reads every matching vector), so
only a bounded candidate set is ranked: the newest `CANDIDATES` matches. Past that, readers
are better served by the "newest" sort or a filter, and the count says "1000+".
"""

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch
from django.utils import timezone

from articles.models import Article, Channel, Section

from . import text
from .highlighting import Highlighter

CANDIDATES = 1000
PAGE_SIZE = 20
QUERY_MAX_CHARS = 100


@dataclass
class SearchRequest:
    query: str = ""
    channel: Channel | None = None
    date_from: date | None = None
    date_to: date | None = None
    newest_first: bool = False
    page: str | int | None = 1
    problems: list[str] = field(default_factory=list)


@dataclass
class SearchResults:
    request: SearchRequest
    page: Page | None
    count: int
    capped: bool
    seconds: float
    hits: list = field(default_factory=list)


def clean_query(raw: str) -> str:
    """At most 100 characters, no control characters, spaces collapsed."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(cleaned.split())[:QUERY_MAX_CHARS]


def run(request: SearchRequest) -> SearchResults:
    started = time.perf_counter()
    tsquery = text.tsquery(request.query)
    if not tsquery:
        return SearchResults(request, None, 0, False, time.perf_counter() - started)
    query = SearchQuery(tsquery, config="simple", search_type="raw")
    matches = Article.objects.public().filter(search_document__vector=query)
    if request.channel:
        matches = matches.filter(channel=request.channel)
    if request.date_from:
        matches = matches.filter(published_at__gte=_day_start(request.date_from))
    if request.date_to and request.date_to < date.max:
        matches = matches.filter(published_at__lt=_day_start(request.date_to + timedelta(days=1)))
    candidates = matches.order_by("-published_at", "-pk").values("pk")[:CANDIDATES]
    if request.newest_first:
        ordered = candidates.values_list("pk", flat=True)
    else:
        ordered = (
            Article.objects.filter(pk__in=candidates)
            .annotate(rank=SearchRank(F("search_document__vector"), query))
            .order_by("-rank", "-published_at", "-pk")
            .values_list("pk", flat=True)
        )
    # One query ranks the whole (bounded) candidate set; counting and paging are then free.
    ids = list(ordered)
    page = Paginator(ids, PAGE_SIZE).get_page(request.page)
    articles = (
        Article.objects.filter(pk__in=page.object_list)
        .with_card_data()
        .prefetch_related(
            Prefetch("sections", queryset=Section.objects.only("article_id", "body_html"))
        )
        .in_bulk()
    )
    highlighter = Highlighter(text.query_words(request.query))
    hits = [highlighter.hit(articles[pk]) for pk in page.object_list if pk in articles]
    return SearchResults(
        request, page, len(ids), len(ids) >= CANDIDATES, time.perf_counter() - started, hits
    )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, dtime.min))
