from django import forms
from django.contrib import admin
from django.utils import timezone

from .models import TrendingHidden, TrendingItem


class CreatedByAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class TrendingItemForm(forms.ModelForm):
    url = forms.URLField(
        label="外部链接", required=False, assume_scheme="https", help_text="不是本站文章时填写。"
    )

    def clean(self):
        cleaned = super().clean()
        # Checked here, not in the model: when the typed title is refused (too long), the
        # reason is that, not "required".
        if not self.has_error("title") and not (cleaned.get("article") or cleaned.get("title")):
            self.add_error("title", "没有链接本站文章时，标题必填。")
        return cleaned


@admin.register(TrendingItem)
class TrendingItemAdmin(CreatedByAdmin):
    form = TrendingItemForm
    list_display = ["__str__", "kind", "position", "article", "starts_at", "expires_at", "active"]
    list_filter = ["kind"]
    search_fields = ["title", "article__title"]
    autocomplete_fields = ["article"]
    fields = ["article", "title", "summary", "url", "position", "starts_at", "expires_at", "kind"]

    @admin.display(description="生效中", boolean=True)
    def active(self, item):
        now = timezone.now()
        return item.starts_at <= now and (item.expires_at is None or item.expires_at > now)


@admin.register(TrendingHidden)
class TrendingHiddenAdmin(CreatedByAdmin):
    list_display = ["article", "reason", "until", "created_at"]
    autocomplete_fields = ["article"]
    search_fields = ["article__title"]
