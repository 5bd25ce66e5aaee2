"""The notice form: every rule, attachments by their bytes, abuse resistance, duplicates."""

import hashlib
import json
import re
import threading
import uuid

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles.models import Article
from articles.takedown import services
from articles.takedown.models import (
    TakedownAttachment,
    TakedownCase,
    TakedownEvent,
    TakedownSubmission,
)
from tests.factories import make_role_user
from tests.takedown.helpers import (
    PDF,
    PDF_WITH_HTML,
    bomb,
    executable,
    notice_fields,
    pdf,
    png,
    public_article,
    truncated_png,
)

pytestmark = pytest.mark.django_db
FORM = reverse("takedown:request")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.TAKEDOWN_NOTICES_PER_HOUR = 5


@pytest.fixture
def article():
    return public_article()


def submit(client, article_or_url, files=None, **overrides):
    url = (
        article_or_url
        if isinstance(article_or_url, str)
        else ("http://testserver" + article_or_url.get_absolute_url())
    )
    data = notice_fields(url, **overrides)
    data["proof"] = files if files is not None else [pdf()]
    return client.post(FORM, data)


def test_a_valid_notice_gets_a_reference_and_emails(
    client, article, django_capture_on_commit_callbacks
):
    make_role_user("zhubian", "主编").__class__.objects.filter(username="zhubian").update(
        email="chief@example.com"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, article, files=[pdf(), png()])
    assert response.status_code == 302
    page = client.get(response["Location"])
    case = TakedownCase.objects.get()
    assert case.reference.startswith("TD-") and len(case.reference) == len("TD-20261128-0001")
    assert case.reference in page.content.decode()
    assert case.status == TakedownCase.Status.RECEIVED
    assert list(case.articles.all()) == [article]
    assert case.signature == "林晓雨" and case.signed_at

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["chief@example.com", "lin@example.com"]
    assert case.reference in mail.outbox[0].subject

    submission = TakedownSubmission.objects.get(case=case)
    assert hashlib.sha256(submission.raw.encode()).hexdigest() == submission.sha256
    raw = json.loads(submission.raw)
    assert raw["fields"]["name"] == ["林晓雨"]
    assert raw["files"]["proof"][0]["name"] == "版权登记证书.pdf"

    attachments = list(TakedownAttachment.objects.filter(case=case).order_by("pk"))
    assert [a.content_type for a in attachments] == ["application/pdf", "image/png"]
    assert attachments[0].original_name == "版权登记证书.pdf"
    assert "版权登记证书" not in attachments[0].file.name, "server-made file names"
    assert not attachments[0].file.name.startswith("/")
    assert TakedownEvent.objects.filter(case=case, action="提交通知").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "这个字段是必填项"),
        ("email", "不是邮箱", "请填写有效的电子邮箱地址"),
        ("declare_good_faith", "", "请阅读并勾选这项声明"),
        ("declare_liability", "", "请阅读并勾选这项声明"),
        ("signature", "", "这个字段是必填项"),
        ("website", "http://spam.example", "提交未通过校验"),
        ("urls", "", "这个字段是必填项"),
    ],
)
def test_each_rule_says_what_to_fix_and_keeps_what_was_typed(
    client, article, field, value, message
):
    response = submit(client, article, **{field: value})
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "北京市东城区某街道 1 号" in html, "what was typed is kept"
    assert not TakedownCase.objects.exists()


def test_urls_must_be_public_articles_of_this_site_and_the_bad_line_is_named(client, article):
    draft = public_article("还没发布的稿子", status=Article.Status.DRAFT)
    urls = "\n".join(
        [
            "http://testserver" + article.get_absolute_url(),
            "https://elsewhere.example/a/steel/",
            "http://testserver" + draft.get_absolute_url(),
            "http://testserver/channel/tech/",
            "[",  # not a URL at all (an unclosed IPv6 host to the parser)
        ]
    )
    response = submit(client, urls, urls=urls)
    assert response.status_code == 400, "refused, the form shown again with the reasons"
    html = response.content.decode()
    assert "第 2 行" in html and "第 3 行" in html and "第 4 行" in html and "第 5 行" in html
    assert "第 1 行" not in html
    assert not TakedownCase.objects.exists()


