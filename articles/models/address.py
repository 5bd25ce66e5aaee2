"""Addresses that never break: every earlier path of an article answers 301 to where it is."""

from django.db import models


class OldAddress(models.Model):
    """A path that once led to `article`: its slug before a change, or the old site's page
    it was imported from. Looked up only when a path would otherwise be a 404."""

    path = models.CharField("旧网址路径", max_length=300, unique=True)
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="old_addresses",
        verbose_name="文章",
    )  # fmt: skip
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "旧网址"

    def __str__(self):
        return self.path

    @classmethod
    def remember(cls, path: str, article) -> None:
        """Point `path` at `article` (taking it from any other article that had it)."""
        if path and path != article.get_absolute_url():
            cls.objects.update_or_create(path=path, defaults={"article": article})
