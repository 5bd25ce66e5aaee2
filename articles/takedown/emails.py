"""The emails of a takedown case. Sent after the database commit, never before."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

SIGN_OFF = "\n\n聚热点 juredian 侵权投诉处理组\n" + "查询进度：{status_url}\n"


def _send(to: list[str], subject: str, body: str) -> None:
    to = [address for address in to if address]
    if to:
        status_url = settings.SITE_URL + reverse("takedown:status")
        send_mail(
            f"[聚热点] {subject}",
            body + SIGN_OFF.format(status_url=status_url),
            settings.DEFAULT_FROM_EMAIL,
            to,
        )


def chief_editors() -> list[str]:
    users = get_user_model().objects.filter(is_active=True, groups__name="主编").exclude(email="")
    return list(users.values_list("email", flat=True))


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y年%m月%d日 %H:%M}"


def _pages(case) -> str:
    return "\n".join(f"- {t.url}" for t in case.targets.all())


def notice_received(case) -> None:
    _send(
        [case.email],
        f"已收到您的侵权投诉 {case.reference}",
        f"{case.name}，您好：\n\n我们已于 {_when(case.submitted_at)} 收到您的侵权投诉，编号 "
        f"{case.reference}。涉及的页面：\n{_pages(case)}\n\n我们会尽快核实并处理，结果将发到本邮箱。"
        "您也可以凭编号和邮箱在本站查询进度。",
    )
    flag = "（注意：涉及的文章曾在反通知后恢复，需人工审核。）" if case.flagged else ""
    _send(
        chief_editors(),
        f"新的侵权投诉 {case.reference}",
        f"收到新的侵权投诉 {case.reference}{flag}\n投诉人：{case.name}\n"
        f"权利类型：{case.get_right_kind_display()}；要求：{case.get_measure_display()}\n"
        f"涉及的页面：\n{_pages(case)}\n\n请在后台“侵权投诉”中处理。",
    )


def information_requested(case, message: str) -> None:
    _send(
        [case.email],
        f"投诉 {case.reference} 需要补充材料",
        f"{case.name}，您好：\n\n处理您的投诉 {case.reference} 还需要以下材料：\n\n{message}\n\n"
        "请回复本邮件提供。",
    )


def rejected(case, reason: str) -> None:
    _send(
        [case.email],
        f"投诉 {case.reference} 未予支持",
        f"{case.name}，您好：\n\n经核实，您的投诉 {case.reference} 未予支持，"
        f"理由如下：\n\n{reason}\n\n"
        "如有新的证据，欢迎重新提交。",
    )


def withdrawn(case) -> None:
    _send(
        [case.email],
        f"投诉 {case.reference}：相关内容已撤下",
        f"{case.name}，您好：\n\n根据您的投诉 {case.reference}，"
        f"以下页面已于 {_when(case.decided_at)} 撤下：\n{_pages(case)}\n\n"
        "如内容提供者提交反通知，我们会转告您。",
    )


def counter_notice_received(case, counter) -> None:
    _send(
        [case.email],
        f"投诉 {case.reference} 收到反通知",
        f"{case.name}，您好：\n\n就您的投诉 {case.reference}，我们收到了以下反通知：\n\n"
        f"提交人：{counter.name}\n联系方式：{counter.email}，{counter.phone}，{counter.address}\n"
        f"理由：\n{counter.grounds}\n\n"
        f"如您在 {_when(case.restore_after)} 前未告知我们已就此投诉或起诉，"
        "相关内容将被恢复。",
    )
    _send(
        [counter.email],
        f"已收到您就 {case.reference} 提交的反通知",
        f"{counter.name}，您好：\n\n我们已收到您的反通知，并已转交投诉人。如投诉人在 "
        f"{_when(case.restore_after)} 前未告知已采取法律行动，相关内容将被恢复。",
    )
    _send(
        chief_editors(),
        f"投诉 {case.reference} 收到反通知",
        f"恢复日期：{_when(case.restore_after)}",
    )


def restored(case) -> None:
    counters = list(case.counter_notices.values_list("email", flat=True))
    _send(
        [case.email, *counters],
        f"投诉 {case.reference}：相关内容已恢复",
        f"您好：\n\n就投诉 {case.reference}，等待期内未收到投诉人采取法律行动的告知，"
        f"以下页面已于 {_when(case.decided_at)} 恢复：\n{_pages(case)}",
    )