def test_a_path_without_host_is_accepted(client, article):
    assert submit(client, article.get_absolute_url()).status_code == 302


def test_an_agent_must_attach_an_authorisation(client, article):
    html = submit(client, article, notifier_type="agent").content.decode()
    assert "代理人投诉须上传权利人签署的授权委托书" in html
    response = client.post(
        FORM,
        {**notice_fields("http://testserver" + article.get_absolute_url(), notifier_type="agent"),
         "proof": [pdf()], "authorisation": [pdf("授权委托书.pdf")]},
    )  # fmt: skip
    assert response.status_code == 302
    assert TakedownAttachment.objects.filter(kind="authorisation").count() == 1


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([], "请至少上传 1 个证明文件"),
        ([executable()], "不是 PDF、JPEG 或 PNG 文件"),
        ([pdf(data=b"%PDF-1.4 truncated")], "不是完整的 PDF 文件"),
        ([pdf(f"{n}.pdf") for n in range(6)], "最多上传 5 个文件"),
        ([bomb()], "尺寸过大"),
        ([truncated_png()], "损坏或不完整"),
    ],
)
def test_attachments_are_judged_by_their_bytes(client, article, files, message):
    html = submit(client, article, files=files).content.decode()
    assert message in html
    if files:
        assert "重新选择附件" in html, "the reader is told files must be chosen again"
    assert not TakedownCase.objects.exists()


def test_oversize_attachments_are_refused(client, article, settings):
    settings.TAKEDOWN_ATTACHMENT_MAX_BYTES = 50
    assert "太大" in submit(client, article).content.decode()


def test_five_notices_an_hour_per_address(client, article, settings):
    settings.TAKEDOWN_NOTICES_PER_HOUR = 2
    for n in range(2):
        assert submit(client, article, email=f"rights{n}@example.com").status_code == 302
    response = submit(client, article, email="rights9@example.com")
    assert response.status_code == 429
    html = response.content.decode()
    assert "提交次数过多" in html and "北京市东城区某街道 1 号" in html
    assert TakedownCase.objects.count() == 2
    other = client.post(FORM, {}, REMOTE_ADDR="198.51.100.20")
    assert other.status_code == 400, "another address is not limited"


def test_a_second_notice_about_the_same_page_opens_its_own_case_marked_related(
    client, article, django_capture_on_commit_callbacks
):
    """An email address proves nothing: a stranger who types the holder's address (in any
    letter case) gets a case of their own; 主编 see the two side by side."""
    make_role_user("zhubian", "主编")  # zhubian@example.com
    other = public_article("钢铁行业的春天")
    first = submit(client, article)
    both = "\n".join("http://testserver" + a.get_absolute_url() for a in (article, other))
    with django_capture_on_commit_callbacks(execute=True):
        second = submit(client, both, urls=both, email="LIN@example.com", files=[png()])
    assert first.status_code == second.status_code == 302
    original, stranger = TakedownCase.objects.order_by("submitted_at", "pk")
    assert set(original.articles.all()) == {article}, "the first case is untouched"
    assert set(stranger.articles.all()) == {article, other}
    assert list(TakedownCase.objects.related_to(original)) == [stranger]
    assert list(TakedownCase.objects.related_to(stranger)) == [original]
    page = client.get(second["Location"]).content.decode()
    assert stranger.reference in page and original.reference not in page
    told = next(m for m in mail.outbox if m.to == ["zhubian@example.com"])
    assert f"可能与 {original.reference} 相关" in told.body

    services.case_withdraw(case=original)
    assert client.get(other.get_absolute_url()).status_code == 200, "not the stranger's page"


