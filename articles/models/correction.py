"""Corrections and clarifications (更正 / 说明) at the foot of an article, with their dates."""

from django.db import models
from django.utils import timezone


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """On articles readers can see, newest first (the /corrections/ page)."""
        from .article import Article

        return (
            self.filter(article__in=Article.objects.public())
            .select_related("article")
            .order_by("-published_at", "-pk")
        )


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "更正"
        CLARIFICATION = "clarification", "说明"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="corrections",
        verbose_name="文章",
    )  # fmt: skip
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        "内容",
        max_length=1000,
        help_text="写清改了什么、原来怎么写的，例如：原文误将……写为……，已更正。",
    )
    published_at = models.DateTimeField("时间", default=timezone.now)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["published_at", "pk"]
        verbose_name = verbose_name_plural = "更正与说明"
        indexes = [models.Index(fields=["-published_at"], name="correction_newest")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.text[:30]}"
