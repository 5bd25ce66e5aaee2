"""Editors act on cases: every transition, its log entry and emails; 451; counter-notices;
commands; permissions."""

import io
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.takedown import services
from articles.takedown.models import TakedownCase, TakedownEvent
from tests.factories import make_channel, make_role_user
from tests.takedown.helpers import notice_fields, pdf, public_article
from trending.models import ArticleReadHour
from trending.ranking import recompute, sidebar_entries

pytestmark = pytest.mark.django_db
Status = TakedownCase.Status


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def case(client, committed):
    channel = make_channel("产业", "industry")
    with committed():
        article = public_article(channel=channel)
    with committed():
        client.post(
            reverse("takedown:request"),
            {**notice_fields("http://testserver" + article.get_absolute_url()), "proof": [pdf()]},
        )
    mail.outbox.clear()
    return TakedownCase.objects.get()


@pytest.fixture
def chief(client):
    user = make_role_user("zhubian", "主编")
    user.email = "chief@example.com"
    user.save()
    return user


def steps(case):
    return list(case.events.values_list("action", "from_status", "to_status"))


def test_request_information_and_reject_with_reason(case, chief, committed, settings):
    with committed():
        services.case_request_information(case=case, by=chief, message="请补充首发页面的截图。")
    assert mail.outbox[-1].to == ["lin@example.com"]
    assert "请补充首发页面的截图" in mail.outbox[-1].body
    assert mail.outbox[-1].reply_to == [settings.TAKEDOWN_CONTACT_EMAIL], "a reply reaches us"
    assert "查询进度" in mail.outbox[-1].body and "补充" in mail.outbox[-1].body
    assert "http://" in mail.outbox[-1].body.split("查询进度：")[1], "an absolute link"
    with committed():
        services.case_reject(case=case, by=chief, reason="所附证明与投诉作品无关。")
    case.refresh_from_db()
    assert case.status == Status.REJECTED
    assert "所附证明与投诉作品无关" in mail.outbox[-1].body
    assert steps(case)[-2:] == [
        ("要求补充材料", Status.RECEIVED, Status.NEEDS_INFO),
        ("驳回", Status.NEEDS_INFO, Status.REJECTED),
    ]
    assert case.events.last().actor == chief
    with pytest.raises(ValidationError, match="驳回必须写明理由"):
        services.case_reject(case=case, by=chief, reason=" ")


def test_transitions_outside_the_workflow_are_refused(case, chief):
    with pytest.raises(ValidationError, match="不能改为"):
        services.case_restore(case=case, by=chief)
    services.case_close(case=services.case_reject(case=case, by=chief, reason="不成立"), by=chief)
    with pytest.raises(ValidationError):
        services.case_withdraw(case=case, by=chief)


def test_withdrawal_answers_451_and_leaves_every_listing(client, case, chief, committed):
    article = case.articles.get()
    tag_url = reverse("search:entry", args=["钢铁"])
    ArticleReadHour.objects.create(article=article, hour=timezone.now(), reads=50)
    recompute()
    assert client.get(tag_url).status_code == 200
    assert sidebar_entries()
    client.get(reverse("search:suggest"), {"q": "钢"})  # warm the suggestion cache

    with committed():
        services.case_withdraw(case=case, by=chief)
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN
    assert article.withdrawal_reference == case.reference
    assert mail.outbox[-1].to == ["lin@example.com"] and "已撤下" in mail.outbox[-1].subject

    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 451
    assert case.reference in html and "民法典" in html and "信息网络传播权保护条例" in html
    assert f"?ref={case.reference}" in html, "the counter-notice form is one click away"
    assert response["Link"] == '<http://testserver/takedown/policy/>; rel="blocked-by"'
    assert "no-cache" in response["Cache-Control"]

    title = article.title
    for url in [reverse("home"), reverse("articles:archive"), article.channel.get_absolute_url()]:
        assert title not in client.get(url).content.decode(), url
    assert client.get(tag_url).status_code == 404, "its only article is gone"
    assert client.get(reverse("search:results"), {"q": "钢铁"}).context["results"].count == 0
    assert client.get(reverse("search:suggest"), {"q": "钢"}).json()["articles"] == []
    assert sidebar_entries() == []
    for feed in ("articles:feed_rss", "articles:feed_atom"):
        assert title not in client.get(reverse(feed)).content.decode()
    sitemap = ET.fromstring(client.get("/sitemap-articles.xml").content)
    assert not list(sitemap), "no article left in the sitemap"


