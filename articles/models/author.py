"""Authors: the people behind bylines, each with a page of their own (/author/<slug>/)."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from ..slugs import pinyin_slug


class Author(models.Model):
    name = models.CharField(
        "署名", max_length=40, help_text="读者看到的名字，例如“本站评论员 林舟”里的“林舟”。"
    )
    title = models.CharField(
        "头衔", max_length=40, blank=True, help_text="例如：本站评论员、特约作者。"
    )
    slug = models.SlugField(
        "网址名", max_length=60, unique=True, blank=True, help_text="留空则按署名拼音自动生成。"
    )
    bio = models.TextField("简介", max_length=500, blank=True)
    photo = models.ForeignKey(
        "articles.Image", verbose_name="照片", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="编辑账号", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="author",
        help_text="这位作者若也是编辑：用这个账号新建文章时，署名默认是他/她。",
    )  # fmt: skip

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "作者"

    def __str__(self):
        return f"{self.title} {self.name}".strip()

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = pinyin_slug(
                self.name, Author.objects, exclude_pk=self.pk, fallback="author", limit=60
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:author", args=[self.slug])


class Authorship(models.Model):
    """An author of an article, in byline order."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="authorships",
        verbose_name="文章",
    )  # fmt: skip
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="authorships", verbose_name="作者"
    )
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = verbose_name_plural = "署名"
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="one_authorship_each")
        ]

    def __str__(self):
        return str(self.author)
