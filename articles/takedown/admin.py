"""The takedown queue for 主编: read the notice, act on it, and keep the record."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, F, Q, Value, When
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles.admin.actions import action_form

from . import services
from .models import CounterNotice, TakedownAttachment, TakedownCase, TakedownEvent


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = TakedownEvent
    fields = ["at", "actor_label", "action", "from_status", "to_status", "note"]
    readonly_fields = fields


class CounterNoticeInline(ReadOnlyInline):
    model = CounterNotice
    fields = ["name", "id_type", "id_number", "email", "phone", "address", "grounds",
              "signature", "signed_at"]  # fmt: skip
    readonly_fields = fields


class NoteForm(forms.Form):
    note = forms.CharField(
        label="说明（记入案件日志）",
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        error_messages={
            "required": "请填写说明：它会记入案件日志，要求补充和驳回时还会发给投诉人。"
        },
    )


@dataclass(frozen=True)
class Step:
    service: Callable
    label: str
    leads_to: str
    note_keyword: str  # the service's name for the editor's note
    note_required: bool
    consequence: str = ""  # what happens, said before it does ({pages} lists the pages)


Status = TakedownCase.Status
STEPS = {
    "withdraw": Step(
        services.case_withdraw, "撤下", Status.WITHDRAWN, "note", False,
        "以下页面将立即下线，读者会看到“因侵权投诉已撤下”（451）：{pages}。"
        "投诉人会收到邮件，告知已撤下。",
    ),
    "request_information": Step(
        services.case_request_information, "要求补充", Status.NEEDS_INFO, "message", True,
        "投诉人会收到邮件，邮件正文就是下面填写的说明；页面保持原状：{pages}。",
    ),
    "reject": Step(
        services.case_reject, "驳回", Status.REJECTED, "reason", True,
        "投诉人会收到邮件，驳回理由就是下面填写的说明；页面继续在线：{pages}。",
    ),
    "restore": Step(
        services.case_restore, "恢复", Status.RESTORED, "note", False,
        "以下页面将重新上线：{pages}。投诉人和反通知人都会收到邮件。",
    ),
    "keep_withdrawn": Step(
        services.case_keep_withdrawn, "维持撤下", Status.KEPT, "note", True,
        "页面继续下线：{pages}。反通知人会收到邮件，告知维持撤下。",
    ),
    "close": Step(
        services.case_close, "结案", Status.CLOSED, "note", False,
        "案件结束，不再接受补充材料；页面保持现状：{pages}。不发邮件。",
    ),
}  # fmt: skip


@admin.register(TakedownCase)
class TakedownCaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "status", "attention", "due", "name", "right_kind",
                    "submitted_at"]  # fmt: skip
    list_filter = ["status", "flagged", "right_kind"]
    search_fields = ["reference", "name", "email", "targets__url"]
    date_hierarchy = "submitted_at"
    inlines = [CounterNoticeInline, EventInline]
    actions = [f"act_{name}" for name in STEPS]
    fieldsets = [
        (None, {"fields": ["reference", "status", "attention_detail", "related",
                           "available_steps"]}),
        ("投诉人", {"fields": ["notifier_type", "name", "organisation", "id_type", "id_number",
                              "email", "phone", "address"]}),
        ("投诉内容", {"fields": ["right_kind", "work_title", "original_location", "measure",
                                "pages", "description", "files"]}),
        ("声明与签名", {"fields": ["signature", "signed_at", "submitted_at", "decided_at",
                                  "restore_after", "originals"]}),
    ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"]]

    def has_add_permission(self, request):
        return False  # cases come only from the public form

    def has_delete_permission(self, request, obj=None):
        return False  # nothing is ever deleted

    def get_queryset(self, request):
        """Open cases first, the oldest (the first due, or overdue) at the top; then the
        decided ones, newest first."""
        open_case = Q(status__in=TakedownCase.OPEN)
        # Annotated before ModelAdmin orders it (the ordering names the annotations).
        return (
            TakedownCase.objects.prefetch_related("targets", "attachments")
            .annotate(
                decided=Case(When(open_case, then=Value(0)), default=Value(1)),
                open_since=Case(When(open_case, then=F("submitted_at")), default=None),
            )
            .order_by(*self.get_ordering(request))
        )

    def get_ordering(self, request):
        return ["decided", "open_since", "-submitted_at"]

    @admin.display(description="需留意")
    def attention(self, case):
        return "⚠ 需留意" if case.flagged else ""

    @admin.display(description="需人工留意")
    def attention_detail(self, case):
        """Said only when it applies: no red ✖ and warning text on every ordinary case."""
        if not case.flagged:
            return "无"
        return f"⚠ 需留意：{TakedownCase._meta.get_field('flagged').help_text}"

    @admin.display(description="处理期限")
    def due(self, case):
        due = case.due_date
        if due is None:
            return ""
        if case.overdue:
            return format_html('<strong class="overdue">{} 已逾期</strong>', f"{due:%m月%d日}")
        return f"{due:%m月%d日}"

    @admin.display(description="涉及的文章")
    def pages(self, case):
        return format_html_join(
            "", '<p><a href="{}" target="_blank">{}</a> · 《{}》（{}）</p>',
            ((t.article.get_absolute_url(), t.url, t.article.title, t.article.get_status_display())
             for t in case.targets.select_related("article")),
        )  # fmt: skip

    @admin.display(description="可能相关的案件")
    def related(self, case):
        """Cases naming the same pages: maybe the same matter, maybe someone else's. Never
        merged: the editor reads both."""
        others = TakedownCase.objects.related_to(case)
        return format_html_join(
            "、", '可能与 <a href="{}">{}</a>（{}）相关',
            ((reverse("admin:takedown_takedowncase_change", args=[other.pk]), other.reference,
              other.get_status_display()) for other in others),
        ) or "无"  # fmt: skip

    @admin.display(description="附件（点击下载）")
    def files(self, case):
        return format_html_join(
            "", '<p><a href="{}">{}</a> · {} · {} 字节 · SHA-256 {}</p>',
            ((reverse("admin:takedown_takedowncase_attachment", args=[a.pk]), a.original_name,
              a.get_kind_display(), a.size, a.sha256[:16] + "…") for a in case.attachments.all()),
        )  # fmt: skip

    @admin.display(description="原始提交（SHA-256）")
    def originals(self, case):
        return format_html_join(
            "", "<p>{} · {} · <code>{}</code></p>",
            ((s.get_kind_display(), f"{timezone.localtime(s.received_at):%Y-%m-%d %H:%M}",
              s.sha256) for s in case.submissions.all()),
        )  # fmt: skip

    @admin.display(description="操作")
    def available_steps(self, case):
        """A button for each step this case may take now; each opens a confirmation."""
        steps = [(name, step) for name, step in STEPS.items() if case.can_become(step.leads_to)]
        if not steps:
            return "已结案，无可进行的操作"
        return format_html_join(
            " ", '<a class="button" href="{}">{}</a>',
            ((reverse("admin:takedown_takedowncase_step", args=[case.pk, name]), step.label)
             for name, step in steps),
        )  # fmt: skip

    def get_urls(self):
        return [
            path(
                "<int:pk>/step/<str:name>/",
                self.admin_site.admin_view(self.confirm_step),
                name="takedown_takedowncase_step",
            ),
            path(
                "attachment/<int:pk>/",
                self.admin_site.admin_view(self.download),
                name="takedown_takedowncase_attachment",
            ),
            *super().get_urls(),
        ]

    def download(self, request, pk):
        """Attachments go to 主编 only, always as downloads, never rendered in the browser."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        attachment = get_object_or_404(TakedownAttachment.objects.select_related("case"), pk=pk)
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.download_name,
            content_type="application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def confirm_step(self, request, pk, name):
        """One case, one step: what will happen, the note for the log, then (POST) do it."""
        if name not in STEPS or not self.has_change_permission(request):
            raise PermissionDenied
        queryset = TakedownCase.objects.filter(pk=pk)
        get_object_or_404(queryset)
        response = self.run_step(request, queryset, name)
        return response or redirect("admin:takedown_takedowncase_change", pk)

    def run_step(self, request, queryset, name):
        """Show what the step will do to each case and ask for the note the log keeps; only
        a confirmed form (with its note) runs it. Bulk actions and the case page's buttons
        both come here."""
        step = STEPS[name]
        form = NoteForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            cases = [
                (case, step.consequence.format(pages=_pages(case)), case.can_become(step.leads_to))
                for case in queryset.prefetch_related("targets__article")
            ]
            return action_form(
                self, request, queryset, form, action=f"act_{name}", title=f"确认：{step.label}",
                consequences=cases, submit_label=f"确认{step.label}",
            )  # fmt: skip
        note = form.cleaned_data["note"]
        for case in queryset:
            try:
                step.service(case=case, by=request.user, **{step.note_keyword: note})
                self.message_user(
                    request, f"{case.reference}：{step.label}，已记录。", messages.SUCCESS
                )
            except ValidationError as error:
                self.message_user(request, "；".join(error.messages), messages.ERROR)
        return None


def _pages(case) -> str:
    return "、".join(f"《{t.article.title}》" for t in case.targets.all()) or "（无）"


def _make_action(name: str, step: Step):
    def action(modeladmin, request, queryset):
        return modeladmin.run_step(request, queryset, name)

    action.__name__ = f"act_{name}"
    return admin.action(description=step.label, permissions=["change"])(action)


for _name, _step in STEPS.items():
    setattr(TakedownCaseAdmin, f"act_{_name}", _make_action(_name, _step))
