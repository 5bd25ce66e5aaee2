"""Small helpers that build the data a test needs, with original Chinese text."""

import itertools
from datetime import timedelta

from django.contrib.auth.models import Permission, User
from django.utils import timezone

from articles.models import Article, Channel, Section

_counter = itertools.count(1)

PARAGRAPHS = [
    "清晨的厂区还笼着一层薄雾，值班的工人已经在巡检。钢铁的价格牵动着整条产业链，也牵动着许多家庭的生计。",
    "城市的地铁线路越织越密，通勤的人们在换乘通道里加快脚步，手机屏幕上滚动着当天的新闻。",
    "县城的书店在傍晚亮起灯，几个学生围在书架前低声讨论，窗外是慢慢散去的集市。",
]


def make_channel(name=None, slug=None, order=0) -> Channel:
    n = next(_counter)
    return Channel.objects.create(name=name or f"栏目{n}", slug=slug or f"channel-{n}", order=order)


def make_article(
    title=None,
    *,
    slug=None,
    channel=None,
    sections=3,
    tags=(),
    status=Article.Status.PUBLISHED,
    published_at=None,
    hours_ago=1,
    lede="这是一段用于测试的导语，概括文章的主要观点。",
    **fields,
) -> Article:
    n = next(_counter)
    if published_at is None and status != Article.Status.DRAFT:
        published_at = timezone.now() - timedelta(hours=hours_ago)
    article = Article.objects.create(
        title=title or f"测试文章第{n}篇：城市与产业的变化",
        slug=slug or f"test-article-{n}",
        channel=channel,
        lede=lede,
        status=status,
        published_at=published_at,
        byline=fields.pop("byline", "本站记者 测试"),
        source_name=fields.pop("source_name", "测试来源"),
        source_url=fields.pop("source_url", "https://example.com/source"),
        **fields,
    )
    for position in range(1, sections + 1):
        Section.objects.create(
            article=article,
            position=position,
            heading=f"第{position}部分",
            body_html=PARAGRAPHS[position % len(PARAGRAPHS)],
        )
    if tags:
        article.tags.set(list(tags))
    return article


def make_editor(username="editor", *, superuser=False) -> User:
    user = User.objects.create_user(
        username, f"{username}@example.com", "编辑部的密码-2026", is_staff=True
    )
    if superuser:
        user.is_superuser = True
        user.save()
    else:
        user.user_permissions.add(*Permission.objects.filter(content_type__app_label="articles"))
    return user


def make_role_user(username: str, role: str) -> User:
    """A staff user whose only permissions come from the newsroom group `role` (编辑/主编)."""
    from django.contrib.auth.models import Group

    user = User.objects.create_user(username, f"{username}@example.com", "编辑部的密码-2026")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user
