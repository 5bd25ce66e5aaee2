"""Every step of a takedown case, shared by the public forms, the admin and `manage.py
takedown`. Each step checks the transition, records an event, and sends the emails."""

import hashlib
import json
from contextlib import suppress
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from articles.models import Article
from articles.outage import STORAGE_UNREACHABLE
from articles.services import article_restore, article_withdraw

from . import emails
from .models import (
    CounterNotice,
    TakedownAttachment,
    TakedownCase,
    TakedownEvent,
    TakedownSubmission,
    TakedownTarget,
)

Status = TakedownCase.Status


def raw_submission(post, files) -> tuple[str, str]:
    """The submission exactly as received (fields and file digests) as JSON, with its SHA-256."""
    payload = {
        "fields": {key: post.getlist(key) for key in sorted(post) if key != "csrfmiddlewaretoken"},
        "files": {
            key: [{"name": f.name, "size": f.size} for f in files.getlist(key)]
            for key in sorted(files)
        },
    }
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return raw, hashlib.sha256(raw.encode()).hexdigest()


def _log(case, *, by=None, label="", action, to_status="", from_status="", note=""):
    """`by` is the editor; None means the command line (or the requester, given `label`)."""
    return TakedownEvent.objects.create(
        case=case,
        actor=by,
        actor_label=label or (by.get_username() if by else "命令行"),
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def _attach(case, kind, attachments) -> list[str]:
    """Store the checked attachments on the case; returns their original names. A store
    that fails part-way keeps none of them (the transaction takes the rows back)."""
    stored = []
    try:
        for content, content_type, original_name, size, digest in attachments:
            stored.append(
                TakedownAttachment.objects.create(
                    case=case, kind=kind, file=content, original_name=original_name,
                    content_type=content_type, size=size, sha256=digest,
                ).file
            )  # fmt: skip
    except STORAGE_UNREACHABLE:
        for file in stored:
            with suppress(*STORAGE_UNREACHABLE):
                file.delete(save=False)
        raise
    return [original_name for _, _, original_name, _, _ in attachments]


def _restored_before(articles) -> bool:
    """An article put back after a counter-notice is never acted on automatically again."""
    return TakedownEvent.objects.filter(
        to_status=Status.RESTORED, case__articles__in=articles
    ).exists()


def earlier_submission(key: str | None) -> TakedownSubmission | None:
    """The submission already stored under this one-time key, if any. Submissions with the
    same key wait for each other here (an advisory lock until the transaction ends), so of
    two sent at once the second finds the first. Call inside a transaction. No key (a
    script, a test): nothing to recognise."""
    if not key:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
    return TakedownSubmission.objects.filter(key=key).select_related("case").first()


def _add_targets(case: TakedownCase, urls: list) -> list[str]:
    """Make the newly named pages targets of the case; flag it if one was restored after a
    counter-notice before. Returns the URLs added."""
    known = set(case.targets.values_list("article_id", flat=True))
    added = [(url, article) for url, article in urls if article.pk not in known]
    for url, article in added:
        TakedownTarget.objects.create(case=case, article=article, url=url[:500])
    if added and not case.flagged and _restored_before([article for _, article in added]):
        case.flagged = True
        case.save(update_fields=["flagged"])
    return [url for url, _ in added]


@transaction.atomic
def notice_submit(*, data: dict, raw: str, digest: str, key: str | None = None) -> TakedownCase:
    """Open a case from a valid notice. A notice is never joined to another case, whoever
    seems to send it (an email address proves nothing): 主编 see the cases that name the
    same pages side by side (`TakedownCase.objects.related_to`). The holder of a case adds
    to it through the status page (`case_add_material`)."""
    if earlier := earlier_submission(key):
        return earlier.case
    now = timezone.now()
    case = TakedownCase.objects.create(
        notifier_type=data["notifier_type"], name=data["name"], organisation=data["organisation"],
        id_type=data["id_type"], id_number=data["id_number"], email=data["email"],
        phone=data["phone"], address=data["address"], right_kind=data["right_kind"],
        work_title=data["work_title"], original_location=data["original_location"],
        measure=data["measure"], description=data["description"], signature=data["signature"],
        signed_at=now, submitted_at=now,
    )  # fmt: skip
    _add_targets(case, data["urls"])
    TakedownSubmission.objects.create(
        case=case, kind=TakedownSubmission.Kind.NOTICE, key=key, raw=raw, sha256=digest
    )
    _attach(case, TakedownAttachment.Kind.PROOF, data["proof"])
    _attach(case, TakedownAttachment.Kind.AUTHORISATION, data["authorisation"])
    note = "涉及的文章曾在反通知后恢复：请人工审核，不自动处理。" if case.flagged else ""
    _log(case, label="投诉人", action="提交通知", to_status=Status.RECEIVED, note=note)
    transaction.on_commit(lambda: emails.notice_received(case))
    return case


def _move(
    case: TakedownCase, to: str, *, by, action: str, note: str = "", label: str = ""
) -> TakedownCase:
    """`label` names a requester who moved the case; their step is not an editor's decision,
    so it leaves `decided_at` alone."""
    case = TakedownCase.objects.select_for_update().get(pk=case.pk)
    if not case.can_become(to):
        raise ValidationError(
            f"案件 {case.reference} 目前是“{case.get_status_display()}”，"
            f"不能改为“{Status(to).label}”。"
        )
    before = case.status
    case.status = to
    fields = ["status"]
    if not label:
        case.decided_at = timezone.now()
        fields.append("decided_at")
    case.save(update_fields=fields)
    _log(case, by=by, label=label, action=action, from_status=before, to_status=to, note=note)
    return case


@transaction.atomic
def case_request_information(*, case, by=None, message: str) -> TakedownCase:
    if not message.strip():
        raise ValidationError("请写明需要补充哪些材料。")
    case = _move(case, Status.NEEDS_INFO, by=by, action="要求补充材料", note=message)
    transaction.on_commit(lambda: emails.information_requested(case, message))
    return case


@transaction.atomic
def case_add_material(
    *, case, text: str, urls: list, attachments: list, raw: str, digest: str, key=None
) -> TakedownCase:
    """The holder of an open case (reference and email, on the status page) adds pages,
    files and a note. Stored on the case and logged as theirs; a case that waited for
    information goes back to the editors' queue."""
    if earlier := earlier_submission(key):
        return earlier.case
    case = TakedownCase.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError(f"案件 {case.reference} 已处理完毕，不再接收补充材料。")
    added = _add_targets(case, urls)
    note = text + ("\n追加网址：" + "、".join(added) if added else "")
    if case.status == Status.NEEDS_INFO:
        case = _move(case, Status.RECEIVED, by=None, label="投诉人", action="补充材料", note=note)
    else:
        _log(case, label="投诉人", action="补充材料", note=note)
    TakedownSubmission.objects.create(
        case=case, kind=TakedownSubmission.Kind.SUPPLEMENT, key=key, raw=raw, sha256=digest
    )
    files = _attach(case, TakedownAttachment.Kind.SUPPLEMENT, attachments)
    transaction.on_commit(
        lambda: emails.supplement_received(case, text=text, files=files, urls=added)
    )
    return case


@transaction.atomic
def case_reject(*, case, by=None, reason: str) -> TakedownCase:
    if not reason.strip():
        raise ValidationError("驳回必须写明理由，理由会发给投诉人。")
    case = _move(case, Status.REJECTED, by=by, action="驳回", note=reason)
    transaction.on_commit(lambda: emails.rejected(case, reason))
    return case


# What a withdrawn article's 451 page cites, by the right the notice asserts.
CIVIL_CODE = "《中华人民共和国民法典》第一千一百九十五条至第一千一百九十七条"
NETWORK_REGULATION = "《信息网络传播权保护条例》第十四条至第十七条"
LEGAL_BASIS = {
    TakedownCase.RightKind.COPYRIGHT: f"{CIVIL_CODE}；{NETWORK_REGULATION}",
}


def legal_basis(case: TakedownCase) -> str:
    return LEGAL_BASIS.get(case.right_kind, CIVIL_CODE)


def counter_notice_url(case: TakedownCase) -> str:
    """Where the notice of a withdrawal is answered: the counter-notice form, for this case."""
    return f"{reverse('takedown:counter')}?{urlencode({'ref': case.reference})}"


@transaction.atomic
def case_withdraw(*, case, by=None, note: str = "") -> TakedownCase:
    """Withdraw every article of the case: they leave every listing, and answer 451."""
    case = _move(case, Status.WITHDRAWN, by=by, action="撤下内容", note=note)
    for article in Article.objects.filter(takedown_cases=case).order_by("pk"):
        article_withdraw(
            article,
            reference=case.reference,
            basis=legal_basis(case),
            notice_url=counter_notice_url(case),
        )
    transaction.on_commit(lambda: emails.withdrawn(case))
    return case


@transaction.atomic
def counter_notice_submit(
    *, case, data: dict, raw: str, digest: str, key: str | None = None
) -> TakedownCase:
    """Record a counter-notice, forward it to the requester, and set the restore date."""
    if earlier := earlier_submission(key):
        return earlier.case
    case = _move(case, Status.COUNTER_RECEIVED, by=None, action="收到反通知")
    case.restore_after = timezone.now() + timedelta(days=settings.TAKEDOWN_COUNTER_NOTICE_DAYS)
    case.save(update_fields=["restore_after"])
    counter = CounterNotice.objects.create(
        case=case, name=data["name"], id_type=data["id_type"], id_number=data["id_number"],
        email=data["email"], phone=data["phone"], address=data["address"],
        grounds=data["grounds"], signature=data["signature"], signed_at=timezone.now(),
    )  # fmt: skip
    TakedownSubmission.objects.create(
        case=case, kind=TakedownSubmission.Kind.COUNTER, key=key, raw=raw, sha256=digest
    )
    _attach(case, TakedownAttachment.Kind.COUNTER, data["proof"])
    transaction.on_commit(lambda: emails.counter_notice_received(case, counter))
    return case


@transaction.atomic
def case_restore(*, case, by=None, note: str = "") -> TakedownCase:
    """Put the articles back after the waiting period; both sides are told."""
    if case.restore_after and timezone.now() < case.restore_after:
        raise ValidationError(
            f"等待期未满：{timezone.localtime(case.restore_after):%Y-%m-%d %H:%M} 之后才能恢复。"
        )
    case = _move(case, Status.RESTORED, by=by, action="恢复内容", note=note)
    # Only the pages this case took down: one withdrawn since under another case stays down.
    for article in Article.objects.withdrawn().filter(
        takedown_cases=case, withdrawal_reference=case.reference
    ):
        article_restore(article)
    transaction.on_commit(lambda: emails.restored(case))
    return case


@transaction.atomic
def case_keep_withdrawn(*, case, by=None, note: str) -> TakedownCase:
    """The requester reported a complaint or lawsuit: the content stays down."""
    if not note.strip():
        raise ValidationError("请写明维持撤下的依据（例如投诉人已起诉或向主管部门投诉）。")
    return _move(case, Status.KEPT, by=by, action="维持撤下", note=note)


@transaction.atomic
def case_close(*, case, by=None, note: str = "") -> TakedownCase:
    return _move(case, Status.CLOSED, by=by, action="结案", note=note)
