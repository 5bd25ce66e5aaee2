"""A requester adds the material the editors asked for, on the status page: stored on the
case, logged as theirs, the case back in the queue; nothing shown to anyone else."""

import pytest
from django.core import mail
from django.urls import reverse

from articles.takedown import services
from articles.takedown.models import TakedownAttachment, TakedownCase
from tests.factories import make_role_user
from tests.takedown.helpers import executable, notice_fields, pdf, png, public_article

pytestmark = pytest.mark.django_db
Status = TakedownCase.Status
STATUS = reverse("takedown:status")
SUPPLEMENT = reverse("takedown:supplement")
ASKED = "请补充首发页面的截图，以及作品的创作时间证明。"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def chief():
    return make_role_user("zhubian", "主编")  # zhubian@example.com


def file_notice(client, committed, title="钢铁行业的冬天", email="lin@example.com"):
    article = public_article(title)
    fields = notice_fields("http://testserver" + article.get_absolute_url(), email=email)
    with committed():
        client.post(reverse("takedown:request"), {**fields, "proof": [pdf()]})
    return TakedownCase.objects.get(email=email, articles=article)


@pytest.fixture
def asked(client, committed, chief):
    """A case the chief editor has asked more information for."""
    case = file_notice(client, committed)
    with committed():
        services.case_request_information(case=case, by=chief, message=ASKED)
    mail.outbox.clear()
    case.refresh_from_db()
    return case


def add_material(client, case, *, email="lin@example.com", files=None, **fields):
    data = {
        "reference": case.reference,
        "email": email,
        "text": "已附上首发页面截图和创作时间证明。",
        "website": "",
        "proof": files if files is not None else [png(), pdf("创作时间证明.pdf")],
        **fields,
    }
    return client.post(SUPPLEMENT, data)


def test_the_status_page_offers_the_form_while_information_is_needed(client, asked):
    html = client.post(
        STATUS, {"reference": asked.reference, "email": "LIN@example.com"}
    ).content.decode()
    assert "需补充材料" in html
    assert ASKED in html, "the requester sees what was asked for"
    assert f'action="{SUPPLEMENT}"' in html and "提交补充材料" in html
    assert f'value="{asked.reference}"' in html


def test_added_material_is_stored_logged_and_the_case_goes_back_to_the_queue(
    client, asked, committed
):
    with committed():
        response = add_material(client, asked)
    html = response.content.decode()
    assert response.status_code == 200
    assert "我们已收到您补充的材料" in html and asked.reference in html

    asked.refresh_from_db()
    assert asked.status == Status.RECEIVED
    event = asked.events.last()
    assert (event.action, event.from_status, event.to_status) == (
        "补充材料",
        Status.NEEDS_INFO,
        Status.RECEIVED,
    )
    assert event.actor is None and event.actor_label == "投诉人"
    assert event.note == "已附上首发页面截图和创作时间证明。"
    added = asked.attachments.filter(kind=TakedownAttachment.Kind.SUPPLEMENT).order_by("pk")
    assert [a.original_name for a in added] == ["首发截图.png", "创作时间证明.pdf"]
    assert [a.content_type for a in added] == ["image/png", "application/pdf"]
    assert "首发截图" not in added[0].file.name, "server-made file names"
    assert asked.submissions.filter(kind="supplement").count() == 1

    to_chief = next(m for m in mail.outbox if m.to == ["zhubian@example.com"])
    assert asked.reference in to_chief.subject and "创作时间证明.pdf" in to_chief.body
    to_requester = next(m for m in mail.outbox if m.to == ["lin@example.com"])
    assert "补充的材料" in to_requester.subject

    status = client.post(STATUS, {"reference": asked.reference, "email": "lin@example.com"})
    page = status.content.decode()
    assert "补充材料" in page and "提交补充材料" not in page, "no form once it is back in queue"


def test_a_chief_editor_can_act_on_the_case_again(client, asked, chief):
    add_material(client, asked)
    asked.refresh_from_db()
    services.case_withdraw(case=asked, by=chief)
    asked.refresh_from_db()
    assert asked.status == Status.WITHDRAWN


def test_bad_material_says_what_to_fix_and_keeps_the_text(client, asked):
    response = add_material(client, asked, files=[executable()], text="这是我的补充说明。")
    html = response.content.decode()
    assert response.status_code == 400
    assert "不是 PDF、JPEG 或 PNG 文件" in html and "重新选择附件" in html
    assert "这是我的补充说明。" in html and ASKED in html
    assert "请至少上传 1 个" in add_material(client, asked, files=[]).content.decode()
    assert (
        "最多上传 5 个文件"
        in add_material(client, asked, files=[pdf(f"{n}.pdf") for n in range(6)]).content.decode()
    )
    asked.refresh_from_db()
    assert asked.status == Status.NEEDS_INFO
    assert not asked.attachments.filter(kind=TakedownAttachment.Kind.SUPPLEMENT).exists()


def test_a_wrong_email_learns_nothing_and_adds_nothing(client, asked):
    wrong = add_material(client, asked, email="someone@example.com")
    lookup = client.post(STATUS, {"reference": asked.reference, "email": "someone@example.com"})
    assert wrong.status_code == lookup.status_code == 404
    html = wrong.content.decode()
    assert "没有找到编号与邮箱都相符的投诉" in html
    for secret in ("需补充材料", ASKED, "提交补充材料", "lin@example.com", "林晓雨"):
        assert secret not in html
    asked.refresh_from_db()
    assert asked.status == Status.NEEDS_INFO
    assert not asked.attachments.filter(kind=TakedownAttachment.Kind.SUPPLEMENT).exists()
    assert not mail.outbox


def test_a_case_that_needs_nothing_takes_nothing(client, committed):
    case = file_notice(client, committed)
    html = client.post(STATUS, {"reference": case.reference, "email": case.email}).content
    assert "提交补充材料" not in html.decode()
    response = add_material(client, case)
    assert response.status_code == 409
    assert "不需要补充材料" in response.content.decode()
    assert not case.attachments.filter(kind=TakedownAttachment.Kind.SUPPLEMENT).exists()
    assert list(case.events.values_list("action", flat=True)) == ["提交通知"]


def test_material_is_rate_limited_per_address_like_notices(client, committed, chief, settings):
    """The same hourly allowance as notices (TAKEDOWN_NOTICES_PER_HOUR), counted apart."""
    first = file_notice(client, committed, "第一篇", email="a@example.com")
    second = file_notice(client, committed, "第二篇", email="b@example.com")
    settings.TAKEDOWN_NOTICES_PER_HOUR = 1
    for case in (first, second):
        services.case_request_information(case=case, by=chief, message=ASKED)
    assert add_material(client, first, email="a@example.com").status_code == 200
    refused = add_material(client, second, email="b@example.com", text="第二份补充说明。")
    html = refused.content.decode()
    assert refused.status_code == 429
    assert "提交次数过多" in html and "第二份补充说明。" in html
    assert ASKED not in html, "a refusal says nothing about the case"
    second.refresh_from_db()
    assert second.status == Status.NEEDS_INFO


def test_the_address_for_material_only_answers_posts(client):
    response = client.get(SUPPLEMENT)
    assert response.status_code == 302 and response["Location"] == STATUS
