"""Writes that touch several models or have side effects: publishing, importing, sections.

Admin actions and management commands call these, so both follow the same rules.
"""

import hashlib
from dataclasses import asdict
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Article, ArticleRevision, OldAddress, Section
from .pagedump import EssayText, PageDump, SectionText
from .signals import pages_imported


def _save_new_version(article: Article, *fields: str) -> None:
    """Every change of state is a new version of the article, so an editor's page opened
    before it cannot silently undo it (see `ArticleAdminForm`'s lock)."""
    article.version = F("version") + 1
    article.save(update_fields=[*fields, "version", "updated_at"])
    article.refresh_from_db(fields=["version"])


def article_publish(*, article: Article, at: datetime | None = None) -> Article:
    """Publish now, or at `at` (a future time schedules it: it appears by itself)."""
    article.status = Article.Status.PUBLISHED
    article.published_at = at or timezone.now()
    _save_new_version(article, "status", "published_at")
    return article


def article_submit_for_review(*, article: Article, by) -> Article:
    """An 编辑's finished draft goes to the 主编's queue (review mode)."""
    article.status = Article.Status.IN_REVIEW
    _save_new_version(article, "status")
    ArticleRevision.snapshot(article, author=by, note="提交审核")
    return article


def article_approve(*, article: Article, by, at: datetime | None = None) -> Article:
    """A 主编 approves: published now, or at `at`; the step is in the history."""
    article_publish(article=article, at=at)
    when = f"，定时 {timezone.localtime(at):%Y-%m-%d %H:%M} 发布" if at else "，已发布"
    ArticleRevision.snapshot(article, author=by, note=f"审核通过{when}")
    return article


def article_send_back(*, article: Article, by, note: str) -> Article:
    """A 主编 sends it back to its 编辑 as a draft, saying why (kept in the history)."""
    article.status = Article.Status.DRAFT
    _save_new_version(article, "status")
    ArticleRevision.snapshot(article, author=by, note=f"退回修改：{note}"[:200])
    return article


def article_unpublish(*, article: Article) -> Article:
    """Back to draft: readers get 404 at once; the publish time is kept for the record."""
    article.status = Article.Status.DRAFT
    _save_new_version(article, "status")
    return article


@transaction.atomic
def article_expire(article: Article) -> Article:
    """Its planned end time has come: it leaves every listing, feed, search and 热传 as a
    withdrawal would, and its URL answers 410 (nobody asked for it to go)."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status == Article.Status.PUBLISHED:
        article.status = Article.Status.EXPIRED
        _save_new_version(article, "status")
    return article


def expire_come_due() -> int:
    """Every published article whose end time has come (the background runner, every second)."""
    due = Article.objects.filter(
        status=Article.Status.PUBLISHED, unpublish_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    expired = 0
    for article_id in list(due):
        article_expire(Article(pk=article_id))
        expired += 1
    return expired


@transaction.atomic
def article_withdraw(article: Article, *, reference: str, basis: str, notice_url: str) -> Article:
    """Take a public article down on notice: it leaves every listing at once (they all start
    from `public()`) and its URL answers 451 with `reference`, `basis` and `notice_url`
    (where the notice can be answered). Caches follow through the save signals."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    article.status = Article.Status.WITHDRAWN
    article.withdrawn_at = timezone.now()
    article.withdrawal_reference = reference
    article.withdrawal_basis = basis
    article.withdrawal_notice_url = notice_url
    _save_new_version(article, *WITHDRAWAL_FIELDS, "status")
    return article


@transaction.atomic
def article_restore(article: Article) -> Article:
    """Put a withdrawn article back as it was published; its withdrawal record is cleared."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status != Article.Status.WITHDRAWN:
        return article
    article.status = Article.Status.PUBLISHED
    article.withdrawn_at = None
    article.withdrawal_reference = article.withdrawal_basis = article.withdrawal_notice_url = ""
    _save_new_version(article, *WITHDRAWAL_FIELDS, "status")
    return article


WITHDRAWAL_FIELDS = [
    "withdrawn_at", "withdrawal_reference", "withdrawal_basis", "withdrawal_notice_url",
]  # fmt: skip


@transaction.atomic
def article_sections_replace(*, article: Article, sections: list[SectionText]) -> None:
    """Replace all sections with the given ones, numbered in their order.

    Saved one by one, not in bulk: `Section.save()` sanitises and counts the text.
    """
    article.sections.all().delete()
    for position, section in enumerate(sections, start=1):
        Section.objects.create(
            article=article, position=position, heading=section.heading, body_html=section.body
        )


@transaction.atomic
def article_create_from_text(*, title: str, essay: EssayText, author=None, **fields) -> Article:
    """A new draft from pasted text; its first revision records who made it."""
    article = Article.objects.create(
        title=title,
        lede=fields.pop("lede", "") or essay.lede,
        status=Article.Status.DRAFT,
        **fields,
    )
    article_sections_replace(article=article, sections=essay.sections)
    ArticleRevision.snapshot(article, author=author, note="粘贴全文创建")
    return article


def page_dump_hash(dump: PageDump) -> str:
    return hashlib.sha256(repr(asdict(dump)).encode()).hexdigest()


@transaction.atomic
def article_import(
    *, dump: PageDump, source_name: str, draft: bool = False, old_path: str = ""
) -> tuple[str, Article]:
    """Create or update the article of one page dump; say which ("created", "updated",
    "skipped" when nothing changed). Keyed on title plus source file name, so importing the
    same file again never makes a duplicate. Its 热传 blocks go out in `pages_imported`;
    `old_path`, the page's address on the old site, answers 301 to the article from now on."""
    digest = page_dump_hash(dump)
    article = Article.objects.filter(imported_from=source_name, title=dump.title).first()
    if article is not None and article.import_hash == digest:
        OldAddress.remember(old_path, article)
        return "skipped", article
    outcome = "updated" if article else "created"
    if article is None:
        article = Article(
            imported_from=source_name,
            status=Article.Status.DRAFT if draft else Article.Status.PUBLISHED,
            published_at=None if draft else timezone.now(),
        )
    article.title = dump.title
    article.lede = dump.lede
    article.import_hash = digest
    article.save()
    article_sections_replace(article=article, sections=dump.sections)
    article.tags.set(dump.tags, clear=True)
    OldAddress.remember(old_path, article)
    ArticleRevision.snapshot(article, note=f"从 {source_name} 导入")
    if dump.trending:
        titles = {block.title for block in dump.trending}
        articles = {a.title: a for a in Article.objects.filter(title__in=titles)}
        pages_imported.send(
            sender=Article,
            trending_blocks=[
                {"title": b.title, "summary": b.summary, "article": articles.get(b.title)}
                for b in dump.trending
            ],
        )
    return outcome, article
