"""Autocomplete: tags and article titles for what a reader has typed so far — characters,
full pinyin (gangtie → 钢铁) or initials (gt → 钢铁). Answers are cached."""

import hashlib
import re

from django.contrib.postgres.search import SearchQuery
from django.core.cache import caches
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from articles.models import Article, Tag

from . import text
from .indexing import generation
from .models import SearchDocument, TagPinyin

LIMIT = 10
TITLE_LIMIT = 5
TITLE_CANDIDATES = 20
TAG_CANDIDATES = 100
CACHE_SECONDS = 300
_LATIN = re.compile(r"^[a-z]+$")


def pinyin_of(name: str) -> tuple[str, str]:
    """(full, initials) in lower case without tones: 钢铁 → ("gangtie", "gt")."""
    from pypinyin import Style, lazy_pinyin  # only where tags are written

    syllables = [s for s in lazy_pinyin(name, errors="ignore") if s.isascii() and s.isalpha()]
    full = "".join(syllables).lower()
    initials = "".join(
        s[0] for s in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore") if s.isalpha()
    ).lower()
    return full, initials


def on_tag_saved(sender, instance, **kwargs):
    full, initials = pinyin_of(instance.name)
    pinyin, created = TagPinyin.objects.get_or_create(
        tag=instance, defaults={"full": full, "initials": initials}
    )
    if not created and not pinyin.corrected and (pinyin.full, pinyin.initials) != (full, initials):
        pinyin.full, pinyin.initials = full, initials
        pinyin.save(update_fields=["full", "initials"])


def suggest(raw: str) -> dict:
    """{"query", "tags": [...], "articles": [...]}, at most 10 entries in all."""
    query = text.normalise(raw).strip()[:40]
    if not query:
        return {"query": "", "tags": [], "articles": []}
    digest = hashlib.md5(query.encode(), usedforsecurity=False).hexdigest()
    key = f"search:suggest:{generation()}:{digest}"
    answers = caches["pages"]  # bounded like pages: anyone can type anything
    answer = answers.get(key)
    if answer is None:
        answer = _suggest(query)
        answers.set(key, answer, CACHE_SECONDS)
    return answer


def _suggest(query: str) -> dict:
    # Each way of matching on its own index, then united: OR across the join would read
    # every tag.
    starting = Tag.objects.filter(name__istartswith=query).values("pk")
    compact = query.replace(" ", "").replace("'", "")
    if _LATIN.match(compact):
        starting = starting.union(
            TagPinyin.objects.filter(full__startswith=compact).values("tag_id"),
            TagPinyin.objects.filter(initials__startswith=compact).values("tag_id"),
        )
    # Shortest names first (the typed prefix is most of them), at most TAG_CANDIDATES ids
    # fetched first: given the join at once, the planner may hash every tag's public
    # articles. EXISTS stops at a tag's first public article instead of counting them all.
    candidates = list(
        Tag.objects.filter(pk__in=starting)
        .order_by(Length("name"), "name")
        .values_list("pk", flat=True)[:TAG_CANDIDATES]
    )
    has_public = Article.objects.public().filter(tagged_items__tag=OuterRef("pk"))
    tags = (
        list(
            Tag.objects.filter(pk__in=candidates)
            .filter(Exists(has_public))
            .order_by(Length("name"), "name")[:LIMIT]
        )
        if candidates
        else []
    )
    titles = []
    title_query = text.title_prefix_tsquery(query)
    if title_query and len(tags) < LIMIT:
        # The newest matching documents by their own copy of the publication time (the
        # small title index, then a top-N sort, no join); then those of them that are
        # public now. Left to itself the planner may walk every article by date instead.
        matching = (
            SearchDocument.objects.filter(
                title_vector=SearchQuery(title_query, config="simple", search_type="raw"),
                published_at__lte=timezone.now(),
            )
            .order_by("-published_at")
            .values("article_id")[:TITLE_CANDIDATES]
        )
        titles = list(
            Article.objects.public()
            .filter(pk__in=matching)
            .order_by("-published_at")
            .values("title", "slug")[: min(TITLE_LIMIT, LIMIT - len(tags))]
        )
    return {
        "query": query,
        "tags": [
            {
                "name": tag.name,
                "url": f"{reverse('search:results')}?{urlencode({'q': tag.name})}",
                "entry_url": reverse("search:entry", args=[tag.slug]),
            }
            for tag in tags
        ],
        "articles": [
            {"title": row["title"], "url": reverse("articles:detail", args=[row["slug"]])}
            for row in titles
        ],
    }
