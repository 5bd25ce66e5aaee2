"""The public side of takedown: the notice form, status, counter-notice, policy, report."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from . import admission, services
from .forms import CounterNoticeForm, StatusLookupForm, SupplementForm, TakedownNoticeForm
from .models import TakedownCase

NOT_FOUND = "没有找到编号与邮箱都相符的投诉，请核对后再查。"
NOT_NEEDED = "这个案件目前不需要补充材料，您的提交没有保存。如有新情况，请发邮件至 {contact}。"
SUPPLEMENT_IDS = "more_%s"  # the lookup form on the same page uses Django's default ids
_signer = signing.TimestampSigner(salt="takedown-received")


def _render(request, template: str, context: dict, status: int = 200):
    """A takedown page, with the timings every one of them may state."""
    timings = {
        "decision_days": settings.TAKEDOWN_DECISION_DAYS,
        "waiting_days": settings.TAKEDOWN_COUNTER_NOTICE_DAYS,
        "contact": settings.TAKEDOWN_CONTACT_EMAIL,
    }
    return render(request, template, {**timings, **context}, status=status)


def _refused(form, message: str):
    """The form as typed (its files were not kept), with the reason it was turned away."""
    form.is_valid()  # so field errors show too, and the typed values come back
    form.add_error(None, message)
    return form


def _posted_form(request, form_class, limit=None, **kwargs):
    """(form, status): the form, bound to a POST; status 413 or 429 when the post is turned
    away before its body is read (see `admission`; the form then says why), else 0."""
    if request.method != "POST":
        return form_class(**kwargs), 0
    if reason := admission.too_large(request):
        admission.skip_files(request)
        return _refused(form_class(**kwargs), reason), 413
    if reason := admission.refusal(request, limit):
        return _refused(form_class(request.POST, **kwargs), reason), 429
    return form_class(request.POST, request.FILES, **kwargs), 0


@never_cache
def notice(request):
    form, refused = _posted_form(
        request, TakedownNoticeForm, admission.NOTICES, host=request.get_host()
    )
    if refused or not form.is_bound:
        return _render(request, "takedown/request.html", {"form": form}, refused or 200)
    if not form.is_valid():
        admission.NOTICES.give_back(request)
        return _render(request, "takedown/request.html", {"form": form}, 400)
    raw, digest = services.raw_submission(request.POST, request.FILES)
    case, duplicate = services.notice_submit(data=form.cleaned_data, raw=raw, digest=digest)
    # A merged notice's case reference goes only to the notifier's mailbox (see
    # received.html); the signed token is readable, so it leaves it out too.
    token = _signer.sign(f"{'' if duplicate else case.reference}|{int(duplicate)}")
    return redirect(f"{reverse('takedown:received')}?t={token}")


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
        if not admission.LOOKUPS.take(request):
            form, code = _refused(form, "查询次数过多，请一小时后再试。"), 429
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
    form, refused = _posted_form(
        request, SupplementForm, admission.SUPPLEMENTS, auto_id=SUPPLEMENT_IDS
    )
    if refused:
        # Said before looking the case up, so a refusal reveals nothing about it.
        return _status_page(request, lookup=StatusLookupForm(), supplement=form, code=refused)
    accepted = _supplement(request, form)
    if not isinstance(accepted, TakedownCase):
        admission.SUPPLEMENTS.give_back(request)
        return accepted
    return _render(request, "takedown/supplement_received.html", {"case": accepted})


def _supplement(request, form):
    """The case the material was added to, or the status page saying why it was not."""
    lookup = StatusLookupForm({key: request.POST.get(key, "") for key in ("reference", "email")})
    lookup.is_valid()
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
        return services.case_supplement(
            case=case,
            text=form.cleaned_data["text"],
            attachments=form.cleaned_data["proof"],
            raw=raw,
            digest=digest,
        )
    except ValidationError:  # another submission got there first
        case.refresh_from_db()
        return _status_page(request, lookup=lookup, case=case, code=409, message=NOT_NEEDED)


@never_cache
def counter_notice(request):
    initial = {"reference": request.GET.get("ref", "")[:20]}
    form, refused = _posted_form(request, CounterNoticeForm, initial=initial)
    if refused or not form.is_bound:
        return _render(request, "takedown/counter_notice.html", {"form": form}, refused or 200)
    if not form.is_valid():
        return _render(request, "takedown/counter_notice.html", {"form": form}, 400)
    raw, digest = services.raw_submission(request.POST, request.FILES)
    services.counter_notice_submit(case=form.case, data=form.cleaned_data, raw=raw, digest=digest)
    case = TakedownCase.objects.get(pk=form.case.pk)
    return _render(request, "takedown/counter_received.html", {"case": case})


def policy(request):
    return _render(request, "takedown/policy.html", {})


def report(request):
    """Per month: notices received, and cases withdrawn, rejected, restored. No personal data."""
    return render(request, "takedown/report.html", {"rows": TakedownCase.objects.monthly_figures()})
