"""Image uploads: checked with Pillow, cleaned, and cut into sizes for `srcset`.

An upload is accepted only if Pillow can decode all of it as JPEG, PNG, WebP or GIF within
the size and pixel limits. It is stored re-encoded, with EXIF orientation applied and every
metadata block (EXIF, GPS, XMP, comments) dropped, under a name the server makes up. Each
size is written as the original format and as WebP; pages offer WebP where it is smaller.
"""

import io
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 40 megapixels: a large phone photo; beyond it is likely a bomb
MAX_SIDE = 12_000
RENDITION_WIDTHS = (480, 960, 1600)
JPEG_QUALITY = 85
WEBP_QUALITY = 80
NOT_AN_IMAGE = "这个文件不是有效的图片（可能只是改了扩展名）。请上传 JPEG、PNG、WebP 或 GIF 图片。"


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    extension: str
    width: int
    height: int


def clean_upload(upload) -> CleanImage:
    """Validate an uploaded file and return it re-encoded without metadata.

    Raises ValidationError with a message an editor can act on; never lets a Pillow
    exception through, whatever the bytes are.
    """
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"图片太大（{upload.size / 1024 / 1024:.1f} MB），请压缩到 "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB 以内再上传。",
            code="too_large",
        )
    with decoded_image(upload.read()) as (image, image_format):
        return _reencode(image, image_format)


@contextmanager
def decoded_image(data: bytes, *, formats=ALLOWED_FORMATS, label: str = "图片"):
    """(image, format) for bytes that hold a whole image of one of `formats` within the size
    and pixel limits, decoded to the last pixel (a truncated file fails here). Anything else
    — another format, a decompression bomb, broken bytes — raises ValidationError starting
    with `label` ("图片", or 附件“证据.png”), never a Pillow exception."""
    kinds = "、".join(FORMAT_NAMES[f] for f in formats)
    try:
        with PILImage.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in formats:
                raise ValidationError(
                    f"不支持的{label}格式（{image_format}）。请上传 {kinds} 图片。", code="format"
                )
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise ValidationError(
                    f"{label}尺寸过大（{width}×{height} 像素），请缩小到 4000 万像素、"
                    f"单边 {MAX_SIDE} 像素以内。",
                    code="too_many_pixels",
                )
            probe.verify()
        with PILImage.open(io.BytesIO(data)) as image:
            image.load()
            yield image, image_format
    except ValidationError:
        raise
    except PILImage.DecompressionBombError:  # far beyond the limits: Pillow stops at once
        raise ValidationError(
            f"{label}尺寸过大，请缩小到 4000 万像素、单边 {MAX_SIDE} 像素以内。",
            code="too_many_pixels",
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            NOT_AN_IMAGE if label == "图片" else f"{label}不是有效的图片。", code="not_an_image"
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            f"{label}文件已损坏或不完整，无法读取。请重新导出后再上传。", code="broken"
        ) from None


def _reencode(image: PILImage.Image, image_format: str) -> CleanImage:
    if image_format == "GIF" and getattr(image, "is_animated", False):
        # Re-encoding would drop the animation; GIF carries no EXIF, so keep the frames.
        buffer = io.BytesIO()
        image.save(buffer, "GIF", save_all=True, comment=b"")
    else:
        image = ImageOps.exif_transpose(image)
        buffer = io.BytesIO()
        _save(image, image_format, buffer)
    extension = ALLOWED_FORMATS[image_format]
    content = ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
    return CleanImage(content, extension, image.width, image.height)


def _save(image: PILImage.Image, image_format: str, buffer) -> None:
    """Save with no metadata: Pillow writes EXIF/XMP only when asked to."""
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif image_format == "PNG":
        image.save(buffer, "PNG", optimize=True)
    elif image_format == "WEBP":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        image.save(buffer, "GIF")


def make_renditions(path: str, image_format: str, width: int) -> list[dict]:
    """Write each smaller width as the original format and as WebP; return what was written.

    Each entry is {"width", "url_path", "format", "bytes"}; `srcset` uses the smaller of the
    two formats for every width. The original file itself serves the widest size.
    """
    renditions = []
    with default_storage.open(path) as source, PILImage.open(source) as original:
        original.load()
        for target in [w for w in RENDITION_WIDTHS if w < width]:
            height = round(original.height * target / original.width)
            resized = original.convert("RGBA" if original.mode in ("RGBA", "P", "LA") else "RGB")
            resized = resized.resize((target, height), PILImage.Resampling.LANCZOS)
            stem = path.rsplit(".", 1)[0]
            for fmt in {image_format, "WEBP"}:
                out_format = "PNG" if fmt == "GIF" else fmt
                buffer = io.BytesIO()
                _save(resized, out_format, buffer)
                name = default_storage.save(
                    f"{stem}-{target}w.{ALLOWED_FORMATS[out_format]}",
                    ContentFile(buffer.getvalue()),
                )
                renditions.append(
                    {"width": target, "path": name, "format": out_format, "bytes": buffer.tell()}
                )
    return renditions
