"""Pages, feeds and sitemaps travel compressed to clients that accept it; HEAD answers as GET
does, 304 included; a 304 carries no body headers."""

import gzip

import brotli
import pytest
from django.urls import reverse

from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    for number in range(12):  # lists long enough to be worth compressing
        make_article(f"压缩传输的第{number}篇文章", tags=["钢铁"])
    return make_article("压缩传输的文章", tags=["钢铁"])


@pytest.mark.parametrize("path", ["/", "/feeds/rss/", "/feeds/atom/", "/sitemap-articles.xml"])
def test_brotli_then_gzip_then_plain(client, article, path):
    plain = client.get(path)
    assert plain.status_code == 200 and "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    assert "max-age" in plain["Cache-Control"], "feeds and sitemaps say how long to keep them"
    br = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert br["Content-Encoding"] == "br"
    assert brotli.decompress(br.content) == plain.content
    assert int(br["Content-Length"]) == len(br.content) < len(plain.content)
    gz = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert gz["Content-Encoding"] == "gzip" and gzip.decompress(gz.content) == plain.content
    refused = client.get(path, HTTP_ACCEPT_ENCODING="br;q=0, gzip;q=0")
    assert "Content-Encoding" not in refused


def test_head_gets_the_same_304_as_get_and_a_304_has_no_length(client, article):
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]
    for method in (client.get, client.head):
        response = method(url, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304, method
        assert "Content-Length" not in response and "Content-Type" not in response
    head = client.head(url)
    assert head.status_code == 200 and head["ETag"] == etag


def test_the_sitemaps_list_home_and_the_tag_entries(client, article):
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-pages.xml" in index and "sitemap-entries.xml" in index
    pages = client.get("/sitemap-pages.xml").content.decode()
    assert "<loc>http://testserver/</loc>" in pages
    entries = client.get("/sitemap-entries.xml").content.decode()
    assert reverse("search:entry", args=[article.tags.get().slug]) in entries
