"""The public side of takedown: the notice form, status, counter-notice, policy, report."""

import hashlib

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from ..clients import client_address
from ..models import TakedownCase, TakedownEvent
from . import services
from .forms import CounterNoticeForm, StatusLookupForm, TakedownNoticeForm

ATTEMPTS_PER_HOUR = 30
LOOKUPS_PER_HOUR = 20
TOO_MANY = "同一网络地址一小时内提交次数过多，请一小时后再试；紧急情况请发邮件至 {contact}。"
_signer = signing.TimestampSigner(salt="takedown-received")


def _client_key(request, scope: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{client_address(request)}".encode())
    return f"takedown:rate:{scope}:{digest.hexdigest()[:24]}"


def _refuse(form, message: str) -> int:
    """Turn a rate-limited POST away with the reason, keeping what was typed: 429."""
    form.is_valid()  # so field errors show too, and the typed values come back
    form.add_error(None, message)
    return 429


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
        if _over_limit(request, "attempt", ATTEMPTS_PER_HOUR) or _over_limit(
            request, "notice", settings.TAKEDOWN_NOTICES_PER_HOUR, count=False
        ):
            status = _refuse(form, TOO_MANY.format(contact=settings.TAKEDOWN_CONTACT_EMAIL))
        elif form.is_valid():
            raw, digest = services.raw_submission(request.POST, request.FILES)
            case, duplicate = services.notice_submit(data=form.cleaned_data, raw=raw, digest=digest)
            _over_limit(request, "notice", settings.TAKEDOWN_NOTICES_PER_HOUR)
            token = _signer.sign(f"{case.reference}|{int(duplicate)}")
            return redirect(f"{reverse('takedown:received')}?t={token}")
        else:
            status = 400
    return render(request, "takedown/request.html", {"form": form}, status=status)


@never_cache
def received(request):
    try:
        reference, duplicate = _signer.unsign(request.GET.get("t", ""), max_age=86400).split("|")
    except (signing.BadSignature, ValueError):
        raise Http404("这个确认页已失效，请用“进度查询”查看您的投诉。") from None
    return render(
        request,
        "takedown/received.html",
        {"reference": reference, "duplicate": duplicate == "1"},
    )


@never_cache
def status(request):
    form = StatusLookupForm(request.POST or None)
    case, code = None, 200
    if request.method == "POST":
        if _over_limit(request, "lookup", LOOKUPS_PER_HOUR):
            code = _refuse(form, "查询次数过多，请一小时后再试。")
        elif form.is_valid():
            case = TakedownCase.objects.filter(
                reference=form.cleaned_data["reference"].strip().upper(),
                email__iexact=form.cleaned_data["email"],
            ).first()
            if case is None:
                form.add_error(None, "没有找到编号与邮箱都相符的投诉，请核对后再查。")
                code = 404
        else:
            code = 400
    events = case.events.only("at", "action", "to_status") if case else []
    return render(
        request, "takedown/status.html", {"form": form, "case": case, "events": events}, status=code
    )


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
            return render(request, "takedown/counter_received.html", {"case": case})
        else:
            code = 400
    context = {"form": form, "waiting_days": settings.TAKEDOWN_COUNTER_NOTICE_DAYS}
    return render(request, "takedown/counter_notice.html", context, status=code)


def policy(request):
    return render(
        request,
        "takedown/policy.html",
        {
            "waiting_days": settings.TAKEDOWN_COUNTER_NOTICE_DAYS,
            "contact": settings.TAKEDOWN_CONTACT_EMAIL,
        },
    )


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
