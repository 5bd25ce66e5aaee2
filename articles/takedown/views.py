"""The public side of takedown: the notice form, status, counter-notice, policy, report."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from articles.outage import DATABASE_UNREACHABLE, RETRY_AFTER_SECONDS, STORAGE_UNREACHABLE

from . import admission, services
from .forms import CounterNoticeForm, StatusLookupForm, SupplementForm, TakedownNoticeForm
from .models import TakedownCase

NOT_FOUND = "没有找到编号与邮箱都相符的投诉，请核对后再查。"
CLOSED = (
    "这个案件已处理完毕，不再接收补充材料，您的提交没有保存。如有新情况，请发邮件至 {contact}。"
)
OUTAGE = (
    "未能提交，请稍后重试：网站暂时无法保存您的提交。您填写的内容都还在下面（附件需要重新选择）。"
)
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


def _posted_form(request, form_class, **kwargs):
    """(form, status, alert): the form, bound to a POST; status 413 or 429 when the post was
    turned away before its body was read (see `admission.admitted`), else 0. Turned away by
    the hourly limits, the form comes back as typed and says why; too large to read, the
    form is empty and the alert says why."""
    if request.method != "POST":
        return form_class(**kwargs), 0, ""
    status, reason = request.admission
    if status == 413:
        return form_class(**kwargs), 413, reason
    if status == 429:
        return _refused(form_class(request.POST, **kwargs), reason), 429, ""
    return form_class(request.POST, request.FILES, **kwargs), 0, ""


def _outage(request, template: str, context: dict):
    """The database could not be reached while a form was handled: nothing was stored, and
    the person is told so, with everything they typed (files must be chosen again)."""
    response = _render(request, template, {**context, "alert": OUTAGE}, 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _as_typed(request, form_class, **kwargs):
    """An unbound form showing what was posted: validating it again would need the
    database."""
    typed = {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"}
    return form_class(**{**kwargs, "initial": {**kwargs.get("initial", {}), **typed}})


@never_cache
@admission.admitted(admission.NOTICES)
def notice(request):
    kwargs = {"host": request.get_host()}
    form, refused, alert = _posted_form(request, TakedownNoticeForm, **kwargs)
    if refused or not form.is_bound:
        context = {"form": form, "alert": alert}
        return _render(request, "takedown/request.html", context, refused or 200)
    try:
        if not form.is_valid():
            admission.NOTICES.give_back(request)
            return _render(request, "takedown/request.html", {"form": form}, 400)
        raw, digest = services.raw_submission(request.POST, request.FILES)
        case = services.notice_submit(
            data=form.cleaned_data, raw=raw, digest=digest, key=form.cleaned_data["submission_key"]
        )
    except (*DATABASE_UNREACHABLE, *STORAGE_UNREACHABLE):
        admission.NOTICES.give_back(request)
        form = _as_typed(request, TakedownNoticeForm, **kwargs)
        return _outage(request, "takedown/request.html", {"form": form})
    return redirect(f"{reverse('takedown:received')}?t={_signer.sign(case.reference)}")


@never_cache
def received(request):
    try:
        reference = _signer.unsign(request.GET.get("t", ""), max_age=86400)
    except signing.BadSignature:
        raise Http404("这个确认页已失效，请用“进度查询”查看您的投诉。") from None
    return _render(request, "takedown/received.html", {"reference": reference})


def _status_page(request, *, lookup, case=None, supplement=None, code=200, message="", alert=""):
    """The status page: the lookup form, and, for a matching case, its dates and log; while
    the case is open, the form to add pages and material to it."""
    if case is not None and supplement is None and case.is_open:
        initial = {"reference": case.reference, "email": case.email}
        supplement = SupplementForm(initial=initial, auto_id=SUPPLEMENT_IDS)
    context = {
        "form": lookup,
        "case": case,
        "events": case.events.only("at", "action", "to_status") if case else [],
        "requested": case.information_requested()
        if case and case.status == TakedownCase.Status.NEEDS_INFO
        else "",
        "supplement": supplement,
        "message": message.format(contact=settings.TAKEDOWN_CONTACT_EMAIL),
        "alert": alert,
    }
    return _render(request, "takedown/status.html", context, code)


@never_cache
def status(request):
    form = StatusLookupForm(request.POST if request.method == "POST" else None)
    case, code = None, 200
    if request.method == "POST":
        if not admission.LOOKUPS.take(request):
            form, code = _refused(form, "查询次数过多，请一小时后再试。"), 429
        elif form.is_valid():
            try:
                case = TakedownCase.objects.for_requester(
                    form.cleaned_data["reference"], form.cleaned_data["email"]
                )
            except DATABASE_UNREACHABLE:
                return _outage(request, "takedown/status.html", {"form": form})
            if case is None:
                form.add_error(None, NOT_FOUND)
                code = 404
        else:
            code = 400
    return _status_page(request, lookup=form, case=case, code=code)


@never_cache
@admission.admitted(admission.SUPPLEMENTS)
def supplement(request):
    """Pages and material for an open case. A reference and email that do not match get
    exactly the status page's "not found"; nothing else is said about the case."""
    if request.method != "POST":
        return redirect("takedown:status")
    kwargs = {"auto_id": SUPPLEMENT_IDS, "host": request.get_host()}
    form, refused, alert = _posted_form(request, SupplementForm, **kwargs)
    if refused:
        # Said before looking the case up, so a refusal reveals nothing about it.
        return _status_page(
            request, lookup=StatusLookupForm(), supplement=form, code=refused, alert=alert
        )
    try:
        accepted = _add_material(request, form)
    except (*DATABASE_UNREACHABLE, *STORAGE_UNREACHABLE):
        admission.SUPPLEMENTS.give_back(request)
        form = _as_typed(request, SupplementForm, **kwargs)
        context = {"form": StatusLookupForm(), "supplement": form}
        return _outage(request, "takedown/status.html", context)
    if not isinstance(accepted, TakedownCase):
        admission.SUPPLEMENTS.give_back(request)
        return accepted
    return _render(request, "takedown/supplement_received.html", {"case": accepted})


