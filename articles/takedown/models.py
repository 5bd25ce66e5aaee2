"""Notice-and-takedown: rights holders' notices, counter-notices, and the record of each step.

A case is never deleted; every change of status is an append-only `TakedownEvent` (the
database refuses UPDATE and DELETE on that table), and every submission is stored exactly as
received with its SHA-256.
"""

import os
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import connection, models
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone


def private_storage():
    """Where attachments are kept: STORAGES["private"] — a folder outside MEDIA_ROOT
    (`storage.PrivateStorage`) or a private bucket of the object store. A callable, so the
    choice stays in the settings and out of the migrations."""
    return storages["private"]


def private_path(instance, filename: str) -> str:
    """Server-made names only: the requester's file name is kept in `original_name`."""
    return f"takedown/{timezone.now():%Y/%m}/{filename}"


class TakedownCaseQuerySet(models.QuerySet):
    def for_requester(self, reference: str, email: str) -> "TakedownCase | None":
        """The case only when both the reference and the notifier's email match: the public
        pages never say which of the two was wrong."""
        return self.filter(reference=reference.strip().upper(), email__iexact=email.strip()).first()

    def related_to(self, case: "TakedownCase"):
        """Other cases naming any page this case names: maybe the same matter, maybe a
        stranger's; 主编 see them side by side ("可能与 TD-… 相关"), never merged."""
        return (
            self.filter(targets__article__in=case.targets.values("article"))
            .exclude(pk=case.pk)
            .distinct()
            .order_by("submitted_at")
        )

    def monthly_figures(self) -> list[dict]:
        """Per month, newest first: notices received, and cases withdrawn, rejected and
        restored (from the log). Two queries; counts only, no personal data."""
        received = dict(
            self.annotate(month=TruncMonth("submitted_at"))
            .values_list("month")
            .annotate(n=Count("pk"))
            .values_list("month", "n")
        )
        decided = (
            TakedownEvent.objects.filter(case__in=self)
            .annotate(month=TruncMonth("at"))
            .values("month")
            .annotate(
                **{
                    name: Count("pk", filter=Q(to_status=status))
                    for name, status in DECISIONS_REPORTED.items()
                }
            )
        )
        months: dict = {month: {"received": n} for month, n in received.items()}
        for row in decided:
            months.setdefault(row["month"], {}).update(row)
        empty = dict.fromkeys(["received", *DECISIONS_REPORTED], 0)
        return [
            {**empty, "month": month, **values}
            for month, values in sorted(months.items(), reverse=True)
        ]