def test_the_same_notice_sent_again_is_stored_once(client, article):
    """A double click, or a retry after the answer was lost: the form's one-time key."""
    form = client.get(FORM).content.decode()
    key = form.split('name="submission_key" value="')[1].split('"')[0]
    responses = [submit(client, article, submission_key=key) for _ in range(3)]
    assert {r.status_code for r in responses} == {302}
    references = {r["Location"].split("t=")[1].split(":")[0] for r in responses}
    assert len(references) == 1, "each is told the same reference"
    assert TakedownCase.objects.count() == 1
    assert TakedownSubmission.objects.count() == 1
    assert submit(client, article, submission_key="").status_code == 302
    assert TakedownCase.objects.count() == 2, "a new form is a new notice"


@pytest.mark.django_db(transaction=True)
def test_four_identical_notices_sent_at_once_make_one_case(settings, tmp_path):
    from django.db import connections
    from django.test import Client

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    article = public_article()
    url = "http://testserver" + article.get_absolute_url()
    data = {**notice_fields(url), "submission_key": "0123456789abcdef0123456789abcdef"}
    locations, start = [], threading.Barrier(4)

    def send():
        try:
            start.wait()
            locations.append(Client().post(FORM, {**data, "proof": [pdf()]})["Location"])
        finally:
            connections.close_all()  # this thread's connection, not kept open

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({location.split("t=")[1].split(":")[0] for location in locations}) == 1
    assert TakedownCase.objects.count() == 1
    assert TakedownSubmission.objects.count() == 1
    assert TakedownAttachment.objects.count() == 1


def test_a_nul_character_is_refused_with_a_correct_chinese_message(client, article):
    response = submit(client, article, name="林\x00晓雨")
    html = response.content.decode()
    assert response.status_code == 400
    assert "不能包含空字符（NUL）。" in html
    assert "不允许是用空字符串" not in html
    assert not TakedownCase.objects.exists()