def test_counter_notice_then_restore_after_the_waiting_period(client, case, chief, committed):
    services.case_withdraw(case=case, by=chief)
    article = case.articles.get()
    counter_url = reverse("takedown:counter")
    form = client.get(counter_url, {"ref": case.reference}).content.decode()
    assert f'value="{case.reference}"' in form
    with committed():
        response = client.post(
            counter_url,
            {
                "reference": case.reference, "name": "许青禾", "id_type": "id_card",
                "id_number": "310101198801011111", "email": "xu@example.com",
                "phone": "13900000000", "address": "上海市某区某路 2 号",
                "grounds": "文章为本人原创，首发早于投诉人所称时间，附原稿。",
                "declare_mistake": "on", "declare_accurate": "on", "declare_jurisdiction": "on",
                "signature": "许青禾", "proof": [pdf("原稿.pdf")],
            },
        )  # fmt: skip
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Status.COUNTER_RECEIVED
    assert case.restore_after.date() == (timezone.now() + timedelta(days=15)).date()
    forwarded = next(m for m in mail.outbox if m.to == ["lin@example.com"])
    assert "许青禾" in forwarded.body and "原创" in forwarded.body
    assert f"{timezone.localtime(case.restore_after):%Y年%m月%d日}" in forwarded.body

    with pytest.raises(ValidationError, match="等待期未满"):
        services.case_restore(case=case, by=chief)
    TakedownCase.objects.filter(pk=case.pk).update(
        restore_after=timezone.now() - timedelta(hours=1)
    )
    case.refresh_from_db()
    mail.outbox.clear()
    with committed():
        services.case_restore(case=case, by=chief)
    assert client.get(article.get_absolute_url()).status_code == 200
    to_requester = next(m for m in mail.outbox if m.to == ["lin@example.com"])
    to_counter = next(m for m in mail.outbox if m.to == ["xu@example.com"])
    for message, other in ((to_requester, "xu@example.com"), (to_counter, "lin@example.com")):
        assert "已恢复" in message.subject and article.get_absolute_url() in message.body
        assert other not in message.body and other not in str(message.message()), "privacy"
    assert "林晓雨" in to_requester.body and "许青禾" in to_counter.body
    assert [s[0] for s in steps(case)] == ["提交通知", "撤下内容", "收到反通知", "恢复内容"]
    client.force_login(chief)
    admin_page = client.get(reverse("admin:takedown_takedowncase_change", args=[case.pk]))
    assert "许青禾" in admin_page.content.decode(), "the chief editor reads the counter-notice"


def test_every_email_has_one_recipient_and_the_public_can_reply(
    client, case, chief, committed, settings
):
    """Through a whole case with a counter-notice: no message shows anyone another person's
    address, and every message to a requester or counter-notifier answers to the desk."""
    make_role_user("zhubian2", "主编")  # a second chief editor: one message each
    counter = {
        "name": "许青禾", "id_type": "id_card", "id_number": "310101198801011111",
        "email": "xu@example.com", "phone": "139", "address": "上海", "grounds": "原创。",
        "signature": "许青禾", "proof": [],
    }  # fmt: skip
    steps_taken = [
        lambda: services.case_request_information(case=case, by=chief, message="请补充。"),
        lambda: services.case_withdraw(case=case, by=chief),
        lambda: services.counter_notice_submit(case=case, data=counter, raw="{}", digest="0"),
    ]
    for step in steps_taken:
        with committed():
            step()
        case.refresh_from_db()
    TakedownCase.objects.filter(pk=case.pk).update(restore_after=timezone.now())
    case.refresh_from_db()
    with committed():
        services.case_restore(case=case, by=chief)
    editors = {"chief@example.com", "zhubian2@example.com"}
    public = {"lin@example.com", "xu@example.com"}
    assert {m.to[0] for m in mail.outbox} == editors | public
    for message in mail.outbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        if message.to[0] in public:
            assert message.reply_to == [settings.TAKEDOWN_CONTACT_EMAIL], message.subject
            assert "Reply-To: takedown@" in str(message.message())


