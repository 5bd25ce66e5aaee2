"""Essays (`Article`) made of numbered `Section`s, filed in a `Channel` and tagged with `Tag`s."""

import html
import math
import re
from datetime import date

from django.contrib.postgres.indexes import OpClass
from django.db import connections, models
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber, Upper
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from ..sanitising import paragraphs_to_html
from ..slugs import pinyin_slug
from .author import Authorship
from .image import Image

TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")  # quoted attributes may hold ">"
# Chinese prose is read at roughly 400 characters a minute.
READING_CHARS_PER_MINUTE = 400


class Channel(models.Model):
    name = models.CharField("名称", max_length=40, unique=True)
    slug = models.SlugField("网址名", max_length=40, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    description = models.CharField("简介", max_length=200, blank=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = verbose_name_plural = "栏目"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:channel", kwargs={"slug": self.slug})


class Tag(TagBase):
    """A tag, which is also a 词条 (entry) with an editor-written description."""

    description_html = models.TextField(
        "词条说明", blank=True, help_text="可用段落、强调、列表、引用与链接；保存时自动清理。"
    )

    class Meta:
        verbose_name = verbose_name_plural = "标签"
        # Search looks tags up by name regardless of case, exactly (a tag typed as the query)
        # and by prefix (suggestions): one index on UPPER(name) serves both.
        indexes = [
            models.Index(OpClass(Upper("name"), name="text_pattern_ops"), name="tag_name_upper")
        ]

    def save(self, *args, **kwargs):
        self.description_html = paragraphs_to_html(self.description_html)
        super().save(*args, **kwargs)


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        verbose_name = verbose_name_plural = "文章标签"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag")
        ]
        # A tag's newest articles (ids grow with time), for search's exact-tag candidates.
        indexes = [models.Index(fields=["tag", "-content_object"], name="taggedarticle_tag_newest")]


class ArticleQuerySet(models.QuerySet):
    def public(self):
        """What readers may see: published, with a publish time that has come.

        Every public page, feed and sitemap starts here, so a withdrawal or an unpublish
        reaches all of them at once; a future `published_at` is a schedule that needs no job.
        """
        now = timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now).exclude(
            unpublish_at__lte=now  # an end time that has come: gone, even before the job runs
        )

    def months_with_articles(self, months: int = 24) -> list[date]:
        """The local months, newest first, of the last `months` that have a public article:
        one query, one index probe a month (never a scan of the whole archive)."""
        now = timezone.localtime()
        starts = []
        year, month = now.year, now.month
        for _ in range(months + 1):
            starts.append(now.replace(year=year, month=month, day=1, hour=0, minute=0,
                                      second=0, microsecond=0))  # fmt: skip
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        pairs = [(starts[i], starts[i - 1] if i else None) for i in range(months)]  # (start, stop)
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                """
                SELECT b.start FROM unnest(%s::timestamptz[], %s::timestamptz[]) AS b(start, stop)
                WHERE EXISTS (
                    SELECT 1 FROM articles_article a
                    WHERE a.status = 'published' AND a.published_at >= b.start
                      AND a.published_at < least(coalesce(b.stop, 'infinity'), now())
                      AND (a.unpublish_at IS NULL OR a.unpublish_at > now())
                )
                ORDER BY b.start DESC
                """,
                [[start for start, _ in pairs], [stop for _, stop in pairs]],
            )
            return [timezone.localtime(row[0]).date() for row in cursor.fetchall()]

    def expired(self):
        """Past their planned end time (the job marks them; until it has, the time says so)."""
        return self.filter(
            Q(status=Article.Status.EXPIRED)
            | Q(status=Article.Status.PUBLISHED, unpublish_at__lte=timezone.now())
        )

    def withdrawn(self):
        """Taken down on notice: their URLs answer 451, not 404."""
        return self.filter(status=Article.Status.WITHDRAWN)

    def latest(self):
        return self.order_by("-published_at", "-pk")

    def with_card_data(self):
        """What an article card shows (title, lede, channel, time, cover): one query, no N+1."""
        return self.select_related("channel", "cover")

    def for_page(self):
        """The article page: article + channel in one query, sections, tags and corrections
        in one each."""
        return self.select_related("channel", "cover").prefetch_related(
            models.Prefetch("sections", queryset=Section.objects.order_by("position", "pk")),
            models.Prefetch(
                "tagged_items",
                queryset=TaggedArticle.objects.select_related("tag").order_by("pk"),
            ),
            "corrections",
            models.Prefetch(
                "authorships", queryset=Authorship.objects.select_related("author", "author__photo")
            ),
        )

    def newest_per_channel(self, per_channel: int):
        """The newest `per_channel` articles of each channel, in one query (a window function)."""
        return (
            self.with_card_data()
            .filter(channel__isnull=False)
            .annotate(
                rank_in_channel=Window(
                    RowNumber(),
                    partition_by=F("channel_id"),
                    order_by=[F("published_at").desc(), F("pk").desc()],
                )
            )
            .filter(rank_in_channel__lte=per_channel)
            .order_by("channel__order", "channel__name", "rank_in_channel")
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        IN_REVIEW = "review", "待审核"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已撤下"
        EXPIRED = "expired", "已到期下线"

    title = models.CharField("标题", max_length=120)
    slug = models.SlugField(
        "网址名", max_length=120, unique=True, blank=True, help_text="留空则按标题拼音自动生成。"
    )
    lede = models.TextField(
        "导语", blank=True, help_text="一两句话的摘要，显示在列表与分享卡片中。"
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name="栏目",
        on_delete=models.PROTECT,
        related_name="articles",
        null=True,
        blank=True,
    )
    byline = models.CharField(
        "署名（文字）", max_length=80, blank=True,
        help_text="没有作者资料时显示（如导入的旧文）；选了作者就以作者为准。",
    )  # fmt: skip
    authors = models.ManyToManyField(
        "articles.Author", through="articles.Authorship", verbose_name="作者", blank=True,
        related_name="articles",
    )  # fmt: skip
    editor_in_charge = models.CharField("责任编辑", max_length=40, blank=True, db_default="")
    version = models.PositiveIntegerField("版本", default=1, db_default=1, editable=False)
    unpublish_at = models.DateTimeField(
        "计划下线时间", null=True, blank=True,
        help_text="到这个时间文章自动下线（禁载期、限时公告）：离开所有列表、订阅、搜索和热传，"
        "网址显示“已按计划下线”（410）。留空则一直在线。",
    )  # fmt: skip
    source_name = models.CharField("来源", max_length=80, blank=True)
    source_url = models.URLField("来源网址", max_length=500, blank=True)
    cover = models.ForeignKey(
        Image,
        verbose_name="封面图",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    tags = TaggableManager("标签", through=TaggedArticle, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        "发布时间", null=True, blank=True, help_text="填写将来的时间即为定时发布。"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # What a withdrawn article's 451 page shows; set and cleared only by
    # `services.article_withdraw` / `article_restore` (the takedown app calls them).
    withdrawn_at = models.DateTimeField("撤下时间", null=True, blank=True, editable=False)
    withdrawal_reference = models.CharField(
        "撤下案件编号", max_length=40, blank=True, editable=False, db_index=True
    )
    withdrawal_basis = models.TextField("撤下的法律依据", blank=True, editable=False)
    withdrawal_notice_url = models.CharField(
        "通知与反通知的网址", max_length=300, blank=True, editable=False
    )
    imported_from = models.CharField(
        "导入自", max_length=255, blank=True, editable=False, help_text="导入时的源文件名。"
    )
    import_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = verbose_name_plural = "文章"
        permissions = [
            ("publish_article", "可以发布、撤回和定时发布文章"),
            ("review_article", "可以审核（审核制下通过或退回编辑提交的文章）"),
        ]
        indexes = [
            models.Index(
                fields=["-published_at", "-id"],
                name="article_public_latest",
                condition=Q(status="published"),
            ),
            models.Index(fields=["channel", "-published_at"], name="article_channel_latest"),
            models.Index(fields=["-updated_at"], name="article_updated"),  # the page cache
            # The desk's article list: every status, newest first, one page at a time.
            models.Index(fields=["-published_at", "-id"], name="article_desk_latest"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slug_from_title(self.title, exclude_pk=self.pk)
        loaded_slug = self.__dict__.get("loaded_slug")
        super().save(*args, **kwargs)
        if loaded_slug and loaded_slug != self.slug:  # the old address keeps working (301)
            from .address import OldAddress

            OldAddress.remember(reverse("articles:detail", kwargs={"slug": loaded_slug}), self)
        self.loaded_slug = self.slug

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        article.listed_as = article.listing()
        article.loaded_slug = article.__dict__.get("slug")
        return article

    def listing(self) -> tuple:
        """What decides which lists show the article: its status, time and channel. Kept as
        loaded (`listed_as`), so a save can tell whether lists changed (edge purges). A
        field not loaded counts as changed."""
        values = self.__dict__
        return (values.get("status"), values.get("published_at"), values.get("channel_id"))

    @property
    def is_public(self) -> bool:
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    def byline_authors(self) -> list:
        """The authors in byline order (prefetched by `for_page`)."""
        return [authorship.author for authorship in self.authorships.all()]

    @property
    def is_reprint(self) -> bool:
        """转载: taken from elsewhere (a named source, an original link, or imported from the
        old site); otherwise the newsroom's own piece, 原创. Only reprints carry the
        "collected from the internet" notice: on an original piece it would read as a
        content farm's."""
        return bool(self.source_name or self.source_url or self.imported_from)

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def numbered_sections(self) -> list["Section"]:
        """Sections in order, each with its reader-facing number (01, 02, …) and anchor.

        Numbers come from the order, never from a stored field, so removing or reordering
        a section can never leave a gap or a duplicate.
        """
        sections = list(self.sections.all())
        self.section_image_ids: set[int] = set()
        bodies = Image.objects.sized_html(
            [section.body_html for section in sections], used=self.section_image_ids
        )
        for index, (section, body) in enumerate(zip(sections, bodies, strict=True), start=1):
            section.number = f"{index:02d}"
            section.anchor = f"s{index}"
            section.body_for_page = body
        return sections

    def tag_list(self) -> list[Tag]:
        """Tags in the order the editor gave them; free when loaded with `for_page()`."""
        return [item.tag for item in self.tagged_items.all()]

    def reading_minutes(self) -> int:
        chars = len(self.lede) + sum(section.char_count for section in self.sections.all())
        return max(1, math.ceil(chars / READING_CHARS_PER_MINUTE))

    def neighbours_in_channel(self) -> tuple["Article | None", "Article | None"]:
        """The previous (older) and next (newer) public article of the same channel: 2 queries."""
        if self.channel_id is None or self.published_at is None:
            return None, None
        siblings = (
            Article.objects.public()
            .filter(channel_id=self.channel_id)
            .only("title", "slug", "published_at")
        )
        older = (
            siblings.filter(
                Q(published_at__lt=self.published_at)
                | Q(published_at=self.published_at, pk__lt=self.pk)
            )
            .order_by("-published_at", "-pk")
            .first()
        )
        newer = (
            siblings.filter(
                Q(published_at__gt=self.published_at)
                | Q(published_at=self.published_at, pk__gt=self.pk)
            )
            .order_by("published_at", "pk")
            .first()
        )
        return older, newer

    def related(self, limit: int = 5) -> list["Article"]:
        """Public articles sharing the most tags with this one, newest first among equals.

        One query; uses the prefetched tags, so call it on an article loaded with `for_page()`.
        """
        tag_ids = [item.tag_id for item in self.tagged_items.all()]
        if not tag_ids:
            return []
        return list(
            Article.objects.public()
            .with_card_data()
            .exclude(pk=self.pk)
            .filter(tagged_items__tag_id__in=tag_ids)
            .annotate(shared_tags=Count("tagged_items"))
            .order_by("-shared_tags", "-published_at", "-pk")[:limit]
        )


class Section(models.Model):
    article = models.ForeignKey(
        Article, verbose_name="文章", on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveSmallIntegerField("顺序", default=0, db_index=True)
    heading = models.CharField("小标题", max_length=120, blank=True)
    body_html = models.TextField(
        "正文", help_text="空一行分段；也可使用段落、强调、列表、引用与链接，保存时自动清理。"
    )
    char_count = models.PositiveIntegerField("字数", default=0, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = verbose_name_plural = "分节"

    def __str__(self):
        return self.heading or f"第 {self.position} 节"

    def save(self, *args, **kwargs):
        """Sanitise once, on save, so pages render stored HTML without further work."""
        self.body_html = paragraphs_to_html(self.body_html)
        self.char_count = len("".join(self.plain_text.split()))
        super().save(*args, **kwargs)

    @property
    def plain_text(self) -> str:
        """The body as a reader reads it: tags removed, entities (&lt; &amp;) decoded.

        `body_html` is sanitised on save (no comments, scripts or stray `<`: nh3 escapes
        them), so dropping every tag is exact, and a regex does it 20× faster than
        Django's `strip_tags`, which search runs on every hit's sections."""
        return html.unescape(TAG.sub("", self.body_html))

    @property
    def toc_label(self) -> str:
        """The heading, or for a section without one its opening words."""
        if self.heading:
            return self.heading
        text = "".join(self.plain_text.split())
        return text[:14] + ("…" if len(text) > 14 else "")


def slug_from_title(title: str, *, exclude_pk: int | None = None) -> str:
    """An ASCII slug from the title's pinyin (钢铁的冬天 → gang-tie-de-dong-tian), unique."""
    return pinyin_slug(title, Article.objects, exclude_pk=exclude_pk, fallback="article")


def user_can_preview(user) -> bool:
    """Editors may see drafts and scheduled articles (with a banner); readers may not."""
    return bool(
        user and user.is_active and user.is_staff and user.has_perm("articles.view_article")
    )
