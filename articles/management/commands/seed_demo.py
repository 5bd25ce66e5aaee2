"""`manage.py seed_demo`: load the original demo essays. Safe to run again (idempotent)."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles import illustrations
from articles.demo_content import CHANNELS, ESSAYS
from articles.models import Article, Author, Authorship, Channel, Image
from articles.pagedump import SectionText
from articles.services import article_sections_replace
from articles.tasks import make_renditions


class Command(BaseCommand):
    help = "载入演示文章（可重复运行，不会产生重复内容）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="只在数据库里还没有任何文章时载入。",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Article.objects.exists():
            self.stdout.write("已有文章，跳过演示内容。")
            return
        created = seed_demo_content()
        self.stdout.write(
            self.style.SUCCESS(f"演示内容就绪：新建 {created} 篇，共 {len(ESSAYS)} 篇。")
        )


@transaction.atomic
def seed_demo_content() -> int:
    """Create or update every demo channel and essay; return how many essays were new.

    An essay's publish time is set when it is first created (relative to now) and kept on
    later runs, so re-seeding never reshuffles the home page.
    """
    channels = {}
    for slug, name, order in CHANNELS:
        channels[slug], _ = Channel.objects.update_or_create(
            slug=slug, defaults={"name": name, "order": order}
        )
    now = timezone.now()
    created_count = 0
    for essay in ESSAYS:
        fields = {
            "title": essay["title"],
            "lede": essay["lede"],
            "channel": channels[essay["channel"]],
            "byline": essay["byline"],
            "source_name": essay.get("source_name", ""),
            "source_url": essay.get("source_url", ""),
        }
        # Status and time are set only when created: re-seeding never republishes an
        # article an editor unpublished or a takedown withdrew.
        article, created = Article.objects.update_or_create(
            slug=essay["slug"],
            defaults=fields,
            create_defaults={
                **fields,
                "status": Article.Status.PUBLISHED,
                "published_at": now - timedelta(hours=essay["hours_ago"]),
            },
        )
        created_count += created
        article_sections_replace(
            article=article,
            sections=[SectionText(s["heading"], s["paragraphs"]) for s in essay["sections"]],
        )
        article.tags.set(essay["tags"])
        if not article.authorships.exists():
            Authorship.objects.create(article=article, author=_author_for(essay["byline"]))
        if article.cover_id is None:
            article.cover = _illustration_for(article, essay["channel"])
            article.save(update_fields=["cover"])
    return created_count


BIOS = {
    "本站评论员": "聚热点评论员，写产业、城市与日常生活里正在发生的变化。",
    "本站记者": "聚热点记者，跑城市、交通与民生，喜欢在现场多站一会儿。",
    "特约作者": "为聚热点供稿的特约作者。",
}


def _author_for(byline: str) -> Author:
    """The demo bylines ("本站评论员 林舟") as author profiles with a page each."""
    title, _, name = byline.rpartition(" ")
    author, _ = Author.objects.get_or_create(
        name=name, title=title, defaults={"bio": BIOS.get(title, "")}
    )
    return author


def _illustration_for(article: Article, channel: str) -> Image:
    """The essay's own picture, drawn by the project's code (articles.illustrations)."""
    image = Image(
        alt=illustrations.alt_text(channel),
        caption=f"{article.channel.name}：{article.title}",
        credit="聚热点制图",
    )
    picture = ContentFile(illustrations.illustration(article.slug, channel))
    image.file.save(f"demo-{article.slug}.jpg", picture, save=False)
    image.width, image.height = illustrations.ILLUSTRATION_SIZE
    image.save()
    make_renditions.enqueue(image.pk)
    return image