def test_a_complaint_or_lawsuit_keeps_it_withdrawn(case, chief):
    services.case_withdraw(case=case, by=chief)
    TakedownCase.objects.filter(pk=case.pk).update(status=Status.COUNTER_RECEIVED)
    case.refresh_from_db()
    services.case_keep_withdrawn(case=case, by=chief, note="投诉人已向法院起诉，案号见附件。")
    services.case_close(case=case, by=chief)
    assert case.articles.get().status == Article.Status.WITHDRAWN
    assert [s[2] for s in steps(case)][-2:] == [Status.KEPT, Status.CLOSED]


def test_a_new_notice_about_a_restored_article_is_flagged_not_acted_on(client, case, chief):
    services.case_withdraw(case=case, by=chief)
    TakedownCase.objects.filter(pk=case.pk).update(status=Status.COUNTER_RECEIVED)
    case.refresh_from_db()
    services.case_restore(case=case, by=chief)
    article = case.articles.get()
    client.post(
        reverse("takedown:request"),
        {**notice_fields("http://testserver" + article.get_absolute_url(), email="b@example.com"),
         "proof": [pdf()]},
    )  # fmt: skip
    second = TakedownCase.objects.exclude(pk=case.pk).get()
    assert second.flagged and second.status == Status.RECEIVED
    assert client.get(article.get_absolute_url()).status_code == 200


def test_the_log_is_append_only_even_for_the_database(case):
    event = case.events.first()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        TakedownEvent.objects.filter(pk=event.pk).update(note="改写历史")
    with pytest.raises(DatabaseError), transaction.atomic():
        TakedownEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        case.submissions.update(raw="{}")


def test_status_lookup_needs_reference_and_email(client, case):
    url = reverse("takedown:status")
    found = client.post(url, {"reference": case.reference.lower(), "email": "LIN@example.com"})
    html = found.content.decode()
    assert found.status_code == 200 and "已收到" in html and "提交通知" in html
    assert "110101199001011234" not in html, "no personal data on the status page"
    wrong = client.post(url, {"reference": case.reference, "email": "other@example.com"})
    assert wrong.status_code == 404 and "没有找到" in wrong.content.decode()


def test_the_commands_act_like_the_admin(case, committed):
    out = io.StringIO()
    call_command("takedown", "list", stdout=out)
    assert case.reference in out.getvalue() and "已收到" in out.getvalue()
    with committed():
        call_command("takedown", "withdraw", case.reference, stdout=io.StringIO())
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    assert case.events.last().actor_label == "命令行"
    with pytest.raises(CommandError, match=r"等待期未满|不能改为"):
        call_command("takedown", "restore", case.reference)
    with pytest.raises(CommandError, match="找不到"):
        call_command("takedown", "reject", "TD-00000000-0000", "--reason", "x")


def test_the_reject_command_needs_a_reason(client, case):
    call_command(
        "takedown", "reject", case.reference, "--reason", "证明不足。", stdout=io.StringIO()
    )
    case.refresh_from_db()
    assert case.status == Status.REJECTED and case.events.last().note == "证明不足。"


