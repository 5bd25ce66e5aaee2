"""The emails of a takedown case. Sent after the database commit, never before.

Every message has exactly one recipient, so no requester, counter-notifier or editor ever
sees another's address. Messages to the public carry a Reply-To of the takedown desk: the
From address takes no mail.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from . import tasks

SIGN_OFF = "\n\n聚热点 juredian 侵权投诉处理组\n" + "查询进度：{status_url}\n"
DESK_SIGN_OFF = "\n\n聚热点 juredian 侵权投诉处理组\n"


def _deliver(addresses: list[str], subject: str, body: str, *, reply_to: list[str]) -> None:
    messages = [
        {
            "subject": f"[聚热点] {subject}",
            "body": body,
            "from_email": settings.DEFAULT_FROM_EMAIL,
            "to": [address],
            "reply_to": reply_to,
        }
        for address in dict.fromkeys(a for a in addresses if a)  # each address once
    ]
    if messages:
        tasks.send_emails.enqueue(messages)


def _to_person(address: str, subject: str, body: str, *, status_link: bool = True) -> None:
    """A requester or counter-notifier. Only the requester can look the case up (by reference
    and their email), so only they get the status link."""
    if status_link:
        body += SIGN_OFF.format(status_url=settings.SITE_URL + reverse("takedown:status"))
    else:
        body += DESK_SIGN_OFF
    _deliver([address], subject, body, reply_to=[settings.TAKEDOWN_CONTACT_EMAIL])


def _to_editors(subject: str, body: str) -> None:
    admin_url = settings.SITE_URL + reverse("admin:takedown_takedowncase_changelist")
    _deliver(chief_editors(), subject, f"{body}\n\n后台“侵权投诉”：{admin_url}\n", reply_to=[])


def chief_editors() -> list[str]:
    users = get_user_model().objects.filter(is_active=True, groups__name="主编").exclude(email="")
    return list(users.values_list("email", flat=True))


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y年%m月%d日 %H:%M}"


def _pages(case) -> str:
    return "\n".join(f"- {t.url}" for t in case.targets.all())


def _listed(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items) if items else "（无）"


def notice_received(case) -> None:
    _to_person(
        case.email,
        f"已收到您的侵权投诉 {case.reference}",
        f"{case.name}，您好：\n\n我们已于 {_when(case.submitted_at)} 收到您的侵权投诉，编号 "
        f"{case.reference}。涉及的页面：\n{_pages(case)}\n\n"
        f"我们一般在 {settings.TAKEDOWN_DECISION_DAYS} 个工作日内核实并作出处理决定，"
        "结果将发到本邮箱。您也可以凭编号和邮箱在本站查询进度。",
    )
    flag = "（注意：涉及的文章曾在反通知后恢复，需人工审核。）" if case.flagged else ""
    _to_editors(
        f"新的侵权投诉 {case.reference}",
        f"收到新的侵权投诉 {case.reference}{flag}\n投诉人：{case.name}\n"
        f"权利类型：{case.get_right_kind_display()}；要求：{case.get_measure_display()}\n"
        f"涉及的页面：\n{_pages(case)}\n{_related(case)}\n请在后台“侵权投诉”中处理。",
    )


def _related(case) -> str:
    """ "可能与 TD-… 相关" for cases naming the same pages: the editors decide, nothing merges."""
    references = [other.reference for other in type(case).objects.related_to(case)]
    return f"\n可能与 {'、'.join(references)} 相关（涉及相同的页面）。\n" if references else ""


def information_requested(case, message: str) -> None:
    _to_person(
        case.email,
        f"投诉 {case.reference} 需要补充材料",
        f"{case.name}，您好：\n\n处理您的投诉 {case.reference} 还需要以下材料：\n\n{message}\n\n"
        "请在本站“查询进度”页面输入编号和邮箱，在那里补充说明并上传附件；"
        f"也可以直接回复本邮件（将发到 {settings.TAKEDOWN_CONTACT_EMAIL}）。",
    )


def supplement_received(case, *, text: str, files: list[str], urls: list[str]) -> None:
    added = f"追加的网址：\n{_listed(urls)}\n\n" if urls else ""
    _to_person(
        case.email,
        f"已收到您为投诉 {case.reference} 补充的材料",
        f"{case.name}，您好：\n\n我们已于 {_when(timezone.now())} 收到您为投诉 {case.reference} "
        f"补充的材料（附件 {len(files)} 个，追加网址 {len(urls)} 个），案件正在处理中。"
        f"我们一般在 {settings.TAKEDOWN_DECISION_DAYS} 个工作日内作出处理决定。\n\n"
        f"{added}如果这些材料不是您提交的，请立即回复本邮件告诉我们。",
    )
    _to_editors(
        f"投诉 {case.reference} 已补充材料",
        f"投诉人为案件 {case.reference} 补充了材料，案件在“已收到”状态等待处理。\n\n"
        f"补充说明：\n{text}\n\n{added}附件：\n{_listed(files)}\n{_related(case)}",
    )


def rejected(case, reason: str) -> None:
    _to_person(
        case.email,
        f"投诉 {case.reference} 未予支持",
        f"{case.name}，您好：\n\n经核实，您的投诉 {case.reference} 未予支持，"
        f"理由如下：\n\n{reason}\n\n"
        "如有新的证据，欢迎重新提交。",
    )


def withdrawn(case) -> None:
    _to_person(
        case.email,
        f"投诉 {case.reference}：相关内容已撤下",
        f"{case.name}，您好：\n\n根据您的投诉 {case.reference}，"
        f"以下页面已于 {_when(case.decided_at)} 撤下：\n{_pages(case)}\n\n"
        "如内容提供者提交反通知，我们会转告您。",
    )


def counter_notice_received(case, counter) -> None:
    """The requester gets the counter-notifier's contact details on purpose: the law has the
    counter-notice forwarded so that the requester can complain or sue."""
    _to_person(
        case.email,
        f"投诉 {case.reference} 收到反通知",
        f"{case.name}，您好：\n\n就您的投诉 {case.reference}，我们收到了以下反通知：\n\n"
        f"提交人：{counter.name}\n联系方式：{counter.email}，{counter.phone}，{counter.address}\n"
        f"理由：\n{counter.grounds}\n\n"
        f"如您在 {_when(case.restore_after)} 前未告知我们已就此投诉或起诉，"
        "相关内容将被恢复。",
    )
    _to_person(
        counter.email,
        f"已收到您就 {case.reference} 提交的反通知",
        f"{counter.name}，您好：\n\n我们已收到您的反通知，并已转交投诉人。如投诉人在 "
        f"{_when(case.restore_after)} 前未告知已采取法律行动，相关内容将被恢复。",
        status_link=False,
    )
    _to_editors(
        f"投诉 {case.reference} 收到反通知",
        f"恢复日期：{_when(case.restore_after)}",
    )


def restored(case) -> None:
    pages = f"以下页面已于 {_when(case.decided_at)} 恢复：\n{_pages(case)}"
    _to_person(
        case.email,
        f"投诉 {case.reference}：相关内容已恢复",
        f"{case.name}，您好：\n\n就您的投诉 {case.reference}，等待期内未收到您已采取法律行动的"
        f"告知，{pages}",
    )
    for counter in case.counter_notices.all():
        _to_person(
            counter.email,
            f"您反通知的内容已恢复（{case.reference}）",
            f"{counter.name}，您好：\n\n就您对投诉 {case.reference} 提交的反通知，等待期内"
            f"未收到投诉人已采取法律行动的告知，{pages}",
            status_link=False,
        )
