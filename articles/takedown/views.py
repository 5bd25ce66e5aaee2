"""The public side of takedown: the notice form, status, counter-notice, policy, report."""

import hashlib

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from ..clients import client_address
from ..models import TakedownCase, TakedownEvent
from . import services
from .forms import CounterNoticeForm, StatusLookupForm, SupplementForm, TakedownNoticeForm

ATTEMPTS_PER_HOUR = 30
LOOKUPS_PER_HOUR = 20
TOO_MANY = "同一网络地址一小时内提交次数过多，请一小时后再试；紧急情况请发邮件至 {contact}。"
NOT_FOUND = "没有找到编号与邮箱都相符的投诉，请核对后再查。"
NOT_NEEDED = "这个案件目前不需要补充材料，您的提交没有保存。如有新情况，请发邮件至 {contact}。"
SUPPLEMENT_IDS = "more_%s"  # the lookup form on the same page uses Django's default ids
_signer = signing.TimestampSigner(salt="takedown-received")


def _client_key(request, scope: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{client_address(request)}".encode())
    return f"takedown:rate:{scope}:{digest.hexdigest()[:24]}"


def _refuse(form, message: str) -> int:
    """Turn a rate-limited POST away with the reason, keeping what was typed: 429."""
    form.is_valid()  # so field errors show too, and the typed values come back
    form.add_error(None, message)
    return 429


def _submitting_too_often(request, kind: str) -> bool:
    """Over the hour's attempts from this address, or over its accepted submissions of this
    kind (counted with `_over_limit(request, kind, …)` once one is accepted)."""
    return _over_limit(request, "attempt", ATTEMPTS_PER_HOUR) or _over_limit(
        request, kind, settings.TAKEDOWN_NOTICES_PER_HOUR, count=False
    )


def _render(request, template: str, context: dict, status: int = 200):
    """A takedown page, with the timings every one of them may state."""
    timings = {
        "decision_days": settings.TAKEDOWN_DECISION_DAYS,
        "waiting_days": settings.TAKEDOWN_COUNTER_NOTICE_DAYS,
        "contact": settings.TAKEDOWN_CONTACT_EMAIL,
    }
    return render(request, template, {**timings, **context}, status=status)


def _over_limit(request, scope: str, limit: int, *, count: bool = True) -> bool:
    """A fixed one-hour window per address, kept in the cache."""
    key = _client_key(request, scope)
    if not count:
        return (cache.get(key) or 0) >= limit
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) > limit


@never_cache
def notice(request):
    form = TakedownNoticeForm(request.POST or None, request.FILES or None, host=request.get_host())
    status = 200
    if request.method == "POST":
        if _submitting_too_often(request, "notice"):
            status = _refuse(form, TOO_MANY.format(contact=settings.TAKEDOWN_CONTACT_EMAIL))
        elif form.is_valid():
            raw, digest = services.raw_submission(request.POST, request.FILES)
            case, duplicate = services.notice_submit(data=form.cleaned_data, raw=raw, digest=digest)
            _over_limit(request, "notice", settings.TAKEDOWN_NOTICES_PER_HOUR)
            # A merged notice's case reference goes only to the notifier's mailbox (see
            # received.html); the signed token is readable, so it leaves it out too.
            token = _signer.sign(f"{'' if duplicate else case.reference}|{int(duplicate)}")
            return redirect(f"{reverse('takedown:received')}?t={token}")
        else:
            status = 400
    return _render(request, "takedown/request.html", {"form": form}, status)


@never_cache
def received(request):
    try:
        reference, duplicate = _signer.unsign(request.GET.get("t", ""), max_age=86400).split("|")
    except (signing.BadSignature, ValueError):
        raise Http404("这个确认页已失效，请用“进度查询”查看您的投诉。") from None
    context = {"reference": reference, "duplicate": duplicate == "1"}
    return _render(request, "takedown/received.html", context)


def _status_page(request, *, lookup, case=None, supplement=None, code=200, message=""):
    """The status page: the lookup form, and, for a matching case, its dates and log; while
    the case needs more information, the form to add it."""
    if case is not None and supplement is None and case.status == TakedownCase.Status.NEEDS_INFO:
        initial = {"reference": case.reference, "email": case.email}
        supplement = SupplementForm(initial=initial, auto_id=SUPPLEMENT_IDS)
    context = {
        "form": lookup,
        "case": case,
        "events": case.events.only("at", "action", "to_status") if case else [],
        "requested": case.information_requested() if supplement and case else "",
        "supplement": supplement,
        "message": message.format(contact=settings.TAKEDOWN_CONTACT_EMAIL),
    }
    return _render(request, "takedown/status.html", context, code)


