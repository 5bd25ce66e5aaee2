"""`seed_demo`: original essays with sections, tags, channels and sources, loaded once."""

import pytest
from django.core.management import call_command

from articles.models import Article, Channel, Section

pytestmark = pytest.mark.django_db


def counts():
    return Article.objects.count(), Section.objects.count(), Channel.objects.count()


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    first = counts()
    published = dict(Article.objects.values_list("slug", "published_at"))
    call_command("seed_demo")
    assert counts() == first
    assert dict(Article.objects.values_list("slug", "published_at")) == published


def test_demo_essays_have_what_every_page_needs():
    call_command("seed_demo")
    articles = Article.objects.public().for_page()
    assert articles.count() >= 8
    for article in articles:
        assert 3 <= len(article.numbered_sections()) <= 5, article.title
        assert article.tag_list(), article.title
        assert article.channel, article.title
        # Reprints name where they come from; the newsroom's own pieces (本站…) are 原创.
        assert article.is_reprint == (not article.byline.startswith("本站")), article.title
        if article.is_reprint:
            assert article.source_name and article.source_url, article.title
    assert any(not article.is_reprint for article in articles), "some original pieces"
    shared = Article.objects.public().filter(tags__name="钢铁").count()
    assert shared >= 2, "tags must be shared so that tag pages and related articles have content"
    assert Article.objects.exclude(pk__in=Article.objects.public()).exists(), "a scheduled one"


def test_if_empty_leaves_an_existing_site_alone():
    call_command("seed_demo", "--if-empty")
    Article.objects.filter(slug="steel-price-winter").update(title="编辑改过的标题")
    call_command("seed_demo", "--if-empty")
    assert Article.objects.get(slug="steel-price-winter").title == "编辑改过的标题"


def test_seeding_again_never_republishes_what_editors_took_down():
    call_command("seed_demo")
    Article.objects.filter(slug="steel-price-winter").update(status=Article.Status.WITHDRAWN)
    Article.objects.filter(slug="steel-town-jobs").update(status=Article.Status.DRAFT)
    call_command("seed_demo")
    statuses = dict(Article.objects.values_list("slug", "status"))
    assert statuses["steel-price-winter"] == Article.Status.WITHDRAWN
    assert statuses["steel-town-jobs"] == Article.Status.DRAFT
