"""Attachments are judged by their bytes, never by their names."""

import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from articles.images import decoded_image

SIGNATURES = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
}
MAX_FILES = 5
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png"}


def checked_attachment(upload) -> tuple[ContentFile, str, str, int, str]:
    """(content under a server-made name, detected type, original name, size, sha256).

    Raises ValidationError naming the file and what to do about it.
    """
    name = upload.name[:200]
    limit = settings.TAKEDOWN_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"附件“{name}”太大（{upload.size / 1024 / 1024:.1f} MB），每个文件不能超过 "
            f"{limit // 1024 // 1024} MB。"
        )
    data = upload.read()
    detected = next((kind for magic, kind in SIGNATURES.items() if data.startswith(magic)), None)
    if detected is None:
        raise ValidationError(
            f"附件“{name}”不是 PDF、JPEG 或 PNG 文件（按文件内容判断，与扩展名无关）。"
        )
    content_type, extension = detected
    if content_type == "application/pdf" and b"%%EOF" not in data[-2048:]:
        raise ValidationError(f"附件“{name}”不是完整的 PDF 文件，请重新导出后上传。")
    if content_type.startswith("image/"):
        # The checks editors' uploads get: pixel limits, decompression bombs, truncation.
        with decoded_image(data, formats=IMAGE_FORMATS, label=f"附件“{name}”"):
            pass
    content = ContentFile(data, name=f"{uuid.uuid4().hex}.{extension}")
    return content, content_type, name, len(data), hashlib.sha256(data).hexdigest()
