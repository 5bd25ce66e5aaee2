"""Authors, managed by 主编: the names, bios and photos behind bylines."""

from django.contrib import admin

from ..models import Author


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "user", "article_count"]
    search_fields = ["name", "title"]
    autocomplete_fields = ["photo"]
    fields = ["name", "title", "slug", "bio", "photo", "user"]

    @admin.display(description="文章数")
    def article_count(self, author):
        return author.authorships.count()
