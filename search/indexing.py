"""Keeping `SearchDocument` in step with the public articles.

Receivers (see apps.py) call `schedule_reindex` when an article, a section or a tag changes;
the work happens once per article when the transaction commits, so saving an article with
twelve sections in the admin indexes it once, not thirteen times.
"""

import threading
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, transaction

from articles import page_cache
from articles.models import Article, Section, Tag, TaggedArticle

from . import text
from .models import SearchDocument

GENERATION_KEY = "search:generation"
_pending = threading.local()

UPSERT_SQL = """
INSERT INTO search_searchdocument (article_id, title_vector, vector, indexed_at)
SELECT id, to_tsvector('simple', title),
       setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', lede), 'B')
       || setweight(to_tsvector('simple', body), 'C'), now()
FROM (VALUES {rows}) AS v(id, title, lede, body)
ON CONFLICT (article_id) DO UPDATE SET vector = EXCLUDED.vector,
    title_vector = EXCLUDED.title_vector, indexed_at = EXCLUDED.indexed_at
"""
ROW_SQL = "(%s::bigint, %s, %s, %s)"


def load_tag_words() -> None:
    """Add every tag name to the segmenter's dictionary (idempotent, once per process)."""
    if not getattr(load_tag_words, "done", False):
        text.add_words(Tag.objects.values_list("name", flat=True))
        load_tag_words.done = True


def weighted_texts(article: Article, sections: Iterable[Section], tags: Iterable[str]) -> tuple:
    """(title, tags + lede, sections) as space-separated search tokens."""
    body = " ".join(f"{s.heading} {s.plain_text}" for s in sections)
    return tuple(
        " ".join(text.index_tokens(part))
        for part in (article.title, " ".join(tags) + " " + article.lede, body)
    )


def reindex(article_ids: Iterable[int]) -> int:
    """Index the public ones of these articles, drop the rest; return how many were indexed."""
    load_tag_words()
    ids = list(set(article_ids))
    articles = list(
        Article.objects.public()
        .filter(pk__in=ids)
        .prefetch_related("sections", "tagged_items__tag")
    )
    SearchDocument.objects.filter(article_id__in=ids).exclude(
        article_id__in=[a.pk for a in articles]
    ).delete()
    rows = [
        (a.pk, *weighted_texts(a, a.sections.all(), [i.tag.name for i in a.tagged_items.all()]))
        for a in articles
    ]
    write_rows(rows)
    bump_generation()
    return len(rows)


def write_rows(rows: list[tuple]) -> None:
    """Upsert (article_id, title, tags_and_lede, body) token rows, 200 to a statement."""
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 200):
            chunk = rows[start : start + 200]
            cursor.execute(
                UPSERT_SQL.format(rows=", ".join([ROW_SQL] * len(chunk))),
                [value for row in chunk for value in row],
            )


def bump_generation() -> None:
    """Cached suggestions carry the generation in their key: any change retires them all."""
    page_cache.bump_generation(GENERATION_KEY)


def generation() -> int:
    return cache.get(GENERATION_KEY) or 0


def schedule_reindex(article_ids: Iterable[int]) -> None:
    """Reindex these articles once, after the current transaction commits (at once when
    there is no transaction). A rolled-back transaction takes its pending work with it."""
    batch = getattr(_pending, "batch", None)
    conn = transaction.get_connection()
    # Is this thread's batch still waiting for the current transaction's commit? Django has
    # no public way to ask (a rolled-back transaction drops its callbacks silently), so this
    # reads the connection's queue of on-commit callbacks: documented as an attribute of
    # the connection in Django's own tests and stable since 1.9.
    if (
        batch is not None
        and not batch.done
        and any(func is batch.run for _, func, _ in conn.run_on_commit)
    ):
        batch.ids.update(article_ids)
        return
    batch = _pending.batch = _Batch(set(article_ids))
    transaction.on_commit(batch.run)


class _Batch:
    def __init__(self, ids: set[int]):
        self.ids = ids
        self.done = False

    def run(self) -> None:
        self.done = True
        reindex(self.ids)


# --- receivers -------------------------------------------------------------------------------


def on_article_saved(sender, instance, **kwargs):
    schedule_reindex([instance.pk])


def on_section_changed(sender, instance, **kwargs):
    schedule_reindex([instance.article_id])


def on_tagging_changed(sender, instance, **kwargs):
    schedule_reindex([instance.content_object_id])


def on_tag_saved(sender, instance, **kwargs):
    """A renamed tag changes every article that carries it; a new word joins the dictionary."""
    text.add_words([instance.name])
    schedule_reindex(
        TaggedArticle.objects.filter(tag=instance).values_list("content_object_id", flat=True)
    )
