"""The notice and counter-notice forms: what a valid notice needs, checked field by field."""

import re
import uuid
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http.request import validate_host
from django.urls import Resolver404, resolve

from articles.models import Article

from .files import MAX_FILES, checked_attachment
from .models import TakedownCase

DECLARATIONS = {
    "declare_good_faith": "本人善意地相信，上述内容在本站的使用未经权利人、其代理人或法律许可。",
    "declare_accurate": "本通知中的信息准确无误；本人是权利人，或经权利人合法授权，"
    "有权提出本通知。",
    "declare_liability": "本人对本通知内容的真实性承担法律责任；如因通知错误给本站或他人造成损失，"
    "愿意依法承担赔偿责任。",
}
COUNTER_DECLARATIONS = {
    "declare_mistake": "本人善意地相信，上述内容是因错误或误认而被删除或断开链接的。",
    "declare_accurate": "本反通知中的信息准确无误，本人对其真实性承担法律责任。",
    "declare_jurisdiction": "本人同意接受本站所在地人民法院的管辖，并同意接收投诉人或其代理人送达的"
    "法律文书。",
}
EMAIL_ERRORS = {"invalid": "请填写有效的电子邮箱地址，例如 name@example.com。"}
MAX_URLS = 50
KEY_PATTERN = re.compile(r"[0-9a-f]{32}")
FILES_AGAIN = "（出于安全原因，浏览器不会保留已选的文件，请重新选择附件。）"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked by its bytes (see files.py)."""

    def __init__(self, *args, min_files=0, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        self.min_files = min_files
        super().__init__(*args, required=False, **kwargs)
        self.required = min_files > 0  # marks the field; `clean` below does the checking

    def clean(self, data, initial=None):
        uploads = [u for u in (data if isinstance(data, list | tuple) else [data]) if u]
        if len(uploads) < self.min_files:
            raise ValidationError(f"请至少上传 {self.min_files} 个证明文件（PDF、JPEG 或 PNG）。")
        if len(uploads) > MAX_FILES:
            raise ValidationError(f"最多上传 {MAX_FILES} 个文件，您选择了 {len(uploads)} 个。")
        return [checked_attachment(upload) for upload in uploads]


class HoneypotMixin(forms.Form):
    # Hidden from people by CSS; bots that fill every field fill this one too.
    website = forms.CharField(required=False, label="网站（请留空）")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError("提交未通过校验，请刷新页面后重新填写。")
        return cleaned


def declaration(text: str) -> forms.BooleanField:
    return forms.BooleanField(label=text, error_messages={"required": "请阅读并勾选这项声明。"})


def statement_field(label: str, help_text: str) -> forms.CharField:
    """The free text of a notice, counter-notice or supplement."""
    return forms.CharField(
        label=label, help_text=help_text, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )  # fmt: skip


def attachments_field(label: str, *, required: bool = True) -> "MultipleFileField":
    """Up to five files, checked by their bytes (see files.checked_attachment)."""
    how_many = f"1 到 {MAX_FILES} 个" if required else f"最多 {MAX_FILES} 个"
    size = settings.TAKEDOWN_ATTACHMENT_MAX_BYTES // 1024 // 1024
    return MultipleFileField(
        label=label,
        min_files=1 if required else 0,
        help_text=f"{how_many} PDF、JPEG 或 PNG 文件，每个不超过 {size} MB。",
    )


def article_for(url: str, *, host: str) -> Article | None:
    """The public article of this site a URL names (with or without scheme and host)."""
    try:
        parts = urlsplit(url if "//" in url or url.startswith("/") else f"//{url}")
    except ValueError:  # not a URL at all ("[", an unclosed IPv6 host): named as a bad line
        return None
    hosts = [*settings.ALLOWED_HOSTS, host] if host else settings.ALLOWED_HOSTS
    if parts.netloc and not validate_host(parts.netloc.split(":")[0], hosts):
        return None
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        return None
    if match.view_name != "articles:detail":
        return None
    return Article.objects.public().filter(slug=match.kwargs["slug"]).first()


def articles_named(text: str, *, host: str, required: bool) -> list[tuple[str, Article]]:
    """[(url as written, article)] for a URL per line; each must be a public article of
    this site, and the error names the bad lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines and required:
        raise ValidationError("请至少填写一个本站文章的网址。")
    if len(lines) > MAX_URLS:
        raise ValidationError(f"一次最多投诉 {MAX_URLS} 个网址，请分几次提交。")
    found, problems = [], []
    for number, line in enumerate(lines, start=1):
        article = article_for(line, host=host)
        if article is None:
            problems.append(f"第 {number} 行“{line[:80]}”不是本站正在展示的文章网址。")
        elif article not in [a for _, a in found]:
            found.append((line, article))
    if problems:
        raise ValidationError(problems)
    return found


def urls_field(label: str, *, required: bool) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="每行一个本站文章网址，例如 https://本站域名/a/文章网址名/",
    )


class OnceMixin(forms.Form):
    """A one-time key made when the form is shown: the same submission sent twice (a double
    click, a retry after a lost answer) is stored once (see services.earlier_submission)."""

    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission_key"].initial = uuid.uuid4().hex

    def clean_submission_key(self) -> str:
        """A key of ours, or a fresh one (no key, or not one we make: nothing to recognise)."""
        key = self.cleaned_data["submission_key"]
        return key if KEY_PATTERN.fullmatch(key) else uuid.uuid4().hex


