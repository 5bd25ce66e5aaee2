"""Building notices for tests: real files, a public article, the form's fields."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import make_article

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def pdf(name="版权登记证书.pdf", data=PDF):
    return SimpleUploadedFile(name, data, "application/pdf")


def png(name="首发截图.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


# A PDF that an HTML parser would also run: judged by its bytes, it is a PDF.
PDF_WITH_HTML = PDF.replace(b"%%EOF", b"<html><script>alert(1)</script></html>\n%%EOF")


def bomb(name="截图.png"):
    """A small PNG that declares 30000×30000 pixels: a decompression bomb."""
    buffer = io.BytesIO()
    Image.new("1", (30000, 30000)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def truncated_png(name="截图.png"):
    data = png().read()
    return SimpleUploadedFile(name, data[: len(data) // 2], "image/png")


def executable(name="证据.pdf"):
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03" + b"\x00" * 200, "application/pdf")


def notice_fields(url, **overrides):
    data = {
        "notifier_type": "holder",
        "name": "林晓雨",
        "organisation": "",
        "id_type": "id_card",
        "id_number": "110101199001011234",
        "email": "lin@example.com",
        "phone": "13800000000",
        "address": "北京市东城区某街道 1 号",
        "right_kind": "copyright",
        "work_title": "钢铁行业的冬天",
        "original_location": "https://example.org/original/steel",
        "urls": url,
        "measure": "delete",
        "description": "该文为本人原创，首发于个人网站，未授权任何网站转载。",
        "declare_good_faith": "on",
        "declare_accurate": "on",
        "declare_liability": "on",
        "signature": "林晓雨",
        "website": "",
    }
    data.update(overrides)
    return data


def public_article(title="钢铁行业的冬天", **kwargs):
    return make_article(title, tags=kwargs.pop("tags", ["钢铁"]), **kwargs)
