"""Authors, managed by 主编: the names, bios and photos behind bylines."""

from django.contrib import admin

from ..models import Author, OldAddress


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "user", "article_count"]
    search_fields = ["name", "title"]
    autocomplete_fields = ["photo"]
    fields = ["name", "title", "slug", "bio", "photo", "user"]

    @admin.display(description="文章数")
    def article_count(self, author):
        return author.authorships.count()


@admin.register(OldAddress)
class OldAddressAdmin(admin.ModelAdmin):
    """Earlier addresses that answer 301: recorded by slug changes and imports; a 主编 may
    add one by hand (an old link found in the wild)."""

    list_display = ["path", "article", "created_at"]
    search_fields = ["path", "article__title"]
    autocomplete_fields = ["article"]
