"""The 热传 list: reads weighted by age, editors' pins, hides and items, cached for the sidebar.

`recompute()` runs off the request path (the flusher thread, at most once a minute, or after
an editor's change) and stores the list in the cache and in `TrendingSnapshot`. Pages only
read it: no query with a warm cache, one with a cold one.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import DurationField, ExpressionWrapper, F, FloatField, Q, Sum, Value
from django.db.models.functions import Extract, Power
from django.utils import timezone

from articles.models import Article
from articles.outage import DATABASE_UNREACHABLE
from articles.page_cache import newest_article_update
from articles.purging import purge

from .models import SIDEBAR_SIZE, ArticleReadHour, TrendingHidden, TrendingItem, TrendingSnapshot

CACHE_KEY = "trending:list:v2"  # (newest article update seen, entries)
RECOMPUTE_LOCK = "trending:recompute-lock"
CACHE_SECONDS = 600
LIST_SIZE = 50


def article_scores(now: datetime, limit: int = LIST_SIZE) -> list[tuple[int, float]]:
    """[(article_id, score)], best first: each hour's reads × 0.5^(age / half-life)."""
    half_life = float(settings.TRENDING_HALF_LIFE_HOURS)
    age_hours = Extract(
        ExpressionWrapper(Value(now) - F("hour"), output_field=DurationField()), "epoch"
    ) / Value(3600.0)
    hidden = TrendingHidden.objects.filter(Q(until__isnull=True) | Q(until__gt=now))
    rows = (
        ArticleReadHour.objects.filter(
            hour__gte=now - timedelta(days=settings.TRENDING_WINDOW_DAYS),
            hour__lte=now,
            article__in=Article.objects.public(),
        )
        .exclude(article__in=hidden.values("article"))
        .values("article_id")
        .annotate(
            score=Sum(
                F("reads") * Power(Value(0.5), age_hours / Value(half_life)),
                output_field=FloatField(),
            )
        )
        .order_by("-score", "-article_id")[:limit]
    )
    return [(row["article_id"], row["score"]) for row in rows]


def compute(now: datetime | None = None) -> list[dict]:
    """Pinned items at their positions; then editors' unpinned items, the articles ranked by
    reads, and imported items to fill — each article at most once."""
    now = now or timezone.now()
    items = list(
        TrendingItem.objects.active(now)
        .filter(Q(article__isnull=True) | Q(article__in=Article.objects.public()))
        .select_related("article")
    )
    scores = article_scores(now)
    articles = Article.objects.public().in_bulk([article_id for article_id, _ in scores])

    pinned = sorted((i for i in items if i.position), key=lambda i: (i.position, -i.pk))
    manual = [i for i in items if not i.position and i.kind == TrendingItem.Kind.MANUAL]
    imported = [i for i in items if not i.position and i.kind == TrendingItem.Kind.IMPORTED]
    ranked = [
        _article_entry(articles[article_id], score)
        for article_id, score in scores
        if article_id in articles
    ]

    flowing: list[dict] = []
    seen: set[int] = {i.article_id for i in pinned if i.article_id}
    for entry in [*map(_item_entry, manual), *ranked, *map(_item_entry, imported)]:
        if entry["article_id"] is None or entry["article_id"] not in seen:
            flowing.append(entry)
            if entry["article_id"]:
                seen.add(entry["article_id"])
    for item in pinned:
        flowing.insert(min(item.position - 1, len(flowing)), {**_item_entry(item), "pinned": True})
    return flowing[:LIST_SIZE]


def recompute(now: datetime | None = None) -> list[dict]:
    """Compute the list and keep it, holding the snapshot row meanwhile: a withdrawal (whose
    `drop_article` takes the same row) is either seen by the computation or applied to
    its result, never lost between the two."""
    with transaction.atomic():
        snapshot = _locked_snapshot()
        seen = newest_article_update()  # before computing: never newer than what it sees
        shown_before = _shown(snapshot.items)
        snapshot.items = compute(now)
        snapshot.computed_at = timezone.now()
        snapshot.save()
        _keep(snapshot.items, seen)
        if _shown(snapshot.items) != shown_before:
            purge("trending")  # edge caches: the sidebar, only when what it shows changed
    return snapshot.items


def _shown(entries: list[dict]) -> list[tuple]:
    """What the sidebar shows of a list (not the scores, which change every minute)."""
    return [
        (entry["title"], entry["summary"], entry["url"], entry["expires_at"])
        for entry in entries[:SIDEBAR_SIZE]
    ]


def recompute_if_due() -> None:
    """Recompute at most once per `TRENDING_RECOMPUTE_SECONDS` among all processes sharing
    the cache (the background job; editors' changes recompute at once, see receivers)."""
    if cache.add(RECOMPUTE_LOCK, 1, timeout=settings.TRENDING_RECOMPUTE_SECONDS):
        recompute()


def drop_article(article_id: int) -> None:
    """Take an article off the list now (withdrawn, unpublished, deleted)."""
    with transaction.atomic():
        snapshot = _locked_snapshot()
        seen = newest_article_update()
        kept = [entry for entry in snapshot.items if entry["article_id"] != article_id]
        if len(kept) != len(snapshot.items):
            snapshot.items = kept
            snapshot.save(update_fields=["items"])
        _keep(kept, seen)


def current_entries() -> list[dict]:
    """The last computed list: from the cache, else one query for the snapshot.

    The cached copy is dropped once any article has changed since it was kept: a takedown
    made by `manage.py takedown` beside a local-memory cache changes the snapshot in the
    database, not this process's cache, and must not linger here (the same half-second
    check the page cache makes, so usually no query of its own). With the database out of
    reach, the kept list as it is, else none: pages that show the sidebar (a form that must
    say "try again" among them) still render."""
    kept = cache.get(CACHE_KEY)
    try:
        seen = newest_article_update()
        if kept is not None and kept[0] >= seen:
            return kept[1]
        entries = (
            TrendingSnapshot.objects.filter(key="main").values_list("items", flat=True).first()
            or []
        )
    except DATABASE_UNREACHABLE:
        return kept[1] if kept is not None else []
    _keep(entries, seen)
    return entries


def _locked_snapshot() -> TrendingSnapshot:
    return TrendingSnapshot.objects.select_for_update().get_or_create(key="main")[0]


def _keep(entries: list[dict], seen: float) -> None:
    """Cache the list, stamped with the newest article update read before it was made."""
    cache.set(CACHE_KEY, (seen, entries), CACHE_SECONDS)


def sidebar_entries(now: datetime | None = None) -> list[dict]:
    """Up to 8 entries; an item that expired since the last recompute is left out already."""
    now = now or timezone.now()
    live = [
        entry
        for entry in current_entries()
        if not entry["expires_at"] or datetime.fromisoformat(entry["expires_at"]) > now
    ]
    return live[:SIDEBAR_SIZE]


def _article_entry(article: Article, score: float) -> dict:
    return {
        "title": article.title,
        "summary": article.lede,
        "url": article.get_absolute_url(),
        "article_id": article.pk,
        "expires_at": None,
        "pinned": False,
        "score": round(score, 3),
    }


def _item_entry(item: TrendingItem) -> dict:
    return {
        "title": item.display_title,
        "summary": item.display_summary,
        "url": item.link,
        "article_id": item.article_id,
        "expires_at": item.expires_at.isoformat() if item.expires_at else None,
        "pinned": False,
        "score": None,
    }
