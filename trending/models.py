"""Read totals per article and hour, editors' items and hides, and the last computed list."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from articles.models import Article

SIDEBAR_SIZE = 8


class ArticleReadHourQuerySet(models.QuerySet):
    def day_and_week_totals(self, article_ids, now: datetime) -> dict[int, tuple[int, int]]:
        """{article_id: (reads in the last 24 hours, in the last 7 days)}: one query."""
        rows = (
            self.filter(article_id__in=article_ids, hour__gte=now - timedelta(days=7))
            .values("article_id")
            .annotate(
                day=Sum("reads", filter=Q(hour__gte=now - timedelta(hours=24))), week=Sum("reads")
            )
        )
        return {row["article_id"]: (row["day"] or 0, row["week"] or 0) for row in rows}


class ArticleReadHour(models.Model):
    """Counted reads of one article in one hour (UTC), written in batches by the flusher."""

    article = models.ForeignKey(
        Article, verbose_name="文章", on_delete=models.CASCADE, related_name="+"
    )
    hour = models.DateTimeField("小时")
    reads = models.PositiveIntegerField("阅读数", default=0)

    objects = ArticleReadHourQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "每小时阅读数"
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="unique_article_hour")
        ]
        indexes = [models.Index(fields=["hour"], name="readhour_hour")]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}:00 = {self.reads}"


class ReadBufferState(models.Model):
    """How far one cache's buffered reads have been written to the totals above.

    Updated in the same transaction as the totals, so a crash between the two can neither
    lose nor double a batch. `epoch` names one cache's life: a restarted Redis (or another
    worker's local-memory cache) starts a new epoch from sequence 0.
    """

    epoch = models.CharField(max_length=64, primary_key=True)
    flushed_seq = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.epoch}: {self.flushed_seq}"


class FlushedBatchQuerySet(models.QuerySet):
    def record(self, batch_ids) -> set[str]:
        """Record these batch ids as flushed; return the ones not recorded before (only
        their reads are to be added): one statement, safe against concurrent flushers."""
        ids = list(batch_ids)
        if not ids:
            return set()
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (id, flushed_at) SELECT unnest(%s::uuid[]), now() "
                "ON CONFLICT (id) DO NOTHING RETURNING id",
                [ids],
            )
            return {row[0].hex for row in cursor.fetchall()}


class FlushedBatch(models.Model):
    """A batch of reads already added to the totals: a batch sent twice (its sender could
    not know the first had arrived) is counted once. Kept for two days."""

    id = models.UUIDField(primary_key=True)
    flushed_at = models.DateTimeField(db_index=True)

    objects = FlushedBatchQuerySet.as_manager()

    def __str__(self):
        return str(self.id)


class TrendingItemQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(
            Q(starts_at__lte=now), Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class TrendingItem(models.Model):
    """An editor's hand on the list: a pinned article, or an item of its own."""

    class Kind(models.TextChoices):
        MANUAL = "manual", "编辑添加"
        IMPORTED = "imported", "旧站导入"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.MANUAL)
    article = models.ForeignKey(
        Article,
        verbose_name="本站文章",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="链接到本站文章时选择；标题和摘要留空则用文章自己的。",
    )
    title = models.CharField("标题", max_length=120, blank=True)
    summary = models.TextField("摘要", blank=True)
    url = models.URLField("外部链接", blank=True, help_text="不是本站文章时填写。")
    position = models.PositiveSmallIntegerField(
        "置顶位置",
        null=True,
        blank=True,
        help_text=f"1 到 {SIDEBAR_SIZE}；留空则不置顶，排在置顶条目之后、按阅读排名的条目之前。",
    )
    starts_at = models.DateTimeField("开始时间", default=timezone.now)
    expires_at = models.DateTimeField(
        "到期时间", null=True, blank=True, help_text="留空则一直有效。"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = TrendingItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "-created_at"]
        verbose_name = verbose_name_plural = "热传条目"

    def __str__(self):
        return self.display_title or "（无标题）"

    def clean(self):
        if self.kind == self.Kind.MANUAL and not (self.article_id or self.url):
            raise ValidationError("请选择一篇本站文章，或填写外部链接。")
        if self.position is not None and not 1 <= self.position <= SIDEBAR_SIZE:
            raise ValidationError({"position": f"置顶位置只能是 1 到 {SIDEBAR_SIZE}。"})
        if self.expires_at and self.expires_at <= self.starts_at:
            raise ValidationError({"expires_at": "到期时间必须晚于开始时间。"})

    @property
    def display_title(self) -> str:
        return self.title or (self.article.title if self.article_id else "")

    @property
    def display_summary(self) -> str:
        return self.summary or (self.article.lede if self.article_id else "")

    @property
    def link(self) -> str:
        """Our article, else the external URL, else a search for the title."""
        if self.article_id:
            return self.article.get_absolute_url()
        if self.url:
            return self.url
        return f"{reverse('search:results')}?{urlencode({'q': self.display_title})}"


class TrendingHidden(models.Model):
    """An article editors keep off the list, whatever its reads."""

    article = models.OneToOneField(
        Article, verbose_name="文章", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField("原因", max_length=200, blank=True)
    until = models.DateTimeField("隐藏到", null=True, blank=True, help_text="留空则一直隐藏。")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "热传隐藏"

    def __str__(self):
        return str(self.article)


class TrendingSnapshot(models.Model):
    """The last computed list: the sidebar reads it (1 query) when its cache is cold."""

    key = models.CharField(max_length=20, primary_key=True, default="main")
    items = models.JSONField(default=list)
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.key} ({self.computed_at:%Y-%m-%d %H:%M})"
