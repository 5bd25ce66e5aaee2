"""Editors' forms: the article form with tag suggestions, pasting, scheduling, images."""

import re

from django import forms
from django.utils import timezone
from taggit.forms import TagField, TagWidget

from . import images, markup
from .models import Article, Channel, Image, Section, Tag
from .outage import STORAGE_DOWN, storage_answers
from .pagedump import split_essay

SUGGESTED_TAGS = 500


class TagSuggestWidget(TagWidget):
    """Comma-separated tags with the existing ones offered as suggestions (a <datalist>).

    Without JavaScript the browser suggests whole values; `js/admin-tag-suggest.js` rewrites
    the list so each suggestion keeps the tags already typed and completes the last one.
    """

    template_name = "admin/articles/tag_suggest_widget.html"

    class Media:
        js = ["js/admin-tag-suggest.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id', name)}-suggestions"
        context["widget"]["attrs"]["list"] = list_id
        context["widget"]["attrs"]["autocomplete"] = "off"
        context["list_id"] = list_id
        context["suggestions"] = Tag.objects.order_by("name").values_list("name", flat=True)[
            :SUGGESTED_TAGS
        ]
        return context


TAG_SEPARATORS = re.compile(r"[，、;；\r\n]+")


class NewsroomTagField(TagField):
    """Tags separated the way a Chinese keyboard types them — `,` `，` `、` `;` `；` or new
    lines — each checked against the tag name's length."""

    def clean(self, value):
        if isinstance(value, str):
            value = TAG_SEPARATORS.sub(",", value)
        tags = super().clean(value)
        limit = Tag._meta.get_field("name").max_length
        too_long = [tag for tag in tags if len(tag) > limit]
        if too_long:
            raise forms.ValidationError(
                "标签最长 %(limit)d 个字，这个太长了：%(tag)s",
                params={"limit": limit, "tag": too_long[0][:20] + "…"},
            )
        return tags


class ArticleAdminForm(forms.ModelForm):
    tags = NewsroomTagField(
        label="标签",
        required=False,
        widget=TagSuggestWidget(attrs={"size": 60}),
        help_text="用逗号、顿号、分号或换行分隔，例如：钢铁，产能、制造业。已有的标签会自动提示。",
    )

    source_url = forms.URLField(label="来源网址", required=False, assume_scheme="https")
    # The version the editor opened: a save over someone else's later save is refused.
    version_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "title", "slug", "lede", "channel", "tags", "byline", "source_name", "source_url",
            "cover", "status", "published_at",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version_seen"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        self._refuse_a_lost_update(cleaned.get("version_seen"))
        status, published_at = cleaned.get("status"), cleaned.get("published_at")
        if status == Article.Status.PUBLISHED and not published_at:
            cleaned["published_at"] = timezone.now()
        unpublish_at = cleaned.get("unpublish_at")
        if unpublish_at and unpublish_at <= (cleaned.get("published_at") or timezone.now()):
            self.add_error("unpublish_at", "计划下线时间要晚于发布时间。")
        return cleaned

    def _sections_differ(self, current: Article) -> bool:
        """Whether the sections as saved now differ from the ones this editor sent."""
        typed = _typed_sections(self.data)
        if typed is None:
            return False
        saved = {str(s.pk): markup.html_to_text(s.body_html) for s in current.sections.all()}
        return saved.keys() != typed.keys() or any(
            " ".join(saved[key].split()) != " ".join(typed[key].split()) for key in saved
        )

    def _refuse_a_lost_update(self, seen: int | None) -> None:
        """Optimistic locking: the row is locked for the rest of the admin's transaction,
        so two saves cannot both pass; a save based on an older version is refused and
        says who saved since and what they changed — nothing is overwritten silently."""
        if not self.instance.pk or seen is None:
            return
        current = Article.objects.select_for_update().filter(pk=self.instance.pk).first()
        if current is None or current.version == seen:
            return
        last = current.revisions.select_related("author").order_by("-created_at").first()
        author = last.author if last else None
        who = (author.get_full_name() or author.get_username()) if author else "另一位编辑"
        when = timezone.localtime(last.created_at).strftime("%H:%M") if last else ""
        changed = [
            f"{label}（现为“{str(shown)[:40]}”）"
            for label, shown, value, typed in [
                ("标题", current.title, current.title, self.data.get("title", current.title)),
                ("导语", current.lede, current.lede, self.data.get("lede", current.lede)),
                ("状态", current.get_status_display(), current.status,
                 self.data.get("status", current.status)),
            ]
            if value != typed
        ]  # fmt: skip
        if self._sections_differ(current):
            changed.append("正文")
        raise forms.ValidationError(
            "没有保存：这篇文章在您打开之后已被%(who)s%(when)s修改并保存%(what)s。"
            "为免覆盖对方的修改，请先复制您改动的内容，刷新页面查看最新版本，再重新修改。",
            code="stale",
            params={
                "who": f" {who} ",
                "when": f"于 {when} " if when else "",
                "what": "，改动了" + "、".join(changed) if changed else "",
            },
        )


def _typed_sections(data) -> dict[str, str] | None:
    """{section id: text as typed} from the sections inline of a posted article form (new
    sections under ""), or None when the post carries no sections inline."""
    try:
        total = min(int(data.get("sections-TOTAL_FORMS", "")), 1000)
    except ValueError:
        return None
    return {
        data.get(f"sections-{index}-id", ""): data.get(f"sections-{index}-body_html", "")
        for index in range(total)
        if not data.get(f"sections-{index}-DELETE")
    }


class SectionAdminForm(forms.ModelForm):
    """A section's body edited as text (articles.markup), stored as sanitised HTML. A body
    the markup cannot say exactly is shown, and kept, as HTML."""

    body_html = forms.CharField(
        label="正文",
        widget=forms.Textarea(attrs={"rows": 12, "cols": 90}),
        help_text="空一行分段；**加粗**、*强调*、[文字](网址)、![图片说明](图片地址)；"
        "以“> ”开头的行是引用。图片地址在“图片”库里每张图的页面上。",
    )

    class Meta:
        model = Section
        fields = ["position", "heading", "body_html"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.body_html if self.instance.pk else ""
        if stored:
            text = markup.html_to_text(stored)
            self.initial["body_html"] = stored if text is None else text

    def clean_body_html(self):
        typed = self.cleaned_data["body_html"]
        if typed.lstrip().startswith("<"):  # HTML as it was shown (or typed by an expert)
            return typed
        return markup.text_to_html(typed)


class SendBackForm(forms.Form):
    note = forms.CharField(
        label="退回原因",
        max_length=180,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        error_messages={"required": "请写明退回的原因，编辑会在文章历史里看到。"},
    )


class PasteEssayForm(forms.Form):
    """Everything a new article needs in one pass: text, channel, tags, byline, source and
    cover; the split is shown before it is saved."""

    title = forms.CharField(label="标题", max_length=120)
    channel = forms.ModelChoiceField(label="栏目", queryset=Channel.objects.all(), required=False)
    tags = NewsroomTagField(
        label="标签", required=False, help_text="用逗号、顿号、分号或换行分隔。"
    )
    byline = forms.CharField(
        label="署名", max_length=80, required=False, help_text="默认是您自己；可以改成作者的名字。"
    )
    source_name = forms.CharField(label="来源", max_length=80, required=False,
                                  help_text="转载的文章写明来源；本站原创留空。")  # fmt: skip
    source_url = forms.URLField(label="原文链接", required=False, assume_scheme="https")
    cover = forms.ModelChoiceField(
        label="封面", queryset=Image.objects.all(), required=False,
        help_text="从图片库中选择（先在“图片”里上传）。",
    )  # fmt: skip
    text = forms.CharField(
        label="全文",
        widget=forms.Textarea(attrs={"rows": 24, "cols": 90}),
        help_text="把整篇文章粘贴进来。只写着 01、02（全角数字或带空格也可以）的行是分节编号；"
        "第一个编号之前的文字作为导语；分节编号下一行如果是短句，会当作小标题。",
    )

    def clean_text(self):
        essay = split_essay(self.cleaned_data["text"])
        if not essay.sections:
            raise forms.ValidationError("没有找到分节编号。请在每一节开头单独写一行 01、02、03……")
        self.essay = essay
        return self.cleaned_data["text"]


class ScheduleForm(forms.Form):
    published_at = forms.DateTimeField(
        label="发布时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text="北京时间。",
    )

    def clean_published_at(self):
        value = self.cleaned_data["published_at"]
        if value <= timezone.now():
            raise forms.ValidationError("定时发布的时间必须在将来。要立刻发布，请用“立即发布”。")
        return value


class ImageAdminForm(forms.ModelForm):
    # A plain file field: Django's ImageField would open the upload with Pillow first and
    # answer every failure (too many pixels included) with one message, and would refuse a
    # long original file name — stored names are made by the server anyway.
    file = forms.FileField(
        label="图片文件",
        max_length=None,
        help_text=f"JPEG、PNG、WebP 或 GIF，{images.MAX_UPLOAD_BYTES // 1024 // 1024} MB 以内。"
        "上传后会自动去掉拍摄信息（EXIF、位置），并生成适合手机与电脑的多种尺寸。",
    )

    class Meta:
        model = Image
        fields = ["file", "alt", "caption", "credit"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            self.cleaned_image = images.clean_upload(upload)
            if not storage_answers():  # said now, with the form, rather than failing on save
                raise forms.ValidationError(STORAGE_DOWN)
            return self.cleaned_image.content
        return upload
