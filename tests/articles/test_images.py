"""Image uploads through the admin, with real files: valid, broken, huge and fake."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from articles.models import Image
from tests.factories import make_role_user

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:articles_image_add")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor_client(client):
    client.force_login(make_role_user("tupian", "编辑"))
    return client


def photo_bytes(size=(2000, 1000), fmt="JPEG", orientation=None, gps=False) -> bytes:
    image = PILImage.new("RGB", size, (200, 60, 40))
    for x in range(0, size[0], 50):  # some detail, so sizes differ by format
        image.paste((30, 90, 160), (x, 0, x + 20, size[1]))
    exif = PILImage.Exif()
    exif[0x010F] = "TestCam"  # Make
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (39.0, 54.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif.tobytes() if fmt in ("JPEG", "WEBP", "PNG") else b"")
    return buffer.getvalue()


def upload(client, name, data, content_type="image/jpeg"):
    return client.post(
        ADD_URL,
        {"file": SimpleUploadedFile(name, data, content_type), "alt": "厂区的库房", "caption": ""},
    )


def test_a_valid_photo_is_stored_clean_and_in_several_sizes(editor_client):
    response = upload(editor_client, "my photo.jpg", photo_bytes(orientation=6, gps=True))
    assert response.status_code == 302
    image = Image.objects.get()
    assert "my photo" not in image.file.name, "server-made file names"
    with default_storage.open(image.file.name) as stored, PILImage.open(stored) as pil:
        assert pil.size == (1000, 2000), "EXIF orientation applied (rotated upright)"
        assert not pil.getexif(), "EXIF (camera, GPS) stripped"
    assert (image.width, image.height) == (1000, 2000)
    widths = sorted({r["width"] for r in image.renditions})
    assert widths == [480, 960]
    assert {r["format"] for r in image.renditions} == {"JPEG", "WEBP"}
    sets = image.srcsets()
    assert "480w" in sets["fallback"] and "1000w" in sets["fallback"]
    offered = [candidate.split()[0] for candidate in sets["webp"].split(", ")]
    assert offered and all(url.endswith(".webp") for url in offered), "WebP files only"
    for rendition in image.renditions:
        assert default_storage.exists(rendition["path"])
    page = editor_client.get(reverse("admin:articles_image_change", args=[image.pk]))
    assert f"![图片说明]({image.url})" in page.content.decode(), "how to put it in a section"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("truncated.jpg", photo_bytes()[:3000], "损坏或不完整"),
        ("notes.jpg", "这其实是一个文本文件，只是改成了 .jpg。".encode() * 20, "不是有效的图片"),
        ("bomb.png", None, "尺寸过大"),
        ("huge-bomb.png", None, "尺寸过大"),
        ("picture.bmp", None, "不支持的图片格式"),
    ],
)
def test_bad_files_get_a_clear_error_never_a_500(editor_client, name, data, message):
    if name.endswith("bomb.png"):
        # 81 megapixels; then 400, where Pillow itself refuses to open it. Tiny files.
        side = 9000 if name == "bomb.png" else 20000
        buffer = io.BytesIO()
        PILImage.new("1", (side, side)).save(buffer, "PNG")
        data = buffer.getvalue()
    if name == "picture.bmp":
        buffer = io.BytesIO()
        PILImage.new("RGB", (50, 50)).save(buffer, "BMP")
        data = buffer.getvalue()
    response = upload(editor_client, name, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Image.objects.exists()


def test_a_long_original_file_name_is_fine(editor_client):
    name = "手机相册导出的一张照片" * 12 + ".jpg"
    assert upload(editor_client, name, photo_bytes(size=(800, 400))).status_code == 302
    assert len(Image.objects.get().file.name) < 100, "stored under a server-made name"


def test_an_oversized_upload_is_refused(editor_client, monkeypatch):
    from articles import images

    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 10_000)
    response = upload(editor_client, "big.jpg", photo_bytes())
    assert "图片太大" in response.content.decode()
    assert not Image.objects.exists()


def test_png_webp_and_gif_are_accepted(editor_client):
    for fmt, name in [("PNG", "a.png"), ("WEBP", "b.webp"), ("GIF", "c.gif")]:
        buffer = io.BytesIO()
        PILImage.new("RGB", (600, 300), (10, 120, 30)).save(buffer, fmt)
        assert upload(editor_client, name, buffer.getvalue()).status_code == 302, fmt
    assert Image.objects.count() == 3


def test_a_cover_is_served_in_sizes_with_srcset(editor_client, client):
    from tests.factories import make_article

    upload(editor_client, "cover.jpg", photo_bytes(size=(1800, 900)))
    image = Image.objects.get()
    article = make_article("有封面的文章")
    article.cover = image
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'srcset="' in html and "480w" in html and "960w" in html and "1800w" in html
    assert 'alt="厂区的库房"' in html
    assert f'<meta property="og:image" content="http://testserver{image.url}">' in html


def test_uploaded_images_are_served_without_a_proxy(editor_client, client):
    upload(editor_client, "served.jpg", photo_bytes(size=(1200, 600)))
    image = Image.objects.get()
    response = client.get(image.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert client.get("/media/" + image.renditions[0]["path"]).status_code == 200


def test_an_image_inside_a_section_is_served_in_sizes_too(
    editor_client, client, django_assert_max_num_queries
):
    from articles.models import Section
    from tests.factories import make_article

    upload(editor_client, "inside.jpg", photo_bytes(size=(1800, 900)))
    image = Image.objects.get()
    article = make_article("正文里有图的文章", sections=1)
    Section.objects.create(
        article=article,
        position=2,
        heading="库房",
        body_html=f'<p>看这张图：</p><img src="{image.url}" alt="编辑写的说明">'
        '<img src="/media/images/not-in-library.jpg" alt="别处的图">',
    )
    client.logout()
    with django_assert_max_num_queries(10):
        html = client.get(article.get_absolute_url()).content.decode()
    body = html[html.index('id="s2"') :]
    picture = body[body.index("<picture>") : body.index("</picture>")]
    assert "480w" in picture and "960w" in picture and "1800w" in picture
    assert 'alt="编辑写的说明"' in picture and 'loading="lazy"' in picture
    assert 'width="1800" height="900"' in picture, "room kept before the image loads"
    assert '<img src="/media/images/not-in-library.jpg" alt="别处的图">' in body


def test_cards_show_covers_as_thumbnails_and_the_lead_large(editor_client, client):
    from tests.factories import make_article

    upload(editor_client, "cover.jpg", photo_bytes(size=(1800, 900)))
    image = Image.objects.get()
    lead = make_article("有封面的头条", hours_ago=1)
    pictured = make_article("有封面的第二篇", hours_ago=2)
    make_article("没有封面的第三篇", hours_ago=3)
    for article in (lead, pictured):
        article.cover = image
        article.save()
    html = client.get("/").content.decode()
    lead_block = html[html.index('class="lead"') : html.index("</section>")]
    assert 'class="lead__picture"' in lead_block and 'loading="lazy"' not in lead_block
    card = html[html.index("card--pictured") :]
    card = card[: card.index("</article>")]
    assert "有封面的第二篇" in card and 'loading="lazy"' in card and 'srcset="' in card
    assert 'width="1800" height="900"' in card, "the box is known before the picture arrives"
    archive = client.get("/archive/").content.decode()
    assert archive.count("card--pictured") == 2
    small = next(r for r in image.renditions if r["width"] == 480 and r["format"] == "JPEG")
    assert image.thumbnail_url.endswith(small["path"])
    desk = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert image.thumbnail_url in desk and f'src="{image.url}"' not in desk, "small, not 1800 px"


def test_an_article_without_a_cover_shares_a_card_with_its_headline(client):
    from tests.factories import make_article

    article = make_article("没有封面也能分享")
    html = client.get(article.get_absolute_url()).content.decode()
    card = f"http://testserver/a/{article.slug}/share.png"
    assert f'<meta property="og:image" content="{card}">' in html
    assert f'"image": ["{card}"]' in html, "and in the JSON-LD"
    response = client.get(f"/a/{article.slug}/share.png")
    if response.status_code == 302:  # no CJK font on this machine: the site's own card
        assert response["Location"].endswith(".png")
    else:
        assert response["Content-Type"] == "image/png"
        picture = PILImage.open(io.BytesIO(response.content))
        assert picture.size == (1200, 630)
    assert client.get("/a/no-such-article/share.png").status_code == 404
