"""Whether a posted notice, counter-notice or supplement may be read at all.

Decided from the headers and the address alone, before the body is read: a post that is too
large is answered without reading it, and one refused by the hourly limits has its text
read (so the form comes back as typed) while its files are skipped, never stored.
"""

from functools import wraps

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from articles.ratelimit import HourlyLimit

from .files import MAX_FILES

# Every post from an address counts here, accepted or not.
ATTEMPTS = HourlyLimit("takedown-attempt", lambda: settings.TAKEDOWN_ATTEMPTS_PER_HOUR)
# Accepted submissions of one kind per address (a refused or invalid one gives its place back).
NOTICES = HourlyLimit("takedown-notice", lambda: settings.TAKEDOWN_NOTICES_PER_HOUR)
SUPPLEMENTS = HourlyLimit("takedown-supplement", lambda: settings.TAKEDOWN_NOTICES_PER_HOUR)
LOOKUPS = HourlyLimit("takedown-lookup", 20)

TOO_MANY = "同一网络地址一小时内提交次数过多，请一小时后再试；紧急情况请发邮件至 {contact}。"
TOO_LARGE = (
    "提交的内容太大（共 {size:.0f} MB）：附件最多 {files} 个，每个不超过 {each} MB。"
    "请压缩或删减附件后重新提交。"
)
FORM_ALLOWANCE = 1024 * 1024  # the text fields and multipart framing around the files


def largest_post() -> int:
    """The largest body a valid submission can have: every attachment at its limit."""
    return MAX_FILES * 2 * settings.TAKEDOWN_ATTACHMENT_MAX_BYTES + FORM_ALLOWANCE


def posted_size(request) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def too_large(request) -> str:
    """The reason a post is too large to read, or "" when it is not."""
    size = posted_size(request)
    if size <= largest_post():
        return ""
    return TOO_LARGE.format(
        size=size / 1024 / 1024,
        files=MAX_FILES,
        each=settings.TAKEDOWN_ATTACHMENT_MAX_BYTES // 1024 // 1024,
    )


def refusal(request, limit: HourlyLimit | None) -> str:
    """Take this post's place in the hourly limits; the reason it is refused, or "" to go on.
    A refused post's files are skipped as the body is read."""
    admitted = ATTEMPTS.take(request)
    if admitted and limit is not None:
        admitted = limit.take(request)
        if not admitted:
            limit.give_back(request)
    if admitted:
        return ""
    skip_files(request)
    return TOO_MANY.format(contact=settings.TAKEDOWN_CONTACT_EMAIL)


class SkipFilesHandler(FileUploadHandler):
    """Reads the form's text fields and drops every file unread into memory or disk."""

    def new_file(self, *args, **kwargs):
        raise SkipFile

    def receive_data_chunk(self, raw_data, start):
        return None

    def file_complete(self, file_size):
        return None


def admitted(limit: HourlyLimit | None = None):
    """A view taking posts with files: whether the post may be read is decided first, and
    `request.admission` says so — (0, "") to go on, (413, reason) or (429, reason).

    Decided before Django's CSRF check, which reads the body (as Django's documentation on
    upload handlers prescribes: exempt outside, protected inside): a refused post's files are
    then skipped as it is read, and a post too large is never read — it reaches the view
    unchecked, as nothing of it is used or stored."""

    def decorator(view):
        protected = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "POST":
                return protected(request, *args, **kwargs)
            if reason := too_large(request):
                skip_files(request)
                request.admission = (413, reason)
                return view(request, *args, **kwargs)
            reason = refusal(request, limit)
            request.admission = (429, reason) if reason else (0, "")
            return protected(request, *args, **kwargs)

        return wrapper

    return decorator


def skip_files(request) -> None:
    request.upload_handlers = [SkipFilesHandler(request)]
