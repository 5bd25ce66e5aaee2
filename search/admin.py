from django.contrib import admin

from .models import TagPinyin


@admin.register(TagPinyin)
class TagPinyinAdmin(admin.ModelAdmin):
    list_display = ["tag", "full", "initials", "corrected"]
    list_editable = ["full", "initials", "corrected"]
    search_fields = ["tag__name", "full", "initials"]
    readonly_fields = ["tag"]

    def has_add_permission(self, request):
        return False  # made automatically when a tag is saved
