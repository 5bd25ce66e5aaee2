"""The edges: response headers, methods, admin sign-in lockouts, the production checks."""

import logging
import secrets

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.factories import make_article, make_role_user
from tests.juredian.test_settings import run_manage

pytestmark = pytest.mark.django_db
PRODUCTION = {
    "DATABASE_URL": "postgres://juredian:secret@db.internal:5432/juredian",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "ALLOWED_HOSTS": "news.example.com",
    "BEHIND_HTTPS_PROXY": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
}


def test_every_page_says_what_it_may_load_and_use(client):
    article = make_article()
    for url in (reverse("home"), article.get_absolute_url(), reverse("takedown:request")):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        script = next(part for part in policy.split(";") if "script-src" in part)
        assert "'self'" in script and "unsafe-inline" not in script and "unsafe-eval" not in script
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert "camera=()" in response["Permissions-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_trace_is_not_allowed(client):
    response = client.generic("TRACE", reverse("home"))
    assert response.status_code == 405
    assert "TRACE" not in response["Allow"]


def test_the_readmes_production_settings_pass_djangos_deploy_checks():
    key = secrets.token_urlsafe(50)
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=key, **PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_server_on_a_shared_database_refuses_to_start_without_a_secret_key():
    result = run_manage("check", SECRET_KEY="", **PRODUCTION)
    assert result.returncode != 0
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert "SECRET_KEY is not set" in lines[-1]
    assert "Traceback" not in result.stderr


def test_a_refusal_is_logged_on_one_line(client, caplog):
    client.force_login(make_role_user("bianji", "编辑"))  # not allowed on the takedown desk
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(
            reverse("admin:takedown_takedowncase_attachment", args=[1])
        ).status_code in (403, 404)
    console = next(
        h
        for h in logging.getLogger().handlers
        if any(type(f).__name__ == "OneLineRefusals" for f in h.filters)
    )
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records
    for record in records:
        assert console.filter(record)
        assert "\n" not in console.format(record)


def test_sign_in_stops_after_repeated_wrong_passwords_until_a_chief_editor_lifts_it(settings):
    settings.AXES_FAILURE_LIMIT = 3
    editor = make_role_user("bianji", "编辑")
    login = reverse("admin:login")
    browser = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        browser.post(login, {"username": "bianji", "password": "不是这个密码"}).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429], "the third failure locks"
    right = browser.post(login, {"username": "bianji", "password": "编辑部的密码-2026"})
    assert right.status_code == 429
    assert "登录已暂停" in right.content.decode() and "3 次" in right.content.decode()
    elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    assert (
        elsewhere.post(login, {"username": "bianji", "password": "编辑部的密码-2026"}).status_code
        == 429
    ), "per account"

    chief = Client()
    chief.force_login(make_role_user("zhubian", "主编"))
    attempts = chief.get(reverse("admin:axes_accessattempt_changelist"))
    assert attempts.status_code == 200 and "bianji" in attempts.content.decode()
    call_command("axes_reset_username", "bianji")
    signed_in = browser.post(login, {"username": "bianji", "password": "编辑部的密码-2026"})
    assert signed_in.status_code == 302
    assert editor.is_active


def test_one_address_trying_many_accounts_is_stopped_too(settings):
    settings.AXES_FAILURE_LIMIT = 3
    make_role_user("bianji", "编辑")
    browser = Client(REMOTE_ADDR="203.0.113.10")
    for n in range(3):
        browser.post(reverse("admin:login"), {"username": f"someone{n}", "password": "x"})
    refused = browser.post(
        reverse("admin:login"), {"username": "bianji", "password": "编辑部的密码-2026"}
    )
    assert refused.status_code == 429
