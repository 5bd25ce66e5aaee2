from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from .. import services
from ..forms import (
    ArticleAdminForm,
    PasteEssayForm,
    ScheduleForm,
    SectionAdminForm,
    SendBackForm,
)
from ..models import Article, ArticleRevision, Authorship, Correction, Section
from .actions import action_form


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionAdminForm
    fields = ["position", "heading", "body_html"]
    ordering = ["position", "pk"]
    verbose_name = "分节"
    verbose_name_plural = (
        "分节（按“顺序”从小到大排列，编号 01、02… 自动生成；改顺序数字即可调整先后）"
    )

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj and obj.sections.exists() else 3


class AuthorshipInline(admin.TabularInline):
    """The byline: one or more authors, in order. A new article is signed by the editor's
    own author profile when they have one and pick no one else."""

    model = Authorship
    fields = ["author", "position"]
    autocomplete_fields = ["author"]
    extra = 0
    verbose_name = "作者"
    verbose_name_plural = "作者（署名按“顺序”排列）"


class CorrectionInline(admin.TabularInline):
    """更正与说明: shown at the foot of the article with their dates, and on /corrections/."""

    model = Correction
    fields = ["kind", "text", "published_at"]
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [AuthorshipInline, SectionInline, CorrectionInline]
    list_display = [
        "cover_thumbnail", "title", "channel", "status_label", "published_at", "updated_at",
        "preview",
    ]  # fmt: skip
    list_display_links = ["title"]
    # No date_hierarchy: its year list is a DISTINCT over every row (240 ms at a million);
    # the date filter's ranges (today, 7 days, this month, this year) each use the index.
    list_filter = ["status", "channel", "published_at"]
    show_full_result_count = False
    list_select_related = ["channel", "cover"]
    search_fields = ["title"]
    autocomplete_fields = ["cover"]
    actions = ["publish_now", "unpublish", "schedule", "submit_for_review", "send_back"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "lede", "channel", "tags", "version_seen"]}),
        ("署名与来源", {"fields": ["byline", "editor_in_charge", "source_name", "source_url"]}),
        ("封面", {"fields": ["cover", "cover_preview"]}),
        ("发布", {"fields": ["status", "published_at", "unpublish_at"]}),
    ]

    # --- permissions -------------------------------------------------------------------
    def has_publish_permission(self, request):
        """Publishing directly: 编辑 and 主编, or — with EDITORIAL_REVIEW — 主编 only."""
        user = request.user
        return user.has_perm("articles.publish_article") and (
            not settings.EDITORIAL_REVIEW or user.has_perm("articles.review_article")
        )

    def has_review_permission(self, request):
        return settings.EDITORIAL_REVIEW and request.user.has_perm("articles.review_article")

    def has_submit_permission(self, request):
        return settings.EDITORIAL_REVIEW and self.has_change_permission(request)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["cover_preview"]
        if not self.has_publish_permission(request):
            # In review mode an 编辑 still chooses 草稿 or 待审核 (see the choices below) for
            # an article not yet out; one already published, scheduled or ended keeps its
            # state — a typo fixed on a live article never takes it offline.
            chooses = settings.EDITORIAL_REVIEW and (
                obj is None or obj.status in (Article.Status.DRAFT, Article.Status.IN_REVIEW)
            )
            readonly += [*([] if chooses else ["status"]), "published_at", "unpublish_at"]
        if obj is not None and obj.status == Article.Status.WITHDRAWN:
            readonly += ["status"]  # only the takedown workflow restores a withdrawn article
        return readonly

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            allowed = (
                {value for value, _ in Article.Status.choices} - {Article.Status.WITHDRAWN}
                if self.has_publish_permission(request)
                else {Article.Status.DRAFT, Article.Status.IN_REVIEW}
            )
            kwargs["choices"] = [
                (value, label) for value, label in Article.Status.choices if value in allowed
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    # --- list --------------------------------------------------------------------------
    @admin.display(description="状态", ordering="status")
    def status_label(self, article):
        if article.is_scheduled:
            return format_html(
                "定时 {}", timezone.localtime(article.published_at).strftime("%m-%d %H:%M")
            )
        return article.get_status_display()

    @admin.display(description="封面")
    def cover_thumbnail(self, article):
        if article.cover is None:
            return ""
        return format_html(
            '<img class="desk-thumb" src="{}" alt="" width="72" height="48">',
            article.cover.thumbnail_url,
        )

    @admin.display(description="封面预览")
    def cover_preview(self, article):
        if article.cover is None:
            return "（未选封面）"
        return format_html(
            '<img class="desk-preview" src="{}" alt="{}">',
            article.cover.thumbnail_url,
            article.cover.alt,
        )

    @admin.display(description="预览")
    def preview(self, article):
        label = "查看" if article.is_public else "预览"
        return format_html('<a href="{}" target="_blank">{}</a>', article.get_absolute_url(), label)

    # --- saving keeps a revision ---------------------------------------------------------
    def save_model(self, request, obj, form, change):
        if not obj.editor_in_charge:  # 责任编辑: whoever edits it first, unless set
            obj.editor_in_charge = display_name(request.user)
        if change:  # every save through the desk makes a new version (see the form's lock)
            obj.version = (form.cleaned_data.get("version_seen") or obj.version) + 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        profile = getattr(request.user, "author", None)
        if not change and profile is not None and not form.instance.authorships.exists():
            Authorship.objects.create(article=form.instance, author=profile)
        ArticleRevision.snapshot(
            form.instance, author=request.user, note="修改" if change else "新建"
        )

    # --- actions -------------------------------------------------------------------------
    @admin.action(description="立即发布所选文章", permissions=["publish"])
    def publish_now(self, request, queryset):
        for article in queryset.exclude(status=Article.Status.WITHDRAWN):
            _publish(article, request)
            self.log_change(request, article, "立即发布")
        self.message_user(request, "所选文章已发布（已撤下的文章不受影响）。", messages.SUCCESS)

    @admin.action(description="提交审核", permissions=["submit"])
    def submit_for_review(self, request, queryset):
        drafts = queryset.filter(status=Article.Status.DRAFT)
        for article in drafts:
            services.article_submit_for_review(article=article, by=request.user)
        self.message_user(
            request, f"已提交审核 {len(drafts)} 篇，主编审核通过后发布。", messages.SUCCESS
        )

    @admin.action(description="退回修改（写明原因）", permissions=["review"])
    def send_back(self, request, queryset):
        form = SendBackForm(request.POST if "apply" in request.POST else None)
        waiting = queryset.filter(status=Article.Status.IN_REVIEW)
        if not form.is_valid():
            intro = "以下待审核的文章将退回为草稿，原因记入文章历史："
            return action_form(self, request, waiting, form, action="send_back",
                               title="退回修改", intro=intro, submit_label="确定退回")  # fmt: skip
        for article in waiting:
            services.article_send_back(
                article=article, by=request.user, note=form.cleaned_data["note"]
            )
        self.message_user(request, "已退回，原因已记入文章历史。", messages.SUCCESS)
        return None

    @admin.action(description="撤回为草稿", permissions=["publish"])
    def unpublish(self, request, queryset):
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            services.article_unpublish(article=article)
            self.log_change(request, article, "撤回为草稿")
        self.message_user(request, "所选文章已撤回为草稿，读者不再能看到。", messages.SUCCESS)

    @admin.action(description="定时发布所选文章…", permissions=["publish"])
    def schedule(self, request, queryset):
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            when = form.cleaned_data["published_at"]
            for article in queryset.exclude(status=Article.Status.WITHDRAWN):
                _publish(article, request, at=when)
                self.log_change(
                    request, article, f"定时发布于 {timezone.localtime(when):%Y-%m-%d %H:%M}"
                )
            self.message_user(
                request,
                f"已定时：到 {timezone.localtime(when):%Y年%m月%d日 %H:%M} 自动发布。",
                messages.SUCCESS,
            )
            return None
        return action_form(
            self,
            request,
            queryset,
            form,
            action="schedule",
            title="定时发布",
            intro="以下文章将在设定的时间自动出现在网站上（无需任何人再操作）：",
            submit_label="确定定时发布",
        )

    # --- extra views: paste, revisions ----------------------------------------------------
    def get_urls(self):
        own = [
            path(
                "paste/", self.admin_site.admin_view(self.paste_view), name="articles_article_paste"
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/",
                self.admin_site.admin_view(self.revision_view),
                name="articles_article_revision",
            ),
        ]
        return own + super().get_urls()

    def paste_view(self, request):
        """Paste a whole essay; preview the split into sections; then save it as a draft."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PasteEssayForm(
            request.POST if request.method == "POST" else None,
            initial={"byline": display_name(request.user)},
        )
        # The library searched as the change page's cover field does, not one <select> of
        # every image (thousands, in a newsroom).
        cover = form.fields["cover"]
        cover.widget = AutocompleteSelect(Article._meta.get_field("cover"), self.admin_site)
        cover.widget.choices = cover.choices
        essay = None
        if request.method == "POST" and form.is_valid():
            essay = form.essay
            if "_save" in request.POST:
                data = form.cleaned_data
                article = services.article_create_from_text(
                    title=data["title"], essay=essay, author=request.user,
                    channel=data["channel"], byline=data["byline"], cover=data["cover"],
                    source_name=data["source_name"], source_url=data["source_url"],
                    editor_in_charge=display_name(request.user),
                )  # fmt: skip
                article.tags.set(data["tags"])
                profile = getattr(request.user, "author", None)
                if profile is not None and data["byline"] == display_name(request.user):
                    Authorship.objects.create(article=article, author=profile)
                self.log_addition(request, article, "粘贴全文创建")
                self.message_user(
                    request, f"已保存为草稿，共 {len(essay.sections)} 节。", messages.SUCCESS
                )
                return redirect(reverse("admin:articles_article_change", args=[article.pk]))
        return TemplateResponse(
            request,
            "admin/articles/article/paste.html",
            {
                **self.admin_site.each_context(request),
                "title": "粘贴全文新建文章",
                "opts": self.opts,
                "form": form,
                "essay": essay,
                "numbered": [
                    (f"{n:02d}", section) for n, section in enumerate(essay.sections, start=1)
                ]
                if essay
                else [],
            },
        )

    def revision_view(self, request, object_id, revision_id):
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(ArticleRevision, pk=revision_id, article=article)
        return TemplateResponse(
            request,
            "admin/articles/article/revision.html",
            {
                **self.admin_site.each_context(request),
                "title": f"版本：{revision}",
                "opts": self.opts,
                "original": article,
                "revision": revision,
            },
        )

    def history_view(self, request, object_id, extra_context=None):
        revisions = ArticleRevision.objects.filter(article_id=unquote(object_id)).select_related(
            "author"
        )[:100]
        return super().history_view(
            request, object_id, extra_context={**(extra_context or {}), "revisions": revisions}
        )


def _publish(article, request, at=None) -> None:
    """Publish now or at `at`; an article waiting for review is approved (in its history)."""
    if article.status == Article.Status.IN_REVIEW:
        services.article_approve(article=article, by=request.user, at=at)
    else:
        services.article_publish(article=article, at=at)


def display_name(user) -> str:
    """How the newsroom names an editor: their author name, else their full name, else their
    sign-in name."""
    profile = getattr(user, "author", None)
    if profile is not None:
        return profile.name
    return user.get_full_name() or user.get_username()
