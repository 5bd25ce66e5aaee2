"""Autocomplete: tags and article titles for what a reader has typed so far — characters,
full pinyin (gangtie → 钢铁) or initials (gt → 钢铁). Answers are cached."""

import hashlib
import re

from django.contrib.postgres.search import SearchQuery
from django.core.cache import caches
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.http import urlencode

from articles.models import Article, Tag

from . import text
from .indexing import generation
from .models import SearchDocument, TagPinyin

LIMIT = 10
TITLE_LIMIT = 5
TITLE_CANDIDATES = 500
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
    tag_filter = Q(name__istartswith=query)
    compact = query.replace(" ", "").replace("'", "")
    if _LATIN.match(compact):
        tag_filter |= Q(pinyin__full__startswith=compact) | Q(pinyin__initials__startswith=compact)
    # Shortest names first (the typed prefix is most of them); EXISTS stops at the first
    # public article instead of counting a popular tag's tens of thousands of uses.
    has_public = Article.objects.public().filter(tagged_items__tag=OuterRef("pk"))
    tags = list(
        Tag.objects.filter(tag_filter)
        .filter(Exists(has_public))
        .order_by(Length("name"), "name")[:LIMIT]
    )
    titles = []
    title_query = text.title_prefix_tsquery(query)
    if title_query and len(tags) < LIMIT:
        # Matching titles first (the small title index, bounded), then the newest of them:
        # left to itself the planner may walk every article by date checking each title.
        matching = SearchDocument.objects.filter(
            title_vector=SearchQuery(title_query, config="simple", search_type="raw")
        ).values("article_id")[:TITLE_CANDIDATES]
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
