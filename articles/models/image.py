"""Editors' image library: covers and pictures placed inside sections."""

import html
import re
from urllib.parse import unquote

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.template.loader import render_to_string

from .. import images

_IMG_TAG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\bsrc="([^"]+)"')
_ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')  # nh3 writes every value in double quotes
# Section bodies sit in the essay column (--measure, about 38em) or the full phone width.
SECTION_IMAGE_SIZES = "(min-width: 40rem) 38em, 100vw"


class ImageQuerySet(models.QuerySet):
    def sized_html(self, bodies: list[str], used: set[int] | None = None) -> list[str]:
        """Section bodies with each of our library's images served in sizes — `srcset`, WebP
        where smaller, lazy loading — as covers are. One query for all the bodies, none
        when they hold no image; an image not in the library is left as it is. The ids of
        the library's images found are added to `used` (the page's surrogate keys)."""
        sources = {
            html.unescape(match.group(1))
            for body in bodies
            for tag in _IMG_TAG.findall(body)
            if (match := _SRC.search(tag)) and match.group(1).startswith(settings.MEDIA_URL)
        }
        if not sources:
            return bodies
        names = [unquote(source.removeprefix(settings.MEDIA_URL)) for source in sources]
        by_url = {image.url: image for image in self.filter(file__in=names)}
        if used is not None:
            used.update(image.pk for image in by_url.values())

        def picture(match):
            tag = match.group(0)
            source = _SRC.search(tag)
            image = by_url.get(html.unescape(source.group(1))) if source else None
            return image.picture_html(tag) if image and image.renditions else tag

        return [_IMG_TAG.sub(picture, body) for body in bodies]


class Image(models.Model):
    file = models.ImageField(
        "图片文件", upload_to="images/%Y/%m/", width_field="width", height_field="height"
    )
    alt = models.CharField("替代文字", max_length=200, help_text="看不到图片的读者会读到这句话。")
    caption = models.CharField("图片说明", max_length=200, blank=True)
    credit = models.CharField("图片来源", max_length=120, blank=True)
    width = models.PositiveIntegerField("宽", editable=False, default=0)
    height = models.PositiveIntegerField("高", editable=False, default=0)
    renditions = models.JSONField("尺寸", default=list, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "图片"

    def __str__(self):
        return self.alt or self.file.name

    @property
    def url(self) -> str:
        return self.file.url

    @property
    def thumbnail_url(self) -> str:
        """The smallest stored size in the original format, for the desk's thumbnails: a
        list of fifty articles should not load fifty originals."""
        sizes = [r for r in self.renditions if r["format"] != "WEBP"] or self.renditions
        if not sizes:
            return self.url
        return default_storage.url(min(sizes, key=lambda r: r["width"])["path"])

    def refresh_renditions(self) -> None:
        """(Re)write the smaller sizes; called after the cleaned file is stored."""
        for old in self.renditions:
            default_storage.delete(old["path"])
        image_format = self.file.name.rsplit(".", 1)[-1].upper().replace("JPG", "JPEG")
        self.renditions = images.make_renditions(self.file.name, image_format, self.width)
        Image.objects.filter(pk=self.pk).update(renditions=self.renditions)

    def srcsets(self) -> dict[str, str]:
        """`srcset` values: "fallback" in the original format, and "webp" — WebP files only,
        for a `<source type="image/webp">` — when WebP is the smaller file at every width
        ("" otherwise, so no browser fetches the bigger file)."""
        by_width: dict[int, dict[str, dict]] = {}
        for rendition in self.renditions:
            by_width.setdefault(rendition["width"], {})[rendition["format"]] = rendition
        fallback, webp_set, webp_smaller = [], [], bool(by_width)
        for width, formats in sorted(by_width.items()):
            webp = formats.pop("WEBP", None)
            original = next(iter(formats.values()), webp)
            fallback.append(f"{default_storage.url(original['path'])} {width}w")
            if webp is not None:
                webp_set.append(f"{default_storage.url(webp['path'])} {width}w")
            webp_smaller &= webp is not None and webp["bytes"] < original["bytes"]
        return {
            "fallback": ", ".join([*fallback, f"{self.url} {self.width}w"]),
            "webp": ", ".join(webp_set) if webp_smaller else "",
        }

    def picture_html(self, img_tag: str) -> str:
        """An editor's `<img>` as the same `<picture>` a cover gets (every size, WebP where
        smaller), lazily loaded; their alt text and title kept, our alt when they gave none."""
        attributes = {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(img_tag)}
        return render_to_string(
            "_picture_element.html",
            {
                "image": self,
                "sizes": SECTION_IMAGE_SIZES,
                "lazy": True,
                "alt": attributes.get("alt"),
                "title": attributes.get("title", ""),
            },
        )