class TakedownCase(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", "已收到"
        NEEDS_INFO = "needs_info", "需补充材料"
        REJECTED = "rejected", "已驳回"
        WITHDRAWN = "withdrawn", "内容已撤下"
        COUNTER_RECEIVED = "counter_received", "已收到反通知"
        RESTORED = "restored", "已恢复"
        KEPT = "kept", "维持撤下"
        CLOSED = "closed", "已结案"

    OPEN = (Status.RECEIVED, Status.NEEDS_INFO)
    TRANSITIONS = {
        Status.RECEIVED: {Status.NEEDS_INFO, Status.REJECTED, Status.WITHDRAWN},
        # Back to "received" when the requester adds the material asked for.
        Status.NEEDS_INFO: {Status.RECEIVED, Status.REJECTED, Status.WITHDRAWN},
        Status.WITHDRAWN: {Status.COUNTER_RECEIVED, Status.CLOSED},
        Status.COUNTER_RECEIVED: {Status.RESTORED, Status.KEPT},
        Status.REJECTED: {Status.CLOSED},
        Status.RESTORED: {Status.CLOSED},
        Status.KEPT: {Status.CLOSED},
        Status.CLOSED: set(),
    }

    class NotifierType(models.TextChoices):
        RIGHTS_HOLDER = "holder", "权利人本人"
        AGENT = "agent", "权利人的授权代理人"

    class IdType(models.TextChoices):
        ID_CARD = "id_card", "居民身份证"
        PASSPORT = "passport", "护照"
        BUSINESS_LICENCE = "licence", "营业执照（统一社会信用代码）"
        OTHER = "other", "其他证件"

    class RightKind(models.TextChoices):
        COPYRIGHT = "copyright", "著作权"
        REPUTATION = "reputation", "名誉权"
        PRIVACY = "privacy", "隐私权"
        OTHER = "other", "其他权利"

    class Measure(models.TextChoices):
        DELETE = "delete", "删除"
        DISCONNECT = "disconnect", "断开链接"

    reference = models.CharField("编号", max_length=20, unique=True, editable=False)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    notifier_type = models.CharField("投诉人身份", max_length=10, choices=NotifierType.choices)
    name = models.CharField("姓名或名称", max_length=100)
    organisation = models.CharField("单位", max_length=150, blank=True)
    id_type = models.CharField("证件类型", max_length=10, choices=IdType.choices)
    id_number = models.CharField("证件号码", max_length=40)
    email = models.EmailField("电子邮箱")
    phone = models.CharField("电话", max_length=30)
    address = models.CharField("通讯地址", max_length=300)
    right_kind = models.CharField("权利类型", max_length=12, choices=RightKind.choices)
    work_title = models.CharField("被侵权作品或内容名称", max_length=200)
    original_location = models.CharField("原作出处", max_length=500)
    measure = models.CharField("要求采取的措施", max_length=12, choices=Measure.choices)
    description = models.TextField("侵权说明")
    signature = models.CharField("签名", max_length=100)
    signed_at = models.DateTimeField("签署时间")
    submitted_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    restore_after = models.DateTimeField("可恢复日期", null=True, blank=True)
    flagged = models.BooleanField(
        "需人工留意", default=False, help_text="涉及的文章曾在反通知后恢复，不会自动处理。"
    )
    articles = models.ManyToManyField(
        "articles.Article", through="TakedownTarget", related_name="takedown_cases"
    )

    objects = TakedownCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = verbose_name_plural = "侵权投诉"

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = next_reference()
        super().save(*args, **kwargs)

    @property
    def due_date(self):
        """By when a decision is owed: TAKEDOWN_DECISION_DAYS working days (Monday to
        Friday) after the notice arrived, in local time; None once decided."""
        if self.status not in self.OPEN:
            return None
        day = timezone.localtime(self.submitted_at).date()
        left = settings.TAKEDOWN_DECISION_DAYS
        while left:
            day += timedelta(days=1)
            left -= day.weekday() < 5
        return day

    @property
    def overdue(self) -> bool:
        due = self.due_date
        return due is not None and timezone.localdate() > due

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.Status(self.status)]

    def information_requested(self) -> str:
        """What the editors last asked the requester for (the note of that step)."""
        event = self.events.filter(to_status=self.Status.NEEDS_INFO).order_by("at", "pk").last()
        return event.note if event else ""


DECISIONS_REPORTED = {
    "withdrawn": TakedownCase.Status.WITHDRAWN,
    "rejected": TakedownCase.Status.REJECTED,
    "restored": TakedownCase.Status.RESTORED,
}


