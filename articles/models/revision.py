"""Saved versions of an article's text, so an earlier version can be looked at."""

from django.conf import settings
from django.db import models


class ArticleRevision(models.Model):
    """A snapshot of title, lede, sections and corrections taken after each editor's save:
    a correction changed or removed later is still on record as it was."""

    article = models.ForeignKey(
        "articles.Article", verbose_name="文章", on_delete=models.CASCADE, related_name="revisions"
    )
    created_at = models.DateTimeField("保存时间", auto_now_add=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="编辑",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    note = models.CharField("说明", max_length=200, blank=True)
    title = models.CharField("标题", max_length=120)
    lede = models.TextField("导语", blank=True)
    sections = models.JSONField("分节", default=list)
    corrections = models.JSONField("更正与说明", default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "文章版本"

    def __str__(self):
        return f"{self.title}（{self.created_at:%Y-%m-%d %H:%M}）"

    @classmethod
    def snapshot(cls, article, *, author=None, note="") -> "ArticleRevision":
        sections = [
            {"heading": s.heading, "body_html": s.body_html}
            for s in article.sections.order_by("position", "pk")
        ]
        corrections = [
            {"kind": c.get_kind_display(), "published_at": c.published_at.isoformat(),
             "text": c.text}
            for c in article.corrections.order_by("published_at", "pk")
        ]  # fmt: skip
        return cls.objects.create(
            article=article,
            author=author,
            note=note,
            title=article.title,
            lede=article.lede,
            sections=sections,
            corrections=corrections,
        )

    def numbered_sections(self) -> list[dict]:
        return [
            {**section, "number": f"{index:02d}"}
            for index, section in enumerate(self.sections, start=1)
        ]