def _add_material(request, form):
    """The case the material was added to, or the status page saying why it was not."""
    lookup = StatusLookupForm({key: request.POST.get(key, "") for key in ("reference", "email")})
    case = TakedownCase.objects.for_requester(**lookup.cleaned_data) if lookup.is_valid() else None
    if case is None:
        lookup.add_error(None, NOT_FOUND)
        return _status_page(request, lookup=lookup, code=404)
    if not case.is_open:
        return _status_page(request, lookup=lookup, case=case, code=409, message=CLOSED)
    if not form.is_valid():
        return _status_page(request, lookup=lookup, case=case, supplement=form, code=400)
    raw, digest = services.raw_submission(request.POST, request.FILES)
    data = form.cleaned_data
    try:
        return services.case_add_material(
            case=case, text=data["text"], urls=data["urls"], attachments=data["proof"],
            raw=raw, digest=digest, key=data["submission_key"],
        )  # fmt: skip
    except ValidationError:  # decided meanwhile
        case.refresh_from_db()
        return _status_page(request, lookup=lookup, case=case, code=409, message=CLOSED)


@never_cache
@admission.admitted()
def counter_notice(request):
    initial = {"reference": request.GET.get("ref", "")[:20]}
    form, refused, alert = _posted_form(request, CounterNoticeForm, initial=initial)
    if refused or not form.is_bound:
        context = {"form": form, "alert": alert}
        return _render(request, "takedown/counter_notice.html", context, refused or 200)
    try:
        if not form.is_valid():
            return _render(request, "takedown/counter_notice.html", {"form": form}, 400)
        raw, digest = services.raw_submission(request.POST, request.FILES)
        case = services.counter_notice_submit(
            case=form.case, data=form.cleaned_data, raw=raw, digest=digest,
            key=form.cleaned_data["submission_key"],
        )  # fmt: skip
    except (*DATABASE_UNREACHABLE, *STORAGE_UNREACHABLE):
        form = _as_typed(request, CounterNoticeForm, initial=initial)
        return _outage(request, "takedown/counter_notice.html", {"form": form})
    return _render(request, "takedown/counter_received.html", {"case": case})


def policy(request):
    return _render(request, "takedown/policy.html", {})


def report(request):
    """Per month: notices received, and cases withdrawn, rejected, restored. No personal data."""
    return render(request, "takedown/report.html", {"rows": TakedownCase.objects.monthly_figures()})