def next_reference() -> str:
    """TD-YYYYMMDD-NNNN, numbered per day by one atomic upsert: concurrent notices never
    share or skip a number."""
    today = timezone.localdate()
    table = TakedownCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (day, last) VALUES (%s, 1)
            ON CONFLICT (day) DO UPDATE SET last = {table}.last + 1
            RETURNING last
            """,
            [today],
        )
        (number,) = cursor.fetchone()
    return f"TD-{today:%Y%m%d}-{number:04d}"


class TakedownCounter(models.Model):
    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.day}: {self.last}"


class TakedownTarget(models.Model):
    """One of our pages a notice names, as the requester wrote it."""

    case = models.ForeignKey(TakedownCase, on_delete=models.PROTECT, related_name="targets")
    article = models.ForeignKey("articles.Article", on_delete=models.PROTECT, related_name="+")
    url = models.CharField("投诉中的网址", max_length=500)

    class Meta:
        verbose_name = verbose_name_plural = "涉及文章"
        constraints = [
            models.UniqueConstraint(fields=["case", "article"], name="unique_case_article")
        ]

    def __str__(self):
        return self.url


class TakedownSubmission(models.Model):
    """A form submission exactly as received: the notice, added material, or a counter-notice
    (and, from before a public notice stopped joining an open case, a duplicate notice)."""

    class Kind(models.TextChoices):
        NOTICE = "notice", "通知"
        DUPLICATE = "duplicate", "重复通知"
        SUPPLEMENT = "supplement", "补充材料"
        COUNTER = "counter", "反通知"

    case = models.ForeignKey(TakedownCase, on_delete=models.PROTECT, related_name="submissions")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    # The form's one-time key: a submission sent twice (a double click, a retry after a
    # lost answer) is recognised and stored once.
    key = models.UUIDField("提交标识", unique=True, null=True, editable=False)
    raw = models.TextField("原始内容（JSON）")
    sha256 = models.CharField("SHA-256", max_length=64)
    received_at = models.DateTimeField("收到时间", default=timezone.now)

    class Meta:
        ordering = ["received_at"]
        verbose_name = verbose_name_plural = "原始提交"

    def __str__(self):
        return f"{self.case} {self.get_kind_display()}"


class TakedownAttachment(models.Model):
    class Kind(models.TextChoices):
        PROOF = "proof", "权属或侵权证明"
        AUTHORISATION = "authorisation", "授权委托书"
        SUPPLEMENT = "supplement", "补充材料"
        COUNTER = "counter", "反通知证明"

    case = models.ForeignKey(TakedownCase, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField("类型", max_length=15, choices=Kind.choices)
    file = models.FileField(storage=private_storage, upload_to=private_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=50)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    received_at = models.DateTimeField("收到时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "附件"

    def __str__(self):
        return self.original_name

    @property
    def download_name(self) -> str:
        """A safe name to save it under: the case, the file's number and the extension of
        its detected type (the sender's own name, e.g. `evidence.html`, is only shown)."""
        extension = os.path.splitext(self.file.name)[1].lower() or ".bin"
        return f"{self.case.reference}-{self.pk}{extension}"


class CounterNotice(models.Model):
    case = models.ForeignKey(TakedownCase, on_delete=models.PROTECT, related_name="counter_notices")
    name = models.CharField("姓名或名称", max_length=100)
    id_type = models.CharField("证件类型", max_length=10, choices=TakedownCase.IdType.choices)
    id_number = models.CharField("证件号码", max_length=40)
    email = models.EmailField("电子邮箱")
    phone = models.CharField("电话", max_length=30)
    address = models.CharField("通讯地址", max_length=300)
    grounds = models.TextField("理由与说明")
    signature = models.CharField("签名", max_length=100)
    signed_at = models.DateTimeField("签署时间")

    class Meta:
        verbose_name = verbose_name_plural = "反通知"

    def __str__(self):
        return f"{self.case} · {self.name}"


class TakedownEvent(models.Model):
    """One step of a case: who, when, from which status to which, and why. Append-only."""

    case = models.ForeignKey(TakedownCase, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("时间", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    actor_label = models.CharField("操作方", max_length=50)
    from_status = models.CharField(
        "原状态", max_length=20, blank=True, choices=TakedownCase.Status.choices
    )
    to_status = models.CharField(
        "新状态", max_length=20, blank=True, choices=TakedownCase.Status.choices
    )
    action = models.CharField("操作", max_length=50)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = verbose_name_plural = "处理记录"

    def __str__(self):
        return f"{self.case} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("处理记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("处理记录不能删除。")
