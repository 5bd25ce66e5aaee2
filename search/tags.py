"""Tags for readers who have not found what they looked for."""

from django.core.cache import cache
from django.db.models import Count, Q

from articles.models import Article, Tag

from .indexing import generation

POPULAR = 40


def _with_public_articles():
    return (
        Tag.objects.filter(tagged_articles__content_object__in=Article.objects.public())
        .annotate(uses=Count("tagged_articles"))
        .order_by("-uses", "name")
    )


def popular() -> list[dict]:
    """The most used tags of public articles (cached; retired with the search generation)."""
    key = f"search:popular:{generation()}"
    found = cache.get(key)
    if found is None:
        found = [
            {"name": t.name, "slug": t.slug, "uses": t.uses}
            for t in _with_public_articles()[:POPULAR]
        ]
        cache.set(key, found, 600)
    return found


def close_to(query: str, limit: int = 8) -> list[Tag]:
    """Tags sharing characters with the query, most used first."""
    characters = {ch for ch in query if not ch.isspace()}
    if not characters:
        return []
    sharing = Q()
    for ch in list(characters)[:20]:
        sharing |= Q(name__icontains=ch)
    return list(_with_public_articles().filter(sharing)[:limit])


def related_to(tag: Tag, limit: int = 12) -> list[Tag]:
    """The tags that most often share a public article with `tag` (a 词条's 相关词条): one
    query."""
    return list(
        Tag.objects.filter(
            tagged_articles__content_object__in=Article.objects.public().filter(
                tagged_items__tag=tag
            )
        )
        .exclude(pk=tag.pk)
        .annotate(shared=Count("tagged_articles"))
        .order_by("-shared", "name")[:limit]
    )
