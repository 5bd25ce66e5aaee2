from django.contrib import admin
from django.utils.html import format_html

from ..forms import ImageAdminForm
from ..models import Image
from ..tasks import make_renditions


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "alt", "size", "uploaded_by", "created_at"]
    search_fields = ["alt", "caption", "credit"]
    readonly_fields = ["preview", "address", "size", "uploaded_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        if getattr(form, "cleaned_image", None) is not None:
            # In the same transaction: with the task queue in the database, the task is
            # stored with the image or not at all, and runs once both are committed.
            make_renditions.enqueue(obj.pk)

    @admin.display(description="缩略图")
    def thumbnail(self, image):
        return format_html(
            '<img class="desk-thumb" src="{}" alt="" height="48">', image.thumbnail_url
        )

    @admin.display(description="预览")
    def preview(self, image):
        return format_html('<img class="desk-preview" src="{}" alt="">', image.url)

    @admin.display(description="插入正文用的地址")
    def address(self, image):
        return format_html(
            "<code>{}</code><br>"
            "在分节正文里单独一段写 <code>![图片说明]({})</code> 即可插入；"
            "读者页面会按屏幕自动选用合适的尺寸。",
            image.url,
            image.url,
        )

    @admin.display(description="尺寸")
    def size(self, image):
        return f"{image.width}×{image.height}" if image.width else "—"