class TakedownNoticeForm(OnceMixin, HoneypotMixin, forms.Form):
    notifier_type = forms.ChoiceField(
        label="您的身份", choices=TakedownCase.NotifierType.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(label="姓名或单位名称", max_length=100)
    organisation = forms.CharField(label="所在单位（选填）", max_length=150, required=False)
    id_type = forms.ChoiceField(label="证件类型", choices=TakedownCase.IdType.choices)
    id_number = forms.CharField(label="证件号码", max_length=40)
    email = forms.EmailField(
        label="电子邮箱", help_text="编号和处理结果会发到这个邮箱。", error_messages=EMAIL_ERRORS
    )
    phone = forms.CharField(label="联系电话", max_length=30)
    address = forms.CharField(label="通讯地址", max_length=300)
    right_kind = forms.ChoiceField(label="受侵害的权利", choices=TakedownCase.RightKind.choices)
    work_title = forms.CharField(label="作品或内容名称", max_length=200)
    original_location = forms.CharField(
        label="原作出处", max_length=500, help_text="原作的网址，或首次发表的刊物、出版物。"
    )
    urls = urls_field("本站涉及的网址", required=True)
    measure = forms.ChoiceField(
        label="要求采取的措施", choices=TakedownCase.Measure.choices, widget=forms.RadioSelect
    )
    description = statement_field("侵权说明", "说明您的权利、侵权的具体情形，以及附件证明了什么。")
    proof = attachments_field("证明材料")
    authorisation = MultipleFileField(
        label="授权委托书（代理人必填）", help_text="代理人须上传权利人签署的授权委托书。"
    )
    declare_good_faith = declaration(DECLARATIONS["declare_good_faith"])
    declare_accurate = declaration(DECLARATIONS["declare_accurate"])
    declare_liability = declaration(DECLARATIONS["declare_liability"])
    signature = forms.CharField(label="签名（请输入您的全名）", max_length=100)

    def __init__(self, *args, host: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.host = host

    def clean_urls(self):
        return articles_named(self.cleaned_data["urls"], host=self.host, required=True)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("notifier_type") == TakedownCase.NotifierType.AGENT and not cleaned.get(
            "authorisation"
        ):
            self.add_error("authorisation", "代理人投诉须上传权利人签署的授权委托书。")
        if self.errors and self.files:
            self.add_error(None, FILES_AGAIN)
        return cleaned


class CounterNoticeForm(OnceMixin, HoneypotMixin, forms.Form):
    reference = forms.CharField(label="投诉编号", max_length=20, help_text="例如 TD-20261128-0007")
    name = forms.CharField(label="姓名或单位名称", max_length=100)
    id_type = forms.ChoiceField(label="证件类型", choices=TakedownCase.IdType.choices)
    id_number = forms.CharField(label="证件号码", max_length=40)
    email = forms.EmailField(label="电子邮箱", error_messages=EMAIL_ERRORS)
    phone = forms.CharField(label="联系电话", max_length=30)
    address = forms.CharField(label="通讯地址", max_length=300)
    grounds = statement_field(
        "理由与说明", "说明您为何认为内容不构成侵权，例如您是权利人、已获授权或属于合理使用。"
    )
    proof = attachments_field("证明材料（选填）", required=False)
    declare_mistake = declaration(COUNTER_DECLARATIONS["declare_mistake"])
    declare_accurate = declaration(COUNTER_DECLARATIONS["declare_accurate"])
    declare_jurisdiction = declaration(COUNTER_DECLARATIONS["declare_jurisdiction"])
    signature = forms.CharField(label="签名（请输入您的全名）", max_length=100)

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip().upper()
        case = TakedownCase.objects.filter(reference=reference).first()
        if case is None:
            raise ValidationError("找不到这个投诉编号，请核对后再填。")
        if case.status != TakedownCase.Status.WITHDRAWN:
            raise ValidationError(
                f"这个案件目前的状态是“{case.get_status_display()}”，只有内容已撤下的案件可以提交反通知。"
            )
        self.case = case
        return reference

    def clean(self):
        cleaned = super().clean()
        if self.errors and self.files:
            self.add_error(None, FILES_AGAIN)
        return cleaned


class StatusLookupForm(forms.Form):
    reference = forms.CharField(label="投诉编号", max_length=20)
    email = forms.EmailField(label="提交时填写的邮箱", error_messages=EMAIL_ERRORS)


class SupplementForm(OnceMixin, HoneypotMixin, forms.Form):
    """Material a requester adds to their open case on the status page: further pages,
    files, a note. It names the case by reference and email again, so nothing but those
    two opens it."""

    reference = forms.CharField(max_length=20, widget=forms.HiddenInput)
    email = forms.EmailField(widget=forms.HiddenInput, error_messages=EMAIL_ERRORS)
    text = statement_field("补充说明", "说明您补充了什么；如是回应我们的要求，请逐条对应。")
    urls = urls_field("追加的本站网址（选填）", required=False)
    proof = attachments_field("补充材料", required=False)

    def __init__(self, *args, host: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.host = host

    def clean_urls(self):
        return articles_named(self.cleaned_data["urls"], host=self.host, required=False)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("urls") and not cleaned.get("proof"):
            self.add_error("proof", "请上传补充材料，或填写追加的网址。")
        if self.errors and self.files:
            self.add_error(None, FILES_AGAIN)
        return cleaned
