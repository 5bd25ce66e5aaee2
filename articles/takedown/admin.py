"""The takedown queue for 主编: read the notice, act on it, and keep the record."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html_join

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
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 5, "cols": 80}))


@dataclass(frozen=True)
class Step:
    service: Callable
    label: str
    leads_to: str
    note_keyword: str  # the service's name for the editor's note
    note_required: bool


Status = TakedownCase.Status
STEPS = {
    "withdraw": Step(services.case_withdraw, "撤下所涉文章", Status.WITHDRAWN, "note", False),
    "request_information": Step(
        services.case_request_information, "要求补充材料", Status.NEEDS_INFO, "message", True
    ),
    "reject": Step(
        services.case_reject, "驳回（理由会发给投诉人）", Status.REJECTED, "reason", True
    ),
    "restore": Step(services.case_restore, "恢复文章（等待期满）", Status.RESTORED, "note", False),
    "keep_withdrawn": Step(
        services.case_keep_withdrawn, "维持撤下（投诉人已起诉或投诉）", Status.KEPT, "note", True
    ),
    "close": Step(services.case_close, "结案", Status.CLOSED, "note", False),
}


@admin.register(TakedownCase)
class TakedownCaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "status", "flagged", "name", "right_kind", "submitted_at"]
    list_filter = ["status", "flagged", "right_kind"]
    search_fields = ["reference", "name", "email", "targets__url"]
    date_hierarchy = "submitted_at"
    inlines = [CounterNoticeInline, EventInline]
    actions = [f"act_{name}" for name in STEPS]
    fieldsets = [
        (None, {"fields": ["reference", "status", "flagged", "related", "available_steps"]}),
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
        return super().get_queryset(request).prefetch_related("targets", "attachments")

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
            ((s.get_kind_display(), s.received_at, s.sha256) for s in case.submissions.all()),
        )  # fmt: skip

    @admin.display(description="可进行的操作")
    def available_steps(self, case):
        steps = [step.label for step in STEPS.values() if case.can_become(step.leads_to)]
        return "、".join(steps) or "无（已结案）"

    def get_urls(self):
        return [
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

    def run_step(self, request, queryset, name):
        """Ask for the note when the step needs one, then apply the step to each case."""
        step = STEPS[name]
        form = NoteForm(request.POST if "apply" in request.POST else None)
        if step.note_required and not form.is_valid():
            return action_form(
                self, request, queryset, form, action=f"act_{name}", title=step.label
            )
        note = form.cleaned_data["note"] if form.is_bound and form.is_valid() else ""
        for case in queryset:
            try:
                step.service(case=case, by=request.user, **{step.note_keyword: note})
                self.message_user(
                    request, f"{case.reference}：{step.label}，已记录。", messages.SUCCESS
                )
            except ValidationError as error:
                self.message_user(request, "；".join(error.messages), messages.ERROR)
        return None


def _make_action(name: str, step: Step):
    def action(modeladmin, request, queryset):
        return modeladmin.run_step(request, queryset, name)

    action.__name__ = f"act_{name}"
    return admin.action(description=step.label, permissions=["change"])(action)


for _name, _step in STEPS.items():
    setattr(TakedownCaseAdmin, f"act_{_name}", _make_action(_name, _step))
