"""The site frame, the home page, the health check and the Chinese error pages."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import make_article, make_channel

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_home_lists_latest_articles_inside_the_frame(client):
    channel = make_channel("产业", "industry")
    make_article("钢铁行业的冬天", channel=channel, hours_ago=1)
    make_article("年轻人的储蓄账本", channel=channel, hours_ago=5)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert "聚热点" in html and "juredian" in html
    assert html.index("钢铁行业的冬天") < html.index("年轻人的储蓄账本"), "newest first"
    assert 'href="/channel/industry/"' in html, "channel navigation"
    assert 'role="search"' in html
    assert "收集自互联网" in html and reverse("takedown:request") in html, "the removal notice"


def test_home_without_articles_says_so(client):
    response = client.get(reverse("home"))
    assert "还没有发布的文章" in response.content.decode()


def test_unknown_page_is_a_chinese_404_inside_the_frame(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html
    assert "聚热点" in html and "收集自互联网" in html


@pytest.mark.urls("tests.juredian.failing_urls")
@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/bad/", 400, "请求有误"),
        ("/forbidden/", 403, "无权访问"),
        ("/broken/", 500, "服务器出错了"),
    ],
)
def test_error_pages_are_chinese_and_keep_the_frame(client, path, status, words):
    client.raise_request_exception = False
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == status
    assert words in html
    assert 'class="site-footer"' in html and "聚热点" in html


def test_a_form_posted_without_its_csrf_cookie_gets_a_chinese_page_in_the_frame():
    """Cookies off, or a form left open until its token went stale: the reader is told what
    happened and what to do, not Django's English developer page."""
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("takedown:status"), {"reference": "TD-20261128-0001", "email": "a@example.com"}
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期或浏览器禁用了 Cookie" in html
    assert "返回上一页重新提交" in html and "您填写的内容通常仍在页面上" in html
    assert 'class="site-footer"' in html and "聚热点" in html
    assert "CSRF" not in html and "Forbidden" not in html
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_a_reachable_database(client, settings):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    local = "Redis" not in settings.CACHES["default"]["BACKEND"]
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "local" if local else "ok",
        "storage": "local",
    }
    assert "no-cache" in response["Cache-Control"]
    assert client.head(reverse("healthz")).status_code == 200, "load balancers may ask by HEAD"


def test_healthz_answers_503_when_the_database_is_down():
    """A real unreachable server (nothing listens on port 1), asked through Django's client."""
    code = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client(HTTP_HOST='127.0.0.1').get('/healthz'); "
        "print(r.status_code, json.dumps(r.json()))"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/juredian"}
    env["SECRET_KEY"] = "a-test-key-that-is-only-for-this-subprocess"
    env["DJANGO_SETTINGS_MODULE"] = "juredian.settings"
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503", result.stderr
    assert json.loads(body)["database"] == "down"


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%00",
        "/search/?q=钢铁&channel=%00",
        "/search/?q=钢铁&to=9999-12-31&from=0001-01-01",
        "/search/suggest?q=%00",
        "/tag/%00/",
        "/a/%00/",
        "/archive/?page=%00",
        "/search/?q=abc&channel=%%0000x",
        "/search/?q=%2500%00",
    ],
)
def test_odd_input_never_gives_a_500(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404), response.status_code


def test_a_cookie_holding_a_nul_is_ignored(client):
    client.cookies["sessionid"] = "abcdefgh\x00"
    assert client.get(reverse("home")).status_code == 200


def test_gunicorn_takes_a_long_chinese_search_address():
    """Through the real server and its `make run` settings: a query of 600 Chinese
    characters (5 KB of percent-escapes) reaches the site instead of gunicorn's English 414."""
    import socket
    import time
    import urllib.error
    import urllib.parse
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "juredian.settings", "PORT": str(port)}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "juredian.wsgi", "--config", "python:juredian.gunicorn",
         "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/healthz?q=" + urllib.parse.quote("钢铁" * 300)
    try:
        for _ in range(100):
            try:
                status = urllib.request.urlopen(url, timeout=5).status
                break
            except urllib.error.HTTPError as error:
                status = error.code
                break
            except OSError:
                time.sleep(0.2)
        assert status != 414
        assert status in (200, 503)  # the health check answered, whatever the database
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_home_shows_each_article_once(client):
    from tests.factories import make_article, make_channel

    channel = make_channel("产业", "industry")
    for number in range(20):
        make_article(f"首页第{number}篇", channel=channel, hours_ago=number + 1)
    html = client.get("/").content.decode()
    for number in range(20):
        assert html.count(f">首页第{number}篇<") <= 1, number
    assert 'href="#trending-title"' in html, "phones jump to 热传 from the top"
