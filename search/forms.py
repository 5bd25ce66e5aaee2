"""What a search address may hold, checked by a form like any other input.

Search never turns a reader away: a value it cannot use is left out and the page says so
(`SearchRequest.problems`), so the form's errors are messages to show, not reasons to refuse.
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from articles.models import Channel

from .querying import SearchRequest, clean_query

DATE_FIELDS = {"from": "开始日期", "to": "结束日期"}


class SearchForm(forms.Form):
    q = forms.CharField(required=False, strip=False)
    channel = forms.ModelChoiceField(
        queryset=Channel.objects.all(),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": "没有这个栏目，已在全部栏目中搜索。"},
    )
    sort = forms.ChoiceField(choices=[("", "相关度"), ("newest", "最新")], required=False)
    page = forms.CharField(required=False)  # the paginator takes any value (last, 2, junk)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.notes: list[str] = []  # values changed rather than left out
        # `from` is a Python keyword, so these two are added by name.
        for name, label in DATE_FIELDS.items():
            self.fields[name] = forms.CharField(label=label, required=False)

    def clean_q(self) -> str:
        raw = self.cleaned_data["q"]
        query = clean_query(raw)
        if raw.strip() and not query:
            raise ValidationError("搜索词里没有可以搜索的文字。")
        return query

    def _clean_date(self, name: str) -> date | None:
        value = self.cleaned_data[name].strip()
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationError(
                f"{DATE_FIELDS[name]}“{value[:20]}”格式不对，应为 2026-01-31，已忽略。"
            ) from None

    def clean(self):
        cleaned = super().clean()
        for name in DATE_FIELDS:
            if name in cleaned:
                try:
                    cleaned[name] = self._clean_date(name)
                except ValidationError as error:
                    self.add_error(name, error)
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            cleaned["from"], cleaned["to"] = end, start
            self.notes.append("开始日期晚于结束日期，已对调。")
        return cleaned

    def search_request(self) -> SearchRequest:
        """The search to run: every usable value, and what was left out and why."""
        self.is_valid()
        data = self.cleaned_data
        return SearchRequest(
            query=data.get("q", ""),
            channel=data.get("channel"),
            date_from=data.get("from"),
            date_to=data.get("to"),
            newest_first=data.get("sort") == "newest",
            page=data.get("page") or 1,
            problems=[message for errors in self.errors.values() for message in errors]
            + self.notes,
        )