def test_only_chief_editors_see_cases_and_attachments(client, case):
    changelist = reverse("admin:takedown_takedowncase_changelist")
    attachment = case.attachments.first()
    download = reverse("admin:takedown_takedowncase_attachment", args=[attachment.pk])
    client.force_login(make_role_user("xiaobian", "编辑"))
    assert client.get(changelist).status_code == 403
    assert client.get(download).status_code == 403

    client.force_login(make_role_user("zhubian2", "主编"))
    page = client.get(reverse("admin:takedown_takedowncase_change", args=[case.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "110101199001011234" in html and case.reference in html
    assert "已收到" in html and ">received<" not in html, "the log speaks Chinese"
    assert "icon-no" not in html and "不会自动处理" not in html, "an ordinary case: no warning"
    case.flagged = True
    case.save(update_fields=["flagged"])
    html = client.get(reverse("admin:takedown_takedowncase_change", args=[case.pk])).content
    assert "⚠ 需留意：涉及的文章曾在反通知后恢复" in html.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_chief_editor_withdraws_through_the_admin_action(client, case):
    client.force_login(make_role_user("zhubian3", "主编"))
    changelist = reverse("admin:takedown_takedowncase_changelist")
    chosen = {"action": "act_withdraw", "_selected_action": [case.pk]}
    confirm = client.post(changelist, chosen).content.decode()
    case.refresh_from_db()
    assert case.status == Status.RECEIVED, "nothing happens before it is confirmed"
    assert "确认撤下" in confirm and "将立即下线" in confirm and "投诉人会收到邮件" in confirm
    client.post(changelist, {**chosen, "apply": "1", "note": "材料齐全，侵权成立。"})
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    assert case.events.filter(note="材料齐全，侵权成立。").exists(), "the note is in the log"
    form = client.post(changelist, {"action": "act_reject", "_selected_action": [case.pk]})
    assert "说明" in form.content.decode(), "a reason is asked for first"
    assert (
        client.post(
            reverse("admin:takedown_takedowncase_delete", args=[case.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_policy_states_the_timings(client, settings):
    page = client.get(reverse("takedown:policy")).content.decode()
    policy = page[page.index("<main") : page.index("</main>")]
    assert "处理时限" in policy and "及时" not in policy, "a time, not a promise to be quick"
    assert "立即" in policy and "确认邮件" in policy
    assert "3 个工作日" in policy and "15 天" in policy
    settings.TAKEDOWN_DECISION_DAYS = 5
    settings.TAKEDOWN_COUNTER_NOTICE_DAYS = 20
    policy = client.get(reverse("takedown:policy")).content.decode()
    assert "5 个工作日" in policy and "20 天" in policy
    form = client.get(reverse("takedown:request")).content.decode()
    assert "5 个工作日" in form


def test_policy_and_monthly_report_without_personal_data(client, case, chief):
    services.case_withdraw(case=case, by=chief)
    policy = client.get(reverse("takedown:policy")).content.decode()
    assert "有效的通知需要包括" in policy and "15 天" in policy
    report = client.get(reverse("takedown:report")).content.decode()
    month = timezone.localtime(case.submitted_at)
    assert f"{month.year}年{month.month}月" in report
    assert "<td>1</td><td>1</td><td>0</td><td>0</td>" in report.replace("\n", "").replace(" ", "")
    assert "林晓雨" not in report and "lin@example.com" not in report


def test_the_desks_old_admin_addresses_lead_to_the_new_ones(client, case, chief):
    client.force_login(chief)
    old = f"/admin/articles/takedowncase/{case.pk}/change/"
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == reverse("admin:takedown_takedowncase_change", args=[case.pk])
    assert client.get(response["Location"]).status_code == 200


def test_the_case_page_has_a_button_per_step_each_confirmed_with_a_note(client, case):
    client.force_login(make_role_user("zhubian4", "主编"))
    page = client.get(reverse("admin:takedown_takedowncase_change", args=[case.pk]))
    html = page.content.decode()
    step = reverse("admin:takedown_takedowncase_step", args=[case.pk, "withdraw"])
    assert f'href="{step}"' in html and ">驳回<" in html and ">要求补充<" in html
    assert ">恢复<" not in html, "only the steps this case may take"
    assert (
        "处理期限" in client.get(reverse("admin:takedown_takedowncase_changelist")).content.decode()
    )
    confirm = client.get(step).content.decode()
    assert "以下页面将立即下线" in confirm and "说明（记入案件日志）" in confirm
    refused = client.post(step, {"apply": "1", "note": ""}).content.decode()
    assert "请填写说明" in refused
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    done = client.post(step, {"apply": "1", "note": "核实无误。"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN


def test_a_case_is_due_in_working_days(case, settings):
    from datetime import datetime

    from django.utils import timezone

    settings.TAKEDOWN_DECISION_DAYS = 3
    friday = timezone.make_aware(datetime(2026, 11, 20, 10, 0))  # a Friday, local time
    case.submitted_at = friday
    assert str(case.due_date) == "2026-11-25", "Mon, Tue, Wed"
    assert case.overdue == (timezone.localdate() > case.due_date)
    case.submitted_at = timezone.now()
    assert not case.overdue