def test_csrf_is_required(article):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    data = notice_fields("http://testserver" + article.get_absolute_url())
    data["proof"] = [pdf()]
    assert strict.post(FORM, data).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_references_are_unique_under_concurrent_submissions(settings, tmp_path):
    """Twenty notices at once: twenty consecutive numbers, none lost, none shared."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from articles.takedown import services
    from articles.takedown.files import checked_attachment

    article = public_article()
    references, errors = [], []

    def file_one(n):
        try:
            data = {
                **notice_fields(""), "email": f"holder{n}@example.com", "organisation": "",
                "urls": [("/a/x/", article)], "proof": [checked_attachment(pdf())],
                "authorisation": [],
            }  # fmt: skip
            case = services.notice_submit(
                data=data, raw="{}", digest="0" * 64, key=uuid.uuid4().hex
            )
            references.append(case.reference)
        except Exception as error:  # collected, and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=file_one, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(references)) == 20
    numbers = sorted(int(reference.rsplit("-", 1)[1]) for reference in references)
    assert numbers == list(range(1, 21))


@pytest.mark.django_db(transaction=True)
def test_fifty_notices_at_once_from_one_address_get_no_further_than_the_limit(cache_backend):
    """Counted by incrementing first: the limit holds however the requests interleave."""
    from django.db import connections
    from django.test import Client

    article = public_article()
    url = "http://testserver" + article.get_absolute_url()
    statuses, start = [], threading.Barrier(50)

    def send(n):
        try:
            start.wait()
            data = {**notice_fields(url, email=f"rights{n}@example.com"), "proof": [pdf()]}
            statuses.append(Client().post(FORM, data).status_code)
        finally:
            connections.close_all()  # this thread's connection, not kept open

    threads = [threading.Thread(target=send, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302] * 5 + [429] * 45
    assert TakedownCase.objects.count() == 5


def test_a_form_with_mistakes_does_not_use_up_the_allowance(client, article, settings):
    settings.TAKEDOWN_NOTICES_PER_HOUR = 1
    for _ in range(3):
        assert submit(client, article, email="not-an-email").status_code == 400
    assert submit(client, article).status_code == 302
    assert submit(client, article, email="again@example.com").status_code == 429


def test_attachments_are_private_files_with_safe_names(client, article, settings):
    """Stored 0600 in folders 0700, under a made-up name with the detected type's extension,
    and offered for download under a name of ours: a PDF named evidence.html stays a PDF."""
    import os
    import stat

    polyglot = PDF_WITH_HTML
    assert submit(client, article, files=[pdf("evidence.html", data=polyglot)]).status_code == 302
    attachment = TakedownAttachment.objects.get()
    path = attachment.file.path
    assert attachment.original_name == "evidence.html"
    assert path.endswith(".pdf") and "evidence" not in path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
    assert attachment.download_name == f"{attachment.case.reference}-{attachment.pk}.pdf"
    client.force_login(make_role_user("zhubian", "主编"))
    download = client.get(reverse("admin:takedown_takedowncase_attachment", args=[attachment.pk]))
    assert attachment.download_name in download["Content-Disposition"]
    assert ".html" not in download["Content-Disposition"]
    assert download["Content-Type"] == "application/octet-stream"


def test_a_post_too_large_to_be_a_notice_is_refused_before_it_is_read(client, article, settings):
    settings.TAKEDOWN_ATTACHMENT_MAX_BYTES = 1024  # 10 files × 1 KB + 1 MB for the text
    data = notice_fields("http://testserver" + article.get_absolute_url())
    big = pdf("大文件.pdf", data=PDF + b"0" * (2 * 1024 * 1024))
    response = client.post(FORM, {**data, "proof": [big]})
    assert response.status_code == 413
    assert "提交的内容太大" in response.content.decode()
    assert not TakedownCase.objects.exists()


def test_a_refused_post_keeps_its_text_and_stores_none_of_its_files(client, article, settings):
    settings.TAKEDOWN_NOTICES_PER_HOUR = 0
    response = submit(client, article, files=[pdf(), png()])
    assert response.status_code == 429
    assert "北京市东城区某街道 1 号" in response.content.decode()
    assert not TakedownAttachment.objects.exists()
    assert (
        not any(settings.PRIVATE_MEDIA_ROOT.rglob("*.*"))
        if settings.PRIVATE_MEDIA_ROOT.exists()
        else True
    )


def browser_post(page: str, data: dict, *, to: str | None = None):
    """A post as a browser makes it: with the token of the page it opened (`page`, posting
    to `to` or the page itself), held to Django's CSRF check — the test client's own posts
    skip it, and with it the body read the check makes before any view runs."""
    browser = Client(enforce_csrf_checks=True)
    html = browser.get(page).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return browser.post(to or page, {**data, "csrfmiddlewaretoken": token})


@pytest.mark.parametrize(
    "page, to",
    [(FORM, None), (reverse("takedown:counter"), None),
     (reverse("takedown:status"), reverse("takedown:supplement"))],
    ids=["notice", "counter-notice", "supplement"],
)  # fmt: skip
def test_a_browsers_post_turned_away_by_the_limit_is_a_429_with_no_file_kept(
    article, settings, page, to
):
    settings.TAKEDOWN_ATTEMPTS_PER_HOUR = 0
    data = notice_fields("http://testserver" + article.get_absolute_url())
    response = browser_post(page, {**data, "proof": [pdf()]}, to=to)
    assert response.status_code == 429
    assert "提交次数过多" in response.content.decode()
    assert not TakedownAttachment.objects.exists()
    private = settings.PRIVATE_MEDIA_ROOT
    assert not private.exists() or not any(private.rglob("*.*"))


def test_a_browsers_post_too_large_is_a_413_and_an_accepted_one_is_stored(article, settings):
    data = notice_fields("http://testserver" + article.get_absolute_url())
    assert browser_post(FORM, {**data, "proof": [pdf()]}).status_code == 302
    settings.TAKEDOWN_ATTACHMENT_MAX_BYTES = 1024
    big = pdf("大文件.pdf", data=PDF + b"0" * (2 * 1024 * 1024))
    response = browser_post(FORM, {**data, "proof": [big]})
    assert response.status_code == 413 and "提交的内容太大" in response.content.decode()
    assert TakedownCase.objects.count() == 1


def test_a_post_without_the_pages_token_is_refused(article):
    data = notice_fields("http://testserver" + article.get_absolute_url())
    response = Client(enforce_csrf_checks=True).post(FORM, {**data, "proof": [pdf()]})
    assert response.status_code == 403
    assert not TakedownCase.objects.exists()