@never_cache
def status(request):
    form = StatusLookupForm(request.POST or None)
    case, code = None, 200
    if request.method == "POST":
        if _over_limit(request, "lookup", LOOKUPS_PER_HOUR):
            code = _refuse(form, "查询次数过多，请一小时后再试。")
        elif form.is_valid():
            case = TakedownCase.objects.for_requester(
                form.cleaned_data["reference"], form.cleaned_data["email"]
            )
            if case is None:
                form.add_error(None, NOT_FOUND)
                code = 404
        else:
            code = 400
    return _status_page(request, lookup=form, case=case, code=code)


@never_cache
def supplement(request):
    """Material for a case that needs more information. A reference and email that do not
    match get exactly the status page's "not found"; nothing else is said about the case."""
    if request.method != "POST":
        return redirect("takedown:status")
    form = SupplementForm(request.POST, request.FILES or None, auto_id=SUPPLEMENT_IDS)
    lookup = StatusLookupForm({key: request.POST.get(key, "") for key in ("reference", "email")})
    lookup.is_valid()
    if _submitting_too_often(request, "supplement"):
        # Said before looking the case up, so a refusal reveals nothing about it.
        code = _refuse(form, TOO_MANY.format(contact=settings.TAKEDOWN_CONTACT_EMAIL))
        return _status_page(request, lookup=StatusLookupForm(), supplement=form, code=code)
    case = TakedownCase.objects.for_requester(
        request.POST.get("reference", ""), request.POST.get("email", "")
    )
    if case is None:
        lookup.add_error(None, NOT_FOUND)
        return _status_page(request, lookup=lookup, code=404)
    if case.status != TakedownCase.Status.NEEDS_INFO:
        return _status_page(request, lookup=lookup, case=case, code=409, message=NOT_NEEDED)
    if not form.is_valid():
        return _status_page(request, lookup=lookup, case=case, supplement=form, code=400)
    raw, digest = services.raw_submission(request.POST, request.FILES)
    try:
        case = services.case_supplement(
            case=case,
            text=form.cleaned_data["text"],
            attachments=form.cleaned_data["proof"],
            raw=raw,
            digest=digest,
        )
    except ValidationError:  # another submission got there first
        case.refresh_from_db()
        return _status_page(request, lookup=lookup, case=case, code=409, message=NOT_NEEDED)
    _over_limit(request, "supplement", settings.TAKEDOWN_NOTICES_PER_HOUR)
    return _render(request, "takedown/supplement_received.html", {"case": case})


@never_cache
def counter_notice(request):
    initial = {"reference": request.GET.get("ref", "")[:20]}
    form = CounterNoticeForm(request.POST or None, request.FILES or None, initial=initial)
    code = 200
    if request.method == "POST":
        if _over_limit(request, "attempt", ATTEMPTS_PER_HOUR):
            code = _refuse(form, TOO_MANY.format(contact=settings.TAKEDOWN_CONTACT_EMAIL))
        elif form.is_valid():
            raw, digest = services.raw_submission(request.POST, request.FILES)
            services.counter_notice_submit(
                case=form.case, data=form.cleaned_data, raw=raw, digest=digest
            )
            case = TakedownCase.objects.get(pk=form.case.pk)
            return _render(request, "takedown/counter_received.html", {"case": case})
        else:
            code = 400
    return _render(request, "takedown/counter_notice.html", {"form": form}, code)


def policy(request):
    return _render(request, "takedown/policy.html", {})


def report(request):
    """Per month: notices received, and cases withdrawn, rejected, restored. No personal data."""
    received_by_month = dict(
        TakedownCase.objects.annotate(month=TruncMonth("submitted_at"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    decided = (
        TakedownEvent.objects.annotate(month=TruncMonth("at"))
        .values("month")
        .annotate(
            withdrawn=Count("pk", filter=Q(to_status=TakedownCase.Status.WITHDRAWN)),
            rejected=Count("pk", filter=Q(to_status=TakedownCase.Status.REJECTED)),
            restored=Count("pk", filter=Q(to_status=TakedownCase.Status.RESTORED)),
        )
    )
    months: dict = {m: {"received": n} for m, n in received_by_month.items()}
    for row in decided:
        months.setdefault(row["month"], {}).update(row)
    rows = [
        {"month": month, "received": 0, "withdrawn": 0, "rejected": 0, "restored": 0, **values}
        for month, values in sorted(months.items(), reverse=True)
    ]
    return render(request, "takedown/report.html", {"rows": rows})
