"""Sections are edited as text: every demo and imported section goes to text and back to
exactly the HTML that was stored, and what an editor types becomes sanitised HTML."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.markup import html_to_text, text_to_html
from articles.models import Section
from articles.pagedump import parse_page_dump
from articles.sanitising import sanitise_html
from articles.services import article_import
from tests.articles.test_pagedump import DUMP
from tests.factories import make_article, make_role_user

pytestmark = pytest.mark.django_db


def test_every_demo_and_imported_section_round_trips_exactly():
    call_command("seed_demo")
    article_import(dump=parse_page_dump(DUMP), source_name="dump.txt")
    sections = list(Section.objects.all())
    assert len(sections) > 40
    for section in sections:
        text = html_to_text(section.body_html)
        assert text is not None, section.body_html[:80]
        assert "<p>" not in text
        assert sanitise_html(text_to_html(text)) == section.body_html


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("一段。\n\n二段。", "<p>一段。</p><p>二段。</p>"),
        ("**重点**与*强调*", "<p><strong>重点</strong>与<em>强调</em></p>"),
        ("[来源](https://example.com/x)",
         '<p><a href="https://example.com/x" rel="nofollow noopener">来源</a></p>'),
        ("> 引用的话", "<blockquote><p>引用的话</p></blockquote>"),
        ("a < b & c", "<p>a &lt; b &amp; c</p>"),
        ("<script>alert(1)</script>正文", "<p>&lt;script&gt;alert(1)&lt;/script&gt;正文</p>"),
    ],
)  # fmt: skip
def test_what_editors_type_becomes_sanitised_html_and_comes_back(typed, stored):
    assert sanitise_html(text_to_html(typed)) == stored
    assert html_to_text(stored) == typed


def test_html_the_markup_cannot_say_stays_html():
    listed = "<ul><li>一</li><li>二</li></ul>"
    assert html_to_text(listed) is None


def test_the_edit_page_shows_text_not_html(client):
    client.force_login(make_role_user("wenben", "编辑"))
    article = make_article("以文本编辑的文章", sections=1)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    sections = next(
        inline for inline in page.context["inline_admin_formsets"] if inline.opts.model is Section
    )
    body = sections.formset.forms[0]["body_html"].value()
    assert "<p>" not in body and body.strip()
