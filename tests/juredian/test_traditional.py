"""简/繁: any page in Traditional characters at its own address."""

import pytest

from tests.factories import make_article, make_channel

pytestmark = pytest.mark.django_db


def test_any_page_reads_in_traditional_at_its_own_address(client):
    channel = make_channel("产业", "industry")
    article = make_article("钢铁行业的冬天，软件与网络", channel=channel)
    simplified = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/zh-hant{article.get_absolute_url()}"' in simplified, "the 繁體 switch"
    assert 'hreflang="zh-Hant"' in simplified
    response = client.get("/zh-hant" + article.get_absolute_url())
    assert response.status_code == 200 and response["Content-Language"] == "zh-hant"
    html = response.content.decode()
    assert '<html lang="zh-Hant-TW">' in html
    assert "鋼鐵行業的冬天，軟體與網路" in html, "Taiwan's words, not only its characters"
    assert 'href="/zh-hant/channel/industry/"' in html, "links stay in Traditional"
    assert "/static/" in html and 'href="/zh-hant/static/' not in html
    assert f'hreflang="zh-Hans" href="http://testserver{article.get_absolute_url()}"' in html
    own = f"http://testserver/zh-hant{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{own}">' in html, "its own canonical address"
    assert f'<meta property="og:url" content="{own}">' in html
    assert response["ETag"] != client.get(article.get_absolute_url())["ETag"]
    assert client.get("/zh-hant/").status_code == 200
    assert client.get("/zh-hant/no-such-page/").status_code == 404
    redirect = client.get("/zh-hant/search")  # APPEND_SLASH, in Traditional
    assert redirect.status_code in (301, 302) and redirect["Location"].startswith("/zh-hant/")
