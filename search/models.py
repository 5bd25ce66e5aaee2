"""The search index (one row per public article) and the pinyin of tags for suggestions."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from articles.models import Article, Tag


class SearchDocument(models.Model):
    """An article's words, as PostgreSQL searches them (see search/text.py for how they are
    cut): `vector` holds everything, weighted — title and tags A, lede B, sections C; the
    small `head_vector` holds title, tags and lede alone, for ranking every match cheaply;
    `title_vector` serves autocomplete. `published_at` and `title_key` are copied from the
    article so that a search walks this one table.

    Rows exist for published articles (scheduled ones too: queries keep to those whose time
    has come, so none needs reindexing when it does); the final page still goes through the
    public queryset, so a withdrawn article is never shown even for a moment."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    vector = SearchVectorField()
    head_vector = SearchVectorField(null=True)
    # Titles alone, for autocomplete: a prefix search over every body would match far more.
    title_vector = SearchVectorField(null=True)
    published_at = models.DateTimeField(null=True)
    channel_id = models.BigIntegerField(null=True)  # the article's, for the channel filter
    title_key = models.CharField(max_length=120, blank=True)  # the normalised title
    # How the vectors were made (search.indexing.INDEX_FORMAT): an older one is remade.
    format = models.PositiveSmallIntegerField(default=0)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "搜索索引"
        indexes = [
            GinIndex(fields=["vector"], name="search_document_vector"),
            GinIndex(fields=["head_vector"], name="search_document_head"),
            GinIndex(fields=["title_vector"], name="search_document_title"),
            models.Index(fields=["-published_at", "-article"], name="search_document_newest"),
            models.Index(fields=["title_key"], name="search_document_title_key"),
        ]

    def __str__(self):
        return f"{self.article_id}"


class TagPinyin(models.Model):
    """A tag's pinyin, for suggestions typed in pinyin. Made by pypinyin when a tag is saved;
    editors may correct it (polyphones: 朝阳 is chaoyang, not zhaoyang)."""

    tag = models.OneToOneField(
        Tag, verbose_name="标签", on_delete=models.CASCADE, primary_key=True, related_name="pinyin"
    )
    full = models.CharField("全拼", max_length=200, help_text="不带声调、不加空格，如 gangtie")
    initials = models.CharField("首字母", max_length=60, help_text="如 gt")
    corrected = models.BooleanField(
        "已人工校正", default=False, help_text="勾选后，改标签名时不再自动覆盖拼音。"
    )

    class Meta:
        verbose_name = verbose_name_plural = "标签拼音"
        indexes = [
            models.Index(fields=["full"], name="tagpinyin_full", opclasses=["text_pattern_ops"]),
            models.Index(
                fields=["initials"], name="tagpinyin_initials", opclasses=["text_pattern_ops"]
            ),
        ]

    def __str__(self):
        return f"{self.tag} ({self.full})"
