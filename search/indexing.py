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

INDEX_FORMAT = 2  # raise when search.text changes what a document's vectors hold
UPSERT_SQL = """
INSERT INTO {table} (article_id, vector, head_vector, title_vector, published_at, channel_id,
                     title_key, format, indexed_at)
VALUES {rows}
ON CONFLICT (article_id) DO UPDATE SET vector = EXCLUDED.vector,
    head_vector = EXCLUDED.head_vector, title_vector = EXCLUDED.title_vector,
    published_at = EXCLUDED.published_at, channel_id = EXCLUDED.channel_id,
    title_key = EXCLUDED.title_key, format = EXCLUDED.format, indexed_at = EXCLUDED.indexed_at
"""
ROW_SQL = f"(%s, %s::tsvector, %s::tsvector, %s::tsvector, %s, %s, %s, {INDEX_FORMAT}, now())"


def load_tag_words() -> None:
    """Add every tag name to the segmenter's dictionary (idempotent, once per process)."""
    if not getattr(load_tag_words, "done", False):
        text.add_words(Tag.objects.values_list("name", flat=True))
        load_tag_words.done = True


def title_key(title: str) -> str:
    """A title as a query for it would be typed: normalised, without spaces."""
    return "".join(text.normalise(title).split())[:120]


def document_row(article: Article, sections: Iterable[Section], tags: Iterable[str]) -> tuple:
    """The row of `SearchDocument` for an article, its sections and its tag names."""
    head = [(article.title, "A"), (" ".join(tags), "A"), (article.lede, "B")]
    body = [(f"{section.heading} {section.plain_text}", "C") for section in sections]
    return (
        article.pk,
        text.document_vector(head + body),
        text.document_vector(head),
        text.document_vector([(article.title, "A")]),
        article.published_at,
        article.channel_id,
        title_key(article.title),
    )


def reindex(article_ids: Iterable[int]) -> int:
    """Index the published ones of these articles (scheduled ones too), drop the rest;
    return how many were indexed."""
    load_tag_words()
    ids = list(set(article_ids))
    articles = list(
        Article.objects.filter(pk__in=ids, status=Article.Status.PUBLISHED)
        .exclude(published_at=None)
        .prefetch_related("sections", "tagged_items__tag")
    )
    SearchDocument.objects.filter(article_id__in=ids).exclude(
        article_id__in=[a.pk for a in articles]
    ).delete()
    rows = [
        document_row(a, a.sections.all(), [i.tag.name for i in a.tagged_items.all()])
        for a in articles
    ]
    write_rows(rows)
    bump_generation()
    return len(rows)


def write_rows(rows: list[tuple]) -> None:
    """Upsert `document_row` rows, 100 to a statement."""
    table = SearchDocument._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 100):
            chunk = rows[start : start + 100]
            cursor.execute(
                UPSERT_SQL.format(table=table, rows=", ".join([ROW_SQL] * len(chunk))),
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
        from .tasks import reindex_articles  # the task module imports this one

        self.done = True
        reindex_articles.enqueue(sorted(self.ids))


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
