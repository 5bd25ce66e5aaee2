"""The holder of an open case adds pages and material on the status page (reference and
email): stored on the case, logged as theirs, a case that waited for information back in
the queue; nothing shown to anyone else."""

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
    assert "补充材料" in page and ASKED not in page, "what was asked is answered"


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
    assert (
        "请上传补充材料，或填写追加的网址" in add_material(client, asked, files=[]).content.decode()
    )
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


def test_an_open_case_takes_more_pages_and_files_from_its_holder(client, committed, chief):
    """What a second notice used to do by matching an email: only the holder, through the
    status page, adds pages to the case; withdrawing it then takes them all down."""
    case = file_notice(client, committed)
    more = public_article("钢铁行业的春天")
    more_url = "http://testserver" + more.get_absolute_url()
    html = client.post(STATUS, {"reference": case.reference, "email": case.email}).content
    assert "提交补充材料" in html.decode() and "追加的本站网址" in html.decode()
    with committed():
        response = add_material(client, case, urls=more_url, files=[pdf("授权书.pdf")])
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert case.articles.count() == 2
    event = case.events.last()
    assert event.action == "补充材料" and more_url in event.note and event.to_status == ""
    to_chief = [m for m in mail.outbox if m.to == ["zhubian@example.com"]][-1]
    assert more_url in to_chief.body and "授权书.pdf" in to_chief.body
    services.case_withdraw(case=case, by=chief)
    assert client.get(more.get_absolute_url()).status_code == 451


def test_a_page_restored_after_a_counter_notice_flags_the_case_it_is_added_to(
    client, committed, chief
):
    earlier = file_notice(client, committed, "恢复过的文章", email="earlier@example.com")
    restored = earlier.articles.get()
    services.case_withdraw(case=earlier)
    TakedownCase.objects.filter(pk=earlier.pk).update(status=Status.COUNTER_RECEIVED)
    services.case_restore(case=earlier)
    case = file_notice(client, committed)
    assert not case.flagged
    add_material(client, case, urls="http://testserver" + restored.get_absolute_url(), files=[])
    case.refresh_from_db()
    assert case.flagged


def test_a_decided_case_takes_nothing(client, committed, chief):
    case = file_notice(client, committed)
    services.case_reject(case=case, by=chief, reason="不成立。")
    html = client.post(STATUS, {"reference": case.reference, "email": case.email}).content
    assert "提交补充材料" not in html.decode()
    response = add_material(client, case)
    assert response.status_code == 409
    assert "已处理完毕" in response.content.decode()
    assert not case.attachments.filter(kind=TakedownAttachment.Kind.SUPPLEMENT).exists()


def test_a_nul_character_in_the_reference_is_refused_not_a_server_error(client, asked):
    response = add_material(client, asked, reference=asked.reference + "\x00")
    assert response.status_code == 404
    assert "没有找到编号与邮箱都相符的投诉" in response.content.decode()
