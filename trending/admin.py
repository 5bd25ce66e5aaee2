from django.contrib import admin
from django.utils import timezone

from .models import TrendingHidden, TrendingItem


class CreatedByAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(TrendingItem)
class TrendingItemAdmin(CreatedByAdmin):
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
